// Signing and verification end to end with the real cosign (scripts/cosign.sh),
// offline: every step and every cosign call runs in a network namespace of
// this test's own with loopback alone, where a registry process of the
// stack's own binary serves the stack's registry storage on 127.0.0.1:5000.
// nerdctl reaches containerd through its unix socket and does its pushes and
// pulls from the client, so the step works there; anything that wants
// Sigstore's public services (Rekor, Fulcio, TUF) has no route and fails.
// BuildKit builds outside (a daemon), as it would on a runner.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  Nerdctl,
  imageBuild,
  imagePush,
  imageRemove,
  imageTag,
  signatureReference
} from '../../src/nerdctl/index.js'
import { stepNode } from '../../src/cli/step.js'
import { ActionStep, type StepRun } from './run-action.js'
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
import { readManifest, platformString } from './registry-api.js'

const NS = `cosign-itg-${process.pid}`
const REGISTRY_CONFIGS = ['plain', 'auth'].map(
  n => `/var/lib/nerdctl-action-stack/registry/${n}.yml`
)
const client = new Nerdctl({ buildkitHost: BUILDKIT_HOST })
const PW_A = 'cosign-itg-Pw!a-5521'
const PW_B = 'cosign-itg-Pw!b-7730'
const REPO = `${REGISTRY}/itg/cosign-${process.pid}`

const registries: ChildProcess[] = []
const dir = tempDir('cosign-itg-')
/** node, started inside the namespace: how each step runs. */
const nodeInNs = join(dir.path, 'node-in-netns')
const made: string[] = []

/** A command inside the namespace. */
function inNs(
  argv: string[],
  env: Record<string, string> = {}
): { code: number; out: string; err: string } {
  try {
    const out = execFileSync('ip', ['netns', 'exec', NS, ...argv], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000
    })
    return { code: 0, out, err: '' }
  } catch (e: unknown) {
    const x = e as { status?: number; stdout?: string; stderr?: string }
    return { code: x.status ?? -1, out: x.stdout ?? '', err: x.stderr ?? '' }
  }
}

const keyA = join(dir.path, 'a', 'cosign.key')
const pubA = join(dir.path, 'a', 'cosign.pub')
const keyB = join(dir.path, 'b', 'cosign.key')

function cosignSign(ref: string, key: string, password: string): void {
  const r = inNs(['cosign', 'sign', '--yes', '--key', key, '--tlog-upload=false', ref], {
    COSIGN_PASSWORD: password
  })
  if (r.code !== 0) throw new Error(`cosign sign ${ref}: ${r.err}`)
}

/** A fresh single-platform image under `tag`, pushed (from outside the namespace, same storage); its digest. */
async function pushNew(tag: string, stamp: string): Promise<string> {
  const ctx = tempDir('cosign-itg-ctx-')
  try {
    writeFileSync(join(ctx.path, 'Dockerfile'), `FROM ${MULTI_IMAGE}\nRUN echo ${stamp} >/stamp\n`)
    await imageBuild(tag, ctx.path, { client })
    made.push(tag)
    const pushed = await imagePush(tag, undefined, { client })
    if (!pushed.digest) throw new Error(`no digest pushed for ${tag}`)
    return pushed.digest
  } finally {
    ctx.remove()
  }
}

function step(inputs: Record<string, string>): ActionStep {
  return new ActionStep(inputs, {}, { node: nodeInNs })
}

/** Runs a step's main and post in the namespace; returns main's run. */
async function runStep(inputs: Record<string, string>): Promise<StepRun> {
  const s = step(inputs)
  try {
    const main = await s.main()
    await s.post()
    return main
  } finally {
    s.remove()
  }
}

function containerExists(name: string): boolean {
  try {
    execFileSync('nerdctl', ['container', 'inspect', name], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

beforeAll(async () => {
  execFileSync('ip', ['netns', 'add', NS])
  execFileSync('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up'])
  // The stack's two registries (open, htpasswd), serving the stack's storage inside the namespace.
  for (const config of REGISTRY_CONFIGS)
    registries.push(
      spawn('ip', ['netns', 'exec', NS, '/usr/bin/docker-registry', 'serve', config], {
        stdio: 'ignore'
      })
    )
  for (const host of [REGISTRY, AUTH_REGISTRY])
    for (let i = 0; ; i++) {
      const r = inNs(['curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', `http://${host}/v2/`])
      if (r.out === '200' || r.out === '401') break
      if (i > 50) throw new Error(`the registry ${host} in the namespace did not start`)
      await new Promise(res => setTimeout(res, 100))
    }
  writeFileSync(
    nodeInNs,
    `#!/bin/bash\n# bash, not sh: dash drops INPUT_COSIGN-KEY and every variable with a dash in its name.\nexec ip netns exec ${NS} ${stepNode()} "$@"\n`
  )
  chmodSync(nodeInNs, 0o755)
  for (const [sub, pw] of [
    ['a', PW_A],
    ['b', PW_B]
  ] as const) {
    execFileSync('mkdir', ['-p', join(dir.path, sub)])
    const r = inNs(['sh', '-c', `cd ${join(dir.path, sub)} && cosign generate-key-pair`], {
      COSIGN_PASSWORD: pw
    })
    if (r.code !== 0) throw new Error(`generate-key-pair: ${r.err}`)
  }
}, 60_000)

afterAll(async () => {
  for (const tag of made) await imageRemove(tag, { client, force: true }).catch(() => undefined)
  // And what the steps pulled by digest (repo@sha256:…), under this test's repositories alone.
  const repos = [REPO, `${AUTH_REGISTRY}/itg/cosign-${process.pid}`]
  const pulled = execFileSync('nerdctl', ['images', '--format', '{{.Repository}}@{{.Digest}}'], {
    encoding: 'utf8'
  })
    .split('\n')
    .filter(ref => repos.includes(ref.split('@')[0] ?? ''))
  for (const ref of new Set(pulled))
    await imageRemove(ref, { client, force: true }).catch(() => undefined)
  // `ip netns exec` execs the registry: each pid is a registry's own.
  for (const r of registries) if (r.pid) process.kill(r.pid, 'SIGTERM')
  await new Promise(r => setTimeout(r, 200))
  execFileSync('ip', ['netns', 'del', NS])
  dir.remove()
})

test('the namespace has no route out: a transparency-log lookup fails loudly', async () => {
  expect(inNs(['ip', 'route', 'show']).out.trim()).toBe('')
  const tag = `${REPO}:tlog`
  const digest = await pushNew(tag, 'tlog')
  cosignSign(`${REPO}@${digest}`, keyA, PW_A)
  // Offline verification passes; the same one that also checks Rekor cannot.
  expect(
    inNs(['cosign', 'verify', '--key', pubA, '--insecure-ignore-tlog=true', `${REPO}@${digest}`])
      .code
  ).toBe(0)
  const online = inNs(['cosign', 'verify', '--key', pubA, `${REPO}@${digest}`])
  expect(online.code).not.toBe(0)
  expect(online.err).toMatch(/lookup|dial tcp|no such host|network is unreachable|tuf|rekor/i)
  // The step, asked to use the log, fails the same way rather than skipping it.
  const main = await runStep({
    pull: tag,
    verify: 'cosign',
    'cosign-public-key': pubA,
    'cosign-tlog': 'true'
  })
  expect(main.exitCode).not.toBe(0)
  expect(main.stdout).toContain(`image ${tag} failed cosign verification`)
}, 120_000)

describe('a multi-platform image with provenance, signed by the step', () => {
  const tag = `${REPO}:multi`
  let digest = ''

  test('built, pushed and signed by the index digest; cosign verify accepts it; nothing leaked', async () => {
    const ctx = tempDir('cosign-itg-ctx-')
    try {
      writeFileSync(join(ctx.path, 'Dockerfile'), `FROM ${MULTI_IMAGE}\nCOPY stamp /stamp\n`)
      writeFileSync(join(ctx.path, 'stamp'), `${tag}\n`)
      made.push(tag)
      const main = await runStep({
        context: ctx.path,
        tags: tag,
        platforms: 'linux/amd64,linux/arm64',
        provenance: 'mode=min',
        'buildkit-host': BUILDKIT_HOST,
        push: 'true',
        sign: 'cosign',
        'cosign-key': keyA,
        'cosign-password': PW_A
      })
      expect(main.exitCode).toBe(0)
      digest = main.outputs.digest ?? ''
      const remote = await readManifest(tag)
      // The index the registry serves, with both platforms and the attestations as BuildKit made them.
      expect(remote.digest).toBe(digest)
      const platforms = remote.manifests.map(m => platformString(m.platform))
      expect(platforms).toEqual(expect.arrayContaining(['linux/amd64', 'linux/arm64']))
      expect(platforms).toContain('unknown/unknown')
      expect(JSON.parse(main.outputs.signatures ?? '')).toEqual([
        { ref: tag, digest, signature: signatureReference(tag, digest) }
      ])
      // The signature is in the registry, beside the image.
      await expect(readManifest(signatureReference(tag, digest))).resolves.toBeDefined()
      // cosign itself, run separately, accepts the index digest.
      const check = inNs([
        'cosign',
        'verify',
        '--key',
        pubA,
        '--insecure-ignore-tlog=true',
        `${REPO}@${digest}`
      ])
      expect(check.code).toBe(0)
      expect(check.out).toContain(digest)
      // The password: masked, and nowhere else.
      expect(main.masks).toContain(PW_A)
      const everywhere = [
        // The mask command itself is how the runner learns to hide it.
        main.stdout.replace(`::add-mask::${PW_A}`, ''),
        JSON.stringify(main.outputs),
        JSON.stringify(main.state),
        main.summary
      ].join('\n')
      expect(everywhere).not.toContain(PW_A)
    } finally {
      ctx.remove()
    }
  }, 180_000)

  test('verify: cosign runs it, as the verified digest', async () => {
    expect(digest).toMatch(/^sha256:/)
    const name = uniqueName('cosign-ok')
    const main = await runStep({
      image: tag,
      run: 'true',
      name,
      detach: 'false',
      command: 'cat /stamp',
      verify: 'cosign',
      'cosign-public-key': pubA
    })
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain(`verified ${tag}: ${REPO}@${digest}`)
    expect(main.stdout).toContain(tag)
    expect(main.outputs['exit-code']).toBe('0')
  }, 120_000)
})

describe('refused before any container starts', () => {
  async function refused(image: string): Promise<StepRun> {
    const name = uniqueName('cosign-no')
    const main = await runStep({
      image,
      run: 'true',
      name,
      verify: 'cosign',
      'cosign-public-key': pubA
    })
    expect(main.exitCode).not.toBe(0)
    expect(main.stdout).toContain(`image ${image} failed cosign verification`)
    expect(containerExists(name)).toBe(false)
    return main
  }

  test('an unsigned image', async () => {
    const tag = `${REPO}:unsigned`
    await pushNew(tag, 'unsigned')
    expect((await refused(tag)).stdout).toContain('(no signature)')
  }, 120_000)

  test('an image signed with another key', async () => {
    const tag = `${REPO}:other-key`
    const digest = await pushNew(tag, 'other-key')
    cosignSign(`${REPO}@${digest}`, keyB, PW_B)
    expect((await refused(tag)).stdout).toContain('(wrong key)')
  }, 120_000)

  test('a tag pushed again after it was signed', async () => {
    const tag = `${REPO}:moved`
    const signed = await pushNew(tag, 'moved-1')
    cosignSign(`${REPO}@${signed}`, keyA, PW_A)
    const moved = await pushNew(tag, 'moved-2')
    expect(moved).not.toBe(signed)
    expect((await refused(tag)).stdout).toContain('(no signature)')
  }, 120_000)
})

test("a registry with a login: cosign writes and reads signatures with the step's credentials", async () => {
  const tag = `${AUTH_REGISTRY}/itg/cosign-${process.pid}:auth`
  await imageTag(BASE_IMAGE, tag, { client })
  made.push(tag)
  const login = { registry: AUTH_REGISTRY, username: AUTH_USER, password: AUTH_PASSWORD }
  const signed = await runStep({
    ...login,
    tags: tag,
    push: 'true',
    sign: 'cosign',
    'cosign-key': keyA,
    'cosign-password': PW_A
  })
  expect(signed.exitCode).toBe(0)
  const digest = signed.outputs.digest ?? ''
  await expect(
    readManifest(signatureReference(tag, digest), {
      auth: { username: AUTH_USER, password: AUTH_PASSWORD }
    })
  ).resolves.toBeDefined()
  const verified = await runStep({
    ...login,
    pull: tag,
    verify: 'cosign',
    'cosign-public-key': pubA
  })
  expect(verified.exitCode).toBe(0)
  expect(verified.stdout).toContain(
    `verified ${tag}: ${AUTH_REGISTRY}/itg/cosign-${process.pid}@${digest}`
  )
}, 120_000)

test('services: each image verified before any service starts, and run as the digest verified', async () => {
  const signedTag = `${REPO}:svc-signed`
  const digest = await pushNew(signedTag, 'svc-signed')
  cosignSign(`${REPO}@${digest}`, keyA, PW_A)
  const unsignedTag = `${REPO}:svc-unsigned`
  await pushNew(unsignedTag, 'svc-unsigned')
  const ok = await runStep({
    services: `web:\n  image: ${signedTag}\n  command: sleep 600\n`,
    verify: 'cosign',
    'cosign-public-key': pubA
  })
  expect(ok.exitCode).toBe(0)
  expect(ok.stdout).toContain(`verified ${signedTag}: ${REPO}@${digest}`)
  const refused = await runStep({
    services: `a:\n  image: ${signedTag}\n  command: sleep 600\nb:\n  image: ${unsignedTag}\n  command: sleep 600\n`,
    verify: 'cosign',
    'cosign-public-key': pubA
  })
  expect(refused.exitCode).not.toBe(0)
  expect(refused.stdout).toContain(`image ${unsignedTag} failed cosign verification`)
  // Not even the signed one started: verification comes before the first service.
  expect(refused.stdout).not.toMatch(/a: started/)
}, 120_000)

test('compose-file: each service image verified before the project starts, and run as the digest verified', async () => {
  const signedTag = `${REPO}:compose-signed`
  const digest = await pushNew(signedTag, 'compose-signed')
  cosignSign(`${REPO}@${digest}`, keyA, PW_A)
  const unsignedTag = `${REPO}:compose-unsigned`
  await pushNew(unsignedTag, 'compose-unsigned')
  const composeStep = async (images: string[]): Promise<{ main: StepRun; ids: string[] }> => {
    const s = step({ 'compose-file': 'compose.yml', verify: 'cosign', 'cosign-public-key': pubA })
    const services = images.map(
      (image, i) => `  s${i}:\n    image: ${image}\n    command: sleep 600\n`
    )
    writeFileSync(join(s.dir, 'compose.yml'), `services:\n${services.join('')}`)
    try {
      const main = await s.main()
      const compose = JSON.parse(main.outputs.compose ?? '{}') as Record<string, { id: string }>
      const ids = Object.values(compose).map(c => c.id)
      const images = ids.map(id =>
        execFileSync('nerdctl', ['container', 'inspect', '--format', '{{.Image}}', id], {
          encoding: 'utf8'
        }).trim()
      )
      await s.post()
      return { main, ids: images }
    } finally {
      s.remove()
    }
  }
  const ok = await composeStep([signedTag])
  expect(ok.main.exitCode).toBe(0)
  expect(ok.main.stdout).toContain(`verified ${signedTag}: ${REPO}@${digest}`)
  expect(ok.ids).toEqual([`${REPO}@${digest}`])
  const refused = await composeStep([signedTag, unsignedTag])
  expect(refused.main.exitCode).not.toBe(0)
  expect(refused.main.stdout).toContain(`image ${unsignedTag} failed cosign verification`)
  expect(refused.ids).toEqual([])
  expect(refused.main.stdout).not.toMatch(/s0: started/)
}, 180_000)

test('merge with sign: cosign: the index is signed by the digest the registry serves, under every tag', async () => {
  const ctx = tempDir('cosign-itg-merge-ctx-')
  const artifacts = tempDir('cosign-itg-merge-artifacts-')
  try {
    writeFileSync(join(ctx.path, 'Dockerfile'), `FROM ${MULTI_IMAGE}\nCOPY stamp /stamp\n`)
    writeFileSync(join(ctx.path, 'stamp'), `${REPO} merge\n`)
    // Two legs, as two runners would push them (no signing there).
    for (const arch of ['amd64', 'arm64']) {
      const s = step({
        context: ctx.path,
        tags: `${REPO}:merged`,
        platforms: `linux/${arch}`,
        'buildkit-host': BUILDKIT_HOST,
        'push-by-digest': 'true'
      })
      try {
        const leg = await s.main()
        expect(leg.exitCode).toBe(0)
        // upload-artifact takes the file from RUNNER_TEMP before the job ends.
        const file = leg.outputs['digests-file'] ?? ''
        writeFileSync(join(artifacts.path, `digests-${arch}.json`), readFileSync(file))
        await s.post()
      } finally {
        s.remove()
      }
    }
    const tags = [`${REPO}:merged`, `${REPO}:merged-2`]
    made.push(...tags)
    const merged = await runStep({
      merge: artifacts.path,
      tags: tags.join('\n'),
      sign: 'cosign',
      'cosign-key': keyA,
      'cosign-password': PW_A
    })
    expect(merged.exitCode).toBe(0)
    const digest = merged.outputs.digest ?? ''
    expect((await readManifest(tags[0] as string)).digest).toBe(digest)
    expect(JSON.parse(merged.outputs.signatures ?? '[]')).toEqual(
      tags.map(t => ({ ref: t, digest, signature: signatureReference(t, digest) }))
    )
    const check = inNs([
      'cosign',
      'verify',
      '--key',
      pubA,
      '--insecure-ignore-tlog=true',
      `${REPO}@${digest}`
    ])
    expect(check.code).toBe(0)
  } finally {
    ctx.remove()
    artifacts.remove()
  }
}, 240_000)
