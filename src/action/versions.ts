// The action's side of the version check (the table and the reading are the
// library's: src/nerdctl/pure/versions.ts, ops/versions.ts): which
// version-dependent features a plan uses, where readings are kept, and the
// check before anything runs.
//
// No nerdctl call is added to every step: a step that uses no such feature
// reads the versions once per nerdctl binary (kept in RUNNER_TOOL_CACHE) and
// then checks the kept reading, and when a call fails in a way an old nerdctl
// explains (an unknown flag), the versions are read then and the step fails
// with what is too old instead of nerdctl's words alone.
import { join } from 'node:path'
import {
  checkMinimumVersions,
  errorMessage,
  explainFailure,
  requireFeatures,
  type Feature,
  type Nerdctl
} from '../nerdctl/index.js'
import type { Inputs } from './inputs/index.js'

/**
 * Where readings are kept: RUNNER_TOOL_CACHE outlives the job on a
 * self-hosted runner (RUNNER_TEMP is emptied after every job), belongs to the
 * runner's user, and is where the toolkit keeps facts about installed tools.
 * A reading is keyed by the nerdctl binary's path, size, mtime and inode, so
 * a new binary is read again. Without it (the CLI's local step), nothing is kept.
 */
export function versionCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.RUNNER_TOOL_CACHE ? join(env.RUNNER_TOOL_CACHE, 'nerdctl-action') : undefined
}

/** The version-dependent features a plan uses (rows of the library's FEATURES table). */
export function planFeatures(plan: Inputs): Feature[] {
  const features: Feature[] = []
  if (plan.images.build) features.push('build')
  const health =
    plan.run?.spec.healthCheck !== undefined ||
    Object.values(plan.services.services).some(d => d.spec.container.healthCheck !== undefined)
  if (health) features.push('health-check')
  if (plan.signing.sign || plan.signing.verify) features.push('sign')
  if (plan.compose) features.push('compose')
  return features
}

/**
 * Before anything runs: a plan with version-dependent features needs the
 * versions (kept, or read with one call); any other checks the minimums
 * against the kept reading (read once per binary when a cache exists). Throws
 * the library's message, naming each feature and tool.
 */
export async function checkVersions(
  plan: Inputs,
  call: { client: Nerdctl; signal?: AbortSignal | undefined }
): Promise<void> {
  const features = planFeatures(plan)
  const options = { client: call.client, signal: call.signal, cacheDir: versionCacheDir() }
  if (features.length > 0) await requireFeatures(call.client, features, options)
  else await checkMinimumVersions(options)
}

/** A step's failure, or the versions' message when old tools explain it (with the original below). */
export async function explainStepFailure(
  e: unknown,
  plan: Inputs,
  client: Nerdctl
): Promise<unknown> {
  const why = await explainFailure(e, planFeatures(plan), { client, cacheDir: versionCacheDir() })
  return why ? new Error(`${why.message}\n(what failed: ${errorMessage(e)})`) : e
}
