// The main step: read every input into a plan (a bad one fails the step
// before anything runs), leave the post step what it needs to clean up, then
// run the phases in order and report: outputs, metadata, the job summary.
import * as core from './workflow.js'
import { mkdtempSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { Nerdctl, errorMessage, findProgram, randomHex, registryOf } from '../nerdctl/index.js'
import { cancellation } from './cancellation.js'
import { Input, JOB_LABEL, OWNER_LABEL, Output, SECRET_INPUTS } from './constants.js'
import type { StepEnvironment } from './environment.js'
import {
  getInputs,
  prepareInputs,
  loginsOf,
  readFromEnvironment,
  type InputReader,
  type Inputs
} from './inputs/index.js'
import { InputError, forgetSecretInputs } from './inputs/reader.js'
import { jobMarker } from './job-marker.js'
import { coreLogger } from './logger.js'
import { CLOSING_PHASES, PHASES, type StepContext } from './phases/index.js'
import { Report } from './report.js'
import { rootlessPlan } from './rootless.js'
import { stepDockerConfig } from './docker-config.js'
import { StepState } from './state.js'
import { scratchParent } from './scratch.js'
import { writeSummary } from './summary.js'
import { checkVersions, explainStepFailure } from './versions.js'

/**
 * A scratch directory for this step: the library's temporary files go there
 * through TMPDIR, and the post step removes it, even after a crash.
 */
function scratchDirectory(): string {
  // Saved real, directly under the real RUNNER_TEMP: what the post step checks.
  const scratch = mkdtempSync(join(realpathSync(scratchParent()), 'nerdctl-action-'))
  process.env.TMPDIR = scratch
  return scratch
}

/**
 * The nerdctl binary as an absolute path, looked up once here, shown in the
 * log and saved for the post step: a later change of PATH (an earlier
 * step's GITHUB_PATH, or one between main and post) cannot swap the program
 * that runs, and under sudo the sudoers rule is matched against this path.
 */
function resolveNerdctl(
  options: Inputs['nerdctl'],
  environment: StepEnvironment
): Inputs['nerdctl'] {
  const find = environment.findProgram ?? (environment.runner ? undefined : findProgram)
  const name = options.binary ?? 'nerdctl'
  if (!find) return options
  const path = find(name)
  if (!path)
    throw new InputError(
      Input.Nerdctl,
      `${JSON.stringify(name)} was not found${name.includes('/') ? '' : ' on PATH'} or is not executable: install nerdctl, or give its full path, e.g. /usr/local/bin/nerdctl`
    )
  core.info(`nerdctl: ${path}`)
  return { ...options, binary: path }
}

/** Saved before anything is created, so the post step can clean up after any crash. */
function prepareCleanup(state: StepState, plan: Inputs): { token: string; scratch: string } {
  const token = randomHex(8)
  // The post step finds this step's containers by this label even if main dies before saving an ID.
  state.saveToken(token)
  state.saveNerdctl(plan.nerdctl)
  state.saveCleanup(plan.behaviour.cleanup)
  const scratch = scratchDirectory()
  state.saveScratch(scratch)
  return { token, scratch }
}

/**
 * Whether the step may log in other than through the registry inputs: a
 * service's `credentials`, or a script (which has the library's `login`).
 */
function otherLogins(plan: Inputs): boolean {
  return (
    !!plan.behaviour.script ||
    Object.values(plan.services.services).some(d => d.credentials !== undefined)
  )
}

/** The registries the step itself logs in to ('' is Docker Hub), for `stepDockerConfig`. */
function ownLoginRegistries(plan: Inputs): string[] {
  const services = Object.values(plan.services.services)
    .filter(d => d.credentials !== undefined)
    .map(d => registryOf(d.spec.container.image))
    .map(r => (r === 'docker.io' ? '' : r))
  return [...loginsOf(plan.registry).map(l => l.registry), ...services]
}

/**
 * The environment of the step's nerdctl calls: a DOCKER_CONFIG of the step's
 * own whenever the step logs in (or a script may), so that no login of the
 * step lands in the runner user's config, which every job on the runner
 * shares, and no other job's logout touches the step's. Only `logout: false`
 * puts the registry inputs' logins in the runner user's config as well, on
 * purpose, for later steps; with nothing else to log in, they go there alone.
 */
function credentialsEnv(
  state: StepState,
  plan: Inputs,
  scratch: string
): Record<string, string> | undefined {
  const registryLogins = loginsOf(plan.registry).length > 0
  if (!otherLogins(plan) && !(registryLogins && plan.registry.logout)) return undefined
  const dir = stepDockerConfig(scratch, process.env, ownLoginRegistries(plan))
  state.saveDockerConfig(dir)
  return { DOCKER_CONFIG: dir }
}

async function writeReport(step: StepContext): Promise<void> {
  step.report.set(Output.Metadata, step.report.metadata())
  if (step.plan.behaviour.summary)
    await writeSummary(step.report).catch((e: unknown) =>
      core.warning(`job summary not written: ${String(e)}`)
    )
}

export async function main(
  read: InputReader = readFromEnvironment,
  environment: StepEnvironment = {}
): Promise<void> {
  const state = new StepState()
  state.markPost()
  let plan: Inputs
  try {
    await prepareInputs(read)
    plan = getInputs(read)
  } catch (e: unknown) {
    core.setFailed(errorMessage(e))
    return
  } finally {
    // Read now, and masked; nerdctl (and a login's sudo) must not inherit them.
    forgetSecretInputs(SECRET_INPUTS)
  }
  try {
    plan = { ...plan, nerdctl: resolveNerdctl(plan.nerdctl, environment) }
    plan = rootlessPlan(plan, environment.rootlessStateDir)
  } catch (e: unknown) {
    core.setFailed(errorMessage(e))
    return
  }
  const { token, scratch } = prepareCleanup(state, plan)
  // With cleanup false what the step makes is kept on purpose: no job marker,
  // so no later step reaps it.
  const marker = plan.behaviour.cleanup ? jobMarker() : undefined
  let env: Record<string, string> | undefined
  try {
    env = credentialsEnv(state, plan, scratch)
  } catch (e: unknown) {
    core.setFailed(`could not make the step's Docker config: ${errorMessage(e)}`)
    return
  }
  const abort = cancellation()
  const report = new Report()
  // Every container and network made through this client (the run phase's,
  // the services', a script's) carries the step's label, which is how the post
  // step finds them, and the job marker, which is how a later job reaps them
  // when this one is killed before its post step.
  const client = new Nerdctl({
    ...plan.nerdctl,
    labels: [[OWNER_LABEL, token], ...(marker ? [[JOB_LABEL, marker] as const] : [])],
    ...(env ? { env } : {}),
    // Output files land only where the inputs were allowed to point (and
    // the library's own files in the scratch directory); each temporary
    // name is recorded for the post step before it is made.
    hostRoots: [...(plan.nerdctl.hostRoots ?? []), scratch],
    onOutputPartial: path => state.recordPartial(path),
    logger: coreLogger,
    runner: environment.runner
  })
  if (plan.behaviour.script && plan.behaviour.cleanup) state.markVolumesPossible()
  const step: StepContext = {
    plan,
    report,
    call: {
      client,
      signal: abort.signal,
      retry: { ...plan.registry.retry, onRetry: () => report.countRetry() }
    },
    state,
    container: undefined,
    services: new Map(),
    failed: false,
    background: []
  }
  let failure: unknown
  try {
    // Before any phase: tools too old for the plan fail it by name.
    await checkVersions(plan, step.call)
    for (const phase of PHASES) await phase(step)
  } catch (e: unknown) {
    failure = await explainStepFailure(e, plan, client)
    step.failed = true
  }
  // Each handles its own failure; none is left running past the step.
  await Promise.all(step.background)
  for (const phase of CLOSING_PHASES) await phase(step)
  await writeReport(step)
  abort.dispose()
  // A script's containers, or one whose run failed before its ID was known,
  // are found by label; otherwise the saved IDs are all of them.
  // Services are found by the step's label, not saved IDs: with them, the post step lists.
  if (
    !step.failed &&
    !plan.behaviour.script &&
    Object.keys(plan.services.services).length === 0 &&
    !plan.compose
  )
    state.saveComplete()
  if (step.failed) core.setFailed(errorMessage(failure))
}
