// Multi-platform push and save, proven with a real cross-platform build: BuildKit
// builds FROM + COPY for linux/arm64 without emulation because the base image
// (scripts/stack.sh's busybox:multi) has an arm64 manifest. What reached the
// registry is read back from its HTTP API, not from nerdctl.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  Nerdctl,
  imageBuild,
  imagePush,
  imageRemove,
  imageSave,
  images,
  login,
  logout
} from '../../src/nerdctl/index.js'
import { pushedDigest } from '../../src/nerdctl/pure/command-output.js'
import { ActionStep } from './run-action.js'
import {
  AUTH_PASSWORD,
  AUTH_REGISTRY,
  AUTH_USER,
  BASE_IMAGE,
  BUILDKIT_HOST,
  MULTI_IMAGE,
  REGISTRY,
  tempDir,
  uniqueName
} from './helpers.js'
import {
  MEDIA_TYPES,
  platformString,
  readManifest,
  type Platform,
  type RegistryManifest
} from './registry-api.js'

const client = new Nerdctl({ buildkitHost: BUILDKIT_HOST })
const opts = { client }
const PLATFORMS = ['linux/amd64', 'linux/arm64']
// nerdctl keeps (and pushes, without --all-platforms) the host's platform.
const HOST_PLATFORM = `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`
const OTHER_PLATFORM = PLATFORMS.find(p => p !== HOST_PLATFORM) ?? ''

const platformsOf = (m: RegistryManifest): string[] =>
  m.manifests.map(e => platformString(e.platform)).sort()

// ---- reading a `nerdctl save` archive with the tar CLI -----------------------------
interface Descriptor {
  mediaType: string
  digest: string
  platform?: Platform
}
interface OciDoc {
  manifests?: Descriptor[]
  config?: Descriptor
  layers?: Descriptor[]
}

function tarMembers(file: string): Set<string> {
  const out = execFileSync('tar', ['-tf', file], { encoding: 'utf8', maxBuffer: 16 << 20 })
  return new Set(out.split('\n').filter(Boolean))
}

function tarJson(file: string, member: string): OciDoc {
  return JSON.parse(
    execFileSync('tar', ['-xOf', file, member], { encoding: 'utf8', maxBuffer: 16 << 20 })
  ) as OciDoc
}

const blobPath = (digest: string): string => `blobs/sha256/${digest.replace(/^sha256:/, '')}`

/**
 * What an archive holds of its one image: the digest index.json names, the
 * index's entries, and per platform the blobs its manifest references
 * (manifest, config, layers) and whether all of them are in the archive.
 */
function savedImage(file: string): {
  digest: string
  manifests: Descriptor[]
  blobs: Set<string>
  blobsOf: Record<string, string[]>
  complete: Record<string, boolean>
} {
  const members = tarMembers(file)
  const blobs = new Set([...members].filter(m => m.startsWith('blobs/sha256/') && !m.endsWith('/')))
  const [top] = tarJson(file, 'index.json').manifests ?? []
  if (!top) throw new Error(`${file}: index.json names no image`)
  const manifests = tarJson(file, blobPath(top.digest)).manifests ?? []
  const blobsOf: Record<string, string[]> = {}
  const complete: Record<string, boolean> = {}
  for (const m of manifests) {
    const platform = platformString(m.platform)
    if (!blobs.has(blobPath(m.digest))) {
      complete[platform] = false
      continue
    }
    const doc = tarJson(file, blobPath(m.digest))
    const parts = [m, doc.config, ...(doc.layers ?? [])].filter(
      (d): d is Descriptor => d !== undefined
    )
    blobsOf[platform] = parts.map(d => blobPath(d.digest))
    complete[platform] = blobsOf[platform].every(b => blobs.has(b)) && doc.config !== undefined
  }
  return { digest: top.digest, manifests, blobs, blobsOf, complete }
}

// ---- the build every test below uses ------------------------------------------------
const tag = `${REGISTRY}/itg/platforms:${uniqueName('multi')}`
const ctx = tempDir('nerdctl-itg-platforms-')
const made: string[] = [tag]
let localDigest = ''

beforeAll(async () => {
  // No RUN: an arm64 RUN would need emulation, FROM + COPY needs none.
  writeFileSync(join(ctx.path, 'Dockerfile'), `FROM ${MULTI_IMAGE}\nCOPY stamp.txt /stamp.txt\n`)
  // Content unique to this run, so its digests are too.
  writeFileSync(join(ctx.path, 'stamp.txt'), `${tag}\n`)
  await imageBuild(tag, ctx.path, { ...opts, platforms: PLATFORMS })
  const rows = await images({ ...opts, reference: tag })
  localDigest = rows[0]?.digest ?? ''
})

afterAll(async () => {
  for (const image of made) await imageRemove(image, { ...opts, force: true }).catch(() => {})
  ctx.remove()
})

test('the stack base image is a two-platform index sharing its amd64 manifest with busybox:stable', async () => {
  const multi = await readManifest(MULTI_IMAGE)
  expect(multi.mediaType).toBe(MEDIA_TYPES.ociIndex)
  expect(platformsOf(multi)).toEqual(PLATFORMS)
  const stable = await readManifest(BASE_IMAGE)
  expect(stable.mediaType).toBe(MEDIA_TYPES.ociManifest)
  expect(stable.manifests).toEqual([])
  const amd64 = multi.manifests.find(m => platformString(m.platform) === 'linux/amd64')
  expect(amd64?.digest).toBe(stable.digest)
})

test('a build for two platforms keeps both locally under one index digest', async () => {
  const rows = await images({ ...opts, reference: tag })
  expect(rows.map(r => r.platform).sort()).toEqual(PLATFORMS)
  expect(localDigest).toMatch(/^sha256:[0-9a-f]{64}$/)
  expect(new Set(rows.map(r => r.digest))).toEqual(new Set([localDigest]))
})

describe('push', () => {
  test('--all-platforms pushes the whole index: the registry digest is the local image digest', async () => {
    const pushed = await imagePush(tag, undefined, { ...opts, allPlatforms: true })
    const remote = await readManifest(tag)
    expect(remote.mediaType).toBe(MEDIA_TYPES.ociIndex)
    expect(platformsOf(remote)).toEqual(PLATFORMS)
    // (a) the local digest, as `nerdctl images` reports it, is the pushed index.
    expect(remote.digest).toBe(localDigest)
    // nerdctl names the index only in its progress lines on stdout,
    // "index-<tag>@sha256:<index>: done |+++|"; stderr says nothing.
    const output = pushed.stdout + pushed.stderr
    expect(output).toMatch(new RegExp(`^index-[^@\\s]*@${remote.digest}:`, 'm'))
    expect(pushed.stderr).not.toMatch(/reduced-platform/)
    // (b) the library's parse of that output, as PushResult.digest carries it:
    // a digest of this push (the next test: the index's).
    expect(pushed.digest).toBe(pushedDigest(output))
    expect([remote.digest, ...remote.manifests.map(m => m.digest)]).toContain(pushed.digest)
  })

  // With no "reduced-platform" line, the index is named only on the first
  // progress line ("index-…@sha256:…"), before the per-platform manifests.
  test('--all-platforms: pushedDigest names the index digest', async () => {
    const pushed = await imagePush(tag, undefined, { ...opts, allPlatforms: true })
    expect(pushed.digest).toBe((await readManifest(tag)).digest)
  })

  test('without --all-platforms only the host platform is pushed, as an index of one', async () => {
    const pushed = await imagePush(tag, undefined, opts)
    const remote = await readManifest(tag)
    expect(remote.mediaType).toBe(MEDIA_TYPES.ociIndex)
    expect(platformsOf(remote)).toEqual([HOST_PLATFORM])
    expect(remote.digest).not.toBe(localDigest)
    // nerdctl says so on stderr, naming exactly what the registry now has.
    expect(pushed.stderr).toContain(
      `pushing as a reduced-platform image (${MEDIA_TYPES.ociIndex}, ${remote.digest})`
    )
    expect(pushed.digest).toBe(remote.digest)
    // The local image is untouched: still both platforms under the full index.
    expect((await images({ ...opts, reference: tag })).map(r => r.digest)).toEqual([
      localDigest,
      localDigest
    ])
  })

  test('the registry helper reads the auth registry with basic auth, and is refused without', async () => {
    const cfg = tempDir('nerdctl-itg-platforms-login-')
    // Logins land in a throwaway DOCKER_CONFIG, never the machine's.
    const authed = client.with({ env: { DOCKER_CONFIG: cfg.path } })
    const authRef = `${AUTH_REGISTRY}/itg/platforms:${tag.split(':').pop() ?? ''}`
    made.push(authRef)
    try {
      await login({
        client: authed,
        registry: AUTH_REGISTRY,
        username: AUTH_USER,
        password: AUTH_PASSWORD
      })
      await imagePush(tag, authRef, { client: authed, allPlatforms: true })
      await logout(AUTH_REGISTRY, { client: authed })
    } finally {
      cfg.remove()
    }
    const remote = await readManifest(authRef, {
      auth: { username: AUTH_USER, password: AUTH_PASSWORD }
    })
    expect(remote.digest).toBe(localDigest)
    expect(platformsOf(remote)).toEqual(PLATFORMS)
    await expect(readManifest(authRef)).rejects.toThrow(/HTTP 401/)
    await expect(
      readManifest(authRef, { auth: { username: AUTH_USER, password: 'wrong-password' } })
    ).rejects.toThrow(/HTTP 401/)
  })
})

describe('save', () => {
  test('--all-platforms saves every platform: manifests, configs and layers', async () => {
    const file = join(ctx.path, 'all.tar')
    await imageSave([tag], file, { ...opts, allPlatforms: true })
    const saved = savedImage(file)
    expect(saved.digest).toBe(localDigest)
    expect(saved.complete).toEqual({ 'linux/amd64': true, 'linux/arm64': true })
    expect([...saved.blobs].sort()).toEqual(
      [...new Set([blobPath(localDigest), ...Object.values(saved.blobsOf).flat()])].sort()
    )
  })

  test('without it only the host platform is saved: no blob beyond its own and the index', async () => {
    const file = join(ctx.path, 'host.tar')
    await imageSave([tag], file, opts)
    const saved = savedImage(file)
    // The index still lists both platforms, so its digest is unchanged...
    expect(saved.digest).toBe(localDigest)
    expect(saved.complete).toEqual({ [HOST_PLATFORM]: true, [OTHER_PLATFORM]: false })
    // ...but the archive's blobs are exactly the index and the host platform's.
    expect([...saved.blobs].sort()).toEqual(
      [...new Set([blobPath(localDigest), ...(saved.blobsOf[HOST_PLATFORM] ?? [])])].sort()
    )
  })
})

describe('the action with two platforms', () => {
  test('build, push and save keep both platforms; the digest output is the index the registry serves', async () => {
    const actionTag = `${REGISTRY}/itg/platforms-action:${uniqueName('a')}`
    made.push(actionTag)
    const out = tempDir('nerdctl-itg-platforms-action-')
    const s = new ActionStep(
      {
        context: ctx.path,
        tags: actionTag,
        platforms: PLATFORMS.join(','),
        'buildkit-host': BUILDKIT_HOST,
        push: 'true',
        save: join(out.path, 'images.tar')
      },
      {}
    )
    try {
      const main = await s.main()
      expect(main.exitCode).toBe(0)
      const remote = await readManifest(actionTag)
      expect(platformsOf(remote)).toEqual([...PLATFORMS].sort())
      expect(main.outputs.digest).toBe(remote.digest)
      const saved = savedImage(join(out.path, 'images.tar'))
      expect(saved.complete).toEqual({ 'linux/amd64': true, 'linux/arm64': true })
      expect(saved.digest).toBe(remote.digest)
      expect((await s.post()).exitCode).toBe(0)
    } finally {
      s.remove()
      out.remove()
    }
  })
})
