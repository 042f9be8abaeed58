// Manifests and indexes, without I/O: what nerdctl's `manifest` commands
// print, the digests file a build pushed by digest leaves, and the one index
// that merges several such builds (every platform's image manifest and
// attestation manifests, their descriptors kept byte for byte in meaning:
// platform and annotations as each build's index had them).
import { NerdctlError, invalidValue } from '../base/errors.js'
import { showValue } from '../base/text.js'
import type {
  DigestsFile,
  ImageIndex,
  ManifestDescriptor,
  ManifestDocument,
  ManifestPlatform,
  ManifestPushResult
} from '../base/types.js'
import { isImageReference } from './validate.js'

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const INDEX_TYPES = new Set([
  OCI_INDEX,
  'application/vnd.docker.distribution.manifest.list.v2+json'
])
const MANIFEST_TYPES = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json'
])
const DIGEST = /^sha256:[0-9a-f]{64}$/
/** What BuildKit marks an attestation manifest with, in its build's index. */
const REFERENCE_TYPE = 'vnd.docker.reference.type'

/** The repository of `HOST/NAME[:TAG][@DIGEST]`: tag and digest dropped. */
export function repositoryOf(reference: string): string {
  if (!isImageReference(reference))
    throw invalidValue('reference', `${showValue(reference)} is not an image reference`)
  const name = reference.split('@', 1)[0] as string
  const colon = name.lastIndexOf(':')
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name
}

/** `REPO@sha256:…`, checked: the one form a merge entry and a digests file name. */
export function splitDigestReference(reference: string): { repository: string; digest: string } {
  const at = reference.lastIndexOf('@')
  const digest = at > 0 ? reference.slice(at + 1) : ''
  if (!DIGEST.test(digest) || !isImageReference(reference))
    throw invalidValue(
      'merge',
      `${showValue(reference)} is not REPOSITORY@sha256:DIGEST, e.g. "127.0.0.1:5000/app@sha256:…" (64 hex digits)`
    )
  return { repository: repositoryOf(reference), digest }
}

/** "os/arch[/variant]" as nerdctl and BuildKit spell a platform. */
export function platformString(p: ManifestPlatform | undefined): string {
  return p ? [p.os, p.architecture, ...(p.variant ? [p.variant] : [])].join('/') : ''
}

export function parsePlatform(value: string): ManifestPlatform {
  const parts = value.trim().split('/')
  const [os = '', architecture = '', variant] = parts
  if (parts.length < 2 || parts.length > 3 || !os || !architecture || variant === '')
    throw invalidValue('platform', `${showValue(value)} is not os/arch[/variant], e.g. linux/amd64`)
  return { os, architecture, ...(variant ? { variant } : {}) }
}

/**
 * The output a build pushed by digest uses: BuildKit's image exporter pushes
 * the image to the repository with no tag and names it only by digest.
 * nerdctl adds `dangling-name-prefix=<none>` when it has no tag, which would
 * make BuildKit push `<none>@sha256:…` too; `danging-name-empty-only` (sic,
 * BuildKit's spelling) keeps that name for builds without one. `store=false`
 * leaves nothing in this runner's image store.
 */
export function pushByDigestOutput(repository: string): string {
  if (repositoryOf(repository) !== repository)
    throw invalidValue('repository', `${showValue(repository)} has a tag or digest`)
  return `type=image,name=${repository},push-by-digest=true,name-canonical=true,push=true,danging-name-empty-only=true,store=false`
}

/** The digests file's name for a platform: one per matrix leg, e.g. digests-linux-arm64-v8.json. */
export function digestsFileName(platform: string): string {
  return `digests-${platformString(parsePlatform(platform)).replace(/\//g, '-')}.json`
}

export function formatDigestsFile(file: DigestsFile): string {
  return `${JSON.stringify({ repository: file.repository, digest: file.digest, platform: file.platform }, null, 2)}\n`
}

/** A digests file, checked; `where` names it in the error. */
export function parseDigestsFile(text: string, where: string): DigestsFile {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    doc = undefined
  }
  const o = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>
  const { repository, digest, platform } = o
  if (typeof repository !== 'string' || typeof digest !== 'string' || typeof platform !== 'string')
    throw invalidValue(
      'merge',
      `${where} is not a digests file: it needs "repository", "digest" and "platform" (written by a build with push-by-digest)`
    )
  splitDigestReference(`${repository}@${digest}`)
  parsePlatform(platform)
  return { repository, digest, platform }
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined
}

function stringMap(v: unknown): Record<string, string> | undefined {
  const o = obj(v)
  if (!o) return undefined
  const out: Record<string, string> = {}
  for (const [k, x] of Object.entries(o)) if (typeof x === 'string') out[k] = x
  return out
}

function descriptorOf(v: unknown, what: string): ManifestDescriptor {
  const d = obj(v)
  if (
    !d ||
    typeof d.mediaType !== 'string' ||
    typeof d.digest !== 'string' ||
    typeof d.size !== 'number'
  )
    throw new NerdctlError('JsonParseError', `${what} has an entry that is not a descriptor`, {
      text: JSON.stringify(v)
    })
  // Every field is kept (urls, artifactType, data, …): the merged index
  // describes each manifest exactly as the build's own index did.
  return { ...d, mediaType: d.mediaType, digest: d.digest, size: d.size } as ManifestDescriptor
}

/** A manifest or index as a registry serves it (`crane manifest`, `nerdctl manifest inspect`). */
export function parseManifestDocument(text: string, what: string): ManifestDocument {
  let doc: Record<string, unknown> | undefined
  try {
    doc = obj(JSON.parse(text))
  } catch {
    doc = undefined
  }
  if (!doc) throw new NerdctlError('JsonParseError', `${what} is not a JSON object`, { text })
  const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : ''
  if (Array.isArray(doc.manifests) || INDEX_TYPES.has(mediaType)) {
    const manifests = (Array.isArray(doc.manifests) ? doc.manifests : []).map(m =>
      descriptorOf(m, what)
    )
    const annotations = stringMap(doc.annotations)
    return {
      kind: 'index',
      mediaType: mediaType || OCI_INDEX,
      manifests,
      ...(annotations ? { annotations } : {})
    }
  }
  if (obj(doc.config) || MANIFEST_TYPES.has(mediaType)) {
    const config = obj(doc.config)
    return {
      kind: 'manifest',
      mediaType,
      configDigest: typeof config?.digest === 'string' ? config.digest : '',
      layers: Array.isArray(doc.layers) ? doc.layers.length : 0
    }
  }
  throw new NerdctlError('JsonParseError', `${what} is neither a manifest nor an index`, { text })
}

/** `nerdctl manifest inspect --verbose`: one entry per manifest, with its descriptor. */
export function parseManifestInspectVerbose(
  text: string
): { ref: string; descriptor: ManifestDescriptor }[] {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw new NerdctlError('JsonParseError', 'manifest inspect output is not JSON', { text })
  }
  const list = Array.isArray(doc) ? doc : [doc]
  return list.map(e => {
    const o = obj(e) ?? {}
    return {
      ref: typeof o.Ref === 'string' ? o.Ref : '',
      descriptor: descriptorOf(o.Descriptor, 'manifest inspect output')
    }
  })
}

/** The list `nerdctl manifest create` made ("Created manifest list NAME"). */
export function parseManifestCreate(stdout: string): string | undefined {
  return /^Created manifest list (\S+)/m.exec(stdout)?.[1]
}

/**
 * What `nerdctl manifest push` printed: a "Pushed ref REF with digest: D" line
 * per entry it pushed first, then the list's own digest alone on the last line.
 */
export function parseManifestPush(stdout: string): ManifestPushResult {
  const entries = [
    ...stdout.matchAll(/^Pushed ref (\S+) with digest: (sha256:[0-9a-f]{64})$/gm)
  ].map(m => ({ reference: m[1] as string, digest: m[2] as string }))
  const last = stdout.trim().split('\n').pop()?.trim() ?? ''
  return { entries, digest: DIGEST.test(last) ? last : undefined }
}

/**
 * Index-level annotations from `KEY=VALUE` or `index:KEY=VALUE` lines (the
 * form buildx's `imagetools create --annotation` takes); any other level
 * describes one build's manifests, which a merge does not rewrite.
 */
export function indexAnnotations(lines: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of lines) {
    const rest = line.startsWith('index:') ? line.slice('index:'.length) : line
    const eq = rest.indexOf('=')
    const key = eq > 0 ? rest.slice(0, eq) : ''
    if (/^(manifest|manifest-descriptor|index-descriptor)(\[[^\]]*\])?:/.test(line))
      throw invalidValue(
        'annotations',
        `annotation ${showValue(line)} is for one build's manifests; a merge sets only the index's: give KEY=VALUE or index:KEY=VALUE`
      )
    if (!/^[A-Za-z0-9][A-Za-z0-9_.\-/]*$/.test(key) || /[\n\r]/.test(rest))
      throw invalidValue(
        'annotations',
        `annotation ${showValue(line)} is not KEY=VALUE (optionally "index:" first), e.g. "org.opencontainers.image.description=My app"`
      )
    out[key] = rest.slice(eq + 1)
  }
  return out
}

/** One input of a merge, read from the registry. */
export interface MergeInput {
  /** `REPO@sha256:…`, as the user or the digests file named it. */
  reference: string
  /** Where it came from (a digests file's path), for messages. */
  origin?: string | undefined
  /** The manifest or index the registry serves for it. */
  document: ManifestDocument
  /** Its size in bytes, for a lone manifest's descriptor. */
  size: number
  /** A lone manifest's platform (from its config or the digests file). */
  platform?: ManifestPlatform | undefined
}

const isAttestation = (d: ManifestDescriptor): boolean =>
  d.annotations?.[REFERENCE_TYPE] !== undefined

/**
 * The merged index: each input's manifests in input order (an index's
 * descriptors as they are, a lone manifest as a descriptor with its
 * platform), with `annotations` at index level. Refuses two image manifests
 * of one platform, naming both references, and an image manifest without a
 * platform. The same manifest given twice is kept once.
 */
export function mergeIndex(
  inputs: readonly MergeInput[],
  annotations: Readonly<Record<string, string>> = {}
): ImageIndex {
  const manifests: ManifestDescriptor[] = []
  const seen = new Set<string>()
  const platforms = new Map<string, string>()
  const name = (i: MergeInput): string =>
    i.origin ? `${i.reference} (from ${i.origin})` : i.reference
  for (const input of inputs) {
    const descriptors: ManifestDescriptor[] =
      input.document.kind === 'index'
        ? input.document.manifests
        : [
            {
              mediaType: input.document.mediaType,
              digest: splitDigestReference(input.reference).digest,
              size: input.size,
              ...(input.platform ? { platform: input.platform } : {})
            }
          ]
    for (const d of descriptors) {
      if (seen.has(d.digest)) continue
      seen.add(d.digest)
      if (!isAttestation(d) && !INDEX_TYPES.has(d.mediaType)) {
        const p = platformString(d.platform)
        if (!p)
          throw invalidValue(
            'merge',
            `${name(input)}: manifest ${d.digest} has no platform: build with "platforms" set, or push by digest, which records it`
          )
        const other = platforms.get(p)
        if (other !== undefined)
          throw invalidValue(
            'merge',
            `${name(input)} and ${other} both hold an image for ${p}: an index has one image per platform; merge one build per platform`
          )
        platforms.set(p, name(input))
      }
      manifests.push(d)
    }
  }
  if (manifests.length === 0)
    throw invalidValue('merge', 'nothing to merge: give at least one digest')
  return {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests,
    ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {})
  }
}

/** The bytes pushed for an index; their sha256 is the digest the registry serves. */
export function indexBytes(index: ImageIndex): string {
  return JSON.stringify(index)
}
