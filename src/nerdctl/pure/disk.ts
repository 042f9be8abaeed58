// The disk budget and the prune policy, without I/O: what a budget text means,
// whether a filesystem is over it, the store's items from nerdctl's and
// BuildKit's own listings (nerdctl has no `system df`), and which items a
// prune may remove, in which order. ops/disk.ts reads the listings and
// removes; everything it decides is decided here, where tests reach it.
import { NerdctlError } from '../base/errors.js'
import type {
  DiskBudget,
  DiskUsage,
  FilesystemUsage,
  Image,
  KeptReason,
  PrunePolicy,
  StoreItem,
  StoreItemKind,
  UsageTotal
} from '../base/types.js'
import { arr, bool, isObject, num, obj, str, type JsonObject } from './json.js'
import { parseSize } from './units.js'

/**
 * A budget as a person writes it: a size (`40GB`, `512MiB`, bytes without a
 * unit) or a percentage of the filesystem (`80%`).
 */
export function parseBudget(text: string): DiskBudget {
  const t = text.trim()
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(t)
  if (pct) {
    const percent = Number(pct[1])
    if (percent <= 0 || percent > 100)
      throw new NerdctlError(
        'ConversionError',
        `"${text}" is not a percentage between 0 and 100: give one such as 80%`,
        { text }
      )
    return { percent }
  }
  const bytes = parseSize(t)
  if (bytes <= 0)
    throw new NerdctlError(
      'ConversionError',
      `"${text}" is no space at all: give one such as 40GB`,
      {
        text
      }
    )
  return { bytes }
}

/** What `fs.statfs` says, as df counts it: used = size - free, available = what a user may still write. */
export function filesystemUsage(
  path: string,
  st: { bsize: number; blocks: number; bfree: number; bavail: number }
): FilesystemUsage {
  return {
    path,
    sizeBytes: st.blocks * st.bsize,
    usedBytes: (st.blocks - st.bfree) * st.bsize,
    availableBytes: st.bavail * st.bsize
  }
}

/** The most the filesystem may have in use under the budget, in bytes. */
export function budgetBytes(fs: FilesystemUsage, budget: DiskBudget): number {
  if ('bytes' in budget) return budget.bytes
  // df's Use%: used / (used + available); the root-reserved blocks count for neither.
  return Math.floor(((fs.usedBytes + fs.availableBytes) * budget.percent) / 100)
}

/** How far over the budget the filesystem is, in bytes (0 when within it). */
export function overBudgetBy(fs: FilesystemUsage, budget: DiskBudget): number {
  return Math.max(0, fs.usedBytes - budgetBytes(fs, budget))
}

/** A size for people, decimal as nerdctl prints sizes ("1.5 GB"). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB']
  let v = Math.max(0, bytes)
  let i = 0
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000
    i++
  }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`
}

/** `nerdctl images` prints "2024-01-02 03:04:05 +0000 UTC"; Date reads it without the zone name. */
export function parseNerdctlTime(text: string): number {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) ([+-]\d\d)(\d\d)/.exec(text.trim())
  if (m) return Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`)
  const t = Date.parse(text)
  return Number.isNaN(t) ? NaN : t
}

function sizeOf(text: string): number {
  // `volume ls --size` prints "5.0 B"; `ps --size` "12.3kB (virtual 4.5MB)".
  const first = text.split('(')[0]?.trim() ?? ''
  try {
    return first ? parseSize(first) : 0
  } catch {
    return 0
  }
}

function labelsOf(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {}
  if (typeof value === 'string') {
    for (const part of value.split(',')) {
      if (!part) continue
      const eq = part.indexOf('=')
      if (eq < 0) labels[part] = ''
      else labels[part.slice(0, eq)] = part.slice(eq + 1)
    }
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') labels[k] = v
  }
  return labels
}

/** The build cache records of `buildctl du --format '{{json .}}'` (one JSON array). */
export function parseBuildCache(text: string): StoreItem[] {
  const t = text.trim()
  if (!t || t === 'null') return []
  let parsed: unknown
  try {
    parsed = JSON.parse(t)
  } catch (e: unknown) {
    throw new NerdctlError('JsonParseError', 'buildctl du printed no JSON array', {
      text: t.slice(0, 200),
      cause: e
    })
  }
  if (!Array.isArray(parsed)) return []
  return parsed.filter(isObject).map(r => ({
    kind: 'build-cache' as const,
    ref: str(r, 'id'),
    name: str(r, 'description') || str(r, 'recordType') || str(r, 'id'),
    sizeBytes: num(r, 'size') ?? 0,
    time: Date.parse(str(r, 'lastUsedAt') || str(r, 'createdAt')),
    labels: {},
    inUse: bool(r, 'inUse')
  }))
}

/**
 * Each image's config labels from `image inspect`, by the digest `images`
 * shows as its ID (inspect's own Id is the config's digest; RepoDigests
 * carry the one `images` lists).
 */
export function imageLabels(inspected: readonly JsonObject[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>()
  for (const i of inspected) {
    const labels = labelsOf(obj(i, 'Config')?.Labels)
    for (const d of arr(i, 'RepoDigests'))
      if (typeof d === 'string' && d.includes('@')) out.set(d.slice(d.indexOf('@') + 1), labels)
  }
  return out
}

/**
 * The names a container's image field may match: the image's names, and
 * `repo@digest` forms (a container made from a digest reference).
 */
function imageKeys(image: Image): string[] {
  const keys = [image.name, image.id]
  if (image.repository && image.tag) keys.push(`${image.repository}:${image.tag}`)
  if (image.repository && image.digest) keys.push(`${image.repository}@${image.digest}`)
  if (image.digest) keys.push(image.digest)
  return keys.filter(Boolean)
}

/**
 * One item per image: rows that share a name (one containerd record, a row
 * per platform) or an ID (names of the same content: removing one name frees
 * nothing) are one image, with the newest record time of its names, in use
 * when any container's image field names any of its names or IDs. `labels`
 * are the image config's labels by ID, where known.
 */
export function imageItems(
  images: readonly Image[],
  containerImages: readonly string[],
  labelsById: ReadonlyMap<string, Record<string, string>> = new Map()
): StoreItem[] {
  const used = new Set(containerImages.filter(Boolean))
  // Union-find over rows, joined by name and by ID.
  const parent = images.map((_, i) => i)
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number
    return i
  }
  const seen = new Map<string, number>()
  images.forEach((img, i) => {
    // `NAME@DIGEST` (what an import or a pull by digest also records) is NAME's image.
    for (const key of [`n:${img.name.split('@')[0] ?? ''}`, `i:${img.id}`]) {
      if (key.length <= 2) continue
      const j = seen.get(key)
      if (j === undefined) seen.set(key, i)
      else parent[find(i)] = find(j)
    }
  })
  const byId = new Map<number, Image[]>()
  images.forEach((img, i) => byId.set(find(i), [...(byId.get(find(i)) ?? []), img]))
  const items: StoreItem[] = []
  for (const group of byId.values()) {
    const names = [...new Set(group.map(i => i.name).filter(Boolean))]
    const ids = [...new Set(group.map(i => i.id).filter(Boolean))]
    // People read the names without the NAME@DIGEST records beside them.
    const plain = names.filter(x => !x.includes('@'))
    items.push({
      kind: 'image',
      ref: names.join(','),
      name: (plain.length > 0 ? plain : names).join(', ') || ids.join(', '),
      // One platform row per image: the largest is what the store holds of it.
      sizeBytes: Math.max(0, ...group.map(i => i.sizeBytes)),
      time: Math.max(...group.map(i => parseNerdctlTime(i.created)).map(t => (isNaN(t) ? 0 : t))),
      labels: Object.assign({}, ...ids.map(id => labelsById.get(id) ?? {})) as Record<
        string,
        string
      >,
      inUse: group.some(i => imageKeys(i).some(k => used.has(k)))
    })
  }
  return items
}

/** One container of `container inspect`, with its size from `ps --size` by ID. */
export function containerItem(c: JsonObject, sizes: ReadonlyMap<string, number>): StoreItem {
  const id = str(c, 'Id') || str(c, 'ID')
  const state = obj(c, 'State')
  const status = str(state, 'Status')
  const running =
    bool(state, 'Running') ||
    bool(state, 'Paused') ||
    bool(state, 'Restarting') ||
    ['running', 'paused', 'restarting'].includes(status)
  return {
    kind: 'container',
    ref: id,
    name: str(c, 'Name') || id.slice(0, 12),
    sizeBytes: sizes.get(id) ?? 0,
    time: Date.parse(str(c, 'Created')),
    labels: labelsOf(obj(c, 'Config')?.Labels),
    inUse: running,
    running
  }
}

/** The image a container was made from and the named volumes it mounts (inspect). */
export function containerUses(c: JsonObject): { id: string; image: string; volumes: string[] } {
  const volumes: string[] = []
  for (const m of arr(c, 'Mounts'))
    if (isObject(m) && str(m, 'Type') === 'volume' && str(m, 'Name')) volumes.push(str(m, 'Name'))
  return {
    id: str(c, 'Id') || str(c, 'ID'),
    image: str(c, 'Image') || str(obj(c, 'Config'), 'Image'),
    volumes
  }
}

/** `ps --all --size --format '{{json .}}'` lines: each container's own size, by full ID. */
export function containerSizes(lines: readonly JsonObject[]): Map<string, number> {
  return new Map(lines.map(l => [str(l, 'ID'), sizeOf(str(l, 'Size'))]))
}

/** One line of `volume ls --size --format '{{json .}}'`. */
export function volumeItem(v: JsonObject, mounted: ReadonlyMap<string, string[]>): StoreItem {
  const name = str(v, 'Name')
  const usedBy = mounted.get(name) ?? []
  return {
    kind: 'volume',
    ref: name,
    name,
    sizeBytes: sizeOf(str(v, 'Size')),
    time: NaN,
    labels: labelsOf(v.Labels),
    inUse: usedBy.length > 0,
    usedBy
  }
}

/**
 * The items as they are once `removed` went: a volume mounted only by
 * removed containers is free (the volumes stage comes after the containers').
 */
export function afterRemoval(
  items: readonly StoreItem[],
  removed: readonly StoreItem[]
): StoreItem[] {
  const gone = new Set(removed.filter(i => i.kind === 'container').map(i => i.ref))
  return items.map(i =>
    i.kind === 'volume' && i.inUse && (i.usedBy ?? []).every(id => gone.has(id))
      ? { ...i, inUse: false }
      : i
  )
}

/** One network of `network ls` (no size: it is pruned for its name, after its containers). */
export function networkItem(name: string, labels: Record<string, string>): StoreItem {
  return { kind: 'network', ref: name, name, sizeBytes: 0, time: NaN, labels, inUse: false }
}

function total(items: readonly StoreItem[], kind: StoreItemKind): UsageTotal {
  const of = items.filter(i => i.kind === kind)
  return { count: of.length, bytes: of.reduce((n, i) => n + i.sizeBytes, 0) }
}

/** The totals of a set of items. */
export function usageOf(
  items: StoreItem[],
  filesystem: FilesystemUsage | undefined,
  withBuildCache: boolean
): DiskUsage {
  return {
    filesystem,
    images: total(items, 'image'),
    containers: total(items, 'container'),
    volumes: total(items, 'volume'),
    buildCache: withBuildCache ? total(items, 'build-cache') : undefined,
    items
  }
}

/**
 * Why an item must stay, or undefined when the policy lets it go. The keep
 * label and use come first; then images and cache by age, and containers,
 * networks and volumes only when their maker is certainly gone (which also
 * means: made by the caller's kind, since only their labels name a maker).
 */
export function keptBecause(
  item: StoreItem,
  policy: Pick<PrunePolicy, 'keepLabel' | 'creatorGone' | 'olderThanMs'>,
  now: number
): KeptReason | undefined {
  const [key, value] = policy.keepLabel
  if (item.labels[key] === value) return 'keep-label'
  if (item.running) return 'running'
  if (item.inUse) return 'in-use'
  switch (item.kind) {
    case 'image':
    case 'build-cache':
      // An unknown time is never old enough.
      return item.time <= now - policy.olderThanMs ? undefined : 'too-recent'
    default:
      if (Object.keys(item.labels).length === 0) return 'not-ours'
      return policy.creatorGone(item.labels) ? undefined : 'creator-alive'
  }
}

/**
 * The cache records a prune down to `keepBytes` removes: not in use, least
 * recently used first, until the total is within it (BuildKit's own order
 * for `--keep-storage`); a dry run shows these.
 */
export function cacheOverKeep(records: readonly StoreItem[], keepBytes: number): StoreItem[] {
  let size = records.reduce((n, r) => n + r.sizeBytes, 0)
  const out: StoreItem[] = []
  const oldest = records.filter(r => !r.inUse).sort((a, b) => (a.time || 0) - (b.time || 0))
  for (const r of oldest) {
    if (size <= keepBytes) break
    out.push(r)
    size -= r.sizeBytes
  }
  return out
}

/** The stages of a prune, in the order they run; each may end the prune once within budget. */
export type PruneStage = 'cache-keep' | 'cache-old' | 'images' | 'containers' | 'volumes'

/**
 * The eligible items of each stage, in removal order: cache (down to the keep
 * size, then older than the age), images no container uses oldest first,
 * stopped containers of gone makers then their networks, then their volumes.
 */
export function prunePlan(
  items: readonly StoreItem[],
  policy: Pick<PrunePolicy, 'keepLabel' | 'creatorGone' | 'olderThanMs' | 'buildCacheKeepBytes'>,
  now: number
): { stage: PruneStage; items: StoreItem[] }[] {
  const ok = (i: StoreItem): boolean => keptBecause(i, policy, now) === undefined
  const oldestFirst = (a: StoreItem, b: StoreItem): number => (a.time || 0) - (b.time || 0)
  const cache = items.filter(i => i.kind === 'build-cache')
  const keep =
    policy.buildCacheKeepBytes === undefined ? [] : cacheOverKeep(cache, policy.buildCacheKeepBytes)
  const kept = new Set(keep)
  return [
    { stage: 'cache-keep', items: keep },
    { stage: 'cache-old', items: cache.filter(i => !kept.has(i) && ok(i)).sort(oldestFirst) },
    { stage: 'images', items: items.filter(i => i.kind === 'image' && ok(i)).sort(oldestFirst) },
    {
      stage: 'containers',
      items: [
        ...items.filter(i => i.kind === 'container' && ok(i)),
        ...items.filter(i => i.kind === 'network' && ok(i))
      ]
    },
    { stage: 'volumes', items: items.filter(i => i.kind === 'volume' && ok(i)) }
  ]
}

/** The biggest items, for the warning when nothing more may go. */
export function biggest(items: readonly StoreItem[], n = 5): StoreItem[] {
  return [...items]
    .filter(i => i.sizeBytes > 0)
    .sort((a, b) => b.sizeBytes - a.sizeBytes)
    .slice(0, n)
}
