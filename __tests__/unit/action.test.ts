// The action layer (main and post) over a fake nerdctl: every call's argv,
// stdin and environment is recorded, and every answer is an output recorded
// from the real nerdctl (__tests__/fixtures). The step's outputs, state and
// summary are read back from the files @actions/core writes, its log from stdout.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { main } from '../../src/action/main.js'
import { post } from '../../src/action/post.js'
import { JOB_LABEL, OWNER_LABEL, Output, State } from '../../src/action/constants.js'
import { jobMarker } from '../../src/action/job-marker.js'
import { reapLeftovers } from '../../src/action/phases/services.js'
import { readFileCommands } from '../../src/cli/step.js'
import { CommandReader, type WorkflowCommand } from '../../src/cli/commands.js'
import {
  DEFAULT_TIMEOUT_MS,
  EXEC_OUTPUT_BYTES,
  parseDuration,
  type ProcessResult as RunResult,
  type RunSpec,
  type Runner,
  Nerdctl
} from '../../src/nerdctl/index.js'
import { systemProgram } from '../../src/nerdctl/exec/programs.js'
import { spawnRunner } from '../../src/nerdctl/exec/runner.js'
import { inputDefaults } from '../helpers/action-defaults.js'
import { fixture, fixtureMeta } from './fixtures.js'
import { captureOutput, type Captured } from '../helpers/capture-output.js'

// ---- recorded nerdctl outputs --------------------------------------------------------

interface InspectJson {
  Id: string
  Name: string
  State: { ExitCode: number }
}

interface StatsJson {
  ID: string
  Name: string
  CPUPerc: string
  MemUsage: string
  PIDs: string
}

function inspected(name: string): InspectJson {
  const [first] = JSON.parse(fixture(name)) as InspectJson[]
  if (!first) throw new Error(`${name} holds no container`)
  return first
}

/** The ID of the container a recorded inspect fixture describes. */
const idOf = (name: string): string => inspected(name).Id

/** A real image ID, from `nerdctl image inspect`: what the fake build writes to --iidfile. */
const IMAGE_ID = (JSON.parse(fixture('inspect-image.json')) as { Id: string }[])[0]?.Id ?? ''

const STATS_LINES = fixture('stats.jsonl')
  .split('\n')
  .filter(l => l.trim() !== '')

const PS_IDS = fixture('ps.jsonl')
  .split('\n')
  .filter(l => l.trim() !== '')
  .map(l => (JSON.parse(l) as { ID: string }).ID)

const PUSH_REFUSED = fixtureMeta('error-push-unauthorized.txt')
/** What a push prints before it talks to the registry (the info lines of the recorded push). */
const PUSH_PROGRESS = PUSH_REFUSED.stderr
  .split('\n')
  .filter(l => l.includes('level=info'))
  .join('\n')
const EXEC_FAILED = fixtureMeta('error-exec-exit-code.txt')

/** The `msg` of nerdctl's fatal line, as it printed it. */
function fatalMessage(stderr: string): string {
  const m = /level=fatal msg="((?:[^"\\]|\\.)*)"/.exec(stderr)
  if (!m) throw new Error(`no fatal line in ${stderr}`)
  return JSON.parse(`"${m[1] as string}"`) as string
}

// ---- the fake nerdctl ----------------------------------------------------------------

interface Call {
  /** The whole argv: file and args (sudo and global flags included). */
  argv: string[]
  /** The nerdctl command: argv without sudo, the binary and global flags. */
  cmd: string[]
  input: string | undefined
  env: Readonly<Record<string, string>> | undefined
  spec: RunSpec
}

type Answer = Partial<RunResult>
/** An answer for this call, or undefined for the recorded default. */
type Override = (
  cmd: string[],
  fake: FakeNerdctl
) => Answer | Promise<Answer | undefined> | undefined

interface FakeOptions {
  /** The recorded container `run -d` starts (its ID is printed; stats reports it). */
  container?: string
  /** What `container inspect` answers, call after call; the last one repeats. */
  inspect?: string[]
  override?: Override
}

/**
 * A recorded inspect with the container's own address moved off this machine
 * (TEST-NET-2): a readiness wait does not try an address it does not reach
 * directly, and the recorded one may belong to a real container of the shared
 * stack.
 */
function offMachine(json: string): string {
  const containers = JSON.parse(json) as {
    NetworkSettings?: { IPAddress?: string; Networks?: Record<string, { IPAddress?: string }> }
  }[]
  for (const c of containers) {
    const ns = c.NetworkSettings
    if (!ns) continue
    if (ns.IPAddress) ns.IPAddress = '198.51.100.11'
    for (const n of Object.values(ns.Networks ?? {})) if (n.IPAddress) n.IPAddress = '198.51.100.11'
  }
  return JSON.stringify(containers)
}

// The recorded running container publishes port 80 on 127.0.0.1:18080: a
// service is ready for clients once that accepts, so something listens there
// (or already did: then that answers).
let published: Server | undefined
beforeAll(async () => {
  const server = createServer(s => s.destroy())
  published = await new Promise<Server | undefined>(resolve => {
    server.once('error', () => resolve(undefined))
    server.listen(18080, '127.0.0.1', () => resolve(server))
  })
})
afterAll(() => published?.close())

const GLOBAL_WITH_VALUE = new Set([
  '--namespace',
  '--address',
  '--snapshotter',
  '--cgroup-manager',
  '--hosts-dir'
])

function commandOf(argv: readonly string[]): string[] {
  let i = 0
  if (argv[0] === systemProgram('sudo')) {
    i = 1
    while (argv[i]?.startsWith('-')) i++
  }
  i++ // the binary
  for (;;) {
    const a = argv[i] ?? ''
    if (GLOBAL_WITH_VALUE.has(a)) i += 2
    else if (a === '--insecure-registry' || a === '--debug') i++
    else break
  }
  return argv.slice(i)
}

/** The value after a flag in an argv. */
function flag(cmd: readonly string[], name: string): string {
  const i = cmd.indexOf(name)
  if (i < 0 || i + 1 >= cmd.length) throw new Error(`${name} not in ${cmd.join(' ')}`)
  return cmd[i + 1] as string
}

/** A tar archive holding one small file of this name, made by the machine's tar. */
function tarOf(name: string): Buffer {
  const src = mkdtempSync(join(tmpdir(), 'action-test-tar-'))
  try {
    writeFileSync(join(src, name), 'web\n')
    return execFileSync('tar', ['--create', '--file', '-', '--directory', src, '--', name])
  } finally {
    rmSync(src, { recursive: true, force: true })
  }
}

class FakeNerdctl {
  readonly calls: Call[] = []
  readonly containerId: string
  private readonly inspects: string[]
  private inspected = 0

  constructor(private readonly options: FakeOptions = {}) {
    const container = options.container ?? 'inspect-running.json'
    this.containerId = idOf(container)
    this.inspects = options.inspect ?? [container]
  }

  readonly runner: Runner = async spec => {
    // Host programs the library runs beside nerdctl (tar unpacking a copy) run for real.
    if (spec.file === systemProgram('tar')) return spawnRunner(spec)
    const argv = [spec.file, ...spec.args]
    const cmd = commandOf(argv)
    this.calls.push({
      argv,
      cmd,
      input: spec.input === undefined ? undefined : String(spec.input),
      env: spec.env,
      spec
    })
    const answer = (await this.options.override?.(cmd, this)) ?? (await this.recorded(cmd, spec))
    return { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false, ...answer }
  }

  /** The recorded answer of the real nerdctl (no output where it prints none we use). */
  private async recorded(cmd: string[], spec: RunSpec): Promise<Answer> {
    const [sub, ...rest] = cmd
    switch (sub) {
      case 'version':
        return { stdout: fixture('version.json') }
      case 'build':
        await writeFile(flag(cmd, '--iidfile'), IMAGE_ID)
        return { stderr: fixture('build-cached.txt') }
      case 'images':
        return { stdout: fixture('images.jsonl') }
      case 'image':
        if (rest[0] === 'inspect' && rest[1] === '--mode=native')
          return { stdout: fixture('inspect-image-native.json') }
        return {}
      case 'push':
        return { stderr: PUSH_PROGRESS }
      case 'cp':
        // `cp C:/path -`: a tar of the path's last name on standard output.
        if (cmd[cmd.length - 1] === '-' && spec.stdoutFile)
          writeFileSync(spec.stdoutFile, tarOf(basename(cmd[cmd.length - 2] ?? '') || 'copy'))
        return {}
      case 'save':
        // Streamed, as nerdctl writes it: a whole OCI archive, with its index.json.
        await writeFile(spec.stdoutFile as string, tarOf('index.json'))
        return {}
      case 'export':
        // Streamed: the archive is nerdctl's standard output, in a file the step writes.
        await writeFile(spec.stdoutFile as string, `tarball of: ${cmd.join(' ')}`)
        return {}
      case 'run':
        // nerdctl writes the ID it picked to --cidfile before it makes the container.
        if (cmd.includes('--cidfile')) await writeFile(flag(cmd, '--cidfile'), this.containerId)
        return { stdout: `${this.containerId}\n` }
      case 'container':
        if (rest[0] === 'inspect') {
          const name = this.inspects[Math.min(this.inspected++, this.inspects.length - 1)]
          return { stdout: offMachine(fixture(name as string)) }
        }
        return {}
      case 'stats':
        return { stdout: `${STATS_LINES.find(l => l.includes(cmd[cmd.length - 1] as string))}\n` }
      case 'commit':
        return { stdout: `${IMAGE_ID}\n` }
      case 'ps':
        return { stdout: fixture('ps.jsonl') }
      default:
        // login, pull, exec, logs, rm, logout, container healthcheck
        return {}
    }
  }

  /** The nerdctl commands run, in order. */
  get commands(): string[][] {
    return this.calls.map(c => c.cmd)
  }

  /** The calls of one subcommand. */
  of(sub: string): Call[] {
    return this.calls.filter(c => c.cmd[0] === sub)
  }
}

// ---- the step's environment ------------------------------------------------------------

type With = Record<string, string>

/** A reader over the action.yml defaults with `overrides` on top. */
function reader(overrides: With): (name: string) => string {
  const defaults = inputDefaults()
  for (const name of Object.keys(overrides)) expect(Object.keys(defaults)).toContain(name)
  const values: With = { ...defaults, ...overrides }
  return name => values[name] ?? ''
}

const ENV_NAMES = [
  'GITHUB_OUTPUT',
  'GITHUB_STATE',
  'GITHUB_STEP_SUMMARY',
  'RUNNER_TEMP',
  'GITHUB_WORKSPACE',
  'TMPDIR',
  'DOCKER_CONFIG'
]
const SIGNALS = ['SIGINT', 'SIGTERM'] as const

// core.summary keeps the first summary path it sees: one file for the whole file, emptied per test.
const SUMMARY_DIR = mkdtempSync(join(tmpdir(), 'action-test-summary-'))
const SUMMARY = join(SUMMARY_DIR, 'summary.md')

let dir = ''
let stdout: Captured
let savedEnv: Record<string, string | undefined> = {}
let savedExitCode: typeof process.exitCode
let savedListeners = new Map(SIGNALS.map(s => [s, process.listeners(s)]))

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'action-test-'))
  savedEnv = {}
  for (const name of [
    ...ENV_NAMES,
    ...Object.keys(process.env).filter(k => k.startsWith('STATE_'))
  ])
    savedEnv[name] = process.env[name]
  for (const name of Object.keys(process.env))
    if (name.startsWith('STATE_')) delete process.env[name]
  writeFileSync(join(dir, 'output'), '')
  writeFileSync(join(dir, 'state'), '')
  writeFileSync(SUMMARY, '')
  mkdirSync(join(dir, 'runner-temp'))
  process.env.GITHUB_OUTPUT = join(dir, 'output')
  process.env.GITHUB_STATE = join(dir, 'state')
  process.env.GITHUB_STEP_SUMMARY = SUMMARY
  process.env.RUNNER_TEMP = join(dir, 'runner-temp')
  // The step's outputs go under the test's directory: its workspace.
  process.env.GITHUB_WORKSPACE = dir
  savedExitCode = process.exitCode
  process.exitCode = undefined
  savedListeners = new Map(SIGNALS.map(s => [s, process.listeners(s)]))
  stdout = captureOutput()
})

afterEach(() => {
  stdout.restore()
  for (const name of Object.keys(process.env))
    if (name.startsWith('STATE_')) delete process.env[name]
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  process.exitCode = savedExitCode
  // Only the listeners main() added during this test.
  for (const sig of SIGNALS) {
    const before = savedListeners.get(sig) ?? []
    for (const l of process.listeners(sig))
      if (!before.includes(l)) process.removeListener(sig, l as NodeJS.SignalsListener)
  }
  rmSync(dir, { recursive: true, force: true })
})

afterAll(() => {
  rmSync(SUMMARY_DIR, { recursive: true, force: true })
})

const log = (): string => stdout.text()
const outputs = (): Record<string, string> => readFileCommands(join(dir, 'output'))
const state = (): Record<string, string> => readFileCommands(join(dir, 'state'))
const summary = (): string => readFileSync(SUMMARY, 'utf8')

/** The messages of ::error:: or ::warning:: commands, unescaped. */
function annotations(kind: 'error' | 'warning'): string[] {
  const unescape = (s: string): string =>
    s.replace(/%(25|0D|0A)/g, (_m, code: string) =>
      code === '25' ? '%' : code === '0D' ? '\r' : '\n'
    )
  return log()
    .split('\n')
    .filter(l => l.startsWith(`::${kind}::`))
    .map(l => unescape(l.slice(kind.length + 4)))
}

/** The ::group:: names, in order. */
const groups = (): string[] =>
  log()
    .split('\n')
    .filter(l => l.startsWith('::group::'))
    .map(l => l.slice('::group::'.length))

interface PhaseJson {
  name: string
  ok: boolean
  ms: number
  detail: string
}
interface MetadataJson {
  phases: PhaseJson[]
  [key: string]: unknown
}

function metadata(): MetadataJson {
  const raw = outputs()[Output.Metadata]
  expect(raw).toBeDefined()
  return JSON.parse(raw as string) as MetadataJson
}

/** Sets STATE_* the way the runner does for the post step. */
function postState(values: Record<string, string>): void {
  for (const [k, v] of Object.entries(values)) process.env[`STATE_${k}`] = v
}

const failed = (): boolean => process.exitCode === 1

// ---- values used across the cases ------------------------------------------------------

const SECRET = 'pw-Zq8!sEcReT-7731'
const REGISTRY = '127.0.0.1:5001'
const BASE = '127.0.0.1:5000/busybox:stable'
const T1 = '127.0.0.1:5000/app:1.0'
const T2 = '127.0.0.1:5000/app:latest'
const COMMITTED = '127.0.0.1:5000/app:committed'
const JSON_FORMAT = '{{json .}}'

// ---- main --------------------------------------------------------------------------------

describe('main: a full plan', () => {
  const HEALTHY = 'inspect-healthy.json'

  function fullPlan(): With {
    return {
      registry: REGISTRY,
      username: 'ci-bot',
      password: SECRET,
      pull: BASE,
      context: '.',
      file: 'Dockerfile.ci',
      tags: `${T1}, ${T2}`,
      'build-args': 'VERSION=1.0\nGREETING=a=b',
      labels: 'org.opencontainers.image.source=https://example.invalid/app',
      target: 'runtime',
      'no-cache': 'true',
      push: 'true',
      save: join(dir, 'out', 'images.tar'),
      run: 'true',
      name: 'web',
      command: 'httpd -f -p 80',
      ports: '127.0.0.1:18080:80',
      env: 'MODE=ci',
      'health-cmd': 'test -d /',
      'health-interval': '1s',
      'health-retries': '2',
      exec: 'echo hello\ntest -f /etc/hostname',
      commit: COMMITTED,
      export: join(dir, 'out', 'rootfs.tar'),
      stats: 'true'
    }
  }

  async function runFull(): Promise<FakeNerdctl> {
    // Starting at first, healthy once the step has run a recorded probe.
    const fake = new FakeNerdctl({
      container: HEALTHY,
      inspect: ['inspect-starting.json', HEALTHY]
    })
    await main(reader(fullPlan()), { runner: fake.runner })
    return fake
  }

  test('the status the wait read last is the final one: no inspect after it', async () => {
    const fake = new FakeNerdctl({
      container: HEALTHY,
      inspect: ['inspect-starting.json', HEALTHY]
    })
    await main(
      reader({ image: BASE, name: 'web', 'health-cmd': 'test -d /', 'health-interval': '1s' }),
      { runner: fake.runner }
    )
    expect(failed()).toBe(false)
    const commands = fake.commands.filter(c => c[0] !== 'exec')
    expect(commands.slice(-3)).toEqual([
      ['container', 'inspect', fake.containerId],
      ['container', 'healthcheck', fake.containerId],
      ['container', 'inspect', fake.containerId]
    ])
    expect(outputs()[Output.Health]).toBe('healthy')
    expect(outputs()[Output.Status]).toBe('running')
    expect(fake.of('stats')).toEqual([])
  })

  test("the built image's metadata is read alongside the run, and still reaches the outputs", async () => {
    let runStarted: () => void = () => undefined
    const running = new Promise<void>(r => (runStarted = r))
    const fake = new FakeNerdctl({
      override: async cmd => {
        if (cmd[0] === 'run') runStarted()
        // The descriptor answers only once the run has started: a build phase
        // that waited for it would never get there.
        if (cmd[0] === 'image' && cmd[2] === '--mode=native') {
          await running
          return { stdout: fixture('inspect-image-native.json') }
        }
        return undefined
      }
    })
    await main(reader({ context: '.', tags: T1, run: 'true', name: 'web' }), {
      runner: fake.runner
    })
    expect(failed()).toBe(false)
    const [native] = JSON.parse(fixture('inspect-image-native.json')) as {
      Image: { Target: { digest: string } }
    }[]
    expect(outputs()[Output.Digest]).toBe(native?.Image.Target.digest)
    expect(JSON.parse(outputs()[Output.Metadata] ?? '{}')).toMatchObject({
      'containerimage.digest': native?.Image.Target.digest
    })
  })

  test('the status read alongside a last copy is the final one; a commit after it reads again', async () => {
    const run = async (extra: With): Promise<string[][]> => {
      const fake = new FakeNerdctl({
        container: HEALTHY,
        inspect: [HEALTHY]
        // nerdctl cp streams a tar of the path (the fake's recorded answer)
      })
      await main(
        reader({ image: BASE, name: 'web', copy: `:/etc/hostname -> ${join(dir, 'h')}`, ...extra }),
        {
          runner: fake.runner
        }
      )
      expect(stdout.text()).not.toContain('::error')
      expect(failed()).toBe(false)
      expect(outputs()[Output.Status]).toBe('running')
      return fake.commands.map(c => c.slice(0, 2))
    }
    // Copy is the last phase: its inspect (started with it) is the final state.
    expect((await run({})).slice(-2)).toEqual([
      ['container', 'inspect'],
      ['cp', expect.stringContaining(':/etc/hostname') as unknown as string]
    ])
    // A commit runs after the copy: the final state is read after the commit.
    expect((await run({ commit: COMMITTED })).slice(-4)).toEqual([
      ['container', 'inspect'],
      ['cp', expect.stringContaining(':/etc/hostname') as unknown as string],
      ['commit', expect.any(String) as unknown as string],
      ['container', 'inspect']
    ])
  })

  test('every phase runs, in order, with the exact nerdctl argv', async () => {
    const fake = await runFull()
    expect(annotations('error')).toEqual([])
    expect(failed()).toBe(false)
    const id = fake.containerId
    const token = state()[State.Token] as string
    expect(token).toMatch(/^[0-9a-f]{16}$/)

    const iidfile = flag(fake.of('build')[0]?.cmd ?? [], '--iidfile')
    const envFile = flag(fake.of('run')[0]?.cmd ?? [], '--env-file')
    const saveTmp = fake.of('save')[0]?.spec.stdoutFile ?? ''
    const exportTmp = fake.of('export')[0]?.spec.stdoutFile ?? ''
    // The waiter's quick, unrecorded checks (the recorded container's health
    // command, `true`, run as is) come or not depending on how long ago the
    // recorded container started; everything else is exact.
    const quickProbe = ['exec', id, '/bin/sh', '-c', 'true']
    const isQuick = (c: readonly string[]): boolean =>
      JSON.stringify(c) === JSON.stringify(quickProbe)
    expect(fake.commands.filter(c => !isQuick(c))).toEqual([
      // A build and a health check need versions; with no reading kept, one call reads them.
      ['version', '--format', '{{json .}}'],
      ['login', '--username', 'ci-bot', '--password-stdin', REGISTRY],
      ['pull', BASE],
      [
        'build',
        '--progress',
        'plain',
        '--iidfile',
        iidfile,
        '--tag',
        T1,
        '--tag',
        T2,
        '--file',
        'Dockerfile.ci',
        '--build-arg',
        'VERSION=1.0',
        '--build-arg',
        'GREETING=a=b',
        '--label',
        'org.opencontainers.image.source=https://example.invalid/app',
        '--target',
        'runtime',
        '--no-cache',
        '.'
      ],
      // the build's metadata, and its digest with it (no `images` after a build)
      ['image', 'inspect', '--mode=native', T1],
      ['push', T1],
      ['push', T2],
      ['save', T1, T2],
      [
        'run',
        '-d',
        '--name',
        'web',
        '-p',
        '127.0.0.1:18080:80',
        '--env-file',
        envFile,
        '--label',
        `${OWNER_LABEL}=${token}`,
        // The job marker: a later job removes the container if this one is killed.
        '--label',
        `${JOB_LABEL}=${jobMarker()}`,
        '--health-cmd',
        'test -d /',
        '--health-interval',
        '1s',
        '--health-retries',
        '2',
        T1,
        'httpd',
        '-f',
        '-p',
        '80'
      ],
      // wait: starting, one recorded probe, healthy
      ['container', 'inspect', id],
      ['container', 'healthcheck', id],
      ['container', 'inspect', id],
      // the resource sample starts once the container is healthy, alongside what follows
      ['stats', '--no-stream', '--no-trunc', '--format', JSON_FORMAT, id],
      ['exec', id, '/bin/sh', '-c', 'echo hello'],
      ['exec', id, '/bin/sh', '-c', 'test -f /etc/hostname'],
      ['commit', id, COMMITTED],
      // the final state, read alongside the export (nothing runs after it)
      ['container', 'inspect', id],
      ['export', id]
    ])
    // Plain nerdctl (no sudo, no global flags), with the step's timeout and cancel signal.
    for (const c of fake.calls) {
      expect(c.spec.file).toBe('nerdctl')
      expect(c.spec.signal).toBeInstanceOf(AbortSignal)
    }
    // No `timeout` input: long work has no limit (the job bounds it), control calls the default.
    for (const long of ['pull', 'build', 'push', 'save', 'run', 'exec', 'cp', 'commit', 'export'])
      for (const c of fake.of(long)) expect([long, c.spec.timeoutMs]).toEqual([long, 0])
    const inspects = fake.of('container').filter(c => c.cmd[1] === 'inspect')
    expect(inspects.length).toBeGreaterThan(0)
    for (const c of [...inspects, ...fake.of('images'), ...fake.of('login')])
      expect(c.spec.timeoutMs).toBe(DEFAULT_TIMEOUT_MS)

    // The step's scratch directory is under RUNNER_TEMP. (The library finds it through
    // TMPDIR and os.tmpdir(), which reads the real environment, not jest's copy of it, so
    // where the iidfile lands is not checked here.) The build's own directory is removed.
    const scratch = state()[State.TempDir] as string
    expect(dirname(scratch)).toBe(join(dir, 'runner-temp'))
    expect(basename(dirname(iidfile)).startsWith('nerdctl-build-')).toBe(true)
    expect(existsSync(dirname(iidfile))).toBe(false)
    // So is the run's env file, with its private directory.
    expect(basename(dirname(envFile)).startsWith('nerdctl-env-')).toBe(true)
    expect(existsSync(dirname(envFile))).toBe(false)
    // save and export stream nerdctl's output into a file beside the target, then rename.
    const saved = join(dir, 'out', 'images.tar')
    const exported = join(dir, 'out', 'rootfs.tar')
    expect(dirname(saveTmp)).toBe(dirname(saved))
    expect(basename(saveTmp).startsWith('.images.tar.partial-')).toBe(true)
    expect(basename(exportTmp).startsWith('.rootfs.tar.partial-')).toBe(true)
    expect(execFileSync('tar', ['-tf', saved], { encoding: 'utf8' }).trim()).toBe('index.json')
    expect(readFileSync(exported, 'utf8')).toBe(`tarball of: export ${id}`)
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['images.tar', 'rootfs.tar'])
  })

  test('the password goes to login on stdin only, and nowhere else', async () => {
    const fake = await runFull()
    const login = fake.of('login')
    expect(login).toHaveLength(1)
    expect(login[0]?.input).toBe(SECRET)
    expect(login[0]?.cmd).toContain('--password-stdin')
    for (const c of fake.calls.filter(c => c.cmd[0] !== 'login')) expect(c.input).toBeUndefined()
    // Masked at once; the mask command is the only line that may hold it.
    expect(log()).toContain(`::add-mask::${SECRET}`)
    const lines = log()
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
    const everything = [
      ...lines,
      ...fake.calls.flatMap(c => [...c.argv, ...Object.entries(c.env ?? {}).flat()]),
      readFileSync(join(dir, 'output'), 'utf8'),
      readFileSync(join(dir, 'state'), 'utf8'),
      summary()
    ]
    for (const text of everything) expect(text).not.toContain(SECRET)
  })

  test('outputs, state and the summary say what each phase did', async () => {
    const fake = await runFull()
    const id = fake.containerId
    const o = outputs()
    expect(o[Output.ImageId]).toBe(IMAGE_ID)
    expect(IMAGE_ID).toMatch(/^sha256:[0-9a-f]{64}$/)
    // The manifest digest nerdctl reported while pushing the first tag.
    expect(o[Output.Digest]).toBe(/sha256:[0-9a-f]{64}/.exec(PUSH_PROGRESS)?.[0])
    expect(o[Output.Tags]).toBe(`${T1}\n${T2}`)
    expect(o[Output.ContainerId]).toBe(id)
    expect(o[Output.ContainerName]).toBe('web')
    expect(o[Output.Status]).toBe('running')
    expect(o[Output.Health]).toBe('healthy')
    expect(o[Output.SavePath]).toBe(join(dir, 'out', 'images.tar'))
    expect(o[Output.ExportPath]).toBe(join(dir, 'out', 'rootfs.tar'))
    expect(o[Output.ExitCode]).toBeUndefined()

    const recordedStats = JSON.parse(STATS_LINES.find(l => l.includes(id)) as string) as StatsJson
    const usage = JSON.parse(o[Output.Stats] as string) as Record<string, unknown>
    expect(usage).toMatchObject({
      id,
      name: recordedStats.Name,
      cpuUsage: recordedStats.CPUPerc,
      pids: recordedStats.PIDs
    })
    expect(`${String(usage.memoryUsage)} / ${String(usage.memoryLimit)}`).toBe(
      recordedStats.MemUsage
    )

    const phases = [
      'login',
      `pull ${BASE}`,
      'build',
      'push',
      'save',
      'run',
      'wait',
      'exec',
      'commit',
      'export',
      'stats'
    ]
    const meta = metadata()
    expect(meta.phases.map(p => p.name)).toEqual(phases)
    expect(meta.phases.every(p => p.ok)).toBe(true)
    // buildx's --metadata-file names, as build-push-action's metadata output has them.
    const native = (
      JSON.parse(fixture('inspect-image-native.json')) as {
        Image: { Target: { digest: string } }
      }[]
    )[0]
    expect(meta).toMatchObject({
      'containerimage.digest': native?.Image.Target.digest,
      'image.name': `${T1},${T2}`,
      // What BuildKit's progress said: every instruction after FROM came from the cache.
      cache: { steps: 3, cached: 3 }
    })
    expect((meta as unknown as Record<string, unknown>)['containerimage.descriptor']).toBeDefined()
    expect(meta).toMatchObject({
      [Output.ImageId]: IMAGE_ID,
      [Output.Tags]: [T1, T2],
      [Output.ContainerId]: id,
      [Output.Stats]: usage
    })
    expect(meta.phases[0]?.detail).toBe(`logged in to ${REGISTRY} as ci-bot`)
    expect(groups()).toEqual(phases)

    const s = summary()
    expect(s).toContain('<table>')
    expect(s).toContain('<th>phase</th><th>result</th><th>details</th><th>time</th>')
    for (const p of phases) expect(s).toContain(`<tr><td>${p}</td><td>✅ done</td>`)
    expect(s).toContain(`<td>image ID</td><td>${IMAGE_ID}</td>`)

    const st = state()
    expect(st[State.IsPost]).toBe('true')
    expect(JSON.parse(st[State.Containers] as string)).toEqual([id])
    expect(JSON.parse(st[State.LogoutRegistries] as string)).toEqual([REGISTRY])
    expect(st[State.Cleanup]).toBe('true')
    expect(JSON.parse(st[State.Nerdctl] as string)).toMatchObject({
      binary: 'nerdctl',
      sudo: false
    })
    // The temporary names of save and export, recorded before they were made.
    const partials = JSON.parse(st[State.Partials] as string) as string[]
    expect(partials.map(p => [dirname(p), basename(p).replace(/-[0-9a-f]{8}$/, '')])).toEqual([
      [join(dir, 'out'), '.images.tar.partial'],
      [join(dir, 'out'), '.rootfs.tar.partial']
    ])
    // No logs on success with the default show-logs (on-failure).
    expect(fake.of('logs')).toEqual([])
  })
})

describe('main: health durations', () => {
  test('read as milliseconds, they reach nerdctl as Go durations again', async () => {
    const fake = new FakeNerdctl()
    await main(
      reader({
        image: BASE,
        name: 'svc',
        'health-cmd': 'true',
        'health-interval': '90s',
        'health-timeout': '1500ms',
        'health-start-period': '2m',
        wait: 'false'
      }),
      { runner: fake.runner }
    )
    expect(annotations('error')).toEqual([])
    const run = fake.of('run')[0]?.cmd ?? []
    expect(flag(run, '--health-interval')).toBe('1m30s')
    // Written however the library writes durations; nerdctl reads the same time back.
    expect(parseDuration(flag(run, '--health-timeout'))).toBe(1_500)
    expect(parseDuration(flag(run, '--health-start-period'))).toBe(120_000)
  })
})

describe('main: invalid input', () => {
  test.each<[string, With, string]>([
    ['a port out of range', { image: BASE, ports: '99999:80' }, 'ports'],
    ['push without tags', { push: 'true' }, 'push'],
    [
      'a bad show-logs, with a password given',
      { registry: REGISTRY, username: 'ci-bot', password: SECRET, 'show-logs': 'sometimes' },
      'show-logs'
    ],
    ['a container option without a container', { exec: 'true' }, 'exec']
  ])('%s: the step fails before any nerdctl call', async (_what, inputs, input) => {
    const fake = new FakeNerdctl()
    await main(reader(inputs), { runner: fake.runner })
    expect(fake.calls).toEqual([])
    expect(failed()).toBe(true)
    const errors = annotations('error')
    expect(errors).toHaveLength(1)
    expect(errors[0]?.startsWith(`Input "${input}": `)).toBe(true)
    // Only the post-step marker: no token, so the post step does nothing.
    expect(state()).toEqual({ [State.IsPost]: 'true' })
    expect(outputs()).toEqual({})
    const lines = log()
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
    expect(lines.join('\n')).not.toContain(SECRET)

    // The post step of that run has nothing to clean up.
    postState(state())
    const later = new FakeNerdctl()
    await post({ runner: later.runner })
    expect(later.calls).toEqual([])
  })
})

describe('main: a failing phase', () => {
  test('push refused: nerdctl says why, earlier outputs stay, later phases do not run', async () => {
    const fake = new FakeNerdctl({
      override: cmd =>
        cmd[0] === 'push'
          ? {
              exitCode: PUSH_REFUSED.exitCode,
              stdout: fixture('error-push-unauthorized.txt'),
              stderr: PUSH_REFUSED.stderr
            }
          : undefined
    })
    await main(
      reader({
        context: '.',
        tags: `${T1}\n${T2}`,
        push: 'true',
        save: join(dir, 'images.tar'),
        run: 'true',
        exec: 'true'
      }),
      { runner: fake.runner }
    )
    expect(failed()).toBe(true)
    const errors = annotations('error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(
      `nerdctl --debug push ${T1} failed with exit code ${PUSH_REFUSED.exitCode}: ${fatalMessage(PUSH_REFUSED.stderr)}`
    )

    // Only the first push ran; nothing after it.
    expect(fake.commands.map(c => c[0])).toEqual(['version', 'build', 'image', 'push'])
    expect(fake.of('run')).toEqual([])
    expect(existsSync(join(dir, 'images.tar'))).toBe(false)

    const o = outputs()
    expect(o[Output.ImageId]).toBe(IMAGE_ID)
    expect(o[Output.Tags]).toBe(`${T1}\n${T2}`)
    expect(o[Output.ContainerId]).toBeUndefined()
    expect(o[Output.ContainerName]).toBeUndefined()
    expect(o[Output.SavePath]).toBeUndefined()
    // Nothing reached the registry: no digest, though the build's own was read.
    expect(o[Output.Digest]).toBeUndefined()

    const meta = metadata()
    expect(meta.phases.map(p => [p.name, p.ok])).toEqual([
      ['build', true],
      ['push', false]
    ])
    expect(meta.phases[1]?.detail).toBe('failed')
    expect(summary()).toContain('<tr><td>push</td><td>❌ failed</td>')
    expect(summary()).toContain('<tr><td>build</td><td>✅ done</td>')
  })
})

describe('main: the digest output is what the registry serves', () => {
  /** sha256 of the manifest the registry served after a recorded push. */
  const served = (name: string): string =>
    `sha256:${createHash('sha256')
      .update(fixture(`${name}.registry.json`))
      .digest('hex')}`

  test('a single-platform build with provenance: pushed whole, the digest is the index, not the image manifest', async () => {
    const pushed = fixtureMeta('push-attested.txt')
    const fake = new FakeNerdctl({
      override: cmd => {
        if (cmd[0] === 'image' && cmd[2] === '--mode=native')
          return { stdout: fixture('inspect-image-native-attested.json') }
        if (cmd[0] === 'push')
          return { stdout: fixture('push-attested.txt'), stderr: pushed.stderr }
        return undefined
      }
    })
    await main(reader({ context: '.', tags: T1, provenance: 'mode=min', push: 'true' }), {
      runner: fake.runner
    })
    expect(failed()).toBe(false)
    expect(fake.of('push').map(c => c.cmd)).toEqual([['push', '--all-platforms', T1]])
    const index = JSON.parse(fixture('push-attested.registry.json')) as {
      manifests: { digest: string }[]
    }
    expect(outputs()[Output.Digest]).toBe(served('push-attested'))
    expect(index.manifests.map(m => m.digest)).not.toContain(outputs()[Output.Digest])
  })

  test('a single-platform build without attestations: the manifest nerdctl pushed', async () => {
    const pushed = fixtureMeta('push-single.txt')
    const fake = new FakeNerdctl({
      override: cmd =>
        cmd[0] === 'push'
          ? { stdout: fixture('push-single.txt'), stderr: pushed.stderr }
          : undefined
    })
    await main(reader({ context: '.', tags: T1, push: 'true' }), { runner: fake.runner })
    expect(failed()).toBe(false)
    expect(fake.of('push').map(c => c.cmd)).toEqual([['push', T1]])
    expect(outputs()[Output.Digest]).toBe(served('push-single'))
  })
})

describe('main: an exec line fails', () => {
  // The recorded failing exec: its command, its output, nerdctl's report of the exit code.
  const command = EXEC_FAILED.args.slice(-1)[0] as string
  const code = Number(/exit code (\d+)/.exec(EXEC_FAILED.stderr)?.[1])

  function failingExec(): FakeNerdctl {
    return new FakeNerdctl({
      override: cmd =>
        cmd[0] === 'exec' && cmd[cmd.length - 1] === command
          ? {
              exitCode: EXEC_FAILED.exitCode,
              stdout: fixture('error-exec-exit-code.txt'),
              stderr: EXEC_FAILED.stderr
            }
          : undefined
    })
  }

  test.each<[string, boolean]>([
    ['on-failure', true],
    ['never', false]
  ])('show-logs %s', async (showLogs, logsShown) => {
    const fake = failingExec()
    await main(
      reader({
        image: BASE,
        name: 'svc',
        exec: `true\n${command}\necho never-reached`,
        'show-logs': showLogs
      }),
      { runner: fake.runner }
    )
    const id = fake.containerId
    expect(failed()).toBe(true)
    expect(code).toBeGreaterThan(1)
    expect(annotations('error')).toEqual([
      `exec "${command}" exited with code ${code}:\n${fixture('error-exec-exit-code.txt').trim()}`
    ])
    expect(fake.of('exec').map(c => c.cmd)).toEqual([
      ['exec', id, '/bin/sh', '-c', 'true'],
      ['exec', id, '/bin/sh', '-c', command]
    ])
    const afterExec = fake.commands.slice(fake.calls.indexOf(fake.of('exec')[1] as Call) + 1)
    expect(afterExec).toEqual([
      // no stats: the input did not ask for the sample
      ['container', 'inspect', id],
      ...(logsShown ? [['logs', '--tail', '500', id]] : [])
    ])
    if (logsShown) expect(groups()).toContain('logs of svc')
    else expect(groups()).not.toContain('logs of svc')

    const o = outputs()
    // The image was not built: its ID is the one `nerdctl images` shows.
    expect(o[Output.ImageId]).toBe(
      (JSON.parse(fixture('images.jsonl').trim()) as { ID: string }).ID
    )
    expect(o[Output.ContainerId]).toBe(id)
    expect(o[Output.Status]).toBe('running')
    const meta = metadata()
    expect(meta.phases.map(p => [p.name, p.ok])).toEqual([
      ['run', true],
      ['exec', false]
    ])
    expect(JSON.parse(state()[State.Containers] as string)).toEqual([id])
  })
})

describe('main: detach false', () => {
  // The recorded exited container: what a foreground run leaves behind.
  const EXITED = 'inspect-exited.json'
  const programOutput = fixture('error-exec-exit-code.txt')

  function foreground(exitCode: number): FakeNerdctl {
    return new FakeNerdctl({
      container: EXITED,
      inspect: [EXITED],
      override: async (cmd, fake) => {
        if (cmd[0] !== 'run') return undefined
        await writeFile(flag(cmd, '--cidfile'), fake.containerId)
        return { exitCode, stdout: programOutput }
      }
    })
  }

  /**
   * The --cidfile of a run: a file in a directory of its own under TMPDIR (the
   * step's scratch directory; os.tmpdir() reads the real environment, not
   * jest's copy, so where it lands is not checked here).
   */
  function cidfileOf(fake: FakeNerdctl): string {
    const cidfile = flag(fake.of('run')[0]?.cmd ?? [], '--cidfile')
    expect(basename(dirname(cidfile)).startsWith('nerdctl-run-')).toBe(true)
    return cidfile
  }

  test('the program runs to completion; its output is logged and its exit code is an output', async () => {
    const fake = foreground(0)
    await main(
      reader({ image: BASE, name: 'job', detach: 'false', command: 'echo partial-output' }),
      { runner: fake.runner }
    )
    expect(annotations('error')).toEqual([])
    expect(failed()).toBe(false)
    const token = state()[State.Token] as string
    expect(fake.commands).toEqual([
      ['images', '--no-trunc', '--format', JSON_FORMAT, BASE],
      [
        'run',
        '--name',
        'job',
        '--label',
        `${OWNER_LABEL}=${token}`,
        '--label',
        `${JOB_LABEL}=${jobMarker()}`,
        '--cidfile',
        cidfileOf(fake),
        BASE,
        'echo',
        'partial-output'
      ],
      // Its own container, by the ID nerdctl wrote for this run: never by name.
      ['container', 'inspect', idOf(EXITED)],
      ['container', 'inspect', idOf(EXITED)]
    ])
    // The ID file and its directory are gone once the run is over.
    expect(existsSync(dirname(cidfileOf(fake)))).toBe(false)
    expect(log()).toContain(`${programOutput.trimEnd()}\n`)
    const o = outputs()
    expect(o[Output.ExitCode]).toBe('0')
    expect(o[Output.ContainerId]).toBe(idOf(EXITED))
    expect(o[Output.Status]).toBe('exited')
    expect(metadata().phases.map(p => [p.name, p.ok])).toEqual([['run', true]])
  })

  test('a non-zero exit fails the step with the exit code', async () => {
    const code = inspected(EXITED).State.ExitCode
    const fake = foreground(code)
    await main(
      reader({
        image: BASE,
        name: 'job',
        detach: 'false',
        command: 'sh -c "echo out; echo err >&2; exit 3"'
      }),
      { runner: fake.runner }
    )
    expect(failed()).toBe(true)
    expect(annotations('error')).toEqual([`container job exited with code ${code}`])
    expect(fake.of('run')[0]?.cmd).not.toContain('-d')
    expect(fake.of('run')[0]?.cmd.slice(-4)).toEqual([
      BASE,
      'sh',
      '-c',
      'echo out; echo err >&2; exit 3'
    ])
    expect(outputs()[Output.ExitCode]).toBe(String(code))
    // Failed, so its logs are shown (default on-failure); exited, so no stats.
    expect(fake.of('logs').map(c => c.cmd)).toEqual([['logs', '--tail', '500', idOf(EXITED)]])
    expect(fake.of('stats')).toEqual([])
    expect(metadata().phases.map(p => [p.name, p.ok])).toEqual([['run', false]])
  })

  test("a name another job's container has: the run fails; that container is never adopted, shown or removed", async () => {
    // What nerdctl does: it writes the ID it picked, then finds the name taken
    // and makes no container. The name's owner is another job's container.
    const refused = fixtureMeta('error-name-in-use.txt')
    const missing = fixtureMeta('error-container-inspect-missing.txt')
    const picked = 'e'.repeat(64)
    const fake = new FakeNerdctl({
      container: EXITED,
      override: async cmd => {
        if (cmd[0] === 'run') {
          if (cmd.includes('--cidfile')) await writeFile(flag(cmd, '--cidfile'), picked)
          return { exitCode: refused.exitCode, stderr: refused.stderr }
        }
        // The ID nerdctl picked names no container; the name (and the other
        // container's ID) answers with the other job's container.
        if (cmd[0] === 'container' && cmd[1] === 'inspect' && cmd[2] === picked)
          return { exitCode: missing.exitCode, stderr: missing.stderr }
        return undefined
      }
    })
    await main(reader({ image: BASE, name: 'job', detach: 'false', command: 'true' }), {
      runner: fake.runner
    })
    expect(failed()).toBe(true)
    expect(annotations('error')[0]).toContain('is already used by ID')
    // Nothing looked up by the name, nothing of the other container's read or output.
    expect(fake.commands.filter(c => c.includes('job') && c[0] !== 'run')).toEqual([])
    expect(fake.commands.filter(c => c.includes(idOf(EXITED)))).toEqual([])
    expect(fake.of('logs')).toEqual([])
    expect(outputs()[Output.ContainerId]).toBeUndefined()
    expect(outputs()[Output.ExitCode]).toBeUndefined()
    expect(state()[State.Containers]).toBeUndefined()

    // The post step removes only what carries the step's label.
    postState(state())
    const later = new FakeNerdctl({ override: cmd => (cmd[0] === 'ps' ? {} : undefined) })
    await post({ runner: later.runner })
    expect(later.of('rm')).toEqual([])
  })
})

describe('main: what a container prints is text in the log, never a workflow command', () => {
  const FORGED = [
    '::set-output name=container-id::forged',
    '::add-mask::x',
    '::save-state name=token::forged',
    '::error::x'
  ].join('\n')

  /** The commands the runner would obey in this step's log. */
  function obeyed(): WorkflowCommand[] {
    const reader = new CommandReader()
    return log()
      .split('\n')
      .flatMap(l => {
        const r = reader.read(l)
        return r.kind === 'command' ? [r.command] : []
      })
  }

  test('exec output and the logs phase: shown, inside stop-commands regions', async () => {
    const fake = new FakeNerdctl({
      override: cmd =>
        cmd[0] === 'exec' || cmd[0] === 'logs'
          ? { stdout: `${FORGED}\n`, stderr: `${FORGED}\n` }
          : undefined
    })
    await main(reader({ image: BASE, name: 'svc', exec: 'cat forged', 'show-logs': 'always' }), {
      runner: fake.runner
    })
    expect(failed()).toBe(false)
    expect(fake.of('exec')).toHaveLength(1)
    expect(fake.of('logs')).toHaveLength(1)
    const forged = obeyed().filter(
      c => c.data === 'forged' || c.data === 'x' || c.properties.name === 'token'
    )
    expect(forged).toEqual([])
    // Shown as text: exec's stdout and stderr, and the logs, four times over.
    expect(log().split('::set-output name=container-id::forged').length - 1).toBe(4)
    expect(outputs()[Output.ContainerId]).toBe(fake.containerId)
  })

  test('exec output that was cut says so', async () => {
    const fake = new FakeNerdctl({
      override: (cmd, _f) => (cmd[0] === 'exec' ? { stdout: 'tail\n', truncated: true } : undefined)
    })
    await main(reader({ image: BASE, name: 'svc', exec: 'yes' }), { runner: fake.runner })
    expect(log()).toContain(`(output cut: only its last ${EXEC_OUTPUT_BYTES} bytes were kept)`)
  })
})

describe('main: the nerdctl binary is found once, at start', () => {
  test('found: its absolute path is shown, run and saved for the post step', async () => {
    const fake = new FakeNerdctl()
    await main(reader({ image: BASE, name: 'svc' }), {
      runner: fake.runner,
      findProgram: name => (name === 'nerdctl' ? '/opt/found/nerdctl' : undefined)
    })
    expect(failed()).toBe(false)
    expect(log()).toContain('nerdctl: /opt/found/nerdctl\n')
    expect(fake.calls.every(c => c.argv[0] === '/opt/found/nerdctl')).toBe(true)
    expect(state()[State.Nerdctl]).toContain('/opt/found/nerdctl')
  })

  test('not found: refused before any command, naming the input', async () => {
    const fake = new FakeNerdctl()
    await main(reader({ image: BASE, name: 'svc', nerdctl: 'nerdctl-missing' }), {
      runner: fake.runner,
      findProgram: () => undefined
    })
    expect(failed()).toBe(true)
    expect(fake.calls).toEqual([])
    expect(annotations('error')[0]).toMatch(
      /^Input "nerdctl": "nerdctl-missing" was not found on PATH/
    )
  })
})

// ---- post ----------------------------------------------------------------------------------

describe('post', () => {
  const TOKEN = '0123456789abcdef'
  const SAVED = [idOf('inspect-healthy.json'), idOf('inspect-exited.json')]
  const PREFIX = [systemProgram('sudo'), '-n', '--', 'nerdctl', '--namespace', 'ci']

  function savedState(extra: Record<string, string> = {}): void {
    postState({
      [State.IsPost]: 'true',
      [State.Token]: TOKEN,
      [State.Containers]: JSON.stringify(SAVED),
      [State.Nerdctl]: JSON.stringify({
        binary: 'nerdctl',
        namespace: 'ci',
        sudo: true,
        timeoutMs: 600_000
      }),
      [State.Cleanup]: 'true',
      [State.LogoutRegistries]: JSON.stringify([REGISTRY]),
      ...extra
    })
  }

  test('removes the saved and the labelled containers, each once, with their anonymous volumes, then the labelled networks, then logs out', async () => {
    savedState()
    const fake = new FakeNerdctl()
    await post({ runner: fake.runner })
    const union = [...new Set([...SAVED, ...PS_IDS])]
    expect(union.length).toBeLessThan(SAVED.length + PS_IDS.length)
    expect(fake.calls.map(c => c.argv)).toEqual([
      [
        ...PREFIX,
        'ps',
        '--no-trunc',
        '--format',
        JSON_FORMAT,
        '--all',
        '--filter',
        `label=${OWNER_LABEL}=${TOKEN}`
      ],
      ...union.map(id => [...PREFIX, 'rm', '--force', '--volumes', id]),
      // Main may have ended before saying what it made: a script's network is found by label too.
      [
        ...PREFIX,
        'network',
        'ls',
        '--format',
        JSON_FORMAT,
        '--filter',
        `label=${OWNER_LABEL}=${TOKEN}`
      ],
      [...PREFIX, 'logout', REGISTRY]
    ])
    // Cleanup never hangs the job: two minutes at most per call.
    for (const c of fake.calls) expect(c.spec.timeoutMs).toBe(120_000)
    expect(annotations('warning')).toEqual([])
    expect(failed()).toBe(false)
  })

  test('many containers go a few at a time, each once, before the logout', async () => {
    const ids = Array.from({ length: 9 }, (_, i) => `${i}`.repeat(64))
    savedState({ [State.Containers]: JSON.stringify(ids), [State.Complete]: 'true' })
    let running = 0
    let most = 0
    const fake = new FakeNerdctl({
      override: cmd => {
        if (cmd[0] !== 'rm') return undefined
        most = Math.max(most, ++running)
        // Answered on a later turn, so the others can start meanwhile.
        return new Promise<Answer>(r =>
          setTimeout(() => {
            running--
            r({})
          }, 20)
        )
      }
    })
    await post({ runner: fake.runner })
    const removed = fake.of('rm').map(c => c.cmd[c.cmd.length - 1])
    expect([...removed].sort()).toEqual([...ids].sort())
    expect(most).toBe(4)
    expect(fake.commands[fake.commands.length - 1]?.[0]).toBe('logout')
    expect(failed()).toBe(false)
  })

  test('cleanup false: containers are kept, logout still happens', async () => {
    savedState({ [State.Cleanup]: 'false' })
    const fake = new FakeNerdctl()
    await post({ runner: fake.runner })
    expect(fake.calls.map(c => c.argv)).toEqual([[...PREFIX, 'logout', REGISTRY]])
    expect(failed()).toBe(false)
  })

  test('a saved scratch path that main would not have made is left alone, with a warning', async () => {
    const other = mkdtempSync(join(dir, 'not-a-scratch-'))
    writeFileSync(join(other, 'keep.txt'), 'kept')
    savedState({ [State.TempDir]: other })
    const fake = new FakeNerdctl()
    await post({ runner: fake.runner })
    expect(existsSync(join(other, 'keep.txt'))).toBe(true)
    expect(annotations('warning').join('\n')).toContain(
      `${other} is not this step's scratch directory`
    )
    // Nothing was removed through sudo either.
    expect(fake.calls.filter(c => c.argv.includes('rm') && c.argv.includes('-rf'))).toEqual([])
    expect(failed()).toBe(false)
  })

  test.each([
    ['named like main makes it, but not in RUNNER_TEMP', 'elsewhere'],
    ['a link in RUNNER_TEMP, named like main makes it', 'link']
  ])('a forged scratch path (%s) is left alone', async (_what, how) => {
    const canary = mkdtempSync(join(dir, 'canary-'))
    writeFileSync(join(canary, 'keep.txt'), 'kept')
    let forged: string
    if (how === 'elsewhere') {
      forged = join(canary, 'nerdctl-action-AbC123')
      mkdirSync(forged)
      writeFileSync(join(forged, 'keep.txt'), 'kept')
    } else {
      forged = join(dir, 'runner-temp', 'nerdctl-action-AbC123')
      symlinkSync(canary, forged)
    }
    savedState({ [State.TempDir]: forged })
    const fake = new FakeNerdctl()
    await post({ runner: fake.runner })
    expect(readFileSync(join(canary, 'keep.txt'), 'utf8')).toBe('kept')
    expect(existsSync(forged)).toBe(true)
    if (how === 'elsewhere') expect(existsSync(join(forged, 'keep.txt'))).toBe(true)
    expect(annotations('warning').join('\n')).toContain(
      `${forged} is not this step's scratch directory`
    )
    expect(fake.calls.filter(c => c.argv.includes('-rf'))).toEqual([])
  })

  test('the scratch directory main made in RUNNER_TEMP is removed', async () => {
    const scratch = mkdtempSync(join(dir, 'runner-temp', 'nerdctl-action-'))
    writeFileSync(join(scratch, 'secret-0'), 'x')
    savedState({ [State.TempDir]: scratch })
    await post({ runner: new FakeNerdctl().runner })
    expect(existsSync(scratch)).toBe(false)
    expect(annotations('warning')).toEqual([])
  })

  test("only the partial files main recorded are removed, never another writer's beside them", async () => {
    const out = join(dir, 'shared-out')
    mkdirSync(out)
    const recorded = join(out, '.fs.tar.partial-0badf00d')
    const others = join(out, '.fs.tar.partial-12345678')
    const notPartial = join(out, 'fs.tar')
    for (const p of [recorded, others, notPartial]) writeFileSync(p, 'half')
    savedState({ [State.Partials]: JSON.stringify([recorded, notPartial]) })
    await post({ runner: new FakeNerdctl().runner })
    expect(existsSync(recorded)).toBe(false)
    expect(existsSync(others)).toBe(true)
    expect(existsSync(notPartial)).toBe(true)
  })

  test('a failing rm is a warning; the rest of the cleanup goes on and the step passes', async () => {
    savedState()
    const refused = fixtureMeta('error-not-root.txt')
    const victim = SAVED[0] as string
    const fake = new FakeNerdctl({
      override: cmd =>
        cmd[0] === 'rm' && cmd[cmd.length - 1] === victim
          ? { exitCode: refused.exitCode, stderr: refused.stderr }
          : undefined
    })
    await post({ runner: fake.runner })
    const warnings = annotations('warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(`could not remove container ${victim.slice(0, 12)}`)
    expect(warnings[0]).toContain(fatalMessage(refused.stderr))
    expect(fake.of('rm')).toHaveLength(new Set([...SAVED, ...PS_IDS]).size)
    expect(fake.calls[fake.calls.length - 1]?.cmd).toEqual(['logout', REGISTRY])
    expect(failed()).toBe(false)
    expect(annotations('error')).toEqual([])
  })

  test('a container that is already gone is not a warning', async () => {
    savedState()
    const gone = fixtureMeta('error-no-such-container.txt')
    const fake = new FakeNerdctl({
      override: cmd =>
        cmd[0] === 'rm' && cmd[cmd.length - 1] === SAVED[0]
          ? { exitCode: gone.exitCode, stderr: gone.stderr }
          : undefined
    })
    await post({ runner: fake.runner })
    expect(annotations('warning')).toEqual([])
    expect(log()).toContain(`container ${(SAVED[0] as string).slice(0, 12)} was already gone`)
    expect(failed()).toBe(false)
  })

  test('rm failing because containerd is unreachable is a warning, not "already gone"', async () => {
    // containerd's "no such file or directory" is about its socket, not the container.
    savedState()
    const down = fixtureMeta('error-containerd-down.txt')
    const victim = SAVED[0] as string
    const fake = new FakeNerdctl({
      override: cmd =>
        cmd[0] === 'rm' && cmd[cmd.length - 1] === victim
          ? { exitCode: down.exitCode, stderr: down.stderr }
          : undefined
    })
    await post({ runner: fake.runner })
    expect(log()).not.toContain(`container ${victim.slice(0, 12)} was already gone`)
    const warnings = annotations('warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(`could not remove container ${victim.slice(0, 12)}`)
    expect(failed()).toBe(false)
  })

  test('no token: nothing ran, nothing to do', async () => {
    postState({ [State.IsPost]: 'true', [State.LogoutRegistries]: JSON.stringify([REGISTRY]) })
    const fake = new FakeNerdctl()
    await post({ runner: fake.runner })
    expect(fake.calls).toEqual([])
    expect(log()).toContain('Nothing to clean up')
    expect(failed()).toBe(false)
  })

  test('after main: the state main saved drives the cleanup', async () => {
    const step = new FakeNerdctl()
    await main(
      reader({
        namespace: 'ci',
        sudo: 'true',
        registry: REGISTRY,
        username: 'ci-bot',
        password: SECRET,
        image: BASE,
        name: 'svc'
      }),
      { runner: step.runner }
    )
    expect(failed()).toBe(false)
    // The step logs in to a Docker config of its own, which sudo must pass on.
    const STEP_PREFIX = [
      systemProgram('sudo'),
      '-n',
      '--preserve-env=DOCKER_CONFIG',
      ...PREFIX.slice(2)
    ]
    expect(
      step.calls.every(c => c.argv.slice(0, STEP_PREFIX.length).join(' ') === STEP_PREFIX.join(' '))
    ).toBe(true)
    const saved = state()
    const scratch = saved[State.TempDir] as string
    expect(existsSync(scratch)).toBe(true)
    const config = saved[State.DockerConfig] as string
    expect(config).toBe(join(scratch, 'docker-config'))
    expect(step.calls.every(c => c.env?.DOCKER_CONFIG === config)).toBe(true)
    expect(statSync(join(config, 'config.json')).mode & 0o777).toBe(0o600)

    postState(saved)
    const fake = new FakeNerdctl()
    await post({ runner: fake.runner })
    // Main ended with no script and no failure: its saved IDs are all there is, no listing.
    expect(saved[State.Complete]).toBe('true')
    expect(fake.of('ps')).toEqual([])
    const removed = fake.of('rm').map(c => c.cmd[c.cmd.length - 1])
    expect(removed).toEqual([step.containerId])
    expect(fake.calls[fake.calls.length - 1]?.argv).toEqual([...STEP_PREFIX, 'logout', REGISTRY])
    expect(fake.calls[fake.calls.length - 1]?.env?.DOCKER_CONFIG).toBe(config)
    expect(existsSync(scratch)).toBe(false)
    expect(failed()).toBe(false)
  })

  test('after a main whose script may have made containers, the label finds them', async () => {
    const step = new FakeNerdctl()
    await main(reader({ image: BASE, name: 'svc', script: 'return 1' }), { runner: step.runner })
    expect(failed()).toBe(false)
    expect(outputs()[Output.Result]).toBe('1')
    const saved = state()
    expect(saved[State.Complete]).toBeUndefined()
    postState(saved)
    const fake = new FakeNerdctl()
    await post({ runner: fake.runner })
    const token = saved[State.Token] as string
    expect(fake.calls[0]?.argv).toEqual([
      'nerdctl',
      'ps',
      '--no-trunc',
      '--format',
      JSON_FORMAT,
      '--all',
      '--filter',
      `label=${OWNER_LABEL}=${token}`
    ])
    expect(fake.of('rm').map(c => c.cmd[c.cmd.length - 1])).toContain(step.containerId)
  })

  test("a script's network is found by the step's label and removed after the containers", async () => {
    const step = new FakeNerdctl()
    await main(reader({ script: 'return 1' }), { runner: step.runner })
    expect(failed()).toBe(false)
    const saved = state()
    postState(saved)
    const [net] = fixture('network-ls.jsonl').split('\n')
    const name = (JSON.parse(net as string) as { Name: string }).Name
    const fake = new FakeNerdctl({
      override: cmd =>
        cmd[0] === 'network' && cmd[1] === 'ls' ? { stdout: `${net}\n` } : undefined
    })
    await post({ runner: fake.runner })
    const token = saved[State.Token] as string
    expect(fake.of('network').map(c => c.cmd)).toEqual([
      ['network', 'ls', '--format', JSON_FORMAT, '--filter', `label=${OWNER_LABEL}=${token}`],
      ['network', 'rm', name]
    ])
    expect(fake.commands.findIndex(c => c[0] === 'network')).toBeGreaterThan(
      fake.commands.findIndex(c => c[0] === 'rm')
    )
    expect(annotations('warning')).toEqual([])
  })
})

describe('main and post: services', () => {
  const SERVICES = `
db:
  image: 127.0.0.1:5000/busybox:stable
  ports: ["127.0.0.1:18080:80"]
web:
  image: 127.0.0.1:5000/busybox:stable
  depends-on: [db]
  options: --memory 64m
`

  test('a network of its own, services in order on it by key, the output, state and summary; post removes the network last', async () => {
    const fake = new FakeNerdctl({
      override: cmd =>
        cmd[0] === 'network' && cmd[1] === 'create' ? { stdout: 'netid\n' } : undefined
    })
    await main(reader({ services: SERVICES }), { runner: fake.runner })
    expect(failed()).toBe(false)
    expect(groups()).toEqual(['services'])
    const create = fake.of('network').find(c => c.cmd[1] === 'create')?.cmd as string[]
    const network = create[create.length - 1] as string
    expect(network).toMatch(/^nerdctl-action-[\w-]+-svc-[0-9a-f]{6}$/)
    const token = state()[State.Token] as string
    expect(create).toEqual(
      expect.arrayContaining(['--label', `${OWNER_LABEL}=${token}`, '--subnet'])
    )
    expect(create.join(' ')).toMatch(/--label io\.github\.nerdctl-action\.job=\d+-\d+-\d+/)
    const runs = fake.of('run').map(c => c.cmd)
    expect(runs.map(r => flag(r, '--name'))).toEqual([`${network}-db`, `${network}-web`])
    expect(runs.map(r => flag(r, '--hostname'))).toEqual(['db', 'web'])
    expect(runs.every(r => flag(r, '--network') === network)).toBe(true)
    expect(runs[1]).toEqual(expect.arrayContaining(['--memory', '64m']))
    const out = JSON.parse(outputs()[Output.Services] as string) as Record<
      string,
      Record<string, unknown>
    >
    expect(Object.keys(out)).toEqual(['db', 'web'])
    expect(out.db).toMatchObject({
      id: fake.containerId,
      name: `${network}-db`,
      network,
      ports: { '80': '18080' }
    })
    expect(typeof out.db?.['ready-ms']).toBe('number')
    expect(JSON.parse(state()[State.Networks] as string)).toEqual([network])
    expect(summary()).toContain('ready after')

    postState(state())
    const later = new FakeNerdctl()
    await post({ runner: later.runner })
    const cmds = later.commands
    expect(cmds[cmds.length - 1]).toEqual(['network', 'rm', network])
    expect(cmds.findIndex(c => c[0] === 'rm')).toBeLessThan(cmds.length - 1)
  })

  test("copy by a service's key or the container's name goes to the ID the step started, never a name", async () => {
    const dbId = 'd'.repeat(64)
    const fake = new FakeNerdctl({
      override: cmd =>
        cmd[0] === 'run' && cmd.includes('db') ? { stdout: `${dbId}\n` } : undefined
    })
    await main(
      reader({
        services: 'db:\n  image: 127.0.0.1:5000/busybox:stable\n',
        image: BASE,
        name: 'web',
        copy: `db:/etc/hostname -> ${join(dir, 'db-host')}\nweb:/etc/hostname -> ${join(dir, 'web-host')}`
      }),
      { runner: fake.runner }
    )
    expect(annotations('error')).toEqual([])
    const sources = fake.of('cp').map(c => c.cmd[c.cmd.length - 2])
    expect(sources).toEqual([`${dbId}:/etc/hostname`, `${fake.containerId}:/etc/hostname`])
  })

  test('a bad services input fails before any command runs, naming the service and key', async () => {
    const fake = new FakeNerdctl()
    await main(reader({ services: 'db:\n  image: x\n  port: 5432\n' }), { runner: fake.runner })
    expect(failed()).toBe(true)
    expect(annotations('error')[0]).toMatch(/Input "services": service "db": unknown key "port"/)
    expect(fake.calls).toEqual([])
  })

  test('reap off: no look for leftovers', async () => {
    const fake = new FakeNerdctl()
    await main(reader({ services: 'db:\n  image: x\n', reap: 'false' }), { runner: fake.runner })
    expect(fake.of('ps')).toEqual([])
    await main(reader({ services: 'db:\n  image: x\n' }), { runner: fake.runner })
    expect(fake.of('ps')[0]?.cmd).toEqual(
      expect.arrayContaining(['--filter', 'label=io.github.nerdctl-action.job'])
    )
  })
})

describe('main: several registries, credentials per step, retries', () => {
  const OPEN = '127.0.0.1:5000'
  const userConfig = (): string => join(dir, 'user-docker')
  // The runner user's Docker config, as the step sees it: never the real one.
  beforeEach(() => {
    process.env.DOCKER_CONFIG = userConfig()
  })

  test("registries: each login in order, in the step's own config seeded from the user's; post logs out of each", async () => {
    mkdirSync(userConfig())
    const seed = JSON.stringify({ auths: { 'old.lan': { auth: 'b2xkOnNlY3JldA==' } } })
    writeFileSync(join(userConfig(), 'config.json'), seed)
    const fake = new FakeNerdctl()
    await main(
      reader({
        registry: REGISTRY,
        username: 'ci-bot',
        password: SECRET,
        registries: `- {registry: "${OPEN}", username: second, password: "${SECRET}2"}`
      }),
      { runner: fake.runner }
    )
    expect(failed()).toBe(false)
    const logins = fake.of('login')
    expect(logins.map(c => c.cmd)).toEqual([
      ['login', '--username', 'ci-bot', '--password-stdin', REGISTRY],
      ['login', '--username', 'second', '--password-stdin', OPEN]
    ])
    expect(logins.map(c => c.input)).toEqual([SECRET, `${SECRET}2`])
    expect(log()).toContain(`::add-mask::${SECRET}2`)
    const st = state()
    expect(JSON.parse(st[State.LogoutRegistries] as string)).toEqual([REGISTRY, OPEN])
    const own = st[State.DockerConfig] as string
    expect(own).toBe(join(st[State.TempDir] as string, 'docker-config'))
    expect(logins.every(c => c.env?.DOCKER_CONFIG === own)).toBe(true)
    expect(readFileSync(join(own, 'config.json'), 'utf8')).toBe(seed)
    expect(statSync(own).mode & 0o777).toBe(0o700)
    // The runner user's config is as it was.
    expect(readFileSync(join(userConfig(), 'config.json'), 'utf8')).toBe(seed)
    for (const text of [JSON.stringify(st), JSON.stringify(outputs()), summary()])
      expect(text).not.toContain(SECRET)

    postState(st)
    const after = new FakeNerdctl()
    await post({ runner: after.runner })
    expect(after.of('logout').map(c => [c.cmd, c.env?.DOCKER_CONFIG])).toEqual([
      [['logout', REGISTRY], own],
      [['logout', OPEN], own]
    ])
    expect(existsSync(own)).toBe(false)
  })

  test("logout false: the logins go to the runner user's config, and stay", async () => {
    const fake = new FakeNerdctl()
    await main(
      reader({ registry: REGISTRY, username: 'ci-bot', password: SECRET, logout: 'false' }),
      {
        runner: fake.runner
      }
    )
    expect(failed()).toBe(false)
    expect(fake.of('login')[0]?.env?.DOCKER_CONFIG).toBeUndefined()
    const st = state()
    expect(st[State.DockerConfig]).toBeUndefined()
    expect(st[State.LogoutRegistries]).toBeUndefined()
  })

  const WITH_CREDENTIALS = `
app:
  image: ${REGISTRY}/private/app:1
  credentials:
    username: ci-bot
    password: "${SECRET}"
`

  test("a service's credentials, no registry input: the login goes to the step's own config, never the runner user's; a cancelled job still logs out", async () => {
    mkdirSync(userConfig())
    const seed = JSON.stringify({ auths: {} })
    writeFileSync(join(userConfig(), 'config.json'), seed)
    let logoutSignal: AbortSignal | undefined
    const fake = new FakeNerdctl({
      override: (cmd, f) => {
        // The job is cancelled while its service starts.
        if (cmd[0] === 'run') process.emit('SIGINT')
        if (cmd[0] === 'logout') logoutSignal = f.calls[f.calls.length - 1]?.spec.signal
        return undefined
      }
    })
    await main(reader({ services: WITH_CREDENTIALS }), { runner: fake.runner })
    expect(failed()).toBe(true)
    const st = state()
    const own = st[State.DockerConfig] as string
    expect(own).toBe(join(st[State.TempDir] as string, 'docker-config'))
    const [login] = fake.of('login')
    expect(login?.cmd).toEqual(['login', '--username', 'ci-bot', '--password-stdin', REGISTRY])
    expect(login?.env?.DOCKER_CONFIG).toBe(own)
    // Every call of the step reads the step's config, and the runner user's is as it was.
    expect(fake.calls.every(c => c.env?.DOCKER_CONFIG === own)).toBe(true)
    expect(readdirSync(userConfig())).toEqual(['config.json'])
    expect(readFileSync(join(userConfig(), 'config.json'), 'utf8')).toBe(seed)
    // The logout ran after the cancel, under a limit of its own, not the aborted job signal.
    expect(fake.of('logout').map(c => [c.cmd, c.env?.DOCKER_CONFIG])).toEqual([
      [['logout', REGISTRY], own]
    ])
    expect(logoutSignal).toBeInstanceOf(AbortSignal)
    expect(logoutSignal?.aborted).toBe(false)
    expect(fake.of('login')[0]?.spec.signal?.aborted).toBe(true)
  })

  test("logout false with a service's credentials: the registry login goes to both configs, the service's to the step's only", async () => {
    const fake = new FakeNerdctl()
    await main(
      reader({
        registry: OPEN,
        username: 'kept',
        password: `${SECRET}k`,
        logout: 'false',
        services: WITH_CREDENTIALS
      }),
      { runner: fake.runner }
    )
    expect(failed()).toBe(false)
    const own = state()[State.DockerConfig] as string
    expect(own).toBeDefined()
    expect(fake.of('login').map(c => [c.cmd[c.cmd.length - 1], c.env?.DOCKER_CONFIG])).toEqual([
      [OPEN, own],
      // The runner user's config: no DOCKER_CONFIG of the step's, as with logout false alone.
      [OPEN, undefined],
      [REGISTRY, own]
    ])
    expect(state()[State.LogoutRegistries]).toBeUndefined()
  })

  test("a script may log in: its calls get the step's own config", async () => {
    const fake = new FakeNerdctl()
    await main(reader({ script: 'return 1' }), { runner: fake.runner })
    expect(failed()).toBe(false)
    const st = state()
    expect(st[State.DockerConfig]).toBe(join(st[State.TempDir] as string, 'docker-config'))
  })

  test('a push retried after a 503: one log line, counted in the summary and metadata', async () => {
    let pushes = 0
    const fake = new FakeNerdctl({
      override: cmd => {
        if (cmd[0] !== 'push' || ++pushes > 1) return undefined
        const m = fixtureMeta('error-registry-503.txt')
        return { exitCode: m.exitCode, stderr: m.stderr }
      }
    })
    await main(reader({ tags: T1, push: 'true', 'retry-delay': '1ms' }), { runner: fake.runner })
    expect(failed()).toBe(false)
    expect(pushes).toBe(2)
    const retries = log()
      .split('\n')
      .filter(l => / retry \d of 3 in /.test(l))
    expect(retries).toEqual([
      `push ${T1} failed (HTTP 503 Service Unavailable); retry 1 of 3 in 0.0 s`
    ])
    expect(log()).not.toMatch(/level=debug/)
    const meta = metadata()
    expect(meta.retries).toBe(1)
    expect(meta.phases.find(p => p.name === 'push')).toMatchObject({ ok: true, retries: 1 })
    expect(summary()).toContain('<td>registry retries</td><td>1</td>')
    expect(summary()).toContain('retried 1 time')
  })

  test('retries 0: a 503 fails the push at once', async () => {
    const fake = new FakeNerdctl({
      override: cmd => {
        if (cmd[0] !== 'push') return undefined
        const m = fixtureMeta('error-registry-503.txt')
        return { exitCode: m.exitCode, stderr: m.stderr }
      }
    })
    await main(reader({ tags: T1, push: 'true', retries: '0' }), { runner: fake.runner })
    expect(failed()).toBe(true)
    expect(fake.of('push')).toHaveLength(1)
    expect(annotations('error')[0]).toContain('Hint: the registry failed (HTTP 5xx)')
  })
})

describe('main: container env values never on a command line, in a log line, an error or the summary', () => {
  // Each unique, so a hit anywhere is certain.
  const RUN_ENV =
    'PLAIN=val-plain-8812\nEQ=a=b c=val-eq-3391\nHASH=x # val-hash-5521\nLEAD=  val-lead-7710'
  const SERVICE_ENV = {
    PW: 'val-pw-1234',
    PEM: '-----BEGIN-----\nval-pem-4410\n-----END-----',
    TRAIL: 'val-trail-6620  '
  }
  const SERVICES = `
db:
  image: ${BASE}
  env:
    PW: ${SERVICE_ENV.PW}
    PEM: "-----BEGIN-----\\nval-pem-4410\\n-----END-----"
    TRAIL: "${SERVICE_ENV.TRAIL}"
`
  const VALUES = [
    'val-plain-8812',
    'val-eq-3391',
    'val-hash-5521',
    'val-lead-7710',
    'val-pw-1234',
    'val-pem-4410',
    'val-trail-6620'
  ]
  const FATAL = 'time="2026-01-01T00:00:00Z" level=fatal msg="failed to create shim task: boom"\n'

  /** A fake whose `run` fails as nerdctl does, after reading the env file it was given. */
  function failingRun(fail: (cmd: string[]) => boolean): { fake: FakeNerdctl; files: string[] } {
    const files: string[] = []
    const fake = new FakeNerdctl({
      override: cmd => {
        if (cmd[0] === 'network' && cmd[1] === 'create') return { stdout: 'netid\n' }
        if (cmd[0] !== 'run') return undefined
        const i = cmd.indexOf('--env-file')
        if (i >= 0) files.push(readFileSync(cmd[i + 1] as string, 'utf8'))
        return fail(cmd) ? { exitCode: 1, stderr: FATAL } : undefined
      }
    })
    return { fake, files }
  }

  function expectNowhere(fake: FakeNerdctl): void {
    const everything = [
      log(),
      ...annotations('error'),
      summary(),
      readFileSync(join(dir, 'output'), 'utf8'),
      readFileSync(join(dir, 'state'), 'utf8'),
      ...fake.calls.flatMap(c => c.argv)
    ]
    expect(log()).toContain('::debug::[command]')
    for (const text of everything)
      for (const v of VALUES) expect([v, text.includes(v)]).toEqual([v, false])
  }

  test('the single container: its failing run shows no value; the env file held them all', async () => {
    const { fake, files } = failingRun(() => true)
    await main(reader({ image: BASE, name: 'web', env: RUN_ENV }), { runner: fake.runner })
    expect(failed()).toBe(true)
    expect(annotations('error')[0]).toContain('boom')
    expect(files).toEqual([
      'PLAIN=val-plain-8812\nEQ=a=b c=val-eq-3391\nHASH=x # val-hash-5521\nLEAD=  val-lead-7710\n'
    ])
    expectNowhere(fake)
  })

  test('a service: its failing run shows no value; the file and nerdctl’s environment held them', async () => {
    const { fake, files } = failingRun(
      cmd => cmd.includes('--hostname') && cmd[cmd.indexOf('--hostname') + 1] === 'db'
    )
    await main(reader({ services: SERVICES }), { runner: fake.runner })
    expect(failed()).toBe(true)
    expect(files).toEqual(['PW=val-pw-1234\n'])
    const run = fake.of('run')[0] as Call
    expect(run.cmd).toEqual(expect.arrayContaining(['-e', 'PEM', '-e', 'TRAIL']))
    expect(run.env).toMatchObject({ PEM: SERVICE_ENV.PEM, TRAIL: SERVICE_ENV.TRAIL })
    expectNowhere(fake)
  })
})

describe('main and post: secret inputs never reach a child process', () => {
  const SECRET_ENV = {
    INPUT_PASSWORD: 'val-password-5150',
    INPUT_SECRETS: 'tok=val-build-secret-6161',
    INPUT_SERVICES: 'db:\n  image: x\n  env:\n    PW: val-services-7272\n',
    INPUT_ENV: 'TOKEN=val-env-8383'
  }
  afterEach(() => {
    for (const k of Object.keys(SECRET_ENV)) delete process.env[k]
  })

  /** A fake that records which INPUT_* variables a child would inherit at each call. */
  function inheritance(): { fake: FakeNerdctl; inherited: string[] } {
    const inherited: string[] = []
    const fake = new FakeNerdctl({
      override: () => {
        inherited.push(...Object.keys(process.env).filter(k => k in SECRET_ENV))
        return undefined
      }
    })
    return { fake, inherited }
  }

  test('main: gone from the environment before the first nerdctl call', async () => {
    Object.assign(process.env, SECRET_ENV)
    const { fake, inherited } = inheritance()
    await main(
      reader({
        image: BASE,
        name: 'web',
        tags: T1,
        context: '.',
        secrets: 'tok=val-build-secret-6161'
      }),
      { runner: fake.runner }
    )
    expect(fake.calls.length).toBeGreaterThan(0)
    expect(inherited).toEqual([])
  })

  test('post: gone before its first call too', async () => {
    postState({ [State.IsPost]: 'true', [State.Token]: 'abcdef0123456789' })
    Object.assign(process.env, SECRET_ENV)
    const { fake, inherited } = inheritance()
    await post({ runner: fake.runner })
    expect(fake.calls.length).toBeGreaterThan(0)
    expect(inherited).toEqual([])
  })
})

// ---- named volumes ------------------------------------------------------------------------

/** The recorded `volume inspect` with the labels a given step would have put on it. */
function volumeInspected(name: string, labels: Record<string, string>): string {
  const [v] = JSON.parse(fixture('volume-inspect.json')) as Record<string, unknown>[]
  return JSON.stringify([{ ...v, Name: name, Labels: labels }])
}

/** One recorded `volume ls` line with another name and labels. */
function volumeLine(name: string, labels: Record<string, string>): string {
  const [line] = fixture('volume-ls.jsonl').split('\n')
  const v = JSON.parse(line as string) as Record<string, unknown>
  const text = Object.entries(labels)
    .map(([k, val]) => `${k}=${val}`)
    .join(',')
  return JSON.stringify({ ...v, Name: name, Labels: text })
}

const VOLUME_MISSING = fixtureMeta('error-volume-inspect-missing.txt')
const VOLUME_IN_USE = fixtureMeta('error-volume-rm-in-use.txt')

/**
 * A fake where the named volumes in `existing` are there already (with
 * `labels`), and every other one appears, with the creating step's labels, once
 * `volume create` ran for it.
 */
function volumeFake(
  existing: Record<string, Record<string, string>> = {},
  racedBy?: Record<string, string>
): FakeNerdctl {
  const made = new Map<string, Record<string, string>>()
  return new FakeNerdctl({
    override: cmd => {
      if (cmd[0] !== 'volume') return undefined
      const name = cmd[cmd.length - 1] as string
      if (cmd[1] === 'create') {
        const labels: Record<string, string> = {}
        for (let i = 2; i < cmd.length - 1; i += 2) {
          const [k, ...v] = (cmd[i + 1] as string).split('=')
          labels[k as string] = v.join('=')
        }
        made.set(name, racedBy ?? labels)
        return { stdout: `${name}\n` }
      }
      if (cmd[1] === 'inspect') {
        const labels = existing[name] ?? made.get(name)
        return labels
          ? { stdout: volumeInspected(name, labels) }
          : {
              exitCode: VOLUME_MISSING.exitCode,
              stdout: fixture('error-volume-inspect-missing.txt'),
              stderr: VOLUME_MISSING.stderr
            }
      }
      return {}
    }
  })
}

describe('main and post: named volumes', () => {
  test('a named volume the step mounts is created first with its owner label and job marker; post removes only its own', async () => {
    const fake = volumeFake()
    await main(reader({ image: BASE, volumes: 'data-1:/data\n/anon\ndata-1:/again:ro' }), {
      runner: fake.runner
    })
    expect(failed()).toBe(false)
    const token = state()[State.Token] as string
    expect(fake.of('volume').map(c => c.cmd)).toEqual([
      ['volume', 'inspect', 'data-1'],
      [
        'volume',
        'create',
        '--label',
        `${OWNER_LABEL}=${token}`,
        '--label',
        `${JOB_LABEL}=${jobMarker()}`,
        'data-1'
      ],
      ['volume', 'inspect', 'data-1']
    ])
    // Before the container that mounts it.
    const cmds = fake.commands
    expect(cmds.findIndex(c => c[0] === 'volume' && c[1] === 'create')).toBeLessThan(
      cmds.findIndex(c => c[0] === 'run')
    )
    expect(JSON.parse(state()[State.Volumes] as string)).toEqual(['data-1'])

    postState(state())
    const later = new FakeNerdctl({
      override: cmd =>
        cmd[0] === 'volume' && cmd[1] === 'ls'
          ? {
              // nerdctl's filter is trusted no further than the label read back.
              stdout: `${volumeLine('data-1', { [OWNER_LABEL]: token })}\n${volumeLine('data-other', { [OWNER_LABEL]: 'someone-else' })}\n`
            }
          : undefined
    })
    await post({ runner: later.runner })
    expect(later.of('volume').map(c => c.cmd)).toEqual([
      ['volume', 'ls', '--format', JSON_FORMAT, '--filter', `label=${OWNER_LABEL}=${token}`],
      ['volume', 'rm', 'data-1']
    ])
    // After the container that used it.
    expect(later.commands.findIndex(c => c[0] === 'volume')).toBeGreaterThan(
      later.commands.findIndex(c => c[0] === 'rm')
    )
    expect(annotations('warning')).toEqual([])
  })

  test('a volume that exists already is used as it is: not created, not relabelled, and post never lists or removes it', async () => {
    const fake = volumeFake({ 'data-1': { mine: 'yes' } })
    await main(reader({ image: BASE, volumes: 'data-1:/data' }), { runner: fake.runner })
    expect(failed()).toBe(false)
    expect(fake.of('volume').map(c => c.cmd)).toEqual([['volume', 'inspect', 'data-1']])
    expect(state()[State.Volumes]).toBeUndefined()
    postState(state())
    const later = new FakeNerdctl()
    await post({ runner: later.runner })
    expect(later.of('volume')).toEqual([])
  })

  test('two jobs create one name at once: the one whose labels are not on it does not own it', async () => {
    const fake = volumeFake({}, { [OWNER_LABEL]: 'the-other-step' })
    await main(reader({ image: BASE, volumes: 'data-1:/data' }), { runner: fake.runner })
    expect(failed()).toBe(false)
    expect(log()).toContain('volume data-1 was created by someone else meanwhile')
    postState(state())
    const later = new FakeNerdctl({
      override: cmd =>
        cmd[0] === 'volume' && cmd[1] === 'ls'
          ? { stdout: `${volumeLine('data-1', { [OWNER_LABEL]: 'the-other-step' })}\n` }
          : undefined
    })
    await post({ runner: later.runner })
    expect(later.of('volume').map(c => c.cmd[1])).toEqual(['ls'])
  })

  test('a service volume too; host paths and anonymous volumes make no volume call', async () => {
    const fake = volumeFake()
    await main(
      reader({
        services:
          'db:\n  image: 127.0.0.1:5000/busybox:stable\n  volumes: ["svc-data:/data", "/anon"]\n',
        reap: 'false'
      }),
      { runner: fake.runner }
    )
    expect(failed()).toBe(false)
    expect(
      fake.of('volume').map(c => c.cmd.filter(a => a !== '--label' && !a.includes('=')))
    ).toEqual([
      ['volume', 'inspect', 'svc-data'],
      ['volume', 'create', 'svc-data'],
      ['volume', 'inspect', 'svc-data']
    ])
  })

  test('no named volume: no volume call in main or post', async () => {
    const fake = new FakeNerdctl()
    await main(reader({ image: BASE, volumes: '/anon' }), { runner: fake.runner })
    expect(failed()).toBe(false)
    expect(fake.of('volume')).toEqual([])
    postState(state())
    const later = new FakeNerdctl()
    await post({ runner: later.runner })
    expect(later.of('volume')).toEqual([])
  })

  test('cleanup false: no volume is created or labelled (nerdctl makes it at run), and post removes none', async () => {
    const fake = volumeFake()
    await main(reader({ image: BASE, volumes: 'data-1:/data', cleanup: 'false' }), {
      runner: fake.runner
    })
    expect(failed()).toBe(false)
    expect(fake.of('volume')).toEqual([])
    postState(state())
    const later = new FakeNerdctl()
    await post({ runner: later.runner })
    expect(later.of('volume')).toEqual([])
  })

  test('post: a volume still in use is a warning, never a failed post step', async () => {
    const fake = volumeFake()
    await main(reader({ image: BASE, volumes: 'data-1:/data' }), { runner: fake.runner })
    const token = state()[State.Token] as string
    postState(state())
    const later = new FakeNerdctl({
      override: cmd => {
        if (cmd[0] !== 'volume') return undefined
        if (cmd[1] === 'ls')
          return { stdout: `${volumeLine('data-1', { [OWNER_LABEL]: token })}\n` }
        return { exitCode: VOLUME_IN_USE.exitCode, stderr: VOLUME_IN_USE.stderr }
      }
    })
    await post({ runner: later.runner })
    expect(failed()).toBe(false)
    expect(annotations('warning').join('\n')).toMatch(/could not remove volume data-1/)
  })

  test('reap removes the volumes of dead jobs only, and only those with the owner label', async () => {
    const alive = jobMarker() as string
    // Our own process, started at another time: certainly not the job it names.
    const dead = alive.replace(/^(\d+-\d+-)\d+/, '$11')
    expect(dead).not.toBe(alive)
    const fake = new FakeNerdctl({
      override: cmd => {
        if (cmd[0] === 'ps') return { stdout: '' }
        if (cmd[0] === 'volume' && cmd[1] === 'ls')
          return {
            stdout: [
              volumeLine('v-dead', { [OWNER_LABEL]: 't1', [JOB_LABEL]: dead }),
              volumeLine('v-alive', { [OWNER_LABEL]: 't2', [JOB_LABEL]: alive }),
              volumeLine('v-unowned', { [JOB_LABEL]: dead })
            ].join('\n')
          }
        return undefined
      }
    })
    const removed = await reapLeftovers({ client: new Nerdctl({ runner: fake.runner }) })
    expect(removed).toEqual(['volume v-dead'])
    expect(fake.of('volume').map(c => c.cmd)).toEqual([
      ['volume', 'ls', '--format', JSON_FORMAT, '--filter', `label=${JOB_LABEL}`],
      ['volume', 'rm', 'v-dead']
    ])
  })
})

test.each(['-x:/data', 'a b:/data', '--label=x:/data'])(
  'a named volume %j that is no volume name fails the step before any nerdctl call',
  async entry => {
    const fake = new FakeNerdctl()
    await main(reader({ image: BASE, volumes: entry }), { runner: fake.runner })
    expect(failed()).toBe(true)
    expect(fake.calls).toEqual([])
    expect(annotations('error')[0]).toMatch(/^Input "volumes": volume .*volume name/)
  }
)

describe('main: versions (issue 24)', () => {
  const oldNerdctl: Override = cmd =>
    cmd[0] === 'version' ? { stdout: fixture('version-old.json') } : undefined

  test('a build on nerdctl 1.7.7 fails naming the version and the minimum; nothing else runs', async () => {
    const fake = new FakeNerdctl({ override: oldNerdctl })
    await main(reader({ context: '.', tags: 'app:1' }), { runner: fake.runner })
    expect(failed()).toBe(true)
    expect(annotations('error')).toEqual([
      'nerdctl v1.7.7 is older than 2.0.0, the oldest this action and library support: upgrade nerdctl to 2.0.0 or newer'
    ])
    expect(fake.commands).toEqual([['version', '--format', '{{json .}}']])
  })

  test('a step with no version-dependent feature makes no version call', async () => {
    const fake = new FakeNerdctl({ override: oldNerdctl })
    await main(reader({ image: BASE, pull: BASE }), { runner: fake.runner })
    expect(fake.of('version')).toEqual([])
  })

  test('an unknown flag that an old nerdctl explains: the step says which tool is too old', async () => {
    const unknownFlag = fixtureMeta('error-old-unknown-flag.txt')
    const fake = new FakeNerdctl({
      override: (cmd, f) =>
        cmd[0] === 'pull'
          ? { exitCode: unknownFlag.exitCode, stderr: unknownFlag.stderr }
          : oldNerdctl(cmd, f)
    })
    await main(reader({ image: BASE, pull: BASE }), { runner: fake.runner })
    expect(failed()).toBe(true)
    const [message] = annotations('error')
    expect(message).toMatch(/^nerdctl v1\.7\.7 is older than 2\.0\.0/)
    expect(message).toContain('(what failed: ')
    expect(fake.commands.map(c => c[0])).toEqual(['pull', 'version'])
  })
})
