// The digest output against the registry's own answer: for every way the step
// pushes (one platform, two, with provenance or an SBOM, an image pulled and
// pushed again), `digest` is the Docker-Content-Digest the registry serves for
// the first tag, read through its HTTP API rather than from nerdctl. Without a
// push it is the image's own digest in the store.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Nerdctl } from '../../src/nerdctl/exec/client.js'
import { ROOT } from '../helpers/action-defaults.js'
import {
  BASE_IMAGE,
  BUILDKIT_HOST,
  MULTI_IMAGE,
  REGISTRY,
  removeQuietly,
  tempDir,
  uniqueName
} from './helpers.js'
import {
  MEDIA_TYPES,
  copyImage,
  platformString,
  readManifest,
  type RegistryManifest
} from './registry-api.js'
import { ActionStep, type StepRun } from './run-action.js'

const client = new Nerdctl({ buildkitHost: BUILDKIT_HOST })
const images: string[] = []
const cleanups: (() => void | Promise<void>)[] = []

afterAll(async () => {
  await removeQuietly(client, { images })
  for (const c of cleanups.reverse()) await c()
})

function tagOf(name: string): string {
  const t = `${REGISTRY}/itg/digest-${name}:${uniqueName('d').slice(4)}`
  images.push(t)
  return t
}

/** A build context whose content is unique to this run, so its digests are too. */
function context(base: string): string {
  const d = tempDir('nerdctl-digest-ctx-')
  cleanups.push(d.remove)
  writeFileSync(join(d.path, 'Dockerfile'), `FROM ${base}\nCOPY stamp.txt /stamp.txt\n`)
  writeFileSync(join(d.path, 'stamp.txt'), `${uniqueName('stamp')}\n`)
  return d.path
}

/** Runs main and post of a step with these inputs; main's result. */
async function run(inputs: Record<string, string>): Promise<StepRun> {
  const s = new ActionStep({ 'buildkit-host': BUILDKIT_HOST, ...inputs })
  cleanups.push(() => s.remove())
  const main = await s.main()
  if (main.exitCode !== 0) throw new Error(main.log.slice(-4000))
  expect((await s.post()).exitCode).toBe(0)
  return main
}

/** The digest of the image's target in containerd: what a whole push sends. */
async function localDigest(tag: string): Promise<string> {
  const { stdout } = await client.exec(['image', 'inspect', '--mode=native', tag])
  const [entry] = JSON.parse(stdout) as { Image: { Target: { digest: string } } }[]
  return entry?.Image.Target.digest ?? ''
}

const platformsOf = (m: RegistryManifest): string[] =>
  m.manifests.map(e => platformString(e.platform)).sort()

describe('push: the digest output is what the registry serves for the first tag', () => {
  test('one platform, no attestations: built, then pushed by a later step, the same manifest', async () => {
    const tag = tagOf('single')
    const built = await run({ context: context(BASE_IMAGE), tags: tag })
    // Without a push: the image's own digest in the store.
    expect(built.outputs.digest).toBe(await localDigest(tag))
    const pushed = await run({ tags: tag, push: 'true' })
    const served = await readManifest(tag)
    expect(served.mediaType).not.toBe(MEDIA_TYPES.ociIndex)
    expect(pushed.outputs.digest).toBe(served.digest)
    // A single manifest is pushed as it is: the digest a build reports is the pushed one.
    expect(built.outputs.digest).toBe(served.digest)
  })

  test('one platform with provenance: the index of the image and its attestation, not the image manifest', async () => {
    const tag = tagOf('prov')
    const main = await run({
      context: context(BASE_IMAGE),
      tags: tag,
      provenance: 'mode=min',
      push: 'true'
    })
    const served = await readManifest(tag)
    expect(served.mediaType).toBe(MEDIA_TYPES.ociIndex)
    expect(platformsOf(served)).toEqual(['linux/amd64', 'unknown/unknown'])
    expect(main.outputs.digest).toBe(served.digest)
    expect(served.manifests.map(m => m.digest)).not.toContain(main.outputs.digest)
    // The store's target is that index: image-id and the metadata say the same.
    expect(main.outputs['image-id']).toBe(served.digest)
    const meta = JSON.parse(main.outputs.metadata ?? '{}') as Record<string, unknown>
    expect(meta['containerimage.digest']).toBe(served.digest)
  })

  test('one platform with attests (provenance) and a second tag: the first tag names the digest', async () => {
    const first = tagOf('attests')
    const second = tagOf('attests-b')
    const main = await run({
      context: context(BASE_IMAGE),
      tags: `${first},${second}`,
      attests: 'type=provenance,mode=min',
      push: 'true'
    })
    const served = await readManifest(first)
    expect(served.mediaType).toBe(MEDIA_TYPES.ociIndex)
    expect(main.outputs.digest).toBe(served.digest)
    expect((await readManifest(second)).digest).toBe(served.digest)
  })

  test('two platforms with provenance: the index of both platforms and their attestations', async () => {
    const tag = tagOf('multi')
    const main = await run({
      // FROM + COPY on a two-platform base: no emulation needed for arm64.
      context: context(MULTI_IMAGE),
      tags: tag,
      platforms: 'linux/amd64,linux/arm64',
      provenance: 'mode=min',
      push: 'true'
    })
    const served = await readManifest(tag)
    expect(platformsOf(served)).toEqual([
      'linux/amd64',
      'linux/arm64',
      'unknown/unknown',
      'unknown/unknown'
    ])
    expect(main.outputs.digest).toBe(served.digest)
    expect(main.outputs.digest).toBe(await localDigest(tag))
  })

  test('an image pulled and pushed again: the reduced index nerdctl made, not the one pulled', async () => {
    // A two-platform image in a repository of this test's own, copied through
    // the registry's API: the stack's busybox:multi is never touched.
    const tag = tagOf('pulled')
    const original = await copyImage(MULTI_IMAGE, tag)
    expect(original).toBe((await readManifest(MULTI_IMAGE)).digest)
    const main = await run({ pull: tag, tags: tag, push: 'true' })
    const served = await readManifest(tag)
    // nerdctl pulled one platform and pushed that one alone, as a new index.
    expect(served.manifests).toHaveLength(1)
    expect(served.digest).not.toBe(original)
    expect(main.outputs.digest).toBe(served.digest)
  })

  test('one platform with an SBOM from the local generator: the index the registry serves', async () => {
    // Builds (first time: syft from the Go module proxy) and pushes the
    // generator, or finds it in the registry.
    const made = spawnSync('bash', [join(ROOT, 'scripts', 'sbom-generator.sh')], {
      encoding: 'utf8',
      timeout: 1_500_000
    })
    if (made.status !== 0) throw new Error(`sbom-generator.sh failed: ${made.stderr.slice(-3000)}`)
    const generator = made.stdout.trim().split('\n').pop() as string
    const tag = tagOf('sbom')
    const main = await run({
      context: context(BASE_IMAGE),
      tags: tag,
      sbom: `generator=${generator}`,
      push: 'true'
    })
    const served = await readManifest(tag)
    expect(served.mediaType).toBe(MEDIA_TYPES.ociIndex)
    expect(platformsOf(served)).toContain('unknown/unknown')
    expect(main.outputs.digest).toBe(served.digest)
  }, 1_800_000)
})

describe('no push: the digest output is the image in the store', () => {
  test('with provenance: the index a push of the same step would send whole', async () => {
    const tag = tagOf('local')
    const main = await run({ context: context(BASE_IMAGE), tags: tag, provenance: 'mode=min' })
    const local = await localDigest(tag)
    expect(main.outputs.digest).toBe(local)
    expect(main.outputs['image-id']).toBe(local)
  })
})
