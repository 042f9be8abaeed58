// The disk budget of persistent runners: before the step's work (a phase,
// first of all) and again in the post step, one statfs of the filesystem
// holding containerd's store; only when it is over the budget, the store is
// accounted for and pruned, under a machine-wide lock, by the library's
// `prune` with this action's rules: the keep label, and containers, networks
// and volumes only of this action whose job is certainly gone (the job
// marker, as reap judges it). The figures go to the log, the job summary and
// the `metadata` output; still over budget, the step warns and goes on.
import { readFileSync } from 'node:fs'
import * as core from './workflow.js'
import {
  biggest,
  budgetBytes,
  errorMessage,
  formatBytes,
  localBuildkit,
  machineLock,
  prune,
  storeFilesystem,
  type CallOptions,
  type DiskUsage,
  type FilesystemUsage,
  type PruneResult,
  type StoreItem,
  type UsageTotal
} from '../nerdctl/index.js'
import {
  CONTAINERD_ROOT_ENV,
  JOB_LABEL,
  KEEP_LABEL,
  OWNER_LABEL,
  PRUNE_LOCK_DIR,
  PRUNE_LOCK_WAIT_MS
} from './constants.js'
import type { DiskPlan, NerdctlPlan } from './inputs/plan.js'
import { markerAlive, systemProcView } from './job-marker.js'
import type { Phase } from './phases/context.js'
import type { StepState } from './state.js'

/** Where containerd's config says its root is, when the runner did not say. */
const CONTAINERD_CONFIG = '/etc/containerd/config.toml'
const CONTAINERD_DEFAULT_ROOT = '/var/lib/containerd'

/**
 * containerd's root (the store the budget is about): the runner's
 * NERDCTL_ACTION_CONTAINERD_ROOT, else the top-level `root` of
 * /etc/containerd/config.toml, else containerd's default, /var/lib/containerd.
 */
export function containerdRoot(
  env: NodeJS.ProcessEnv = process.env,
  readConfig: () => string | undefined = () => {
    try {
      return readFileSync(CONTAINERD_CONFIG, 'utf8')
    } catch {
      return undefined
    }
  }
): string {
  const fromEnv = env[CONTAINERD_ROOT_ENV]?.trim()
  if (fromEnv) return fromEnv
  const config = readConfig()
  if (config) {
    // Only the top level: every [section] may have a `root` of its own.
    const top = config.split(/^\s*\[/m)[0] ?? ''
    const m = /^\s*root\s*=\s*(?:"([^"]+)"|'([^']+)')/m.exec(top)
    const root = m?.[1] ?? m?.[2]
    if (root) return root
  }
  return CONTAINERD_DEFAULT_ROOT
}

/** One statfs; undefined (with a warning) when the root cannot be measured. */
function measure(root: string): FilesystemUsage | undefined {
  try {
    return storeFilesystem(root)
  } catch (e: unknown) {
    core.warning(
      `disk-budget: cannot measure the filesystem of containerd's root ${root} (${errorMessage(e)}); no prune. Set ${CONTAINERD_ROOT_ENV} in the runner's environment to containerd's root.`
    )
    return undefined
  }
}

function budgetText(plan: DiskPlan, fs: FilesystemUsage): string {
  const b = plan.budget
  if (!b) return ''
  const limit = formatBytes(budgetBytes(fs, b))
  return 'percent' in b ? `${b.percent}% (${limit})` : limit
}

function totalText(t: UsageTotal | undefined): string {
  return t ? `${t.count} (${formatBytes(t.bytes)})` : 'not counted'
}

function itemText(i: StoreItem): string {
  return `${i.kind} ${i.name}${i.sizeBytes > 0 ? ` (${formatBytes(i.sizeBytes)})` : ''}`
}

/** Cache records go in one line per prune: a build leaves hundreds. */
function removedLines(removed: readonly StoreItem[]): string[] {
  const cache = removed.filter(i => i.kind === 'build-cache')
  const lines = removed.filter(i => i.kind !== 'build-cache').map(itemText)
  if (cache.length > 0)
    lines.unshift(
      `build cache: ${cache.length} record(s) (${formatBytes(cache.reduce((n, i) => n + i.sizeBytes, 0))})`
    )
  return lines
}

/** The figures of a prune, for `metadata` (sizes in bytes). */
export function diskFigures(plan: DiskPlan, r: PruneResult): Record<string, unknown> {
  const usage = (u: DiskUsage): Record<string, unknown> => ({
    'filesystem-used': u.filesystem?.usedBytes,
    'filesystem-size': u.filesystem?.sizeBytes,
    images: u.images,
    containers: u.containers,
    volumes: u.volumes,
    'build-cache': u.buildCache ?? null
  })
  return {
    budget:
      r.before.filesystem && plan.budget ? budgetBytes(r.before.filesystem, plan.budget) : null,
    'dry-run': r.dryRun,
    'within-budget': r.withinBudget,
    before: usage(r.before),
    after: usage(r.after),
    removed: r.removed.map(i => ({ kind: i.kind, name: i.name, bytes: i.sizeBytes })),
    failed: r.failed.map(f => ({ kind: f.item.kind, name: f.item.name, reason: f.reason }))
  }
}

/** The summary's text of a prune: use before and after, and what went. */
export function diskReport(plan: DiskPlan, r: PruneResult): string {
  const fs = r.before.filesystem
  const rows: [string, string, string][] = [
    [
      'filesystem used',
      fs ? formatBytes(fs.usedBytes) : '?',
      r.after.filesystem ? formatBytes(r.after.filesystem.usedBytes) : '?'
    ],
    ['images', totalText(r.before.images), totalText(r.after.images)],
    ['containers', totalText(r.before.containers), totalText(r.after.containers)],
    ['volumes', totalText(r.before.volumes), totalText(r.after.volumes)],
    ['build cache', totalText(r.before.buildCache), totalText(r.after.buildCache)]
  ]
  const width = Math.max(...rows.map(x => x[1].length), 'before'.length)
  const lines = [
    `budget ${fs ? budgetText(plan, fs) : '?'} of ${fs ? formatBytes(fs.sizeBytes) : '?'} on ${fs?.path ?? '?'}${r.dryRun ? ' (dry run: nothing removed)' : ''}`,
    '',
    `${''.padEnd(16)}${'before'.padEnd(width + 2)}${r.dryRun ? 'after (estimated)' : 'after'}`,
    ...rows.map(([k, b, a]) => `${k.padEnd(16)}${b.padEnd(width + 2)}${a}`),
    '',
    r.removed.length === 0
      ? 'nothing could be removed'
      : r.dryRun
        ? 'would remove, in this order:'
        : 'removed, in this order:',
    ...removedLines(r.removed).map(l => `  ${l}`),
    ...(r.failed.length > 0
      ? ['not removed:', ...r.failed.map(f => `  ${itemText(f.item)}: ${f.reason}`)]
      : [])
  ]
  return lines.join('\n')
}

/**
 * Whether the maker of what carries these labels is certainly gone: this
 * action's (both labels) and its job marker names a process /proc shows gone.
 */
function creatorGone(labels: Readonly<Record<string, string>>): boolean {
  const marker = labels[JOB_LABEL]
  if (!marker || !labels[OWNER_LABEL]) return false
  return !markerAlive(marker, systemProcView())
}

/**
 * Prunes under the machine-wide lock, when usage (measured again once the
 * lock is held: another step's prune may have done the work) is still over
 * the budget. Undefined when nothing ran.
 */
async function pruneToBudget(
  plan: DiskPlan,
  root: string,
  nerdctl: NerdctlPlan,
  call: CallOptions
): Promise<PruneResult | undefined> {
  const budget = plan.budget
  if (!budget) return undefined
  const lock = await machineLock(PRUNE_LOCK_DIR, PRUNE_LOCK_WAIT_MS, why =>
    core.warning(`disk-budget: cannot take the prune lock: ${why}`)
  )
  if (!lock) {
    core.warning(
      `disk-budget: another prune holds ${PRUNE_LOCK_DIR} after ${PRUNE_LOCK_WAIT_MS / 1000} s; going on without pruning`
    )
    return undefined
  }
  try {
    const fs = measure(root)
    if (!fs || fs.usedBytes <= budgetBytes(fs, budget)) {
      core.info('disk-budget: within the budget now (another prune ran meanwhile)')
      return undefined
    }
    return await prune(
      {
        olderThanMs: plan.pruneUntilMs,
        buildCacheKeepBytes: plan.buildCacheKeepBytes,
        keepLabel: KEEP_LABEL,
        creatorGone,
        dryRun: plan.dryRun,
        budget: { path: root, budget },
        buildkitAddress: localBuildkit(
          nerdctl.buildkitHost ?? (process.env.BUILDKIT_HOST || undefined),
          nerdctl.namespace
        )
      },
      call
    )
  } finally {
    await lock.release()
  }
}

/** Logs a prune, and warns with the biggest items when it stays over budget. */
function logPrune(plan: DiskPlan, r: PruneResult, where: string): void {
  core.info(diskReport(plan, r))
  if (!r.withinBudget) {
    const big = biggest(r.after.items)
      .map(i => `${itemText(i)}`)
      .join(', ')
    core.warning(
      `disk-budget: still over the budget after ${where}${r.dryRun ? ' (dry run)' : ''}: ${formatBytes(r.after.filesystem?.usedBytes ?? 0)} used; nothing more may be removed. Biggest items: ${big || 'none found in the store'}`
    )
  }
}

/** Whether the filesystem is over the budget: the one statfs of a step under budget. */
function over(plan: DiskPlan, root: string): FilesystemUsage | undefined {
  const budget = plan.budget
  if (!budget) return undefined
  const fs = measure(root)
  if (!fs) return undefined
  const limit = budgetBytes(fs, budget)
  if (fs.usedBytes <= limit) {
    core.debug(`disk-budget: ${formatBytes(fs.usedBytes)} used of ${formatBytes(limit)} allowed`)
    return undefined
  }
  return fs
}

/** The phase: first of all, so the step's own work has the space it frees. */
export const diskBudget: Phase = async step => {
  const plan = step.plan.disk
  if (!plan.budget) return
  const root = containerdRoot()
  step.state.saveDisk({ plan, root })
  const fs = over(plan, root)
  if (!fs) return
  await step.report.phase('disk budget', async () => {
    core.info(
      `${formatBytes(fs.usedBytes)} used on ${root}, over the budget of ${budgetText(plan, fs)}`
    )
    let r: PruneResult | undefined
    try {
      r = await pruneToBudget(plan, root, step.plan.nerdctl, step.call)
    } catch (e: unknown) {
      // A full disk must not also fail the job because accounting did.
      core.warning(`disk-budget: prune failed: ${errorMessage(e)}`)
      return
    }
    if (!r) return
    logPrune(plan, r, 'pruning')
    step.report.extra('disk', diskFigures(plan, r))
    step.report.section('disk budget', diskReport(plan, r))
    step.report.note(
      `${r.dryRun ? 'would remove' : 'removed'} ${r.removed.length} item(s); ${formatBytes(r.before.filesystem?.usedBytes ?? 0)} -> ${formatBytes(r.after.filesystem?.usedBytes ?? 0)}`
    )
  })
}

/** The post step's check, after its own cleanup freed what it could. */
export async function postDiskBudget(state: StepState, call: CallOptions): Promise<void> {
  const saved = state.disk()
  if (!saved?.plan.budget) return
  const nerdctl = state.nerdctl()
  if (!over(saved.plan, saved.root)) return
  try {
    const r = await pruneToBudget(saved.plan, saved.root, nerdctl, call)
    if (!r) return
    logPrune(saved.plan, r, 'the post step pruned')
    const summary = process.env.GITHUB_STEP_SUMMARY
    if (summary)
      await core.appendSummary(
        `<h4>disk budget (post step)</h4>\n<pre><code>${diskReport(saved.plan, r)
          .replace(/&/g, '&amp;')
          .replace(/</g, '&lt;')
          .replace(/>/g, '&gt;')}</code></pre>\n`
      )
  } catch (e: unknown) {
    core.warning(`disk-budget: post step prune failed: ${errorMessage(e)}`)
  }
}
