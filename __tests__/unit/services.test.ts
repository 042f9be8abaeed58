// Service environments without nerdctl: the services input (GitHub's shape,
// our additions, what is refused), the start order, the readiness schedule and
// verdicts, network listings over recorded fixtures, the job marker, and the
// Environment's order and concurrency over a fake runner.
import { readFileSync } from 'node:fs'
import { parseServices, serviceOptions } from '../../src/action/inputs/services.js'
import { loadYaml } from '../../src/action/inputs/yaml.js'
import {
  jobMarker,
  markerAlive,
  parseStartTime,
  procHiding,
  type ProcEntry,
  type ProcHiding,
  type ProcView
} from '../../src/action/job-marker.js'
import { NerdctlError, isNoSuchNetwork } from '../../src/nerdctl/base/errors.js'
import { Environment } from '../../src/nerdctl/builder/environment.js'
import { Nerdctl } from '../../src/nerdctl/exec/client.js'
import type { ProcessResult, RunSpec } from '../../src/nerdctl/exec/runner.js'
import { parseJsonArray, parseJsonLines } from '../../src/nerdctl/pure/json.js'
import {
  networkSubnets,
  parseLabelList,
  pickSubnet,
  toNetworkSummary
} from '../../src/nerdctl/pure/listings.js'
import {
  MAX_POLL_MS,
  httpMismatch,
  pollDelay,
  validateReadiness
} from '../../src/nerdctl/pure/readiness.js'
import { startWaves } from '../../src/nerdctl/pure/services.js'
import { captureOutput, type Captured } from '../helpers/capture-output.js'
import { fixture, fixtureMeta } from './fixtures.js'

// The YAML inputs' parser is loaded on demand, as the main step loads it.
beforeAll(loadYaml)

let stdout: Captured
beforeEach(() => {
  stdout = captureOutput()
})
afterEach(() => stdout.restore())

const IMG = '127.0.0.1:5000/busybox:stable'

describe('the services input', () => {
  // What a GitHub workflow has under jobs.<id>.services, unchanged.
  const GITHUB_BLOCK = `
postgres:
  image: postgres:16
  env:
    POSTGRES_PASSWORD: postgres
    POSTGRES_DB: 5432
  ports:
    - 5432:5432
    - 8080
  volumes:
    - /tmp/data:/var/lib/postgresql/data
  options: >-
    --health-cmd pg_isready
    --health-interval 10s
    --health-timeout 5s
    --health-retries 5
redis:
  image: redis
`

  test("GitHub's shape reads as it is", () => {
    const s = parseServices(GITHUB_BLOCK)
    expect(Object.keys(s)).toEqual(['postgres', 'redis'])
    expect(s.postgres?.spec.container).toMatchObject({
      image: 'postgres:16',
      env: [
        ['POSTGRES_PASSWORD', 'postgres'],
        ['POSTGRES_DB', '5432']
      ],
      ports: ['5432:5432', '8080'],
      volumes: ['/tmp/data:/var/lib/postgresql/data'],
      extraArgs: [
        '--health-cmd',
        'pg_isready',
        '--health-interval',
        '10s',
        '--health-timeout',
        '5s',
        '--health-retries',
        '5'
      ]
    })
    expect(s.postgres?.spec.readiness).toEqual({})
    expect(s.redis?.spec.dependsOn).toEqual([])
  })

  test('our additions: health-*, wait of every kind, depends-on, limits, labels', () => {
    const s = parseServices(`
db:
  image: ${IMG}
  health-cmd: pg_isready
  health-interval: 2s
  health-retries: 3
  memory: 256m
  cpus: "0.5"
  user: "1000"
  workdir: /srv
  labels:
    team: qa
  command: sh -c "exec sleep 600"
  entrypoint: /bin/sh
app:
  image: ${IMG}
  depends-on: db
  command: [httpd, -f]
  wait:
    port: 5432
    ports: [6379]
    http: 8080/health
    log: { pattern: "ready", times: 2 }
    exec: test -f /ready
    timeout: 30s
api:
  image: ${IMG}
  depends-on: [db, app]
  wait:
    health: false
    clients: false
    http: { port: 80, path: /ok, status: 204, body: fine }
    log: "^up$"
    exec: [test, -f, /x]
`)
    expect(s.db?.spec.container).toMatchObject({
      healthCheck: { cmd: 'pg_isready', interval: 2000, retries: 3 },
      memoryLimit: '256m',
      cpuLimit: '0.5',
      user: '1000',
      workdir: '/srv',
      labels: [['team', 'qa']],
      command: ['sh', '-c', 'exec sleep 600'],
      entrypoint: '/bin/sh'
    })
    expect(s.app?.spec.dependsOn).toEqual(['db'])
    expect(s.app?.spec.container.command).toEqual(['httpd', '-f'])
    expect(s.app?.spec.readiness).toEqual({
      ports: [5432, 6379],
      http: { port: 8080, path: '/health' },
      log: { pattern: 'ready', times: 2 },
      exec: 'test -f /ready',
      timeoutMs: 30_000
    })
    expect(s.api?.spec.readiness).toEqual({
      health: false,
      clients: false,
      http: { port: 80, path: '/ok', status: 204, body: 'fine' },
      log: { pattern: '^up$' },
      exec: ['test', '-f', '/x']
    })
  })

  test.each([
    ['db:\n  image: x\n  imagee: y\n', /service "db": unknown key "imagee"/],
    ['db:\n  image: x\n  wait:\n    htp: 80\n', /service "db".wait: unknown key "htp"/],
    [
      'db:\n  image: x\n  wait:\n    http: { port: 80, paht: / }\n',
      /wait.http: unknown key "paht"/
    ],
    ['db:\n  env: {}\n', /service "db": needs an "image"/],
    ['db: postgres\n', /service "db": expected a map/],
    ['- db\n', /top level: expected a map/],
    ['db:\n  image: x\n  depends-on: [cache]\n', /depends on "cache", which is not a service here/],
    [
      'a:\n  image: x\n  depends-on: b\nb:\n  image: x\n  depends-on: a\n',
      /cycle among: a -> b -> a/
    ],
    ['a:\n  image: x\n  depends-on: a\n', /"a" depends on itself/],
    ['my.db:\n  image: x\n', /service key "my.db" is invalid/],
    ['db:\n  image: x\n  health-retries: 3\n', /health-retries: is set but health-cmd is not/],
    ['db:\n  image: x\n  health-cmd: true\n  health-interval: soon\n', /"soon" is not a duration/],
    ['db:\n  image: x\n  ports: ["99999"]\n', /service "db": port "99999" is invalid/],
    ['db:\n  image: x\n  wait:\n    port: 0\n', /not a whole number of at least 1/],
    ['db:\n  image: x\n  wait:\n    clients: no\n', /wait.clients: expected true .* or false/],
    ['db:\n  image: x\n  wait:\n    log: "("\n', /is not a regular expression/],
    ['db:\n  image: x\n  wait:\n    http: localhost/x\n', /is not PORT\[\/PATH\]/],
    ['db:\n  image: x\n  credentials: { username: u }\n', /needs both username and password/],
    ['db:\n  image: x\n  labels: { io.github.nerdctl-action.step: x }\n', /is not allowed/],
    ['db: [\n', /not valid YAML: .* at line 2, column 1/]
  ])('%j is refused: %s', (yaml, message) => {
    expect(() => parseServices(yaml)).toThrow(message)
    expect(() => parseServices(yaml)).toThrow(/^Input "services": /)
  })

  test.each([
    '--name fixed',
    '--network=host',
    '--net host',
    '--hostname x',
    '-h x',
    '--rm',
    '-d',
    '-it',
    '--tty',
    '--cidfile /tmp/x',
    '--label io.github.nerdctl-action.step=x',
    '--label=io.github.nerdctl-action.job=1-2-3',
    '-l io.github.nerdctl-action.step=x'
  ])('options %j are refused, saying why', options => {
    expect(() => serviceOptions(options, 'service "db".options')).toThrow(
      /Input "services": service "db".options: ".*"( \(--[a-z-]+\))?(: label ".*")? is not allowed: /
    )
  })

  // Shared runners: each spelling nerdctl's flag parser (pflag) accepts for a
  // reserved flag, as nerdctl v2.3.5 reads it (see src/action/run-flags.ts).
  test.each([
    ['-lio.github.nerdctl-action.job=x', 'io.github.nerdctl-action'],
    ['-l=io.github.nerdctl-action.job=x', 'io.github.nerdctl-action'],
    ['-l io.github.nerdctl-action.step=x', 'io.github.nerdctl-action'],
    ['--label=IO.GITHUB.NERDCTL-ACTION.job=x', 'io.github.nerdctl-action'],
    ['-tlio.github.nerdctl-action.job=x', '(--tty)'],
    ['--label-file ./labels', '"--label-file" is not allowed'],
    ['--label-file=./labels', '"--label-file=./labels" is not allowed'],
    ['-hother', '(--hostname)'],
    ['-h=other', '(--hostname)'],
    ['-dit', '(--detach)'],
    ['-d=false', '(--detach)'],
    ['-qd', '(--detach)'],
    ['-ai', '(--attach)'],
    ['--namespace=other', 'global flag'],
    ['--address /run/other.sock', 'global flag'],
    ['--data-root=/tmp/x', 'global flag'],
    ['--global-dns 1.1.1.1', 'global flag'],
    ['--labe io.github.nerdctl-action.job=x', 'no flag --labe'],
    ['--label_file=./x', 'no flag --label_file'],
    ['-H /run/other.sock', 'no flag -H'],
    ['-n other', 'no flag -n'],
    ['-- other-image sh', '"--" ends'],
    ['--privileged other-image', 'is not a flag'],
    ['--tmpfs', 'needs a value'],
    ['-l', 'needs a value'],
    ['--help', 'is not allowed']
  ])('options %j are refused: %s', (options, message) => {
    expect(() => serviceOptions(options, 'service "db".options')).toThrow(message)
    expect(() => serviceOptions(options, 'service "db".options')).toThrow(
      /^Input "services": service "db".options: /
    )
  })

  test.each([
    ['-lteam=qa', ['-lteam=qa']],
    // -u takes the rest of its word: a user name, not a label.
    ['-ulio.github.nerdctl-action.job=x', ['-ulio.github.nerdctl-action.job=x']],
    ['-l team=io.github.nerdctl-action.x', ['-l', 'team=io.github.nerdctl-action.x']],
    ['-qu 1000 --read-only', ['-qu', '1000', '--read-only']],
    ['-e A=-h --sig-proxy=false', ['-e', 'A=-h', '--sig-proxy=false']],
    ['--tmpfs=/run -v /x:/y', ['--tmpfs=/run', '-v', '/x:/y']]
  ])('options %j pass as they are', (options, words) => {
    expect(serviceOptions(options, 'x')).toEqual(words)
  })

  test('other nerdctl flags pass as they are, split like a shell', () => {
    expect(
      serviceOptions(`--health-cmd "pg_isready -U 'a b'" --label team=qa --tmpfs /run`, 'x')
    ).toEqual(['--health-cmd', "pg_isready -U 'a b'", '--label', 'team=qa', '--tmpfs', '/run'])
  })

  test('a credentials password is masked at once and never in an error', () => {
    const s = parseServices(
      `db:\n  image: ghcr.io/o/db\n  credentials:\n    username: me\n    password: pw-Zq8!sEcReT\n`
    )
    expect(s.db?.credentials).toEqual({ username: 'me', password: 'pw-Zq8!sEcReT' })
    expect(stdout.text()).toContain('::add-mask::pw-Zq8!sEcReT')
  })

  test('empty credentials (a fork without secrets) mean no login, as on GitHub', () => {
    const s = parseServices(`db:\n  image: x\n  credentials:\n    username: ""\n    password: ""\n`)
    expect(s.db?.credentials).toBeUndefined()
  })

  test('an empty input is no services', () => {
    expect(parseServices('')).toEqual({})
    expect(parseServices('  \n')).toEqual({})
  })
})

describe('start order', () => {
  test('waves: independent services together, each after what it depends on', () => {
    expect(
      startWaves({
        app: { dependsOn: ['db', 'cache'] },
        db: {},
        cache: {},
        e2e: { dependsOn: ['app'] },
        mock: {}
      })
    ).toEqual([['db', 'cache', 'mock'], ['app'], ['e2e']])
  })

  test('a longer cycle is named whole', () => {
    expect(() =>
      startWaves({
        a: { dependsOn: ['c'] },
        b: { dependsOn: ['a'] },
        c: { dependsOn: ['b'] },
        d: {}
      })
    ).toThrow(/cycle among: a -> c -> b -> a/)
  })
})

describe('readiness, pure', () => {
  test('the schedule starts within tens of milliseconds and never waits more than 250 ms', () => {
    const delays = Array.from({ length: 40 }, (_, i) => pollDelay(i))
    expect(delays[0]).toBeLessThanOrEqual(50)
    expect(Math.max(...delays)).toBe(MAX_POLL_MS)
    expect(MAX_POLL_MS).toBeLessThanOrEqual(250)
    for (let i = 1; i < delays.length; i++)
      expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] as number)
    expect(pollDelay(1000)).toBe(MAX_POLL_MS)
  })

  test.each([
    [{ port: 80 }, 200, 'x', undefined],
    [{ port: 80 }, 204, '', undefined],
    [{ port: 80 }, 503, '', 'status 503, expected 2xx'],
    [{ port: 80, status: 404 }, 404, '', undefined],
    [{ port: 80, status: 200 }, 201, '', 'status 201, expected 200'],
    [{ port: 80, body: 'ok' }, 200, 'all ok', undefined],
    [{ port: 80, body: 'ok' }, 200, 'nope', 'status 200 but the body does not contain "ok"']
  ])('http %j answered %d %j: %s', (check, status, body, why) => {
    expect(httpMismatch(check, status, body)).toBe(why)
  })

  test.each([
    [{ ports: [0] }, /port 0 is not a port/],
    [{ http: { port: 80, path: 'health' } }, /must start with "\/"/],
    [{ http: { port: 80, status: 700 } }, /not an HTTP status/],
    [{ log: { pattern: '[' } }, /not a regular expression/],
    [{ log: { pattern: 'x', times: 0 } }, /at least 1/],
    [{ exec: '  ' }, /exec needs a command/],
    [{ exec: [] }, /exec needs a command/],
    [{ timeoutMs: 0 }, /must be positive/]
  ])('readiness %j is refused', (spec, message) => {
    expect(() => validateReadiness(spec)).toThrow(message)
  })
})

describe('networks over recorded output', () => {
  test('network ls: name, ID and labels', () => {
    const [n] = parseJsonLines(fixture('network-ls.jsonl')).map(toNetworkSummary)
    const created = fixtureMeta('network-inspect.json').args.at(-1) as string
    expect(n?.name).toBe(created)
    expect(n?.id).toMatch(/^[0-9a-f]{12}$/)
    expect(n?.labels).toEqual({ fixture: '1', 'io.github.nerdctl-action.step': 'fixture' })
  })

  test('network inspect: the subnet, by network', () => {
    const subnets = networkSubnets(parseJsonArray(fixture('network-inspect.json')))
    const name = fixtureMeta('network-inspect.json').args.at(-1) as string
    expect(subnets.get(name)?.[0]).toMatch(/^\d+\.\d+\.\d+\.0\/24$/)
  })

  test('a missing network is recognised from what nerdctl printed', () => {
    const meta = fixtureMeta('error-network-rm-missing.txt')
    const e = new NerdctlError('CommandFailed', 'x', {
      stderr: meta.stderr,
      exitCode: meta.exitCode
    })
    expect(isNoSuchNetwork(e)).toBe(true)
    expect(
      isNoSuchNetwork(new NerdctlError('CommandFailed', 'x', { stderr: 'no such container' }))
    ).toBe(false)
  })

  test('labels with "=" in values', () => {
    expect(parseLabelList('a=1,b=x=y,c')).toEqual({ a: '1', b: 'x=y', c: '' })
  })

  test('a subnet is picked from the upper half of 10.4/16, never one taken', () => {
    const taken = new Set(Array.from({ length: 126 }, (_, i) => `10.4.${128 + i}.0/24`))
    expect(pickSubnet(taken, 0.5)).toBe('10.4.254.0/24')
    taken.add('10.4.254.0/24')
    expect(pickSubnet(taken, 0.5)).toBeUndefined()
    expect(pickSubnet(new Set(), 0)).toBe('10.4.128.0/24')
  })
})

describe('the job marker', () => {
  test('start time parsed from /proc (a command name with spaces and parentheses too)', () => {
    const real = readFileSync('/proc/self/stat', 'utf8')
    expect(parseStartTime(real)).toMatch(/^\d+$/)
    const odd = real.replace(/\(.*\)/, '(a) b (c)')
    expect(parseStartTime(odd)).toBe(parseStartTime(real))
  })

  test('this job is alive; a gone process, another process on the PID, or another namespace is judged right', () => {
    const marker = jobMarker(process.pid) as string
    expect(marker).toMatch(/^\d+-\d+-\d+-\d+$/)
    expect(marker.endsWith(`-${process.getuid?.()}`)).toBe(true)
    expect(markerAlive(marker)).toBe(true)
    const [ns, pid, start, uid] = marker.split('-') as [string, string, string, string]
    expect(markerAlive(`${ns}-${pid}-${Number(start) + 1}-${uid}`)).toBe(false)
    const nothing = { ...view('none'), namespace: ns }
    expect(markerAlive(`${ns}-99999999-1-${uid}`, nothing)).toBe(false)
    // An older marker, without the user: judged the same where /proc hides nothing.
    expect(markerAlive(`${ns}-99999999-1`, nothing)).toBe(false)
    // Another PID namespace, or a marker this does not understand: left alone.
    expect(markerAlive(`1-99999999-1-${uid}`, nothing)).toBe(true)
    expect(markerAlive('whatever')).toBe(true)
  })

  /** A /proc with no process in it but those given, seen as user 1000 in namespace 7. */
  function view(hiding: ProcHiding, entries: Record<number, ProcEntry> = {}, uid = 1000): ProcView {
    return { namespace: '7', uid, hiding, entry: pid => entries[pid] ?? 'absent' }
  }

  test.each<[string, boolean, ProcView, string]>([
    ['running, same start', true, view('none', { 42: { start: '900' } }), '7-42-900-1000'],
    ['PID reused', false, view('others', { 42: { start: '901' } }), '7-42-900-2000'],
    ['gone, /proc hides nothing', false, view('none'), '7-42-900-2000'],
    // hidepid=2: another user's live process has no entry for us.
    ["another user's, hidepid=2", true, view('others'), '7-42-900-2000'],
    ['an older marker without its user, hidepid=2', true, view('others'), '7-42-900'],
    // Our own processes are never hidden from us by hidepid=1/2.
    ['our own user, gone, hidepid=2', false, view('others'), '7-42-900-1000'],
    // hidepid=4 (ptraceable) may hide our own too.
    ['our own user, hidepid=4', true, view('any'), '7-42-900-1000'],
    // hidepid=1: the entry is listed, and unreadable.
    ['unreadable (hidepid=1, EACCES)', true, view('none', { 42: 'unreadable' }), '7-42-900-2000'],
    ['another namespace', true, view('none'), '8-42-900-1000']
  ])('a marker, %s: alive %s', (_what, alive, v, marker) => {
    expect(markerAlive(marker, v)).toBe(alive)
  })

  // /proc/self/mountinfo lines as this machine printed them: the host's /proc,
  // then a private one mounted on top with each option (unshare -m).
  const HOST = '22 27 0:21 / /proc rw,relatime - proc proc rw'
  const ON_TOP = (opts: string): string =>
    `${HOST}\n88 22 0:41 / /proc rw,relatime - proc proc ${opts}\n`
  test.each<[string, ProcHiding, string | undefined]>([
    ['no hidepid', 'none', `${HOST}\n`],
    ['hidepid=invisible on top', 'others', ON_TOP('rw,hidepid=invisible')],
    ['hidepid=invisible,subset=pid', 'others', ON_TOP('rw,hidepid=invisible,subset=pid')],
    ['hidepid=noaccess', 'others', ON_TOP('rw,hidepid=noaccess')],
    ['hidepid=ptraceable', 'any', ON_TOP('rw,hidepid=ptraceable')],
    ['hidepid=2 (older kernels print the number)', 'others', ON_TOP('rw,hidepid=2,gid=4')],
    ['hidepid=off', 'none', ON_TOP('rw,hidepid=off')],
    ['no /proc mount to be seen', 'any', '27 1 0:20 / / rw - ext4 /dev/vda rw\n'],
    ['mountinfo unreadable', 'any', undefined]
  ])('/proc mounted with %s hides %s', (_what, hiding, mountinfo) => {
    expect(procHiding(mountinfo)).toBe(hiding)
  })
})

describe('Environment over a fake nerdctl', () => {
  const onNetwork = fixture('inspect-on-network.json')

  /** Answers what an environment asks; records when each `run` started and ended. */
  function fakeClient(runMs: number): {
    client: Nerdctl
    runs: { name: string; t0: number; t1: number }[]
    calls: string[][]
  } {
    const runs: { name: string; t0: number; t1: number }[] = []
    const calls: string[][] = []
    const ok = (stdout: string): ProcessResult => ({
      stdout,
      stderr: '',
      exitCode: 0,
      timedOut: false,
      aborted: false
    })
    const runner = async (spec: RunSpec): Promise<ProcessResult> => {
      const a = [...spec.args]
      calls.push(a)
      if (a[0] === 'network' && a[1] === 'ls') return ok('')
      if (a[0] === 'network' && a[1] === 'create') return ok('netid\n')
      if (a[0] === 'run') {
        const name = a[a.indexOf('--name') + 1] as string
        const t0 = Date.now()
        await new Promise(r => setTimeout(r, runMs))
        runs.push({ name, t0, t1: Date.now() })
        return ok(`${'a'.repeat(64)}\n`)
      }
      if (a[0] === 'container' && a[1] === 'inspect') return ok(onNetwork)
      if (a[0] === 'rm' || (a[0] === 'network' && a[1] === 'rm')) return ok('')
      return {
        stdout: '',
        stderr: `unexpected ${a.join(' ')}`,
        exitCode: 1,
        timedOut: false,
        aborted: false
      }
    }
    return { client: new Nerdctl({ runner }), runs, calls }
  }

  test('independent services start together; a dependent one after its dependencies are ready', async () => {
    const { client, runs, calls } = fakeClient(100)
    const ready = { clients: false }
    const env = await Environment.start(
      {
        network: 'envnet',
        // The recorded container publishes port 80 on a host port nothing here
        // listens on: this test is about the order, not the client rule.
        services: {
          app: { container: { image: IMG }, dependsOn: ['db', 'cache'], readiness: ready },
          db: { container: { image: IMG }, readiness: ready },
          cache: { container: { image: IMG }, readiness: ready }
        }
      },
      { client }
    )
    const at = (n: string): { t0: number; t1: number } =>
      runs.find(r => r.name === `envnet-${n}`) as { t0: number; t1: number }
    // db and cache overlap; app starts after both ended.
    expect(at('cache').t0).toBeLessThan(at('db').t1)
    expect(at('app').t0).toBeGreaterThanOrEqual(Math.max(at('db').t1, at('cache').t1))
    const run = calls.find(c => c[0] === 'run' && c.includes('envnet-app')) as string[]
    expect(run).toEqual(expect.arrayContaining(['--network', 'envnet', '--hostname', 'app']))
    expect([...env.services.keys()].sort()).toEqual(['app', 'cache', 'db'])
    expect(env.services.get('db')?.ports).toEqual({
      '80': expect.stringMatching(/^\d+$/) as unknown
    })
    await env.stop()
    expect(calls.filter(c => c[0] === 'rm').length).toBe(3)
    expect(calls.at(-1)).toEqual(['network', 'rm', 'envnet'])
  })

  test('a cycle fails before any command runs', async () => {
    const { client, calls } = fakeClient(0)
    await expect(
      Environment.start(
        { network: 'n', services: { a: { container: { image: IMG }, dependsOn: ['a'] } } },
        { client }
      )
    ).rejects.toThrow(/depends on itself/)
    expect(calls).toEqual([])
  })
})

describe('the README', () => {
  test("its services block from a GitHub workflow is the input's, only indented differently", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const at = readme.indexOf('### Several services on a network of their own')
    const blocks = [...readme.slice(at).matchAll(/```yaml\n([\s\S]*?)```/g)].map(
      m => m[1] as string
    )
    const dedent = (lines: string[]): string => {
      const indent = Math.min(
        ...lines.filter(l => l.trim()).map(l => /^ */.exec(l)?.[0].length ?? 0)
      )
      return lines
        .map(l => l.slice(indent))
        .join('\n')
        .trim()
    }
    /** The lines under `key:`, up to the first line indented no deeper than it. */
    const under = (text: string, key: string): string => {
      const lines = text.split('\n')
      const i = lines.findIndex(l => l.trim() === key)
      const depth = /^ */.exec(lines[i] as string)?.[0].length ?? 0
      const body: string[] = []
      for (const l of lines.slice(i + 1)) {
        if (l.trim() && (/^ */.exec(l)?.[0].length ?? 0) <= depth) break
        body.push(l)
      }
      return dedent(body)
    }
    const fromGitHub = under(blocks[0] as string, 'services:')
    const inAction = under(blocks[1] as string, 'services: |')
    expect(inAction).toBe(fromGitHub)
    expect(Object.keys(parseServices(inAction))).toEqual(['postgres', 'redis'])
  })
})

describe('the services input: a password in it is never printed', () => {
  const PW = 'val-svc-pw-4242'

  test.each<[string, string]>([
    [
      'an unclosed quote after it',
      `db:\n  image: x\n  credentials: {username: u, password: "${PW}}\n`
    ],
    [
      'a bad escape inside it',
      `db:\n  image: x\n  credentials:\n    username: u\n    password: "${PW}\\q"\n`
    ],
    ['a tab on its line', `db:\n  image: x\n  credentials:\n\tpassword: ${PW}\n`],
    [
      'a duplicate key on its line',
      `db:\n  image: x\n  credentials:\n    password: ${PW}\n    password: ${PW}\n`
    ],
    ['an alias named after it', `db:\n  image: x\n  credentials: {username: u, password: *${PW}}\n`]
  ])('a YAML syntax error (%s) says where and what, never the text', (_title, yaml) => {
    let message = ''
    try {
      parseServices(yaml)
    } catch (e: unknown) {
      message = (e as Error).message
    }
    expect(message).toMatch(/^Input "services": not valid YAML/)
    expect(message).not.toContain(PW)
    expect(message).toContain('not shown')
    expect(stdout.text()).not.toContain(PW)
  })

  test('the line and column of the mistake are given', () => {
    expect(() => parseServices(`db:\n  image: x\n  env:\n    A: "open\n  ports: [\n`)).toThrow(
      /at line \d+, column \d+/
    )
  })

  test("the parser's warnings (they quote the line) are not printed", () => {
    const warnings: unknown[] = []
    const emitWarning = process.emitWarning
    process.emitWarning = ((w: unknown) => void warnings.push(w)) as typeof process.emitWarning
    try {
      parseServices(`db:\n  image: x\n  credentials: {username: u, password: !secret ${PW}}\n`)
    } finally {
      process.emitWarning = emitWarning
    }
    expect(warnings).toEqual([])
    expect(stdout.text()).not.toContain(`${PW}}`)
  })

  test('every password is masked before any service is checked', () => {
    const yaml = `a:\n  image: x\n  port: 1\nb:\n  image: x\n  credentials: {username: u, password: ${PW}}\n`
    expect(() => parseServices(yaml)).toThrow(/service "a": unknown key "port"/)
    expect(stdout.text()).toContain(`::add-mask::${PW}`)
    expect(stdout.text().split(`::add-mask::${PW}`)).toHaveLength(2)
  })
})

describe('the services input: env values nerdctl could not take are refused before anything runs', () => {
  test('a multi-line value for a name that steers nerdctl, naming the service and the variable only', () => {
    const yaml = 'db:\n  image: x\n  env:\n    PATH: "/bin\\nval-path-3131"\n    PEM: "a\\nb"\n'
    let message = ''
    try {
      parseServices(yaml)
    } catch (e: unknown) {
      message = (e as Error).message
    }
    expect(message).toMatch(/^Input "services": service "db": environment variable PATH: /)
    expect(message).not.toContain('val-path-3131')
  })

  test('a multi-line value for any other name is taken', () => {
    const services = parseServices('db:\n  image: x\n  env:\n    PEM: "a\\nb"\n')
    expect(services.db?.spec.container.env).toEqual([['PEM', 'a\nb']])
  })
})
