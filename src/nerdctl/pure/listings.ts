// The listings nerdctl prints as JSON lines (`images`, `ps`) and
// `image inspect`, as typed objects.
import type { BuildMetadata, ContainerSummary, Image, ImageDetails } from '../base/types.js'
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
