// The listings nerdctl prints as JSON lines (`images`, `ps`) and
// `image inspect`, as typed objects.
import type { ContainerSummary, Image, ImageDetails, NetworkSummary } from '../base/types.js'
import { arr, str, type JsonObject } from './json.js'
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
