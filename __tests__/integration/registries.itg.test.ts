// Registries that misbehave, against the real stack through the fault
// registry (a proxy in front of the local registries): transient faults are
// survived with retries, permanent ones fail in one try, no try outlives the
// call's time limit; several logins in one step; logins in a Docker config of
// the step's own, so concurrent steps cannot clobber each other's.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  Nerdctl,
  imageBuild,
  imageExists,
  imagePull,
  imagePush,
  imageRemove,
  imageTag,
  login,
  isNerdctlError,
  type Logger
} from '../../src/nerdctl/index.js'
import {
  startFaultRegistry,
  type FaultRegistry,
  type FaultRule
} from '../helpers/fault-registry.js'
import { ActionStep } from './run-action.js'
import {
  AUTH_PASSWORD,
  AUTH_REGISTRY,
  AUTH_USER,
  BASE_IMAGE,
  BUILDKIT_HOST,
  REGISTRY,
  removeQuietly,
  tempDir,
  uniqueName
} from './helpers.js'

const proxies: FaultRegistry[] = []
const images: string[] = []
const steps: ActionStep[] = []
const dirs: { remove: () => void }[] = []

/** A client whose log lines the test reads, with Docker config `config`. */
function loggingClient(config: string): { client: Nerdctl; lines: string[] } {
  const lines: string[] = []
  const logger: Logger = {
    debug() {},
    info: m => void lines.push(m),
    warning: m => void lines.push(m)
  }
  return { client: new Nerdctl({ logger, env: { DOCKER_CONFIG: config } }), lines }
}

async function proxy(upstream: string, ...rules: FaultRule[]): Promise<FaultRegistry> {
  const p = await startFaultRegistry(upstream, rules)
  proxies.push(p)
  return p
}

/** The base image under `reference`, removed after the tests. */
async function tagged(reference: string): Promise<string> {
  await imageTag(BASE_IMAGE, reference, { client: new Nerdctl() })
  images.push(reference)
  return reference
}

function scratch(): string {
  const d = tempDir('nerdctl-itg-registries-')
  dirs.push(d)
  return d.path
}

function step(inputs: Record<string, string>, env: Record<string, string>): ActionStep {
  const s = new ActionStep({ summary: 'true', ...inputs }, env)
  steps.push(s)
  return s
}

/** A Docker config of a "runner user", so no test touches the real one. */
function userConfig(auths: Record<string, unknown> = {}): string {
  const dir = scratch()
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths }))
  return dir
}

const basic = (user: string, password: string): string =>
  Buffer.from(`${user}:${password}`).toString('base64')

afterAll(async () => {
  for (const p of proxies) await p.close()
  await removeQuietly(new Nerdctl(), { images })
  for (const s of steps) s.remove()
  for (const d of dirs) d.remove()
})

describe('the library through the fault registry', () => {
  test('a push meeting three 503s and a 429 with Retry-After: 2 succeeds and logs four retries', async () => {
    const manifest = { method: 'PUT', path: /\/manifests\// }
    // containerd tries a 5xx twice and a 429 five times before nerdctl gives up.
    const p = await proxy(
      REGISTRY,
      { ...manifest, fault: { status: 503 }, times: 2 },
      { ...manifest, fault: { status: 503 }, times: 2 },
      { ...manifest, fault: { status: 503 }, times: 2 },
      { ...manifest, fault: { status: 429, headers: { 'Retry-After': '2' } }, times: 5 }
    )
    const ref = await tagged(`${p.host}/itg/retry:${uniqueName('push')}`)
    const { client, lines } = loggingClient(scratch())
    const t0 = Date.now()
    const pushed = await imagePush(ref, undefined, {
      client,
      retry: { retries: 4, delayMs: 100 }
    })
    const ms = Date.now() - t0
    const retries = lines.filter(l => / retry \d of 4 in /.test(l))
    expect(retries).toHaveLength(4)
    expect(retries.slice(0, 3).every(l => l.includes('HTTP 503 Service Unavailable'))).toBe(true)
    expect(retries[3]).toMatch(/HTTP 429 Too Many Requests.*\(the registry asked to wait 2 s\)$/)
    // The last wait honoured Retry-After, though the backoff alone was shorter.
    expect(ms).toBeGreaterThanOrEqual(2000)
    expect(p.pending()).toBe(0)
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    // No debug line reached the log or the result.
    expect(lines.join('\n')).not.toMatch(/level=debug/)
    expect(pushed.stderr).not.toMatch(/level=debug/)
  })

  test('a wrong password fails in one try, with the credentials hint', async () => {
    const p = await proxy(AUTH_REGISTRY)
    const { client, lines } = loggingClient(scratch())
    let retried = 0
    const e = await login({
      client,
      registry: p.host,
      username: AUTH_USER,
      password: 'not-the-password',
      retry: { delayMs: 100, onRetry: () => retried++ }
    }).then(
      () => undefined,
      (err: unknown) => err
    )
    expect(isNerdctlError(e, 'CommandFailed')).toBe(true)
    expect((e as Error).message).toMatch(
      /Hint: the registry refused the request for want of credentials/
    )
    expect((e as Error).message).not.toContain('not-the-password')
    expect(retried).toBe(0)
    expect(lines.filter(l => / retry /.test(l))).toEqual([])
  })

  test('a pull of a missing tag fails in one try', async () => {
    const p = await proxy(REGISTRY)
    const { client } = loggingClient(scratch())
    let retried = 0
    await expect(
      imagePull(`${p.host}/itg/missing:${uniqueName('none')}`, {
        client,
        retry: { delayMs: 100, onRetry: () => retried++ }
      })
    ).rejects.toThrow(/not found[\s\S]*Hint: the image was not found/)
    expect(retried).toBe(0)
    // One nerdctl run: one manifest lookup (HEAD, maybe then GET), never again after a wait.
    expect(p.seen.filter(s => s.path.includes('/manifests/')).length).toBeLessThanOrEqual(2)
  })

  test('a stalled registry: no try outlives the call time limit', async () => {
    const p = await proxy(REGISTRY, {
      method: 'PUT',
      path: /\/manifests\//,
      fault: { stall: true },
      times: 100
    })
    const ref = await tagged(`${p.host}/itg/stall:${uniqueName('push')}`)
    const { client } = loggingClient(scratch())
    const t0 = Date.now()
    const e = await imagePush(ref, undefined, {
      client,
      timeoutMs: 4000,
      retry: { delayMs: 100 }
    }).then(
      () => undefined,
      (err: unknown) => err
    )
    expect(isNerdctlError(e, 'Timeout')).toBe(true)
    expect(Date.now() - t0).toBeLessThan(6000)
    // The killed push leaves no copy of nerdctl's behind in the store.
    expect(await imageExists(`${ref}-tmp-reduced-platform`, { client: new Nerdctl() })).toBe(false)
  })
})

describe('the action: several registries, credentials per step', () => {
  test('one step logs in to the open and the auth registry through `registries` and pushes to both', async () => {
    const user = userConfig()
    const before = readFileSync(join(user, 'config.json'), 'utf8')
    const name = uniqueName('both')
    const open = await tagged(`${REGISTRY}/itg/registries:${name}`)
    const auth = await tagged(`${AUTH_REGISTRY}/itg/registries:${name}`)
    const s = step(
      {
        registries: [
          `- registry: ${REGISTRY}`,
          `  username: anyone`,
          `  password: open-registry-takes-any`,
          `- registry: ${AUTH_REGISTRY}`,
          `  username: ${AUTH_USER}`,
          `  password: "${AUTH_PASSWORD}"`
        ].join('\n'),
        tags: `${open}\n${auth}`,
        push: 'true'
      },
      { DOCKER_CONFIG: user }
    )
    const main = await s.main()
    expect(main.exitCode).toBe(0)
    expect(main.log).toContain(`logged in to ${REGISTRY} as anyone`)
    expect(main.summary).toContain(`logged in to ${AUTH_REGISTRY} as ${AUTH_USER}`)
    // The password is only ever told to the runner, to mask it.
    expect(main.log).toContain(`::add-mask::${AUTH_PASSWORD}`)
    expect(main.log.replaceAll(`::add-mask::${AUTH_PASSWORD}`, '')).not.toContain(AUTH_PASSWORD)
    expect(main.outputs.digest).toMatch(/^sha256:/)
    // The logins went to the step's own config, not the runner user's.
    const own = main.state.dockerConfig as string
    expect(own.startsWith(main.state.tempDir as string)).toBe(true)
    expect(JSON.parse(readFileSync(join(own, 'config.json'), 'utf8')).auths).toHaveProperty([
      AUTH_REGISTRY
    ])
    expect(readFileSync(join(user, 'config.json'), 'utf8')).toBe(before)

    const post = await s.post()
    expect(post.exitCode).toBe(0)
    expect(post.log).toContain(`logged out of ${REGISTRY}`)
    expect(post.log).toContain(`logged out of ${AUTH_REGISTRY}`)
    expect(existsSync(own)).toBe(false)
    expect(readFileSync(join(user, 'config.json'), 'utf8')).toBe(before)
  })

  test('two concurrent steps: one logs out while the other still pushes with its login', async () => {
    // B's push meets a 503 (tried twice by containerd) and waits to retry;
    // meanwhile A logs in to the same registry, pushes, and logs out.
    const p = await proxy(AUTH_REGISTRY)
    const user = userConfig()
    const nameA = uniqueName('a')
    const nameB = uniqueName('b')
    p.add({
      method: 'PUT',
      path: new RegExp(`/itg/${nameB}/manifests/`),
      fault: { status: 503 },
      times: 2
    })
    const refA = await tagged(`${p.host}/itg/${nameA}:1`)
    const refB = await tagged(`${p.host}/itg/${nameB}:1`)
    const inputs = (ref: string): Record<string, string> => ({
      registry: p.host,
      username: AUTH_USER,
      password: AUTH_PASSWORD,
      tags: ref,
      push: 'true',
      'retry-delay': '8s'
    })
    const a = step(inputs(refA), { DOCKER_CONFIG: user })
    const b = step(inputs(refB), { DOCKER_CONFIG: user })
    const mainB = b.main()
    const deadline = Date.now() + 20_000
    while (!p.seen.some(s => s.answer === 503) && Date.now() < deadline)
      await new Promise(r => setTimeout(r, 100))
    expect(p.seen.some(s => s.answer === 503)).toBe(true)
    const mainA = await a.main()
    expect(mainA.exitCode).toBe(0)
    const postA = await a.post()
    expect(postA.log).toContain(`logged out of ${p.host}`)
    const doneB = await mainB
    expect(doneB.exitCode).toBe(0)
    expect(doneB.log).toMatch(/push \S+ failed \(HTTP 503 Service Unavailable\); retry 1 of 3/)
    expect(doneB.summary).toContain('registry retries')
    expect(JSON.parse(doneB.outputs.metadata as string).retries).toBe(1)
    // B's retry came after A's logout, and its push needed B's credentials.
    const lastPut = [...p.seen].reverse().find(s => s.method === 'PUT' && s.path.includes(nameB))
    expect(lastPut?.answer).toBe(201)
    expect((await b.post()).exitCode).toBe(0)
  })

  test('a push relies on a login made by an earlier step, beside a login of its own', async () => {
    const user = userConfig()
    const name = uniqueName('earlier')
    // The earlier step keeps its login (logout: false): it goes to the runner user's config.
    const first = step(
      { registry: AUTH_REGISTRY, username: AUTH_USER, password: AUTH_PASSWORD, logout: 'false' },
      { DOCKER_CONFIG: user }
    )
    expect((await first.main()).exitCode).toBe(0)
    expect((await first.post()).exitCode).toBe(0)
    const auths = JSON.parse(readFileSync(join(user, 'config.json'), 'utf8')).auths as Record<
      string,
      { auth: string }
    >
    expect(auths[AUTH_REGISTRY]?.auth).toBe(basic(AUTH_USER, AUTH_PASSWORD))

    // This step logs in to another registry and pushes to the one the earlier step logged in to.
    const auth = await tagged(`${AUTH_REGISTRY}/itg/earlier:${name}`)
    const open = await tagged(`${REGISTRY}/itg/earlier:${name}`)
    const later = step(
      {
        registries: `- {registry: "${REGISTRY}", username: anyone, password: any-password}`,
        tags: `${auth}\n${open}`,
        push: 'true'
      },
      { DOCKER_CONFIG: user }
    )
    const main = await later.main()
    expect(main.exitCode).toBe(0)
    expect((await later.post()).exitCode).toBe(0)
    // The earlier login is still there for the steps after.
    const after = JSON.parse(readFileSync(join(user, 'config.json'), 'utf8')).auths as Record<
      string,
      unknown
    >
    expect(Object.keys(after)).toEqual([AUTH_REGISTRY])
  })

  test("BuildKit sees the step's login: a build FROM an image on the auth registry", async () => {
    // The base goes to the auth registry through a throwaway config.
    const name = uniqueName('from')
    const base = await tagged(`${AUTH_REGISTRY}/itg/base:${name}`)
    const seeder = new Nerdctl({ env: { DOCKER_CONFIG: scratch() } })
    await login({
      client: seeder,
      registry: AUTH_REGISTRY,
      username: AUTH_USER,
      password: AUTH_PASSWORD
    })
    await imagePush(base, undefined, { client: seeder })
    // Not in the local store: BuildKit must resolve it from the registry.
    await imageRemove(base, { client: seeder })
    const ctx = scratch()
    writeFileSync(join(ctx, 'Dockerfile'), `FROM ${base}\nCOPY stamp.txt /stamp.txt\n`)
    writeFileSync(join(ctx, 'stamp.txt'), name)
    const built = `${REGISTRY}/itg/from-auth:${name}`
    images.push(built)
    // Without a login the registry refuses BuildKit: the login below is what lets it through.
    const anonymous = new Nerdctl({
      env: { DOCKER_CONFIG: userConfig() },
      buildkitHost: BUILDKIT_HOST
    })
    await expect(imageBuild(built, ctx, { client: anonymous, noCache: true })).rejects.toThrow(
      /401 Unauthorized/
    )
    const s = step(
      {
        registries: `- {registry: "${AUTH_REGISTRY}", username: "${AUTH_USER}", password: "${AUTH_PASSWORD}"}`,
        context: ctx,
        tags: built,
        'buildkit-host': BUILDKIT_HOST,
        'no-cache': 'true'
      },
      // The runner user has no login at all.
      { DOCKER_CONFIG: userConfig() }
    )
    const main = await s.main()
    expect(main.exitCode).toBe(0)
    expect(main.outputs['image-id']).toMatch(/^sha256:/)
    expect((await s.post()).exitCode).toBe(0)
  })
})

describe('the action beside a credential helper of the runner user (credsStore)', () => {
  /**
   * A docker-credential-* helper of the test's own: it answers `get` for the
   * registries it was seeded with and writes every call it gets to a log, so
   * a step writing to (or erasing from) the store every job shares shows.
   */
  function canaryHelper(seed: Record<string, { Username: string; Secret: string }>): {
    bin: string
    calls: () => string[]
  } {
    const dir = scratch()
    const log = join(dir, 'calls.log')
    writeFileSync(join(dir, 'seed.json'), JSON.stringify(seed))
    const script = [
      '#!/bin/sh',
      `input=$(cat); echo "$1 $input" >> ${JSON.stringify(log)}`,
      'case "$1" in',
      `  get) node -e 'const s=require(process.argv[1])[process.argv[2]]; if(!s){console.log("credentials not found in native keychain");process.exit(1)} console.log(JSON.stringify({ServerURL:process.argv[2],...s}))' ${JSON.stringify(join(dir, 'seed.json'))} "$input" ;;`,
      '  list) echo "{}" ;;',
      '  *) exit 0 ;;',
      'esac',
      ''
    ].join('\n')
    const bin = join(dir, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'docker-credential-nacanary'), script, { mode: 0o755 })
    return {
      bin,
      calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [])
    }
  }

  test("the step's logins go to its own file, never into the shared store; the store's logins still serve its pushes", async () => {
    const helper = canaryHelper({ [AUTH_REGISTRY]: { Username: AUTH_USER, Secret: AUTH_PASSWORD } })
    const user = scratch()
    writeFileSync(join(user, 'config.json'), JSON.stringify({ credsStore: 'nacanary' }))
    const before = readFileSync(join(user, 'config.json'), 'utf8')
    const name = uniqueName('credstore')
    const viaStore = await tagged(`${AUTH_REGISTRY}/itg/credstore:${name}`)
    const viaLogin = await tagged(`${REGISTRY}/itg/credstore:${name}`)
    const s = step(
      {
        registry: REGISTRY,
        username: 'anyone',
        password: 'open-registry-takes-any',
        tags: `${viaLogin}\n${viaStore}`,
        push: 'true'
      },
      { DOCKER_CONFIG: user, PATH: `${helper.bin}:${process.env.PATH ?? ''}` }
    )
    const main = await s.main()
    expect(main.exitCode).toBe(0)
    const own = JSON.parse(
      readFileSync(join(main.state.dockerConfig as string, 'config.json'), 'utf8')
    )
    expect(own.auths).toHaveProperty([REGISTRY])
    expect((await s.post()).exitCode).toBe(0)
    // Read from (the push to the auth registry needed it), never written to or erased from.
    expect(helper.calls().some(c => c.startsWith(`get ${AUTH_REGISTRY}`))).toBe(true)
    expect(helper.calls().filter(c => !c.startsWith('get ') && !c.startsWith('list '))).toEqual([])
    expect(readFileSync(join(user, 'config.json'), 'utf8')).toBe(before)
  })
})
