// Builds at parity with docker/build-push-action, against the real BuildKit and
// registry: secrets that reach the build and nothing else, registry and local
// cache proven by BuildKit's own "CACHED" lines after a prune, local and tar
// outputs, provenance in the pushed index, build contexts, hosts and network,
// buildx metadata, and a build through a second buildkitd over TCP.
//
// The shared BuildKit is never pruned: the cache tests prune a buildkitd this
// file starts (OCI worker, its own state directory, loopback TCP) and stops.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { LocalStep } from '../../src/cli/step.js'
import { Nerdctl } from '../../src/nerdctl/exec/client.js'
import { imageBuild } from '../../src/nerdctl/ops/images.js'
import { buildSteps } from '../../src/nerdctl/pure/command-output.js'
import { ROOT, inputEnv } from '../helpers/action-defaults.js'
import {
  BASE_IMAGE,
  BUILDKIT_HOST,
  REGISTRY,
  freePort,
  removeQuietly,
  tempDir,
  uniqueName
} from './helpers.js'
import { readManifest } from './registry-api.js'
import { ActionStep } from './run-action.js'

const client = new Nerdctl()
const images: string[] = []
const cleanups: (() => void | Promise<void>)[] = []

afterAll(async () => {
  await removeQuietly(client, { images })
  for (const c of cleanups.reverse()) await c()
})

function step(inputs: Record<string, string>, env: Record<string, string> = {}): ActionStep {
  const s = new ActionStep(inputs, env)
  cleanups.push(() => s.remove())
  return s
}

function dir(prefix: string): string {
  const d = tempDir(`nerdctl-builds-${prefix}-`)
  cleanups.push(d.remove)
  return d.path
}

function tagOf(name: string): string {
  const t = `${REGISTRY}/itg/builds-${name}:${uniqueName('b').slice(4)}`
  images.push(t)
  return t
}

/** A build context with this Dockerfile. */
function context(dockerfile: string, files: Record<string, string> = {}): string {
  const d = dir('ctx')
  writeFileSync(join(d, 'Dockerfile'), dockerfile)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text)
  return d
}

/**
 * The RUN steps of a plain BuildKit log and whether each came from the cache.
 * BuildKit numbers each vertex (`#6 [2/4] RUN …`) and, for a cache hit,
 * prints `#6 CACHED`.
 */
function runSteps(log: string): { step: string; cached: boolean }[] {
  // The step log prefixes lines; BuildKit's own lines start at their `#N`.
  const progress = log
    .split('\n')
    .map(l => l.replace(/^.*?(#\d+ )/, '$1'))
    .join('\n')
  return buildSteps(progress).filter(s => /^\[(?:\S+ )?\d+\/\d+\] RUN /.test(s.step))
}

/** A buildkitd of this test's own: OCI worker, own state, loopback TCP. */
async function startBuildkitd(): Promise<{ host: string; stop: () => Promise<void> }> {
  const port = await freePort()
  const root = dir('buildkitd')
  const host = `tcp://127.0.0.1:${port}`
  const config = join(root, 'buildkitd.toml')
  writeFileSync(
    config,
    [
      `root = "${join(root, 'state')}"`,
      '[grpc]',
      `  address = ["${host}"]`,
      '[worker.oci]',
      '  enabled = true',
      '  gc = false',
      '[worker.containerd]',
      '  enabled = false',
      `[registry."${REGISTRY}"]`,
      '  http = true',
      ''
    ].join('\n')
  )
  const proc: ChildProcess = spawn('buildkitd', ['--config', config], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let log = ''
  proc.stderr?.on('data', (c: Buffer) => (log += c.toString()))
  const deadline = Date.now() + 20000
  while (!log.includes('running server on')) {
    if (Date.now() > deadline || proc.exitCode !== null)
      throw new Error(`buildkitd did not start: ${log}`)
    await new Promise(r => setTimeout(r, 100))
  }
  const stop = async (): Promise<void> => {
    if (proc.exitCode !== null) return
    const exited = new Promise(r => proc.once('exit', r))
    proc.kill('SIGTERM')
    await Promise.race([exited, new Promise(r => setTimeout(r, 10000))])
    if (proc.exitCode === null) proc.kill('SIGKILL')
    proc.stderr?.destroy()
  }
  cleanups.push(stop)
  return { host, stop }
}

/** `buildctl prune --all` on a buildkitd this file started (never the shared one). */
async function prune(host: string): Promise<void> {
  expect(host).not.toBe(BUILDKIT_HOST)
  await new Promise<void>((resolve, reject) => {
    const p = spawn('buildctl', ['--addr', host, 'prune', '--all'], { stdio: 'ignore' })
    p.on('exit', code => (code === 0 ? resolve() : reject(new Error(`prune exited ${code}`))))
  })
}

/** Every file under a directory, recursively. */
function filesUnder(d: string): string[] {
  if (!existsSync(d)) return []
  return readdirSync(d, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? filesUnder(join(d, e.name)) : [join(d, e.name)]
  )
}

/** A blob's bytes, unpacked when gzipped (layers usually are). */
function contentOf(path: string): Buffer {
  const b = readFileSync(path)
  if (b[0] === 0x1f && b[1] === 0x8b) {
    try {
      return gunzipSync(b)
    } catch {
      return b
    }
  }
  return b
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

/** The step's log without the runner's masking commands, which the runner consumes. */
function shown(log: string): string {
  return log
    .split('\n')
    .filter(l => !l.startsWith('::add-mask::'))
    .join('\n')
}

describe('secrets', () => {
  test('by value, by file and by env: read correctly in RUN --mount=type=secret, found nowhere afterwards', async () => {
    const byValue = `val-${randomBytes(12).toString('hex')}`
    const byEnv = `env-${randomBytes(12).toString('hex')}`
    const byFile = `file-${randomBytes(12).toString('hex')}`
    const secretFile = join(dir('secret'), 'token.txt')
    writeFileSync(secretFile, byFile, { mode: 0o600 })
    const tag = tagOf('secret')
    const ctx = context(
      `FROM ${BASE_IMAGE}\n` +
        'RUN --mount=type=secret,id=tok --mount=type=secret,id=fromenv --mount=type=secret,id=fromfile ' +
        "sha256sum /run/secrets/tok /run/secrets/fromenv /run/secrets/fromfile | cut -d' ' -f1 > /sums\n"
    )
    const s = step(
      {
        context: ctx,
        tags: tag,
        'buildkit-host': BUILDKIT_HOST,
        secrets: `tok=${byValue}`,
        'secret-files': `fromfile=${secretFile}`,
        'secret-envs': 'fromenv=MY_BUILD_TOKEN',
        'no-cache': 'true'
      },
      { MY_BUILD_TOKEN: byEnv, RUNNER_DEBUG: '1' }
    )
    const main = await s.main()
    expect(main.exitCode).toBe(0)
    // Each secret reached the build whole: its hash is what the RUN step saw.
    const { stdout: sums } = await client.exec(['run', '--rm', tag, 'cat', '/sums'])
    expect(sums.trim().split('\n')).toEqual([sha256(byValue), sha256(byEnv), sha256(byFile)])
    // The argv nerdctl got names the secrets, never a value.
    expect(main.log).toMatch(/--secret id=tok,src=\S+\/secret-0/)
    expect(main.log).toContain('--secret id=fromenv,env=MY_BUILD_TOKEN')
    const post = await s.post()
    expect(post.exitCode).toBe(0)

    const places: [string, string][] = [
      ['main log', shown(main.log)],
      ['post log', shown(post.log)],
      ['outputs', JSON.stringify(main.outputs)],
      ['state', JSON.stringify(main.state)],
      ['summary', main.summary]
    ]
    const history = await client.exec(['image', 'history', '--no-trunc', tag])
    places.push(['history', history.stdout])
    places.push(['inspect', (await client.exec(['image', 'inspect', tag])).stdout])
    // Every layer and config blob of the image, unpacked.
    const saved = dir('saved')
    await client.exec(['save', '--output', join(saved, 'image.tar'), tag])
    await new Promise<void>((resolve, reject) => {
      const t = spawn('tar', ['-xf', 'image.tar'], { cwd: saved })
      t.on('exit', c => (c === 0 ? resolve() : reject(new Error(`tar ${c}`))))
    })
    const blobs = filesUnder(saved)
    expect(blobs.length).toBeGreaterThan(3)
    for (const b of blobs) places.push([`image blob ${b}`, contentOf(b).toString('latin1')])
    // The step's directory after post: the runner's files and the scratch dir.
    for (const f of filesUnder(s.dir)) places.push([`file ${f}`, shown(readFileSync(f, 'latin1'))])
    expect(readdirSync(s.dir).filter(n => n.startsWith('nerdctl-action-'))).toEqual([])

    for (const [where, text] of places) {
      for (const secret of [byValue, byEnv, byFile]) {
        if (text.includes(secret)) throw new Error(`secret found in ${where}`)
      }
    }
  })

  test('the library writes a secret by value 0600 in a private directory and removes it', async () => {
    const value = `lib-${randomBytes(8).toString('hex')}`
    const tmp = dir('libtmp')
    const before = process.env.TMPDIR
    process.env.TMPDIR = tmp
    try {
      const ctx = context(
        `FROM ${BASE_IMAGE}\nRUN --mount=type=secret,id=s stat -c %a /run/secrets/s > /mode && sha256sum /run/secrets/s | cut -d' ' -f1 > /sum\n`
      )
      const tag = tagOf('libsecret')
      const r = await imageBuild(tag, ctx, {
        client,
        secrets: [{ id: 's', value }],
        noCache: true
      })
      expect(r.stdout + r.stderr).not.toContain(value)
      const { stdout } = await client.exec(['run', '--rm', tag, 'cat', '/sum'])
      expect(stdout.trim()).toBe(sha256(value))
      expect(filesUnder(tmp)).toEqual([])
    } finally {
      if (before === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = before
    }
  })
})

describe('cache across BuildKits, proven by BuildKit saying CACHED', () => {
  const dockerfile = (salt: string): string =>
    `FROM ${BASE_IMAGE}\nRUN echo one-${salt} > /one\nRUN echo two > /two && sleep 1\nRUN cat /one /two > /three\n`

  test('registry cache: export (mode=max), prune, import: every RUN step CACHED; builds and pushes through a second buildkitd over TCP', async () => {
    const bk = await startBuildkitd()
    const ctx = context(dockerfile(randomBytes(6).toString('hex')))
    const cacheRef = tagOf('cache')
    const tag = tagOf('remote')
    const first = step({
      context: ctx,
      tags: tag,
      'buildkit-host': bk.host,
      'cache-to': `type=registry,ref=${cacheRef},mode=max`
    })
    const r1 = await first.main()
    expect(r1.exitCode).toBe(0)
    expect(runSteps(r1.log).map(s => s.cached)).toEqual([false, false, false])
    await first.post()

    // A fresh runner: the BuildKit remembers nothing.
    await prune(bk.host)
    const second = step({
      context: ctx,
      tags: tag,
      'buildkit-host': bk.host,
      'cache-from': `type=registry,ref=${cacheRef}`,
      push: 'true'
    })
    const r2 = await second.main()
    expect(r2.exitCode).toBe(0)
    const steps = runSteps(r2.log)
    expect(steps).toHaveLength(3)
    expect(steps.every(s => s.cached)).toBe(true)
    // Built remotely, loaded here, pushed: the registry serves what we report.
    const pushed = await readManifest(tag)
    expect(r2.outputs.digest).toBe(pushed.digest)
    await second.post()

    // The fleet's way: BuildKit pushes the image itself; nothing comes back to the runner.
    const direct = tagOf('direct')
    const third = step({
      context: ctx,
      tags: direct,
      'buildkit-host': bk.host,
      'cache-from': `type=registry,ref=${cacheRef}`,
      outputs: 'type=registry'
    })
    const r3 = await third.main()
    if (r3.exitCode !== 0) throw new Error(r3.log.slice(-3000))
    expect(runSteps(r3.log).every(s => s.cached)).toBe(true)
    expect(r3.log).not.toContain('Loaded image')
    const fromRegistry = await readManifest(direct)
    expect(r3.outputs.digest).toBe(fromRegistry.digest)
    expect(r3.outputs['image-id']).toBe(fromRegistry.digest)
    await third.post()
  })

  test('local cache directory: type=local dest then src, after a prune, every RUN step CACHED; ignore-error keeps a failed export non-fatal', async () => {
    const bk = await startBuildkitd()
    const cacheDir = join(dir('cache'), 'c')
    const ctx = context(dockerfile(randomBytes(6).toString('hex')))
    const tag = tagOf('localcache')
    const first = step({
      context: ctx,
      tags: tag,
      'buildkit-host': bk.host,
      'cache-to': `type=local,dest=${cacheDir},mode=max\ntype=registry,ref=127.0.0.1:9/nothing:here,ignore-error=true`
    })
    const r1 = await first.main()
    expect(r1.exitCode).toBe(0)
    // The second export did fail (BuildKit says so), and the build still succeeded.
    expect(r1.log).toMatch(/ERROR: .*127\.0\.0\.1:9.*connection refused/)
    expect(existsSync(join(cacheDir, 'index.json'))).toBe(true)
    await first.post()
    await prune(bk.host)
    const second = step({
      context: ctx,
      tags: tag,
      'buildkit-host': bk.host,
      'cache-from': `type=local,src=${cacheDir}`
    })
    const r2 = await second.main()
    expect(r2.exitCode).toBe(0)
    const steps = runSteps(r2.log)
    expect(steps).toHaveLength(3)
    expect(steps.every(s => s.cached)).toBe(true)
    await second.post()
  })
})

describe('outputs', () => {
  test.each([
    ['local', 'out-dir', (p: string) => readFileSync(join(p, 'hello'), 'utf8')],
    [
      'tar',
      'out.tar',
      (p: string) =>
        statSync(p).isFile() && readFileSync(p).includes('hello-output') ? 'hello-output\n' : ''
    ]
  ])(
    'type=%s writes on the runner, atomically, and leaves no image ID',
    async (type, name, read) => {
      const out = dir('out')
      const dest = join(out, name)
      const ctx = context(`FROM ${BASE_IMAGE}\nRUN echo hello-output > /hello\n`)
      const s = step({
        context: ctx,
        'buildkit-host': BUILDKIT_HOST,
        outputs: `type=${type},dest=${dest}`
      })
      const r = await s.main()
      expect(r.exitCode).toBe(0)
      expect(read(dest)).toBe('hello-output\n')
      // Only the target: no partial name beside it.
      expect(readdirSync(out)).toEqual([name])
      expect(r.outputs['image-id']).toBeUndefined()
      await s.post()
    }
  )
})

describe('attestations, annotations, metadata', () => {
  test('provenance mode=max is in the pushed index; annotations reach the manifest; metadata has buildx names', async () => {
    const tag = tagOf('prov')
    const ctx = context(`FROM ${BASE_IMAGE}\nRUN echo prov > /p\n`)
    const s = step({
      context: ctx,
      tags: tag,
      'buildkit-host': BUILDKIT_HOST,
      provenance: 'mode=max',
      annotations: 'org.opencontainers.image.title=parity-test',
      push: 'true'
    })
    const r = await s.main()
    expect(r.exitCode).toBe(0)
    const index = await readManifest(tag)
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json')
    const att = index.manifests.find(m => m.platform?.os === 'unknown')
    expect(att).toBeDefined()
    const { host, repo } = { host: REGISTRY, repo: tag.slice(REGISTRY.length + 1).split(':')[0] }
    const attManifest = (await (
      await fetch(`http://${host}/v2/${repo}/manifests/${att?.digest}`, {
        headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' }
      })
    ).json()) as { layers: { digest: string; annotations?: Record<string, string> }[] }
    const prov = attManifest.layers.find(l =>
      (l.annotations?.['in-toto.io/predicate-type'] ?? '').includes('slsa.dev/provenance')
    )
    expect(prov).toBeDefined()
    const statement = await (await fetch(`http://${host}/v2/${repo}/blobs/${prov?.digest}`)).text()
    // mode=max records the build's definition; mode=min does not.
    expect(statement).toMatch(/"buildConfig"|"buildDefinition"/)

    const image = index.manifests.find(m => m.platform?.os === 'linux')
    const manifest = (await (
      await fetch(`http://${host}/v2/${repo}/manifests/${image?.digest}`, {
        headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' }
      })
    ).json()) as { annotations?: Record<string, string> }
    expect(manifest.annotations?.['org.opencontainers.image.title']).toBe('parity-test')

    const meta = JSON.parse(r.outputs.metadata ?? '{}') as Record<string, unknown>
    expect(meta['containerimage.digest']).toBe(index.digest)
    expect(meta['image.name']).toBe(tag)
    expect(meta['containerimage.descriptor']).toMatchObject({ digest: index.digest })
    expect(r.outputs.digest).toBe(index.digest)
    await s.post()
  })
})

describe('build contexts, hosts, network, pull', () => {
  test('a named context, an extra host, no network, and always pulling', async () => {
    const tag = tagOf('ctx')
    const extra = dir('extra')
    writeFileSync(join(extra, 'note.txt'), 'from the named context\n')
    const ctx = context(
      'FROM base\n' +
        'COPY --from=notes note.txt /note.txt\n' +
        'RUN grep -q "10.9.8.7[[:space:]]*db.internal" /etc/hosts\n' +
        // Only the loopback interface: /proc/net/dev has one "name:" line per interface.
        'RUN test "$(grep -c : /proc/net/dev)" = 1\n'
    )
    const s = step(
      {
        context: ctx,
        tags: tag,
        'buildkit-host': BUILDKIT_HOST,
        'build-contexts': `base=docker-image://${BASE_IMAGE}\nnotes=${extra}`,
        'add-hosts': 'db.internal:10.9.8.7',
        'build-network': 'none',
        'build-pull': 'true',
        'no-cache': 'true'
      },
      { RUNNER_DEBUG: '1' }
    )
    const r = await s.main()
    expect(r.exitCode).toBe(0)
    expect(r.log).toContain('--pull')
    const { stdout } = await client.exec(['run', '--rm', tag, 'cat', '/note.txt'])
    expect(stdout).toBe('from the named context\n')
    await s.post()
  })
})

test('the build log group streams BuildKit progress live', async () => {
  const ctx = context(`FROM ${BASE_IMAGE}\nRUN echo start && sleep 3 && echo end\n`)
  const tag = tagOf('live')
  const seen: { at: number; text: string }[] = []
  const s = new LocalStep({
    bundle: join(ROOT, 'dist', 'index.js'),
    inputEnv: inputEnv({
      context: ctx,
      // The context is outside the step's workspace.
      'host-paths': ctx,
      tags: tag,
      'buildkit-host': BUILDKIT_HOST,
      'no-cache': 'true'
    }),
    env: { GITHUB_RUN_ID: '4242' },
    onOutput: text => seen.push({ at: Date.now(), text })
  })
  cleanups.push(() => s.remove())
  const r = await s.main()
  const end = Date.now()
  expect(r.exitCode).toBe(0)
  const runLine = seen.find(c => /#\d+ \[2\/2\] RUN echo start/.test(c.text))
  expect(runLine).toBeDefined()
  // The RUN step was printed while it ran, seconds before the step ended.
  expect(end - (runLine?.at ?? end)).toBeGreaterThan(2000)
  const group = r.log.slice(
    r.log.indexOf('::group::build'),
    r.log.indexOf('::endgroup::', r.log.indexOf('::group::build'))
  )
  expect(group).toMatch(/#\d+ DONE/)
  await s.post()
})

describe('SBOM from a generator built here', () => {
  test('sbom: generator=<the local syft image> puts an SPDX attestation in the pushed index', async () => {
    // Builds (first time: syft from the Go module proxy) and pushes the
    // generator, or finds it in the registry.
    const made = spawnSync('bash', [join(ROOT, 'scripts', 'sbom-generator.sh')], {
      encoding: 'utf8',
      timeout: 1_500_000
    })
    if (made.status !== 0) throw new Error(`sbom-generator.sh failed: ${made.stderr.slice(-3000)}`)
    const generator = made.stdout.trim().split('\n').pop() as string
    expect(generator).toMatch(/\/tools\/sbom-syft:/)

    const tag = tagOf('sbom')
    const ctx = context(`FROM ${BASE_IMAGE}\nRUN echo sbom > /s\n`)
    const s = step({
      context: ctx,
      tags: tag,
      'buildkit-host': BUILDKIT_HOST,
      sbom: `generator=${generator}`,
      push: 'true'
    })
    const r = await s.main()
    if (r.exitCode !== 0) throw new Error(r.log.slice(-3000))
    const index = await readManifest(tag)
    const att = index.manifests.find(m => m.platform?.os === 'unknown')
    expect(att).toBeDefined()
    const repo = tag.slice(REGISTRY.length + 1).split(':')[0] as string
    const attManifest = (await (
      await fetch(`http://${REGISTRY}/v2/${repo}/manifests/${att?.digest}`, {
        headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' }
      })
    ).json()) as { layers: { digest: string; annotations?: Record<string, string> }[] }
    const spdx = attManifest.layers.find(
      l => l.annotations?.['in-toto.io/predicate-type'] === 'https://spdx.dev/Document'
    )
    expect(spdx).toBeDefined()
    const statement = (await (
      await fetch(`http://${REGISTRY}/v2/${repo}/blobs/${spdx?.digest}`)
    ).json()) as { predicate: { spdxVersion: string; packages?: { name: string }[] } }
    expect(statement.predicate.spdxVersion).toMatch(/^SPDX-2\./)
    expect(Array.isArray(statement.predicate.packages)).toBe(true)
    await s.post()
  }, 1_800_000)
})

test('ssh: a key given by path reaches RUN --mount=type=ssh as an agent socket; attests adds provenance to the pushed index', async () => {
  const keys = dir('ssh')
  const keygen = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(keys, 'id')])
  expect(keygen.status).toBe(0)
  const tag = tagOf('ssh')
  const ctx = context(
    `FROM ${BASE_IMAGE}\nRUN --mount=type=ssh,id=deploy test -S "$SSH_AUTH_SOCK" && echo agent > /ssh-ok\n`
  )
  const s = step({
    context: ctx,
    tags: tag,
    'buildkit-host': BUILDKIT_HOST,
    ssh: `deploy=${join(keys, 'id')}`,
    attests: 'type=provenance,mode=min',
    'no-cache': 'true',
    push: 'true'
  })
  const r = await s.main()
  if (r.exitCode !== 0) throw new Error(r.log.slice(-3000))
  const { stdout } = await client.exec(['run', '--rm', tag, 'cat', '/ssh-ok'])
  expect(stdout).toBe('agent\n')
  const index = await readManifest(tag)
  expect(index.manifests.some(m => m.platform?.os === 'unknown')).toBe(true)
  // The private key's contents are nowhere in the log.
  const key = readFileSync(join(keys, 'id'), 'utf8').split('\n')[1] as string
  expect(r.log).not.toContain(key)
  await s.post()
})
