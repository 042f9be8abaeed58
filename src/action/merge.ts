// Builds across runners, the action's side: the digests file a build pushed
// by digest leaves for the merge job, and the merge itself. `mergeStep` is the
// one place a merge's result is known (every tag pushed, and the index digest
// the registry serves), for whatever acts on the pushed index next (signing).
import { renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  digestsFileName,
  formatDigestsFile,
  mergeDigests,
  type DigestsFile,
  type MergeResult
} from '../nerdctl/index.js'
import type { StepContext } from './phases/context.js'

/**
 * Writes the digests file into RUNNER_TEMP, named after the platform (one
 * artifact per matrix leg); returns its path. Written beside and renamed, so
 * an upload never sees half a file.
 */
export function writeDigestsFile(file: DigestsFile, env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.RUNNER_TEMP || tmpdir()
  const path = join(dir, digestsFileName(file.platform))
  const partial = `${path}.${process.pid}.partial`
  writeFileSync(partial, formatDigestsFile(file), { mode: 0o644 })
  renameSync(partial, path)
  return path
}

/** Merges the plan's builds under every tag; undefined when the plan merges nothing. */
export async function mergeStep(step: StepContext): Promise<MergeResult | undefined> {
  const { merge, tags } = step.plan.images
  if (!merge) return undefined
  return mergeDigests(merge.sources, tags, { ...step.call, annotations: merge.annotations })
}
