// The post step (runs even when the job failed or was cancelled): removes
// exactly the containers this step started, found by their saved IDs and by
// the step's own label, removes the files a crash left half-written, logs
// out, and warns instead of failing when a cleanup does not work out. It
// never touches a container the step did not create.
import * as core from './workflow.js'
import { lstatSync, realpathSync } from 'node:fs'
import { basename, dirname, isAbsolute } from 'node:path'
import {
  Nerdctl,
  isNoSuchContainer,
  isNoSuchNetwork,
  list,
  networkList,
  networkRemove,
  logout,
  remove,
  removeRecordedPartials,
  removeTree,
  volumeList,
  volumeRemove,
  errorMessage,
  type CallOptions
} from '../nerdctl/index.js'
import {
  OWNER_LABEL,
  POST_CALL_TIMEOUT_MS,
  REMOVE_CONCURRENCY,
  SECRET_INPUTS
} from './constants.js'
import type { StepEnvironment } from './environment.js'
import { forgetSecretInputs } from './inputs/reader.js'
import { coreLogger } from './logger.js'
import { StepState } from './state.js'
import { postDiskBudget } from './disk-budget.js'
import { scratchParent } from './scratch.js'

/**
 * The saved containers and those the step's label finds (a script's, one main
 * did not record). When main said its saved list is complete, that list is
 * all there is, and the post step saves itself one nerdctl call.
 */
async function containersOf(
  token: string,
  saved: string[],
  complete: boolean,
  call: CallOptions
): Promise<string[]> {
  if (complete) return saved
  const ids = new Set(saved)
  try {
    for (const c of await list(true, { ...call, filters: [`label=${OWNER_LABEL}=${token}`] }))
      ids.add(c.id)
  } catch (e: unknown) {
    core.warning(`post step: could not list this step's containers: ${errorMessage(e)}`)
  }
  return [...ids]
}

async function removeContainer(id: string, call: CallOptions): Promise<void> {
  try {
    // With its anonymous volumes: nothing else would ever remove them.
    await remove(id, { ...call, force: true, volumes: true })
    core.info(`removed container ${id.slice(0, 12)}`)
  } catch (e: unknown) {
    if (isNoSuchContainer(e)) core.info(`container ${id.slice(0, 12)} was already gone`)
    else
      core.warning(`post step: could not remove container ${id.slice(0, 12)}: ${errorMessage(e)}`)
  }
}

/**
 * Removes the containers a few at a time: an `rm --force` spends most of its
 * time waiting on containerd and CNI (killing the task, tearing down its
 * network), so a services step's eight containers go in about the time of two.
 */
async function removeContainers(ids: string[], call: CallOptions): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    for (let id = ids[next++]; id !== undefined; id = ids[next++]) await removeContainer(id, call)
  }
  await Promise.all(Array.from({ length: Math.min(REMOVE_CONCURRENCY, ids.length) }, worker))
}

/**
 * The saved networks and those the step's label finds (a script's); removed
 * after their containers. When main said its saved lists are complete (no
 * script, no services, no failure), it made no network to look for.
 */
async function removeNetworks(
  token: string,
  saved: string[],
  complete: boolean,
  call: CallOptions
): Promise<void> {
  if (complete && saved.length === 0) return
  const names = new Set(saved)
  try {
    for (const n of await networkList({ ...call, filters: [`label=${OWNER_LABEL}=${token}`] }))
      names.add(n.name)
  } catch (e: unknown) {
    core.warning(`post step: could not list this step's networks: ${errorMessage(e)}`)
  }
  for (const name of names) {
    try {
      await networkRemove(name, call)
      core.info(`removed network ${name}`)
    } catch (e: unknown) {
      if (!isNoSuchNetwork(e))
        core.warning(`post step: could not remove network ${name}: ${errorMessage(e)}`)
    }
  }
}

/**
 * The volumes carrying this step's owner label, after the containers that
 * used them: listed only when main created one (or a script may have). A
 * volume the step found existing never has the label and is never touched;
 * one still in use (by a container this step did not make) stays, with a warning.
 */
async function removeVolumes(token: string, state: StepState, call: CallOptions): Promise<void> {
  if (!state.mayHaveVolumes()) return
  let volumes
  try {
    volumes = await volumeList({ ...call, filters: [`label=${OWNER_LABEL}=${token}`] })
  } catch (e: unknown) {
    core.warning(`post step: could not list this step's volumes: ${errorMessage(e)}`)
    return
  }
  for (const v of volumes) {
    // The filter is nerdctl's; the label is checked again here before removing.
    if (v.labels[OWNER_LABEL] !== token) continue
    try {
      await volumeRemove(v.name, call)
      core.info(`removed volume ${v.name}`)
    } catch (e: unknown) {
      core.warning(`post step: could not remove volume ${v.name}: ${errorMessage(e)}`)
    }
  }
}

/** What main's scratchDirectory makes: nerdctl-action-XXXXXX. */
const SCRATCH_NAME = /^nerdctl-action-[A-Za-z0-9]{6}$/

/**
 * Why saved state does not name this step's scratch directory, or undefined
 * when it does: a directory (not a link) of main's name, directly under the
 * real RUNNER_TEMP, owned by this user. State is read back, not trusted.
 */
function notScratch(scratch: string): string | undefined {
  let parent: string
  try {
    parent = realpathSync(scratchParent())
  } catch {
    return 'RUNNER_TEMP cannot be resolved'
  }
  if (!isAbsolute(scratch) || dirname(scratch) !== parent || !SCRATCH_NAME.test(basename(scratch)))
    return `it is not a nerdctl-action-XXXXXX directory directly in ${parent}`
  let st
  try {
    st = lstatSync(scratch)
  } catch {
    return 'it is not there'
  }
  if (st.isSymbolicLink() || !st.isDirectory()) return 'it is not a directory'
  const uid = process.getuid?.()
  if (uid !== undefined && st.uid !== uid) return 'it belongs to another user'
  return undefined
}

async function removeFiles(state: StepState, call: CallOptions): Promise<void> {
  // Only the temporary names main recorded: never another writer's in a shared directory.
  for (const gone of await removeRecordedPartials(state.partials()).catch(() => []))
    core.info(`removed partial file ${gone}`)
  const scratch = state.scratch()
  if (!scratch) return
  const why = notScratch(scratch)
  if (why !== undefined) {
    core.warning(
      `post step: ${scratch} is not this step's scratch directory (${why}); left as it is`
    )
    return
  }
  // Through sudo when nerdctl left root-owned files in it.
  await removeTree(scratch, call).catch((e: unknown) =>
    core.warning(`post step: could not remove ${scratch}: ${errorMessage(e)}`)
  )
}

async function logOut(registry: string, call: CallOptions): Promise<void> {
  try {
    await logout(registry === 'docker.io' ? undefined : registry, call)
    core.info(`logged out of ${registry}`)
  } catch (e: unknown) {
    core.warning(`post step: logout from ${registry} failed: ${errorMessage(e)}`)
  }
}

export async function post(environment: StepEnvironment = {}): Promise<void> {
  // The runner passes the inputs to the post step too, which reads none of them.
  forgetSecretInputs(SECRET_INPUTS)
  const state = new StepState()
  const token = state.token()
  if (!token) {
    core.info('Nothing to clean up: the main step stopped before it created anything.')
    return
  }
  const options = state.nerdctl()
  // Logouts act on the config the logins went to: the step's own, when it had one.
  const dockerConfig = state.dockerConfig()
  const client = new Nerdctl({
    ...options,
    ...(dockerConfig ? { env: { DOCKER_CONFIG: dockerConfig } } : {}),
    // Cleanup must not hang the job: every call is bounded, whatever `timeout`
    // said (0, "no limit", included).
    timeoutMs: options.timeoutMs
      ? Math.min(options.timeoutMs, POST_CALL_TIMEOUT_MS)
      : POST_CALL_TIMEOUT_MS,
    logger: coreLogger,
    runner: environment.runner
  })
  const call: CallOptions = { client }

  if (state.cleanup()) {
    await removeContainers(
      await containersOf(token, state.containers(), state.complete(), call),
      call
    )
    await removeNetworks(token, state.networks(), state.complete(), call)
    await removeVolumes(token, state, call)
  } else core.info('cleanup is false: containers, networks and volumes of this step are kept.')
  // After the step's own removals, which may have brought usage within budget.
  await postDiskBudget(state, call)
  // Before the files: the step's Docker config is in its scratch directory.
  for (const registry of state.logouts()) await logOut(registry, call)
  await removeFiles(state, call)
}
