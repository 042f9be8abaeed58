// The post step (runs even when the job failed or was cancelled): removes
// exactly the containers this step started, found by their saved IDs and by
// the step's own label, removes the files a crash left half-written, logs
// out, and warns instead of failing when a cleanup does not work out. It
// never touches a container the step did not create.
import * as core from './workflow.js'
import { rm } from 'node:fs/promises'
import {
  Nerdctl,
  isNoSuchContainer,
  list,
  logout,
  remove,
  removePartials,
  errorMessage,
  type CallOptions
} from '../nerdctl/index.js'
import { OWNER_LABEL, POST_CALL_TIMEOUT_MS } from './constants.js'
import type { StepEnvironment } from './environment.js'
import { coreLogger } from './logger.js'
import { StepState } from './state.js'

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

async function removeContainers(ids: string[], call: CallOptions): Promise<void> {
  for (const id of ids) {
    try {
      await remove(id, { ...call, force: true })
      core.info(`removed container ${id.slice(0, 12)}`)
    } catch (e: unknown) {
      if (isNoSuchContainer(e)) core.info(`container ${id.slice(0, 12)} was already gone`)
      else
        core.warning(`post step: could not remove container ${id.slice(0, 12)}: ${errorMessage(e)}`)
    }
  }
}

async function removeFiles(state: StepState): Promise<void> {
  for (const target of state.targets()) {
    for (const gone of await removePartials(target).catch(() => []))
      core.info(`removed partial file ${gone}`)
  }
  const scratch = state.scratch()
  if (scratch)
    await rm(scratch, { recursive: true, force: true }).catch((e: unknown) =>
      core.warning(`post step: could not remove ${scratch}: ${String(e)}`)
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
  const state = new StepState()
  const token = state.token()
  if (!token) {
    core.info('Nothing to clean up: the main step stopped before it created anything.')
    return
  }
  const options = state.nerdctl()
  // Cleanup must not hang the job: every call is bounded, whatever `timeout`
  // said (0, "no limit", included).
  const client = new Nerdctl({
    ...options,
    timeoutMs: options.timeoutMs
      ? Math.min(options.timeoutMs, POST_CALL_TIMEOUT_MS)
      : POST_CALL_TIMEOUT_MS,
    logger: coreLogger,
    runner: environment.runner
  })
  const call: CallOptions = { client }

  if (state.cleanup())
    await removeContainers(
      await containersOf(token, state.containers(), state.complete(), call),
      call
    )
  else core.info('cleanup is false: containers of this step are kept.')
  await removeFiles(state)
  const registry = state.logout()
  if (registry) await logOut(registry, call)
}
