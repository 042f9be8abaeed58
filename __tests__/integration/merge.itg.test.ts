// Builds across runners (issue 25): two steps stand for two runners of a
// matrix, each building one platform natively (FROM the stack's two-platform
// busybox + COPY: no emulation) on the stack's BuildKit given as buildkit-host,
// with a registry cache per platform, pushed by digest with provenance; their
// digests files go into a directory standing in for download-artifact; a
// third step merges them under two tags (one in another repository). Checked
// through the registry's HTTP API, not nerdctl. Each refused merge fails
// before anything is pushed.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { Nerdctl } from '../../src/nerdctl/exec/client.js'
import {
  AUTH_PASSWORD,
  AUTH_REGISTRY,
  AUTH_USER,
  BUILDKIT_HOST,
  MULTI_IMAGE,
  REGISTRY,
  removeQuietly,
  tempDir,
  uniqueName
} from './helpers.js'
import { readManifest, splitReference } from './registry-api.js'
import { ActionStep, type StepRun } from './run-action.js'

const client = new Nerdctl({ buildkitHost: BUILDKIT_HOST })
const id = uniqueName('merge').slice(4)
const REPO = `${REGISTRY}/itg/merge-${id}`
const OTHER = `${REGISTRY}/itg/merge-other-${id}`
const cleanups: (() => void | Promise<void>)[] = []
const images: string[] = []

afterAll(async () => {
  await removeQuietly(client, { images })
  for (const c of cleanups.reverse()) await c()
})

interface Descriptor {
  mediaType: string
  digest: string
  size: number
  platform?: { os: string; architecture: string }
  annotations?: Record<string, string>
}
interface Index {
  mediaType: string
  manifests: Descriptor[]
  annotations?: Record<string, string>
}

/** The raw document the registry serves for a reference, its digest checked against the bytes. */
async function rawIndex(reference: string): Promise<{ digest: string; doc: Index }> {
  const { host, repo, ref } = splitReference(reference)
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${ref}`, {
    headers: { Accept: 'application/vnd.oci.image.index.v1+json' }
  })
  const body = Buffer.from(await res.arrayBuffer())
  if (!res.ok) throw new Error(`${reference}: HTTP ${res.status}`)
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`
  expect(res.headers.get('docker-content-digest')).toBe(digest)
  return { digest, doc: JSON.parse(body.toString('utf8')) as Index }
}

async function tagExists(reference: string): Promise<boolean> {
  return readManifest(reference).then(
    () => true,
    () => false
  )
}

async function step(inputs: Record<string, string>): Promise<{ main: StepRun; s: ActionStep }> {
  const s = new ActionStep({ 'buildkit-host': BUILDKIT_HOST, ...inputs })
  cleanups.push(() => s.remove())
  const main = await s.main()
  expect((await s.post()).exitCode).toBe(0)
  return { main, s }
}

const ctx = tempDir('nerdctl-merge-ctx-')
cleanups.push(ctx.remove)
writeFileSync(join(ctx.path, 'Dockerfile'), `FROM ${MULTI_IMAGE}\nCOPY stamp.txt /stamp.txt\n`)
writeFileSync(join(ctx.path, 'stamp.txt'), `${id}\n`)
const artifacts = tempDir('nerdctl-merge-artifacts-')
cleanups.push(artifacts.remove)

const legs: Record<string, { digest: string; doc: Index }> = {}

describe('push-by-digest on each runner, then one merge', () => {
  test.each(['amd64', 'arm64'])(
    'linux/%s: pushed untagged by digest on remote BuildKit with its own registry cache; the digests file says what',
    async arch => {
      const cache = `type=registry,ref=${REPO}:cache-${arch}`
      const { main } = await step({
        context: ctx.path,
        tags: `${REPO}:v1`,
        platforms: `linux/${arch}`,
        provenance: 'mode=min',
        'push-by-digest': 'true',
        'cache-from': cache,
        'cache-to': `${cache},mode=max`
      })
      if (main.exitCode !== 0) throw new Error(main.log.slice(-4000))
      const digest = main.outputs.digest ?? ''
      // What the registry serves for it: the build's index (image + attestation).
      const served = await rawIndex(`${REPO}@${digest}`)
      expect(served.digest).toBe(digest)
      expect(served.doc.manifests.map(m => m.platform?.architecture).sort()).toEqual([
        arch,
        'unknown'
      ])
      // No tag was pushed; the cache of this platform was.
      expect(await tagExists(`${REPO}:v1`)).toBe(false)
      expect(await tagExists(`${REPO}:cache-${arch}`)).toBe(true)
      const file = main.outputs['digests-file'] ?? ''
      expect(file).toMatch(new RegExp(`digests-linux-${arch}\\.json$`))
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
        repository: REPO,
        digest,
        platform: `linux/${arch}`
      })
      // upload-artifact, then download-artifact: one folder per artifact.
      const dir = join(artifacts.path, `digests-linux-${arch}`)
      mkdirSync(dir)
      copyFileSync(file, join(dir, `digests-linux-${arch}.json`))
      // Nothing stays in this runner's store.
      const local = spawnSync('nerdctl', ['images', '-q', REPO], { encoding: 'utf8' })
      expect(local.stdout.trim()).toBe('')
      legs[arch] = served
    }
  )

  test('merge: one index under both tags (two repositories), every platform and attestation with its annotations', async () => {
    const tags = [`${REPO}:v1`, `${OTHER}:v1`]
    images.push(...tags)
    const { main } = await step({
      merge: artifacts.path,
      tags: tags.join('\n'),
      annotations: 'index:org.opencontainers.image.description=merged across runners'
    })
    if (main.exitCode !== 0) throw new Error(main.log.slice(-4000))
    const [first, second] = await Promise.all(tags.map(rawIndex))
    expect(first?.digest).toBe(main.outputs.digest)
    expect(second?.digest).toBe(main.outputs.digest)
    const index = first?.doc as Index
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json')
    expect(index.annotations).toEqual({
      'org.opencontainers.image.description': 'merged across runners'
    })
    // Each leg's descriptors, as its own index had them, in leg order.
    expect(index.manifests).toEqual([
      ...(legs.amd64?.doc.manifests ?? []),
      ...(legs.arm64?.doc.manifests ?? [])
    ])
    const attestations = index.manifests.filter(
      m => m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest'
    )
    const images_ = index.manifests.filter(m => m.platform?.os === 'linux')
    expect(images_.map(m => m.platform?.architecture)).toEqual(['amd64', 'arm64'])
    expect(attestations.map(m => m.annotations?.['vnd.docker.reference.digest'])).toEqual(
      images_.map(m => m.digest)
    )
    // This machine runs the merged image as amd64.
    const run = spawnSync(
      'nerdctl',
      ['run', '--rm', '--pull', 'always', tags[1] as string, 'uname', '-m'],
      {
        encoding: 'utf8'
      }
    )
    expect(run.stderr + run.stdout).toContain('x86_64')
  })
})

describe('a merge that cannot be right fails before anything is pushed', () => {
  const refused = async (merge: string, expected: RegExp): Promise<void> => {
    const tag = `${REPO}:refused-${uniqueName('r').slice(8)}`
    const { main } = await step({ merge, tags: tag })
    expect(main.exitCode).not.toBe(0)
    expect(main.log).toMatch(expected)
    expect(await tagExists(tag)).toBe(false)
  }

  test('a digest the registry does not have', async () => {
    const ghost = `${REPO}@sha256:${'0'.repeat(64)}`
    await refused(
      `${artifacts.path}\n${ghost}`,
      new RegExp(`${ghost.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not in the registry`)
    )
  })

  test('two builds of one platform', async () => {
    const base = await readManifest(MULTI_IMAGE)
    const amd64 = base.manifests.find(m => m.platform?.architecture === 'amd64')?.digest ?? ''
    const other = `${REGISTRY}/busybox@${amd64}`
    await refused(`${artifacts.path}\n${other}`, /both hold an image for linux\/amd64/)
    expect(existsSync(artifacts.path)).toBe(true)
  })

  test('names on two registries', async () => {
    const foreign = `${AUTH_REGISTRY}/itg/merge@${legs.amd64?.digest ?? ''}`
    await refused(
      `${foreign}\n${REPO}@${legs.arm64?.digest ?? ''}`,
      /different registries, and manifests cannot be cross-mounted/
    )
  })
})

describe('a registry with credentials: each step logs in to its own Docker config, which crane uses', () => {
  test('push by digest and merge on the htpasswd registry; the password is nowhere in the log', async () => {
    const repo = `${AUTH_REGISTRY}/itg/merge-auth-${id}`
    const login = { registry: AUTH_REGISTRY, username: AUTH_USER, password: AUTH_PASSWORD }
    const { main: built } = await step({
      ...login,
      context: ctx.path,
      tags: `${repo}:v1`,
      platforms: 'linux/amd64',
      provenance: 'mode=min',
      'push-by-digest': 'true'
    })
    if (built.exitCode !== 0) throw new Error(built.log.slice(-4000))
    const dir = tempDir('nerdctl-merge-auth-')
    cleanups.push(dir.remove)
    copyFileSync(built.outputs['digests-file'] ?? '', join(dir.path, 'digests-linux-amd64.json'))
    const { main } = await step({ ...login, merge: dir.path, tags: `${repo}:v1` })
    if (main.exitCode !== 0) throw new Error(main.log.slice(-4000))
    const served = await readManifest(`${repo}:v1`, {
      auth: { username: AUTH_USER, password: AUTH_PASSWORD }
    })
    expect(served.digest).toBe(main.outputs.digest)
    // Only the runner's mask command may carry it.
    for (const log of [built.log, main.log])
      expect(log.replace(`::add-mask::${AUTH_PASSWORD}`, '')).not.toContain(AUTH_PASSWORD)
  })
})
