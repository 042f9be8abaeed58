// The store's disk: how full the filesystem holding it is (one statfs, no
// process), what takes the space (nerdctl's listings and the local BuildKit's
// `buildctl du`: nerdctl has no `system df`), and a prune that removes what
// the policy lets go, in the policy's order, until the filesystem is within
// its budget. What may go is decided in pure/disk.ts; here it is read and
// removed. A removal nerdctl refuses (an image a container took up meanwhile,
// a volume mounted since) is reported, never forced.
import { existsSync, statfsSync } from 'node:fs'
import type {
  DiskUsage,
  FilesystemUsage,
  PrunePolicy,
  PruneResult,
  StoreItem
} from '../base/types.js'
import { errorMessage } from '../base/text.js'
import { nerdctl, tool, type CallOptions } from '../exec/call.js'
import { findProgram } from '../exec/programs.js'
import {
  afterRemoval,
  budgetBytes,
  containerItem,
  containerSizes,
  containerUses,
  filesystemUsage,
  imageItems,
  imageLabels,
  networkItem,
  parseBuildCache,
  prunePlan,
  usageOf,
  volumeItem
} from '../pure/disk.js'
import { parseJsonArray, parseJsonLines } from '../pure/json.js'
import { formatDuration } from '../pure/units.js'
import {
  CONTAINER_NAME,
  checkContainerRef,
  checkImageReference,
  isImageReference
} from '../pure/validate.js'
import { images } from './images.js'
import { networkList } from './networks.js'

/** The filesystem holding `path`, from one statfs (no process, well under a millisecond). */
export function storeFilesystem(path: string): FilesystemUsage {
  return filesystemUsage(path, statfsSync(path))
}

/**
 * The address of a BuildKit on this machine that the store's cache may be
 * pruned on: the given one when it is a unix socket (a tcp:// or other host
 * may be another machine's, whose cache is not ours to judge); unset, where
 * nerdctl itself looks (`/run/buildkit-NAMESPACE/`, then `/run/buildkit/`),
 * when that socket exists.
 */
export function localBuildkit(
  address: string | undefined,
  namespace = 'default',
  exists: (path: string) => boolean = existsSync
): string | undefined {
  if (address !== undefined) return address.startsWith('unix://') ? address : undefined
  for (const dir of [`/run/buildkit-${namespace}`, '/run/buildkit']) {
    const sock = `${dir}/buildkitd.sock`
    if (exists(sock)) return `unix://${sock}`
  }
  return undefined
}

export interface DiskOptions extends CallOptions {
  /** The filesystem to measure: a path on it (containerd's root). */
  path?: string | undefined
  /** A local BuildKit whose cache counts (see localBuildkit); unset leaves it out. */
  buildkitAddress?: string | undefined
  /** buildctl's path; default found once on PATH. */
  buildctl?: string | undefined
}

let buildctlPath: string | undefined
function buildctlOf(options: DiskOptions): string {
  if (options.buildctl) return options.buildctl
  buildctlPath ??= findProgram('buildctl') ?? 'buildctl'
  return buildctlPath
}

/** `buildctl --addr A ARGS`, through sudo when the client uses it (BuildKit's socket is root's). */
async function buildctl(args: string[], options: DiskOptions): Promise<string> {
  const address = options.buildkitAddress as string
  const r = await tool([buildctlOf(options), '--addr', address, ...args], options, {
    privileged: true,
    maxOutputBytes: 16 * 1024 * 1024
  })
  return r.stdout
}

/** Every item of the store in the client's namespace, with what uses what. */
async function storeItems(options: DiskOptions): Promise<StoreItem[]> {
  const [imageRows, ps, volumes, networks, cache] = await Promise.all([
    images(options),
    nerdctl(['ps', '--all', '--no-trunc', '--size', '--format', '{{json .}}'], options),
    nerdctl(['volume', 'ls', '--size', '--format', '{{json .}}'], options),
    networkList(options),
    options.buildkitAddress
      ? buildctl(['du', '--format', '{{json .}}'], options).then(parseBuildCache)
      : Promise.resolve([])
  ])
  const psLines = parseJsonLines(ps.stdout, 'ps output')
  const sizes = containerSizes(psLines)
  const ids = [...sizes.keys()].filter(id => /^[0-9a-f]{12,64}$/.test(id))
  // One inspect of every container: labels, state, image and mounts at once.
  const inspected =
    ids.length === 0
      ? []
      : parseJsonArray(
          (await nerdctl(['container', 'inspect', ...ids], options, { allowFailure: true }))
            .stdout || '[]',
          'container inspect output'
        )
  const uses = inspected.map(containerUses)
  const mounted = new Map<string, string[]>()
  for (const u of uses) for (const v of u.volumes) mounted.set(v, [...(mounted.get(v) ?? []), u.id])
  // Image config labels (the keep label): one inspect of one name of every image.
  const names = new Map<string, string>()
  for (const i of imageRows) if (i.name && !names.has(i.id)) names.set(i.id, i.name)
  let labelsById = new Map<string, Record<string, string>>()
  const named = [...names.values()].filter(isImageReference)
  if (named.length > 0) {
    const r = await nerdctl(['image', 'inspect', ...named], options, { allowFailure: true })
    labelsById = imageLabels(parseJsonArray(r.stdout || '[]', 'image inspect output'))
  }
  return [
    ...cache,
    ...imageItems(
      imageRows,
      uses.map(u => u.image),
      labelsById
    ),
    ...inspected.map(c => containerItem(c, sizes)),
    ...networks
      .filter(n => Object.keys(n.labels).length > 0)
      .map(n => networkItem(n.name, n.labels)),
    ...parseJsonLines(volumes.stdout, 'volume ls output').map(v => volumeItem(v, mounted))
  ]
}

/**
 * What the store uses: the filesystem (when `path` is given), and images,
 * containers, volumes and, with a local BuildKit, build cache, as nerdctl and
 * BuildKit account for them (images by nerdctl's unpacked size; layers two
 * images share count for both).
 */
export async function diskUsage(options: DiskOptions = {}): Promise<DiskUsage> {
  const items = await storeItems(options)
  const fs = options.path ? storeFilesystem(options.path) : undefined
  return usageOf(items, fs, options.buildkitAddress !== undefined)
}

/** Removes one item; throws nerdctl's refusal. */
async function removeItem(item: StoreItem, options: DiskOptions): Promise<void> {
  switch (item.kind) {
    case 'image':
      // Every name (one would free nothing), never forced: nerdctl refuses a name a container uses.
      for (const name of item.ref.split(',')) {
        checkImageReference(name)
        await nerdctl(['rmi', name], options)
      }
      return
    case 'container':
      // Not forced: a container started meanwhile stays.
      checkContainerRef(item.ref)
      await nerdctl(['rm', '--volumes', item.ref], options)
      return
    case 'network':
      if (!CONTAINER_NAME.test(item.ref)) throw new Error(`${item.ref} is not a network name`)
      await nerdctl(['network', 'rm', item.ref], options)
      return
    case 'volume':
      if (!CONTAINER_NAME.test(item.ref)) throw new Error(`${item.ref} is not a volume name`)
      await nerdctl(['volume', 'rm', item.ref], options)
      return
    case 'build-cache':
      throw new Error('build cache is pruned by BuildKit, not record by record')
  }
}

/**
 * Removes what `policy` lets go, stage by stage (build cache down to the
 * keep size, then cache and images older than the age, then stopped
 * containers and networks, then volumes, of makers certainly gone), and stops
 * as soon as the filesystem is within the budget. In a dry run nothing is
 * removed and the budget is judged on the estimated sizes. Callers that may
 * run at once on one machine take a machine-wide lock first (`machineLock`).
 */
export async function prune(policy: PrunePolicy, options: DiskOptions = {}): Promise<PruneResult> {
  const now = policy.now ?? Date.now()
  const dryRun = policy.dryRun === true
  const withCache: DiskOptions = {
    ...options,
    path: policy.budget?.path ?? options.path,
    buildkitAddress: policy.buildkitAddress
  }
  const before = await diskUsage(withCache)
  const removed: StoreItem[] = []
  const failed: { item: StoreItem; reason: string }[] = []
  let estimate = before.filesystem?.usedBytes ?? 0
  /** The filesystem's use now: measured, or in a dry run estimated. */
  const used = (): number => {
    if (dryRun || !policy.budget) return estimate
    try {
      return storeFilesystem(policy.budget.path).usedBytes
    } catch {
      return estimate
    }
  }
  const within = (): boolean => {
    const b = policy.budget
    if (!b || !before.filesystem) return false
    return used() <= budgetBytes(before.filesystem, b.budget)
  }
  const gone = (item: StoreItem): void => {
    removed.push(item)
    estimate -= item.sizeBytes
  }

  for (const planned of prunePlan(before.items, policy, now)) {
    const { stage } = planned
    // Volumes are judged again: one whose containers this prune removed is free now.
    const items =
      stage === 'volumes'
        ? (prunePlan(afterRemoval(before.items, removed), policy, now).find(
            s => s.stage === 'volumes'
          )?.items ?? [])
        : planned.items
    if (within()) break
    if (items.length === 0) continue
    if (stage === 'cache-keep' || stage === 'cache-old') {
      if (!policy.buildkitAddress) continue
      if (dryRun) {
        items.forEach(gone)
        continue
      }
      const args =
        stage === 'cache-keep'
          ? ['prune', '--keep-storage', String((policy.buildCacheKeepBytes ?? 0) / 1e6)]
          : ['prune', '--keep-duration', formatDuration(policy.olderThanMs)]
      try {
        await buildctl(args, withCache)
        // What went is what `du` no longer lists.
        const left = new Set(
          parseBuildCache(await buildctl(['du', '--format', '{{json .}}'], withCache)).map(
            r => r.ref
          )
        )
        for (const r of before.items)
          if (r.kind === 'build-cache' && !left.has(r.ref) && !removed.includes(r)) gone(r)
      } catch (e: unknown) {
        failed.push({ item: items[0] as StoreItem, reason: errorMessage(e) })
      }
      continue
    }
    for (const item of items) {
      if (within()) break
      if (dryRun) {
        gone(item)
        continue
      }
      try {
        await removeItem(item, options)
        gone(item)
      } catch (e: unknown) {
        failed.push({ item, reason: errorMessage(e) })
      }
    }
  }

  let after: DiskUsage
  if (dryRun) {
    const left = before.items.filter(i => !removed.some(r => r.kind === i.kind && r.ref === i.ref))
    const fs = before.filesystem && { ...before.filesystem, usedBytes: estimate }
    after = usageOf(left, fs, before.buildCache !== undefined)
  } else if (removed.length === 0) after = before
  else after = await diskUsage(withCache)
  const withinBudget =
    !policy.budget || !after.filesystem
      ? true
      : after.filesystem.usedBytes <= budgetBytes(after.filesystem, policy.budget.budget)
  return { dryRun, before, after, removed, failed, withinBudget }
}
