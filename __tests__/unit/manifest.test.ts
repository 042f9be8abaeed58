// Builds across runners: nerdctl's manifest commands typed (argv out, parsed
// output over fixtures recorded by scripts/record-manifest-fixtures.sh), the
// digests file, the merged index (pure), mergeDigests' crane calls through a
// fake runner (nothing pushed when a check fails), and the push-by-digest and
// merge inputs.
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Nerdctl } from '../../src/nerdctl/exec/client.js'
import type { Runner, RunSpec } from '../../src/nerdctl/exec/runner.js'
import {
  manifestAnnotate,
  manifestCreate,
  manifestInspect,
  manifestPush,
  mergeDigests
} from '../../src/nerdctl/ops/manifest.js'
import { buildArgs } from '../../src/nerdctl/pure/build-args.js'
import {
  digestsFileName,
  formatDigestsFile,
  indexAnnotations,
  mergeIndex,
  parseDigestsFile,
  parseManifestCreate,
  parseManifestDocument,
  parseManifestInspectVerbose,
  parseManifestPush,
  pushByDigestOutput,
  repositoryOf,
  type MergeInput
} from '../../src/nerdctl/pure/manifest.js'
import { getInputs, InputError } from '../../src/action/inputs/index.js'
import { loadYaml } from '../../src/action/inputs/yaml.js'
import { inputDefaults } from '../helpers/action-defaults.js'
import { fixture, fixtureMeta } from './fixtures.js'

const sha = (s: string): string => `sha256:${createHash('sha256').update(s).digest('hex')}`
const REPO = '127.0.0.1:5000/app'

describe('nerdctl manifest output (recorded)', () => {
  test('create: the list it made', () => {
    expect(parseManifestCreate(fixture('manifest-create.txt'))).toBe(
      fixtureMeta('manifest-create.txt').args[2]
    )
  })

  test('push: each entry it pushed first, then the digest of the index the registry serves', () => {
    const pushed = parseManifestPush(fixture('manifest-push.txt'))
    expect(pushed.entries).toHaveLength(4)
    expect(pushed.digest).toBe(sha(fixture('manifest-pushed-index.json')))
  })

  test('inspect of a build with provenance: an index whose attestation keeps its annotations', () => {
    const doc = parseManifestDocument(fixture('manifest-inspect-build.json'), 'fixture')
    expect(doc.kind).toBe('index')
    if (doc.kind !== 'index') return
    const [image, attestation] = doc.manifests
    expect(image?.platform).toEqual({ architecture: 'amd64', os: 'linux' })
    expect(attestation?.annotations).toEqual({
      'vnd.docker.reference.digest': image?.digest,
      'vnd.docker.reference.type': 'attestation-manifest'
    })
  })

  test('inspect of an image manifest, and --verbose (descriptors without annotations)', () => {
    const doc = parseManifestDocument(fixture('manifest-inspect-image.json'), 'fixture')
    expect(doc).toMatchObject({ kind: 'manifest', layers: 2 })
    const verbose = parseManifestInspectVerbose(fixture('manifest-inspect-build-verbose.json'))
    expect(verbose.map(v => v.descriptor.platform?.architecture)).toEqual(['amd64', 'unknown'])
    expect(verbose.every(v => v.descriptor.annotations === undefined)).toBe(true)
  })

  test("why the merge uses crane: nerdctl's pushed index lost the attestation annotations", () => {
    const doc = parseManifestDocument(fixture('manifest-pushed-index.json'), 'fixture')
    if (doc.kind !== 'index') throw new Error('not an index')
    expect(doc.manifests.some(m => m.annotations !== undefined)).toBe(false)
    expect(fixtureMeta('error-manifest-create-index.txt').stderr).toMatch(/is a manifest list/)
    expect(fixtureMeta('error-manifest-push-no-platform.txt').stderr).toMatch(
      /must have an OS and Architecture/
    )
    expect(fixtureMeta('error-manifest-push-other-repo.txt').stderr).toMatch(/blob unknown/)
  })
})

describe('nerdctl manifest argv', () => {
  function fake(stdout = ''): { client: Nerdctl; calls: RunSpec[] } {
    const calls: RunSpec[] = []
    const runner: Runner = async spec => {
      calls.push(spec)
      return { stdout, stderr: '', exitCode: 0, timedOut: false, aborted: false }
    }
    return { client: new Nerdctl({ binary: '/bin/nerdctl', runner }), calls }
  }
  const D = `${REPO}@sha256:${'a'.repeat(64)}`

  test('create, annotate, push, inspect', async () => {
    const f = fake('Created manifest list 127.0.0.1:5000/app:1\n')
    expect(await manifestCreate(`${REPO}:1`, [D], { client: f.client, amend: true })).toBe(
      `${REPO}:1`
    )
    await manifestAnnotate(`${REPO}:1`, D, { os: 'linux', arch: 'arm64', variant: 'v8' }, f)
    await manifestPush(`${REPO}:1`, { client: f.client, purge: true, insecure: true })
    expect(f.calls.map(c => c.args)).toEqual([
      ['manifest', 'create', '--amend', `${REPO}:1`, D],
      [
        'manifest',
        'annotate',
        '--os',
        'linux',
        '--arch',
        'arm64',
        '--variant',
        'v8',
        `${REPO}:1`,
        D
      ],
      ['manifest', 'push', '--purge', '--insecure', `${REPO}:1`]
    ])
    const g = fake(fixture('manifest-inspect-build.json'))
    expect((await manifestInspect(D, { client: g.client })).kind).toBe('index')
  })

  test('no value becomes an option', async () => {
    const f = fake()
    await expect(manifestCreate('--amend', [D], { client: f.client })).rejects.toThrow()
    await expect(manifestCreate(`${REPO}:1`, ['-x'], { client: f.client })).rejects.toThrow()
    await expect(
      manifestAnnotate(`${REPO}:1`, D, { os: '--insecure=true' }, { client: f.client })
    ).rejects.toThrow()
    expect(f.calls).toHaveLength(0)
  })
})

describe('push by digest and the digests file', () => {
  test('the output BuildKit pushes by digest with, and a build with no tag', () => {
    expect(pushByDigestOutput(REPO)).toBe(
      `type=image,name=${REPO},push-by-digest=true,name-canonical=true,push=true,danging-name-empty-only=true,store=false`
    )
    expect(() => pushByDigestOutput(`${REPO}:1`)).toThrow(/has a tag/)
    const args = buildArgs(
      '',
      '.',
      { output: pushByDigestOutput(REPO), platforms: ['linux/arm64'] },
      '/t/iid'
    )
    expect(args).not.toContain('--tag')
    expect(args[args.indexOf('--output') + 1]).toBe(pushByDigestOutput(REPO))
  })

  test('repository of a reference', () => {
    expect(repositoryOf('127.0.0.1:5000/a/b:1')).toBe('127.0.0.1:5000/a/b')
    expect(repositoryOf(`127.0.0.1:5000/a@sha256:${'b'.repeat(64)}`)).toBe('127.0.0.1:5000/a')
    expect(repositoryOf('localhost:5000/a')).toBe('localhost:5000/a')
  })

  test('name, format and parse', () => {
    expect(digestsFileName('linux/arm64/v8')).toBe('digests-linux-arm64-v8.json')
    const file = { repository: REPO, digest: `sha256:${'c'.repeat(64)}`, platform: 'linux/amd64' }
    expect(parseDigestsFile(formatDigestsFile(file), 'f')).toEqual(file)
    expect(() => parseDigestsFile('{"repository":"x"}', 'dir/x.json')).toThrow(
      /dir\/x.json is not a digests file/
    )
    expect(() => parseDigestsFile(JSON.stringify({ ...file, digest: 'sha256:12' }), 'f')).toThrow(
      /REPOSITORY@sha256/
    )
    expect(() => parseDigestsFile(JSON.stringify({ ...file, platform: 'amd64' }), 'f')).toThrow(
      /os\/arch/
    )
  })

  test('index annotations: KEY=VALUE or index:KEY=VALUE; a manifest-level one is refused', () => {
    expect(indexAnnotations(['a.b=1', 'index:c=x=y'])).toEqual({ 'a.b': '1', c: 'x=y' })
    expect(() => indexAnnotations(['manifest:a=1'])).toThrow(/only the index/)
    expect(() => indexAnnotations(['=1'])).toThrow(/not KEY=VALUE/)
  })
})

const BUILD = fixture('manifest-inspect-build.json')
const IMAGE = fixture('manifest-inspect-image.json')

describe('mergeIndex', () => {
  const build = (): MergeInput => ({
    reference: `${REPO}@${sha(BUILD)}`,
    document: parseManifestDocument(BUILD, 'b'),
    size: BUILD.length
  })
  const lone = (platform?: string): MergeInput => ({
    reference: `${REPO}@${sha(IMAGE)}`,
    origin: 'art/digests-linux-arm64.json',
    document: parseManifestDocument(IMAGE, 'i'),
    size: IMAGE.length,
    ...(platform ? { platform: { os: 'linux', architecture: platform } } : {})
  })

  test("each build's descriptors as they were, a lone manifest with its platform, index annotations", () => {
    const index = mergeIndex([build(), lone('arm64'), build()], { a: '1' })
    const doc = parseManifestDocument(BUILD, 'b')
    if (doc.kind !== 'index') throw new Error('not an index')
    expect(index).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        ...doc.manifests,
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha(IMAGE),
          size: IMAGE.length,
          platform: { os: 'linux', architecture: 'arm64' }
        }
      ],
      annotations: { a: '1' }
    })
  })

  test('two images of one platform: refused naming both', () => {
    expect(() => mergeIndex([build(), lone('amd64')])).toThrow(
      new RegExp(
        `${REPO}@${sha(IMAGE)} \\(from art/digests-linux-arm64.json\\) and ${REPO}@${sha(BUILD)} both hold an image for linux/amd64`
      )
    )
  })

  test('an image without a platform: refused', () => {
    expect(() => mergeIndex([lone()])).toThrow(/has no platform/)
  })
})

describe('mergeDigests through crane (fake runner)', () => {
  let dir: string
  let crane: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'merge-unit-'))
    crane = join(dir, 'crane')
    writeFileSync(crane, '#!/bin/sh\nexit 0\n')
    chmodSync(crane, 0o755)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** A registry of these bodies, by reference; every crane call recorded. */
  function registry(bodies: Record<string, string>, served?: string) {
    const calls: RunSpec[] = []
    let pushed = ''
    const runner: Runner = async spec => {
      calls.push(spec)
      const [cmd, sub, ref = ''] = spec.args
      const ok = (stdout: string) => ({
        stdout,
        stderr: '',
        exitCode: 0,
        timedOut: false,
        aborted: false
      })
      if (cmd === 'manifest') {
        const body = bodies[sub ?? '']
        return body === undefined
          ? {
              stdout: '',
              stderr: 'Error: MANIFEST_UNKNOWN: manifest unknown',
              exitCode: 1,
              timedOut: false,
              aborted: false
            }
          : ok(body)
      }
      if (cmd === 'config') return ok('{"os":"linux","architecture":"arm64"}')
      if (cmd === 'edit') pushed = String(spec.input ?? '')
      if (cmd === 'digest') return ok(`${served ?? sha(pushed)}\n`)
      void ref
      return ok('')
    }
    const client = new Nerdctl({ runner, env: { DOCKER_CONFIG: '/step/docker-config' } })
    return { client, calls }
  }
  const b = `${REPO}@${sha(BUILD)}`
  const i = `${REPO}@${sha(IMAGE)}`

  test('reads every entry, mounts into the other repository, puts the index under each tag, reads back its digest', async () => {
    const r = registry({ [b]: BUILD, [i]: IMAGE })
    const result = await mergeDigests(
      [{ reference: b }, { reference: i }],
      [`${REPO}:1`, '127.0.0.1:5000/other:1'],
      {
        client: r.client,
        crane,
        annotations: ['index:a=1']
      }
    )
    const args = r.calls.map(c => c.args)
    expect(args).toEqual([
      ['manifest', b],
      ['manifest', i],
      ['config', i],
      ['copy', b, `127.0.0.1:5000/other@${sha(BUILD)}`],
      ['copy', i, `127.0.0.1:5000/other@${sha(IMAGE)}`],
      ['edit', 'manifest', b, '--tag', `${REPO}:1`],
      ['edit', 'manifest', b, '--tag', '127.0.0.1:5000/other:1'],
      ['digest', `${REPO}:1`],
      ['digest', '127.0.0.1:5000/other:1']
    ])
    // The step's own credentials, in the environment, never argv.
    expect(r.calls.every(c => c.env?.DOCKER_CONFIG === '/step/docker-config')).toBe(true)
    expect(result.references).toEqual([`${REPO}:1`, '127.0.0.1:5000/other:1'])
    expect(result.digest).toBe(sha(String(r.calls[5]?.input)))
    expect(result.index.annotations).toEqual({ a: '1' })
  })

  test('a digest the registry lacks: refused naming it, nothing copied or pushed', async () => {
    const r = registry({ [b]: BUILD })
    await expect(
      mergeDigests([{ reference: b }, { reference: i, origin: 'x.json' }], [`${REPO}:1`], {
        client: r.client,
        crane
      })
    ).rejects.toThrow(`${i} (from x.json) is not in the registry`)
    expect(r.calls.some(c => ['copy', 'edit'].includes(c.args[0] ?? ''))).toBe(false)
  })

  test('two registries: refused before any call', async () => {
    const r = registry({})
    await expect(
      mergeDigests([{ reference: b }], ['127.0.0.1:5001/app:1'], { client: r.client, crane })
    ).rejects.toThrow(/different registries/)
    expect(r.calls).toHaveLength(0)
  })

  test('a body that is not the digest named, and a tag that serves another index, fail', async () => {
    const r = registry({ [b]: `${BUILD} ` })
    await expect(
      mergeDigests([{ reference: b }], [`${REPO}:1`], { client: r.client, crane })
    ).rejects.toThrow(/served a manifest whose digest is/)
    const s = registry({ [b]: BUILD }, `sha256:${'f'.repeat(64)}`)
    await expect(
      mergeDigests([{ reference: b }], [`${REPO}:1`], { client: s.client, crane })
    ).rejects.toThrow(/another push to the tag may have raced/)
  })
})

describe('inputs: push-by-digest and merge', () => {
  beforeAll(loadYaml)
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'merge-inputs-'))
    mkdirSync(join(dir, 'art', 'digests-linux-arm64'), { recursive: true })
    mkdirSync(join(dir, 'art', 'digests-linux-amd64'), { recursive: true })
    writeFileSync(join(dir, 'Dockerfile'), 'FROM x\n')
    for (const a of ['arm64', 'amd64'])
      writeFileSync(
        join(dir, 'art', `digests-linux-${a}`, `digests-linux-${a}.json`),
        formatDigestsFile({
          repository: REPO,
          digest: `sha256:${(a === 'amd64' ? 'a' : 'b').repeat(64)}`,
          platform: `linux/${a}`
        })
      )
    mkdirSync(join(dir, 'empty'))
    mkdirSync(join(dir, 'bad'))
    writeFileSync(join(dir, 'bad', 'x.json'), '{}')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const plan = (w: Record<string, string>) => {
    const values: Record<string, string> = { ...inputDefaults(), 'host-paths': dir, ...w }
    return getInputs(name => values[name] ?? '')
  }
  const error = (w: Record<string, string>): InputError => {
    try {
      plan(w)
    } catch (e: unknown) {
      expect(e).toBeInstanceOf(InputError)
      return e as InputError
    }
    throw new Error('no error')
  }
  const build = {
    context: '',
    tags: `${REPO}:1`,
    'push-by-digest': 'true',
    platforms: 'linux/arm64'
  }

  test('push-by-digest: the output, no push of tags, one platform', () => {
    const p = plan({ ...build, context: dir, push: 'true' })
    expect(p.images.pushByDigest).toBe(true)
    expect(p.images.push).toBe(false)
    expect(p.images.build?.output).toBe(pushByDigestOutput(REPO))
  })

  test.each([
    [{ platforms: '' }, /one platform this runner builds/],
    [{ platforms: 'linux/amd64,linux/arm64' }, /not linux\/amd64, linux\/arm64/],
    [{ outputs: 'type=local,dest=out' }, /remove "outputs"/],
    [{ tags: '' }, /needs "tags"/],
    [{ save: 'x.tar' }, /remove "save"/]
  ])('push-by-digest refused: %o', (w, message) => {
    const e = error({ ...build, context: dir, ...w })
    expect(e.message).toMatch(message)
    expect(e.message).toMatch(/push-by-digest/)
  })

  test('push-by-digest without context', () => {
    expect(error({ ...build }).message).toMatch(/"context" is not set/)
  })

  test('merge: directories searched recursively in name order, references as given; annotations for the index', () => {
    const ref = `${REPO}@sha256:${'c'.repeat(64)}`
    const p = plan({
      merge: `${join(dir, 'art')}\n${ref}`,
      tags: `${REPO}:1`,
      annotations: 'index:a=1'
    })
    expect(p.images.merge?.sources).toEqual([
      {
        reference: `${REPO}@sha256:${'a'.repeat(64)}`,
        platform: 'linux/amd64',
        origin: join(dir, 'art', 'digests-linux-amd64', 'digests-linux-amd64.json')
      },
      {
        reference: `${REPO}@sha256:${'b'.repeat(64)}`,
        platform: 'linux/arm64',
        origin: join(dir, 'art', 'digests-linux-arm64', 'digests-linux-arm64.json')
      },
      { reference: ref }
    ])
    expect(p.images.merge?.annotations).toEqual(['index:a=1'])
    expect(p.images.push).toBe(false)
  })

  test.each([
    [{ merge: 'x@sha256:12' }, /not REPOSITORY@sha256/],
    [{ merge: 'EMPTY' }, /holds no digests file/],
    [{ merge: 'BAD' }, /is not a digests file/],
    [{ merge: '/definitely/elsewhere' }, /outside/],
    [{ merge: 'ART', tags: '' }, /"tags" is empty/],
    [{ merge: 'ART', context: '.' }, /"context" is set too/],
    [{ merge: 'ART', 'push-by-digest': 'true' }, /two different jobs/],
    [{ merge: 'ART', annotations: 'manifest:a=1' }, /a merge sets only the index's/]
  ])('merge refused: %o', (w, message) => {
    const m = (w.merge ?? '')
      .replace('EMPTY', join(dir, 'empty'))
      .replace('BAD', join(dir, 'bad'))
      .replace('ART', join(dir, 'art'))
    const e = error({ tags: `${REPO}:1`, ...w, merge: m })
    expect(e.message).toMatch(message)
    expect(e.message).toMatch(/merge/)
  })
})
