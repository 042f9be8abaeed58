// Reads what a loopback registry really holds, through its HTTP API rather than
// nerdctl, so a test can check nerdctl's pushes against an independent witness.
import { createHash } from 'node:crypto'

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json'
} as const

export interface Platform {
  os: string
  architecture: string
  variant?: string
}

export interface ManifestEntry {
  digest: string
  mediaType: string
  platform: Platform | undefined
}

export interface RegistryManifest {
  /** The registry's Docker-Content-Digest: what a client pulling by tag resolves to. */
  digest: string
  mediaType: string
  /** An index's or manifest list's entries; empty for a single manifest. */
  manifests: ManifestEntry[]
}

export interface Credentials {
  username: string
  password: string
}

/** host, repository and tag-or-digest of `host[:port]/repo[:tag|@digest]`. */
export function splitReference(reference: string): { host: string; repo: string; ref: string } {
  const slash = reference.indexOf('/')
  if (slash < 0) throw new Error(`${reference}: a registry host is required`)
  const host = reference.slice(0, slash)
  const rest = reference.slice(slash + 1)
  const at = rest.indexOf('@')
  if (at >= 0) return { host, repo: rest.slice(0, at), ref: rest.slice(at + 1) }
  // The tag's colon is the one after the last slash; a port's is in the host.
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    return { host, repo: rest.slice(0, colon), ref: rest.slice(colon + 1) }
  }
  return { host, repo: rest, ref: 'latest' }
}

function platformOf(value: unknown): Platform | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const p = value as Record<string, unknown>
  if (typeof p.os !== 'string' || typeof p.architecture !== 'string') return undefined
  return {
    os: p.os,
    architecture: p.architecture,
    ...(typeof p.variant === 'string' ? { variant: p.variant } : {})
  }
}

/** "os/arch[/variant]", the way nerdctl and BuildKit spell platforms. */
export function platformString(p: Platform | undefined): string {
  if (!p) return ''
  return [p.os, p.architecture, ...(p.variant ? [p.variant] : [])].join('/')
}

/**
 * `GET /v2/<repo>/manifests/<ref>` on a plain-HTTP registry, accepting every
 * manifest kind so the registry answers with what it stores instead of
 * converting or refusing. Throws on any non-2xx answer (404 for a missing tag,
 * 401 without valid credentials on the auth registry).
 */
export async function readManifest(
  reference: string,
  options: { auth?: Credentials; timeoutMs?: number } = {}
): Promise<RegistryManifest> {
  const { host, repo, ref } = splitReference(reference)
  const headers: Record<string, string> = { Accept: Object.values(MEDIA_TYPES).join(', ') }
  if (options.auth) {
    const token = Buffer.from(`${options.auth.username}:${options.auth.password}`).toString(
      'base64'
    )
    headers.Authorization = `Basic ${token}`
  }
  const url = `http://${host}/v2/${repo}/manifests/${ref}`
  const res = await fetch(url, {
    headers,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10000)
  })
  const body = Buffer.from(await res.arrayBuffer())
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${body.toString('utf8')}`)
  // The header is what clients resolve a tag to; a body that hashes to
  // something else would mean the helper read the wrong thing.
  const digest = res.headers.get('docker-content-digest') ?? ''
  const bodyDigest = `sha256:${createHash('sha256').update(body).digest('hex')}`
  if (digest !== bodyDigest) {
    throw new Error(`GET ${url}: Docker-Content-Digest "${digest}" but the body is ${bodyDigest}`)
  }
  const doc = JSON.parse(body.toString('utf8')) as Record<string, unknown>
  const mediaType =
    typeof doc.mediaType === 'string'
      ? doc.mediaType
      : (res.headers.get('content-type') ?? '').split(';')[0]!.trim()
  const entries = Array.isArray(doc.manifests) ? (doc.manifests as unknown[]) : []
  const manifests = entries.map((e): ManifestEntry => {
    const m = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>
    return {
      digest: typeof m.digest === 'string' ? m.digest : '',
      mediaType: typeof m.mediaType === 'string' ? m.mediaType : '',
      platform: platformOf(m.platform)
    }
  })
  return { digest, mediaType, manifests }
}

/** GET with every manifest kind accepted; the raw body and its media type. */
async function getRaw(url: string): Promise<{ body: Buffer; mediaType: string }> {
  const res = await fetch(url, {
    headers: { Accept: Object.values(MEDIA_TYPES).join(', ') },
    signal: AbortSignal.timeout(10000)
  })
  const body = Buffer.from(await res.arrayBuffer())
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${body.toString('utf8')}`)
  return { body, mediaType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim() }
}

/** Puts a blob of one repository into another on the same registry: mounted, or copied. */
async function copyBlob(host: string, from: string, to: string, digest: string): Promise<void> {
  const mount = await fetch(`http://${host}/v2/${to}/blobs/uploads/?mount=${digest}&from=${from}`, {
    method: 'POST',
    signal: AbortSignal.timeout(10000)
  })
  await mount.arrayBuffer()
  if (mount.status === 201) return
  if (mount.status !== 202) throw new Error(`mount ${digest} into ${to}: HTTP ${mount.status}`)
  const blob = await fetch(`http://${host}/v2/${from}/blobs/${digest}`)
  if (!blob.ok) throw new Error(`GET blob ${digest}: HTTP ${blob.status}`)
  const location = new URL(mount.headers.get('location') ?? '', `http://${host}`)
  location.searchParams.set('digest', digest)
  const put = await fetch(location, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: Buffer.from(await blob.arrayBuffer())
  })
  await put.arrayBuffer()
  if (put.status !== 201) throw new Error(`PUT blob ${digest} into ${to}: HTTP ${put.status}`)
}

/**
 * Copies an image, every platform and blob of it, to another repository of
 * the same plain-HTTP registry through its API, byte for byte: the copy has
 * the source's digest, and nothing local (no nerdctl, no containerd) is used.
 */
export async function copyImage(source: string, destination: string): Promise<string> {
  const src = splitReference(source)
  const dst = splitReference(destination)
  if (src.host !== dst.host) throw new Error(`${source} -> ${destination}: not the same registry`)
  const copy = async (ref: string, as: string): Promise<string> => {
    const { body, mediaType } = await getRaw(`http://${src.host}/v2/${src.repo}/manifests/${ref}`)
    const doc = JSON.parse(body.toString('utf8')) as {
      manifests?: { digest: string }[]
      config?: { digest: string }
      layers?: { digest: string }[]
    }
    for (const m of doc.manifests ?? []) await copy(m.digest, m.digest)
    for (const b of [...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])])
      await copyBlob(src.host, src.repo, dst.repo, b.digest)
    const put = await fetch(`http://${dst.host}/v2/${dst.repo}/manifests/${as}`, {
      method: 'PUT',
      headers: { 'Content-Type': mediaType },
      body
    })
    await put.arrayBuffer()
    if (put.status !== 201)
      throw new Error(`PUT manifest ${as} into ${dst.repo}: HTTP ${put.status}`)
    return put.headers.get('docker-content-digest') ?? ''
  }
  return copy(src.ref, dst.ref)
}
