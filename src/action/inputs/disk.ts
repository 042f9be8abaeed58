// The disk section: the budget of the filesystem holding containerd's store,
// what a prune may take (age, build cache size) and whether it only reports.
import { DEFAULT_PRUNE_UNTIL, Input } from '../constants.js'
import type { DiskPlan } from './plan.js'
import { InputError, asInput, show, type Reader } from './reader.js'
import { parseBudget, parseDuration, parseSize } from '../../nerdctl/index.js'

function readPruneUntil(r: Reader): number {
  const v = r.text(Input.PruneUntil) || DEFAULT_PRUNE_UNTIL
  try {
    // No upper bound: an age of months is a fair choice for a cache.
    return parseDuration(v)
  } catch {
    throw new InputError(
      Input.PruneUntil,
      `${show(v)} is not an age: use a Go duration such as 72h or 30m (days are hours: 168h is a week)`
    )
  }
}

function readCacheKeep(r: Reader): number | undefined {
  const v = r.text(Input.BuildCacheKeep)
  if (!v) return undefined
  try {
    return parseSize(v)
  } catch {
    throw new InputError(
      Input.BuildCacheKeep,
      `${show(v)} is not a size: use one such as 10GB, 512MB or 2GiB`
    )
  }
}

export function readDisk(r: Reader): DiskPlan {
  const text = r.text(Input.DiskBudget)
  if (!text) {
    r.refuseIfSet(
      'means nothing without "disk-budget": set a budget such as 40GB or 80%, or remove this input',
      [Input.PruneUntil, Input.BuildCacheKeep],
      [[Input.PruneDryRun, false]]
    )
    return { budget: undefined, pruneUntilMs: 0, buildCacheKeepBytes: undefined, dryRun: false }
  }
  const budget = asInput(Input.DiskBudget, () => {
    try {
      return parseBudget(text)
    } catch {
      throw new InputError(
        Input.DiskBudget,
        `${show(text)} is not a budget: give a size such as 40GB or 512MiB, or a percentage of the filesystem such as 80%`
      )
    }
  })
  return {
    budget,
    pruneUntilMs: readPruneUntil(r),
    buildCacheKeepBytes: readCacheKeep(r),
    dryRun: r.bool(Input.PruneDryRun, false)
  }
}
