// The listings nerdctl prints as JSON lines (`images`, `ps`) and
// `image inspect`, as typed objects.
import type {
  BuildMetadata,
  ContainerSummary,
  Image,
  ImageDetails,
  NetworkSummary
} from '../base/types.js'
import { arr, num, obj, str, type JsonObject } from './json.js'
import { parseSize } from './units.js'

/** One line of `nerdctl images --format '{{json .}}'`. */
export function toImage(i: JsonObject): Image {
  const size = str(i, 'Size')
  return {
    id: str(i, 'ID'),
    repository: str(i, 'Repository'),
    tag: str(i, 'Tag'),
    name: str(i, 'Name'),
    digest: str(i, 'Digest'),
    size,
    sizeBytes: sizeOrZero(size),
    blobSize: str(i, 'BlobSize'),
    created: str(i, 'CreatedAt'),
    platform: str(i, 'Platform')
  }
}

/** One line of `nerdctl ps --format '{{json .}}'`. */
export function toContainerSummary(c: JsonObject): ContainerSummary {
  return {
    id: str(c, 'ID'),
    name: str(c, 'Names'),
    image: str(c, 'Image'),
    command: str(c, 'Command'),
    created: str(c, 'CreatedAt'),
    status: str(c, 'Status'),
    ports: str(c, 'Ports'),
    platform: str(c, 'Platform')
  }
}

/** One image of `nerdctl image inspect` output. */
export function toImageDetails(i: JsonObject): ImageDetails {
  const strings = (key: string): string[] =>
    arr(i, key).filter((v): v is string => typeof v === 'string')
  return {
    id: str(i, 'Id') || str(i, 'ID'),
    repoTags: strings('RepoTags'),
    repoDigests: strings('RepoDigests'),
    created: str(i, 'Created'),
    architecture: str(i, 'Architecture'),
    os: str(i, 'Os'),
    size: typeof i.Size === 'number' ? i.Size : 0
  }
}

/**
 * The size column is for people; an image whose size nerdctl cannot compute
 * (a missing blob, a format it does not know) must not make listing fail.
 */
function sizeOrZero(text: string): number {
  try {
    return text ? parseSize(text) : 0
  } catch {
    return 0
  }
}

/** `k=v,k2=v2` as `network ls` prints labels (a value may hold "=", not ","). */
export function parseLabelList(text: string): Record<string, string> {
  const labels: Record<string, string> = {}
  for (const part of text.split(',')) {
    if (!part) continue
    const eq = part.indexOf('=')
    if (eq < 0) labels[part] = ''
    else labels[part.slice(0, eq)] = part.slice(eq + 1)
  }
  return labels
}

/** One line of `nerdctl network ls --format '{{json .}}'`. */
export function toNetworkSummary(n: JsonObject): NetworkSummary {
  return { id: str(n, 'ID'), name: str(n, 'Name'), labels: parseLabelList(str(n, 'Labels')) }
}

/** The subnets of each network in `nerdctl network inspect` output, by name. */
export function networkSubnets(inspected: readonly JsonObject[]): Map<string, string[]> {
  const subnets = new Map<string, string[]>()
  for (const n of inspected) {
    const ipam = n.IPAM
    const config =
      ipam && typeof ipam === 'object' && !Array.isArray(ipam) ? arr(ipam, 'Config') : []
    subnets.set(
      str(n, 'Name'),
      config
        .flatMap(c => (c && typeof c === 'object' && !Array.isArray(c) ? [str(c, 'Subnet')] : []))
        .filter(Boolean)
    )
  }
  return subnets
}

/**
 * A /24 in 10.4.128.0-10.4.254.0 that none of `taken` holds, picked at random
 * from `random` (0 <= random < 1). nerdctl hands out 10.4.N.0/24 from N = 1 up,
 * and two `network create` at once get the same one; a random pick from the
 * upper half, checked after creation, keeps concurrent environments apart.
 */
export function pickSubnet(taken: ReadonlySet<string>, random: number): string | undefined {
  const free: string[] = []
  for (let n = 128; n <= 254; n++) {
    const s = `10.4.${n}.0/24`
    if (!taken.has(s)) free.push(s)
  }
  return free[Math.floor(random * free.length)]
}

/**
 * buildx's metadata fields from one `image inspect --mode=native` entry: the
 * image's target descriptor is what BuildKit reports as
 * `containerimage.descriptor`, with the config digest among its annotations
 * when the target is a single manifest.
 */
export function toBuildMetadata(
  entry: JsonObject | undefined,
  tags: readonly string[]
): BuildMetadata | undefined {
  const target = obj(obj(entry, 'Image'), 'Target')
  const digest = str(target, 'digest')
  if (!target || !digest) return undefined
  const annotations: Record<string, string> = {}
  for (const [k, v] of Object.entries(obj(target, 'annotations') ?? {}))
    if (typeof v === 'string') annotations[k] = v
  const config =
    annotations['config.digest'] ??
    (str(target, 'mediaType').includes('manifest')
      ? str(obj(obj(entry, 'Manifest'), 'config'), 'digest')
      : '')
  return {
    'containerimage.digest': digest,
    ...(config ? { 'containerimage.config.digest': config } : {}),
    'containerimage.descriptor': {
      mediaType: str(target, 'mediaType'),
      digest,
      size: num(target, 'size') ?? 0,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {})
    },
    'image.name': tags.join(',')
  }
}

/** An IPv4 address as a number, or undefined when it is not one. */
function ipv4(text: string): number | undefined {
  const parts = text.split('.')
  if (parts.length !== 4 || !parts.every(p => /^\d{1,3}$/.test(p) && Number(p) < 256))
    return undefined
  return parts.reduce((n, p) => n * 256 + Number(p), 0)
}

/**
 * Whether `ip` is on the IPv4 network of an interface with `address` and
 * `netmask` (as os.networkInterfaces() gives them): a host on it is reached
 * directly, never through a gateway.
 */
export function onSubnet(ip: string, address: string, netmask: string): boolean {
  const [a, b, m] = [ipv4(ip), ipv4(address), ipv4(netmask)]
  if (a === undefined || b === undefined || m === undefined) return false
  // Unsigned 32-bit AND: `&` on numbers past 2^31 would go negative.
  return (a & m) >>> 0 === (b & m) >>> 0
}
