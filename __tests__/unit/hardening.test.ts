// The library's side of the hardening issue, each over a fake process runner
// (and nerdctl output recorded from the real binary where nerdctl answers):
// values that cannot become options, timeouts by kind of call, what sudo
// keeps, who records health probes, exact numbers, and smaller defects.
import { systemProgram } from '../../src/nerdctl/exec/programs.js'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { mkdtemp, mkdir, readdir, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DEFAULT_TIMEOUT_MS,
  Nerdctl,
  NerdctlError,
  create,
  exec,
  imageBuild,
  imagePull,
  imagePush,
  imageRemove,
  inspect,
  login,
  logout,
  logs,
  remove,
  runArgs,
  runSpec,
  stop,
  waitForHealthy,
  type ProcessResult,
  type RunSpec
} from '../../src/nerdctl/index.js'
import { removePartials } from '../../src/nerdctl/ops/files.js'
import { tcpProbe } from '../../src/nerdctl/ops/net-probes.js'
import { probesOnNerdctlTimer } from '../../src/nerdctl/pure/health-timer.js'
import { onSubnet, toImage } from '../../src/nerdctl/pure/listings.js'
import { parseJsonLines } from '../../src/nerdctl/pure/json.js'
import { sudoKeptEnv } from '../../src/nerdctl/exec/client.js'
import { fixture } from './fixtures.js'

type Answer = Partial<ProcessResult> | ((spec: RunSpec) => Partial<ProcessResult>)

/** A client over a runner that records each argv and answers by subcommand. */
function fake(answers: Record<string, Answer> = {}): { client: Nerdctl; calls: string[][] } {
  const calls: string[][] = []
  const client = new Nerdctl({
    runner: async spec => {
      // The global --debug registry calls run with (for Retry-After) is not the subcommand.
      const args = spec.args[0] === '--debug' ? spec.args.slice(1) : [...spec.args]
      calls.push(args)
      const key = Object.keys(answers).find(k => args.join(' ').startsWith(k))
      const a = key === undefined ? {} : answers[key]
      const r = typeof a === 'function' ? a(spec) : (a ?? {})
      return { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false, ...r }
    }
  })
  return { client, calls }
}

async function rejection(p: Promise<unknown>): Promise<NerdctlError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err
  )
  expect(e).toBeInstanceOf(NerdctlError)
  return e as NerdctlError
}

const ID = 'a'.repeat(64)

describe('no value becomes an option: rejected before anything runs', () => {
  test.each([
    ['exec container', (o: { client: Nerdctl }) => exec('--privileged', 'id', o)],
    ['logs container', (o: { client: Nerdctl }) => logs('--tail=1', o)],
    ['stop container', (o: { client: Nerdctl }) => stop('-t', o)],
    ['rm container', (o: { client: Nerdctl }) => remove('-f', o)],
    ['inspect container', (o: { client: Nerdctl }) => inspect('--format={{.}}', o)],
    ['rmi image', (o: { client: Nerdctl }) => imageRemove('-f', o)],
    ['pull image', (o: { client: Nerdctl }) => imagePull('--all-platforms', o)],
    ['push image', (o: { client: Nerdctl }) => imagePush('--all-platforms', undefined, o)],
    ['push destination', (o: { client: Nerdctl }) => imagePush('busybox:1', '-x', o)],
    [
      'login registry',
      (o: { client: Nerdctl }) => login({ ...o, registry: '-x', username: 'u', password: 'p' })
    ],
    ['logout registry', (o: { client: Nerdctl }) => logout('--help', o)],
    [
      'run image',
      (o: { client: Nerdctl }) =>
        runSpec({ image: '--mount=type=bind,src=/,dst=/h', command: ['id'] }, o)
    ]
  ])('%s', async (_what, call) => {
    const { client, calls } = fake()
    const err = await rejection(call({ client }))
    expect(err.message).toMatch(/invalid|not an image reference|not a registry host/)
    expect(calls).toEqual([])
  })

  test('a build context starting with "-" is read as a path', async () => {
    const { client, calls } = fake({
      build: spec => writeIid(spec),
      'image inspect --mode=native': { stdout: fixture('inspect-image-native.json') }
    })
    await imageBuild('127.0.0.1:5000/app:1', '-ctx', { client })
    expect(calls[0]?.at(-1)).toBe('./-ctx')
  })
})

/** What BuildKit does on success: the image ID in the iidfile. */
function writeIid(spec: RunSpec): Partial<ProcessResult> {
  writeFileSync(spec.args[spec.args.indexOf('--iidfile') + 1] as string, `sha256:${'b'.repeat(64)}`)
  return {}
}

describe('timeouts by kind of call', () => {
  test('control calls have the default limit, long work none, an explicit limit binds both', async () => {
    const seen: [string, number][] = []
    const runner = async (spec: RunSpec): Promise<ProcessResult> => {
      seen.push([spec.args.find(a => a !== '--debug') as string, spec.timeoutMs])
      return { stdout: `${ID}\n`, stderr: '', exitCode: 0, timedOut: false, aborted: false }
    }
    const client = new Nerdctl({ runner })
    await imagePull('busybox:1', { client })
    await stop('web', { client })
    await runSpec({ image: 'busybox:1' }, { client })
    await exec('web', 'true', { client })
    expect(seen).toEqual([
      ['pull', 0],
      ['stop', DEFAULT_TIMEOUT_MS],
      ['run', 0],
      ['exec', 0]
    ])
    seen.length = 0
    const bounded = client.with({ timeoutMs: 5000 })
    await imagePull('busybox:1', { client: bounded })
    await stop('web', { client: bounded })
    expect(seen).toEqual([
      ['pull', 5000],
      ['stop', 5000]
    ])
  })
})

describe('sudo keeps what nerdctl and BuildKit read', () => {
  const saved = { ...process.env }
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
  })

  test('BUILDKIT_HOST, DOCKER_CONFIG, proxies (both cases), CONTAINERD_* and NERDCTL_* pass', () => {
    Object.assign(process.env, {
      BUILDKIT_HOST: 'tcp://127.0.0.1:1234',
      DOCKER_CONFIG: '/tmp/dc',
      HTTP_PROXY: 'h',
      https_proxy: 'h',
      no_proxy: 'n',
      CONTAINERD_NAMESPACE: 'ci',
      NERDCTL_TOML: '/etc/x.toml',
      UNRELATED: 'x'
    })
    const argv = new Nerdctl({ sudo: true }).argv(['ps'])
    const kept = (argv[2] ?? '').replace('--preserve-env=', '').split(',')
    expect(argv.slice(0, 2)).toEqual([systemProgram('sudo'), '-n'])
    for (const k of [
      'BUILDKIT_HOST',
      'DOCKER_CONFIG',
      'HTTP_PROXY',
      'https_proxy',
      'no_proxy',
      'CONTAINERD_NAMESPACE',
      'NERDCTL_TOML'
    ])
      expect(kept).toContain(k)
    expect(kept).not.toContain('UNRELATED')
    expect(sudoKeptEnv({ PATH: '/bin' })).toEqual([])
  })
})

describe('who records health probes', () => {
  test.each([
    [{ systemdIsInit: true, rootless: false, config: '' }, true],
    [{ systemdIsInit: true, rootless: false, config: 'disable_hc_systemd = true\n' }, false],
    [{ systemdIsInit: true, rootless: false, config: '# disable_hc_systemd = true\n' }, true],
    [{ systemdIsInit: true, rootless: true, config: '' }, false],
    [{ systemdIsInit: false, rootless: false, config: '' }, false]
  ])('%j -> nerdctl timer: %s', (facts, expected) => {
    expect(probesOnNerdctlTimer(facts)).toBe(expected)
  })

  /** The recorded `starting` container, with a health interval of `intervalNs`. */
  function starting(intervalNs: number, state: Record<string, unknown> = {}): string {
    const [c] = JSON.parse(fixture('inspect-starting.json')) as [
      Record<string, Record<string, unknown>>
    ]
    const labels = (c.Config as { Labels: Record<string, string> }).Labels
    const hc = JSON.parse(labels['nerdctl/healthcheck'] as string) as Record<string, unknown>
    labels['nerdctl/healthcheck'] = JSON.stringify({ ...hc, Interval: intervalNs })
    c.State = { ...c.State, ...state }
    return JSON.stringify([c])
  }

  test.each([
    [false, 'records probes on its own schedule'],
    [true, 'records none of its own while nerdctl’s timer runs']
  ])('nerdctlProbes %s: the waiter %s', async (nerdctlProbes, _what) => {
    const { client, calls } = fake({
      'container inspect': { stdout: starting(50e6) },
      exec: { exitCode: 1 }
    })
    const err = await rejection(
      waitForHealthy('web', { client, waitTimeoutMs: 600, pollMs: 50, nerdctlProbes })
    )
    expect(err.kind).toBe('Timeout')
    const recorded = calls.filter(c => c[0] === 'container' && c[1] === 'healthcheck')
    if (nerdctlProbes) expect(recorded).toEqual([])
    else expect(recorded.length).toBeGreaterThan(0)
  })

  /** A client whose quick checks (`exec`) take `probeMs` and fail; it counts them and how many ran at once. */
  function pacedClient(probeMs: number): { client: Nerdctl; starts: number[]; most: () => number } {
    const starts: number[] = []
    let running = 0
    let most = 0
    const client = new Nerdctl({
      runner: async spec => {
        const done = { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false }
        if (spec.args[0] === 'container' && spec.args[1] === 'inspect')
          return { ...done, stdout: starting(30e9) }
        if (spec.args[0] !== 'exec') return done
        starts.push(Date.now())
        most = Math.max(most, ++running)
        await new Promise(r => setTimeout(r, probeMs))
        running--
        return { ...done, exitCode: 1 }
      }
    })
    return { client, starts, most: () => most }
  }

  test('quick checks come often from the start (the gap grows to a quarter second, not a second)', async () => {
    const { client, starts } = pacedClient(0)
    await rejection(waitForHealthy('web', { client, waitTimeoutMs: 2000, nerdctlProbes: true }))
    // 50, 75, 112, 169 ms, then every 200 ms: about thirteen in two seconds (the old
    // doubling to 1 s gave five). Counted, not timed, so a busy machine cannot fail it.
    expect(starts.length).toBeGreaterThanOrEqual(8)
  })

  test('a check slower than the gap is never overlapped by the next one', async () => {
    const { client, starts, most } = pacedClient(300)
    await rejection(waitForHealthy('web', { client, waitTimeoutMs: 1500, nerdctlProbes: true }))
    expect(starts.length).toBeGreaterThanOrEqual(2)
    expect(most()).toBe(1)
  })

  /** The recorded `starting` container, published on `port` and reached on 127.0.0.1 (a local server stands in for it). */
  function listening(port: number, failingStreak = 0): string {
    const [c] = JSON.parse(starting(30e9)) as [Record<string, Record<string, unknown>>]
    c.NetworkSettings = {
      ...c.NetworkSettings,
      IPAddress: '127.0.0.1',
      Ports: { [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(port) }] }
    }
    if (failingStreak > 0)
      c.State = {
        ...c.State,
        Health: { Status: 'starting', FailingStreak: failingStreak, Log: [] }
      }
    return JSON.stringify([c])
  }

  /** A local port that starts to listen after `afterMs`; closed by the returned function. */
  async function laterListener(afterMs: number): Promise<{ port: number; close: () => void }> {
    const probe = createServer()
    await new Promise<void>(r => probe.listen(0, '127.0.0.1', r))
    const port = (probe.address() as AddressInfo).port
    await new Promise(r => probe.close(r))
    const server = createServer(socket => socket.destroy())
    const timer = setTimeout(() => server.listen(port, '127.0.0.1'), afterMs)
    return {
      port,
      close: () => {
        clearTimeout(timer)
        server.close()
      }
    }
  }

  test('a published port that starts listening brings a recorded probe at once, without a passing quick check', async () => {
    const { port, close } = await laterListener(300)
    let recorded = false
    const { client, calls } = fake({
      // Every quick check fails: only the port can lead to the recorded probe.
      exec: { exitCode: 1 },
      'container healthcheck': () => {
        recorded = true
        return {}
      },
      'container inspect': () => ({
        stdout: recorded ? fixture('inspect-healthy.json') : listening(port)
      })
    })
    try {
      const status = await waitForHealthy('web', {
        client,
        waitTimeoutMs: 20_000,
        nerdctlProbes: true
      })
      expect(status.healthStatus).toBe('healthy')
      expect(calls.filter(c => c[0] === 'container' && c[1] === 'healthcheck')).toHaveLength(1)
    } finally {
      close()
    }
  })

  test('a port that opens during a slow check does not wait for that check', async () => {
    const { port, close } = await laterListener(200)
    let recorded = false
    let execsDone = 0
    let execsDoneAtProbe = -1
    const client = new Nerdctl({
      runner: async spec => {
        const done = { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false }
        const [sub, what] = spec.args
        if (sub === 'exec') {
          // A check that takes 1.5 s and fails: it began before the port opened.
          await new Promise(r => setTimeout(r, 1500))
          execsDone++
          return { ...done, exitCode: 1 }
        }
        if (sub === 'container' && what === 'healthcheck') {
          recorded = true
          execsDoneAtProbe = execsDone
          return done
        }
        if (sub === 'container' && what === 'inspect')
          return { ...done, stdout: recorded ? fixture('inspect-healthy.json') : listening(port) }
        return done
      }
    })
    try {
      const status = await waitForHealthy('web', {
        client,
        waitTimeoutMs: 20_000,
        nerdctlProbes: true
      })
      expect(status.healthStatus).toBe('healthy')
      // The recorded probe ran while the first check was still running.
      expect(execsDoneAtProbe).toBe(0)
    } finally {
      close()
    }
  })

  test('the port does not bring a probe that could make the container unhealthy', async () => {
    const { port, close } = await laterListener(0)
    const { client, calls } = fake({
      exec: { exitCode: 1 },
      // Two failures recorded of three allowed: one more would be the last.
      'container inspect': { stdout: listening(port, 2) }
    })
    try {
      const err = await rejection(
        waitForHealthy('web', { client, waitTimeoutMs: 800, nerdctlProbes: true })
      )
      expect(err.kind).toBe('Timeout')
      expect(calls.filter(c => c[0] === 'container' && c[1] === 'healthcheck')).toEqual([])
      expect(calls.filter(c => c[0] === 'exec').length).toBeGreaterThan(0)
    } finally {
      close()
    }
  })

  test('a port probe ends when its signal aborts, and opens nothing once aborted', async () => {
    let accepted = 0
    const server = createServer(socket => {
      accepted++
      socket.destroy()
    })
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    try {
      expect(await tcpProbe('127.0.0.1', port, 500)).toBeUndefined()
      expect(await tcpProbe('127.0.0.1', port, 500, AbortSignal.abort())).toBe('cancelled')
      await new Promise(r => setTimeout(r, 50))
      expect(accepted).toBe(1)
    } finally {
      server.close()
    }
  })

  test.each([
    ['10.4.0.215', '10.4.0.1', '255.255.255.0', true],
    ['10.4.1.215', '10.4.0.1', '255.255.255.0', false],
    ['127.0.0.1', '127.0.0.1', '255.0.0.0', true],
    ['192.168.1.7', '10.4.0.1', '255.255.0.0', false],
    ['200.1.2.3', '200.1.0.1', '255.255.0.0', true],
    ['not-an-ip', '10.4.0.1', '255.255.255.0', false],
    ['10.4.0.256', '10.4.0.1', '255.255.255.0', false]
  ])('%s on the network of %s/%s: %s', (ip, address, netmask, expected) => {
    expect(onSubnet(ip, address, netmask)).toBe(expected)
  })

  test('a container its restart policy is restarting is waited for, not reported dead', async () => {
    let n = 0
    const { client } = fake({
      'container inspect': () => ({
        stdout:
          ++n === 1
            ? starting(30e9, { Status: 'restarting', Running: false, Restarting: true })
            : fixture('inspect-healthy.json')
      })
    })
    const status = await waitForHealthy('web', { client, waitTimeoutMs: 5000, nerdctlProbes: true })
    expect(status.healthStatus).toBe('healthy')
  })
})

describe('smaller defects', () => {
  test('an image size nerdctl could not compute does not fail a listing', () => {
    const [line] = parseJsonLines(fixture('images.jsonl'))
    expect(toImage({ ...line, Size: 'n/a' }).sizeBytes).toBe(0)
  })

  test('a build that wrote no image ID fails, saying so', async () => {
    const { client } = fake()
    const err = await rejection(imageBuild('127.0.0.1:5000/app:1', '.', { client }))
    expect(err.message).toMatch(/wrote no image ID/)
  })

  test.each([
    [{ memoryLimit: '-1' }, /memory limit "-1" is invalid/],
    [{ memoryLimit: '512  m' }, 'memory limit "512  m" is invalid'],
    [{ memorySwapLimit: '-2' }, /memory\+swap limit "-2" is invalid/]
  ])('%j is refused', (spec, message) => {
    expect(() => runArgs({ image: 'busybox:1', ...spec })).toThrow(message)
  })

  test.each([
    [{ memoryLimit: '512 m' }, ['--memory', '512 m']],
    [{ memorySwapLimit: '-1' }, ['--memory-swap', '-1']],
    [{ ports: ['127.0.0.1::5432'] }, ['-p', '127.0.0.1::5432']]
  ])('%j is accepted as nerdctl accepts it', (spec, flags) => {
    expect(runArgs({ image: 'busybox:1', ...spec }).join(' ')).toContain(flags.join(' '))
  })

  test('create returns an ID it checked', async () => {
    const { client } = fake({ create: { stdout: 'Creating...\n' } })
    const err = await rejection(create({ image: 'busybox:1' }, { client }))
    expect(err.message).toMatch(/where a container ID was expected/)
  })

  test.each([
    [false, ['image inspect', 'tag', 'push', 'rmi']],
    [true, ['image inspect', 'tag', 'push']]
  ])('push to a destination that existed: %s -> %j', async (existed, expected) => {
    const { client, calls } = fake({ 'image inspect': { exitCode: existed ? 0 : 1 } })
    await imagePush('busybox:1', '127.0.0.1:5000/b:1', { client })
    expect(calls.map(c => (c[0] === 'image' ? `image ${c[1]}` : c[0]))).toEqual(expected)
  })

  test('a copy into a directory: the post step removes the partial left inside it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hardening-'))
    const target = join(dir, 'out')
    await mkdir(target)
    await writeFile(join(target, '.www.partial-0123abcd'), 'half')
    await writeFile(join(target, 'kept.txt'), 'user file')
    expect(await removePartials(target)).toEqual([join(target, '.www.partial-0123abcd')])
    expect(await readdir(target)).toEqual(['kept.txt'])
  })

  test('a foreground program whose last line looks like nerdctl failing keeps its own exit code', async () => {
    const exited = fixture('inspect-exited.json')
    const id = (JSON.parse(exited) as { Id: string }[])[0]?.Id as string
    const { client } = fake({
      // nerdctl writes the ID of the container it makes to --cidfile.
      run: spec => {
        writeFileSync(spec.args[spec.args.indexOf('--cidfile') + 1] as string, id)
        return { exitCode: 3, stderr: 'time="x" level=fatal msg="my program says bye"\n' }
      },
      'container inspect': { stdout: exited }
    })
    const r = await runSpec({ image: 'busybox:1', name: 'job', detach: false }, { client })
    expect(r.exitCode).toBe(3)
    expect(r.containerId).toBe(id)
  })
})

describe('build secrets never reach argv, logs or a file left behind', () => {
  const SECRET = 'bUiLd-SeCrEt-9931'

  test('a value goes to a 0600 file in a private directory, removed after the build; argv and streamed lines never show it', async () => {
    const lines: string[] = []
    const seen: { mode: number; text: string; path: string }[] = []
    const { client, calls } = fake({
      build: spec => {
        const arg = spec.args[spec.args.indexOf('--secret') + 1] as string
        const path = arg.replace(/^id=tok,src=/, '')
        const st = statSync(path)
        seen.push({ mode: st.mode & 0o777, text: readFileSync(path, 'utf8'), path })
        // BuildKit echoing the secret in a RUN step's output.
        spec.onStderr?.(`#5 0.1 ${SECRET}\n`)
        return writeIid(spec)
      },
      'image inspect --mode=native': { stdout: fixture('inspect-image-native.json') }
    })
    const logging = client.with({
      logger: { debug: l => lines.push(l), info: l => lines.push(l), warning: l => lines.push(l) }
    })
    await imageBuild('127.0.0.1:5000/app:1', '.', {
      client: logging,
      stream: true,
      secrets: [{ id: 'tok', value: SECRET }]
    })
    expect(seen).toHaveLength(1)
    expect(seen[0]?.mode).toBe(0o600)
    expect(seen[0]?.text).toBe(SECRET)
    expect(existsSync(seen[0]?.path as string)).toBe(false)
    expect(JSON.stringify(calls)).not.toContain(SECRET)
    expect(lines.join('\n')).not.toContain(SECRET)
    expect(lines.join('\n')).toContain('#5 0.1 ***')
  })

  test('an env secret is given to the nerdctl process only, kept through sudo without sudo logging it, and redacted', async () => {
    process.env.HARDENING_BUILD_SECRET = SECRET
    try {
      const envs: (Readonly<Record<string, string>> | undefined)[] = []
      const argvs: string[][] = []
      const client = new Nerdctl({
        sudo: true,
        runner: async spec => {
          envs.push(spec.env)
          argvs.push([spec.file, ...spec.args])
          if (spec.args.includes('build')) writeIid(spec)
          const stdout = spec.args.includes('--mode=native')
            ? fixture('inspect-image-native.json')
            : ''
          return { stdout, stderr: '', exitCode: 0, timedOut: false, aborted: false }
        }
      })
      await imageBuild('127.0.0.1:5000/app:1', '.', {
        client,
        secrets: [{ id: 'tok', env: 'HARDENING_BUILD_SECRET' }]
      })
      // Through sudo, an environment made for the call (sudo -E): --preserve-env
      // would name the variable, and sudo logs the value of every one it names.
      expect(envs[0]?.HARDENING_BUILD_SECRET).toBe(SECRET)
      expect(argvs[0]?.slice(0, 4)).toEqual([systemProgram('sudo'), '-n', '-E', '-H'])
      expect(argvs[0]?.slice(0, argvs[0].indexOf('--')).join(' ')).not.toContain('preserve-env')
      expect(JSON.stringify(argvs)).not.toContain(SECRET)
    } finally {
      delete process.env.HARDENING_BUILD_SECRET
    }
  })

  test('an env secret whose variable is unset fails before anything runs', async () => {
    const { client, calls } = fake()
    const e = await rejection(
      imageBuild('127.0.0.1:5000/app:1', '.', {
        client,
        secrets: [{ id: 'tok', env: 'NO_SUCH_VARIABLE_FOR_TEST' }]
      })
    )
    expect(e.message).toContain('NO_SUCH_VARIABLE_FOR_TEST is not set')
    expect(calls).toEqual([])
  })
})
