// Rootless runners: the rules over a spec and the host's facts (limits on
// cgroup v1, ports below the unprivileged start, readiness ports the runner
// cannot reach), readiness through published ports only, the client's
// rootless option, and the action's refusals before anything runs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src/action/main.js'
import { checkRootlessPlan } from '../../src/action/rootless.js'
import { getInputs, prepareInputs } from '../../src/action/inputs/index.js'
import { readFileCommands } from '../../src/cli/step.js'
import {
  Nerdctl,
  imageCommit,
  parseContainerInspect,
  runSpec,
  type ContainerStatus,
  type Runner
} from '../../src/nerdctl/index.js'
import {
  limitFlagsIn,
  parsePublish,
  rootlessCgroupManager,
  publishHost,
  rootlessProblems,
  withHostPort,
  type RootlessHostFacts
} from '../../src/nerdctl/pure/rootless.js'
import { configuredCgroupManager, rootlessStateDir } from '../../src/nerdctl/ops/rootless.js'
import { addressesOf, httpCheck, portCheck } from '../../src/nerdctl/ops/strategies.js'
import { systemClock } from '../../src/nerdctl/pure/readiness.js'
import { inputDefaults } from '../helpers/action-defaults.js'
import { captureOutput, type Captured } from '../helpers/capture-output.js'
import { fixture } from './fixtures.js'

/** This machine as measured: cgroup v1, no systemd, the kernel's default port start. */
const V1: RootlessHostFacts = {
  cgroupV2: false,
  systemd: false,
  cgroupManager: undefined,
  unprivilegedPortStart: 1024
}
const V2_SYSTEMD: RootlessHostFacts = { ...V1, cgroupV2: true, systemd: true }

describe('the rules', () => {
  test.each([
    ['cgroup v1', V1, 'none'],
    ['cgroup v2 without systemd', { ...V1, cgroupV2: true }, 'none'],
    ['cgroup v2 with systemd', V2_SYSTEMD, 'systemd'],
    ['cgroup v1, cgroupfs set in nerdctl.toml', { ...V1, cgroupManager: 'cgroupfs' }, 'cgroupfs']
  ])("nerdctl's cgroup manager on %s is %s", (_title, facts, manager) => {
    expect(rootlessCgroupManager(facts)).toBe(manager)
  })

  test('the cgroup manager is read from nerdctl.toml', () => {
    expect(configuredCgroupManager('# x\ncgroup_manager = "cgroupfs"\n')).toBe('cgroupfs')
    expect(configuredCgroupManager('cni_path = "/usr/lib/cni"\n')).toBeUndefined()
  })

  test.each([
    [['--memory', '64m'], ['--memory']],
    [
      ['--memory=64m', '-c', '2', '--cpus=1'],
      ['--memory', '-c', '--cpus']
    ],
    [
      ['-m64m', '--pids-limit', '10'],
      ['-m', '--pids-limit']
    ],
    [['--label', 'a=b', '--', '--memory'], []],
    [['--cap-add', 'NET_ADMIN', '--read-only'], []]
  ])('limit flags in %j: %j', (args, found) => {
    expect(limitFlagsIn(args)).toEqual(found)
  })

  test.each([
    ['8080:80', { hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
    ['127.0.0.1:80:80', { hostPort: 80, containerPort: 80, protocol: 'tcp' }],
    ['127.0.0.1::5432', { hostPort: 0, containerPort: 5432, protocol: 'tcp' }],
    ['5432', { hostPort: 0, containerPort: 5432, protocol: 'tcp' }],
    ['[::1]:443:8443/tcp', { hostPort: 443, containerPort: 8443, protocol: 'tcp' }],
    ['53:53/udp', { hostPort: 53, containerPort: 53, protocol: 'udp' }],
    ['8000-8010:80-90', { hostPort: 8000, containerPort: 80, protocol: 'tcp' }],
    ['not a port', undefined]
  ])('-p %s', (value, parsed) => {
    expect(parsePublish(value)).toEqual(parsed)
  })

  test.each([
    ['80', '18080:80'],
    ['127.0.0.1::80', '127.0.0.1:18080:80'],
    ['127.0.0.1::53/udp', '127.0.0.1:18080:53/udp'],
    ['[::1]::80', '[::1]:18080:80'],
    ['8080:80', undefined],
    ['127.0.0.1:8080:80', undefined],
    ['80-90', undefined]
  ])('-p %s with a host port picked: %s', (value, filled) => {
    expect(withHostPort(value, 18080)).toBe(filled)
  })

  test('the host address a -p binds', () => {
    expect(publishHost('127.0.0.1::80')).toBe('127.0.0.1')
    expect(publishHost('[::1]::80')).toBe('::1')
    expect(publishHost('8080:80')).toBe('')
    expect(publishHost('80')).toBe('')
  })

  test('limits are refused on cgroup v1 and without systemd, and pass with systemd on cgroup v2', () => {
    const spec = { image: 'i', memoryLimit: '64m', extraArgs: ['--pids-limit', '5'] }
    const [problem] = rootlessProblems(spec, undefined, V1)
    expect(problem?.topic).toBe('limits')
    expect(problem?.message).toMatch(/^memoryLimit, --pids-limit: nerdctl runs rootless/)
    expect(problem?.message).toMatch(/cgroup v1.*"none".*drop every resource limit/)
    expect(rootlessProblems(spec, undefined, { ...V1, cgroupV2: true })[0]?.message).toMatch(
      /cgroup v2 without systemd/
    )
    expect(rootlessProblems(spec, undefined, V2_SYSTEMD)).toEqual([])
  })

  test('a host port below the unprivileged start is refused with the sysctl to change', () => {
    const spec = { image: 'i', ports: ['127.0.0.1:80:80', '8080:80', '127.0.0.1::80'] }
    const problems = rootlessProblems(spec, undefined, V1)
    expect(problems.map(p => p.topic)).toEqual(['ports'])
    expect(problems[0]?.message).toMatch(
      /^127\.0\.0\.1:80:80: .*host port 80 needs net\.ipv4\.ip_unprivileged_port_start at most that port \(it is 1024\)/
    )
    expect(rootlessProblems(spec, undefined, { ...V1, unprivilegedPortStart: 80 })).toEqual([])
  })

  test('ports a readiness wait checks from the runner must be published', () => {
    const spec = { image: 'i', ports: ['127.0.0.1::5432'] }
    expect(rootlessProblems(spec, { ports: [5432] }, V1)).toEqual([])
    const problems = rootlessProblems(spec, { ports: [5432, 6379], http: { port: 8080 } }, V1)
    expect(problems.map(p => p.message.split(' is checked')[0])).toEqual(['port 6379', 'port 8080'])
    expect(problems[0]?.message).toMatch(/Publish it \(e\.g\. 127\.0\.0\.1::6379\)/)
  })
})

describe('where the runner looks: published ports only when rootless', () => {
  let server: Server
  let port = 0
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'))
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>(resolve => server.close(() => resolve())))

  /** A running container whose own address is one this machine reaches (loopback), published or not. */
  function status(published: boolean): ContainerStatus {
    return {
      ...parseContainerInspect(fixture('inspect-running.json')),
      // 127.0.0.2 is on lo's 127.0.0.0/8, so a rootful check would try it.
      ipAddress: '127.0.0.2',
      ports: published
        ? [{ containerPort: '80/tcp', hostIp: '127.0.0.1', hostPort: String(port) }]
        : []
    }
  }

  const context = (s: ContainerStatus) => ({
    status: s,
    deadline: Date.now() + 5000,
    signal: new AbortController().signal,
    clock: systemClock,
    keep: () => {}
  })

  test('rootful: the published address and the container address; rootless: the published one alone', () => {
    expect(addressesOf(status(true), 80, false).map(a => a.via)).toEqual(['published', 'network'])
    expect(addressesOf(status(true), 80, false, true)).toEqual([
      { host: '127.0.0.1', port, via: 'published' }
    ])
    // A port the user named: rootful tries the container address even unpublished.
    expect(addressesOf(status(false), 80, true).map(a => a.host)).toEqual(['127.0.0.2'])
    expect(addressesOf(status(false), 80, true, true)).toEqual([])
  })

  test('an http check goes through the published port when rootless', async () => {
    const look = await httpCheck({ port: 80, path: '/' }, true).look(context(status(true)))
    expect(look.ready).toBe(true)
    // Rootful, the same check asks the container's own address, where nothing listens.
    const rootful = await httpCheck({ port: 80, path: '/' }).look(context(status(true)))
    expect(rootful.ready).toBe(false)
  })

  test('an unpublished port ends a rootless wait at once, saying why', async () => {
    const http = await httpCheck({ port: 80 }, true).look(context(status(false)))
    expect(http.fatal).toMatch(/port 80 is not published, and nerdctl runs rootless/)
    const tcp = await portCheck(status(false), 80, true, true).look(context(status(false)))
    expect(tcp.fatal).toMatch(/only through its published ports/)
  })
})

describe('the client', () => {
  test('rootless: the option, else as nerdctl decides (not root and no sudo)', () => {
    expect(new Nerdctl({ rootless: true }).rootless).toBe(true)
    expect(new Nerdctl({ rootless: false }).rootless).toBe(false)
    expect(new Nerdctl({ sudo: true }).rootless).toBe(false)
    expect(new Nerdctl().rootless).toBe(process.geteuid?.() !== 0)
  })

  test('a rootless run with limits nerdctl would drop is refused before nerdctl runs', async () => {
    const calls: string[][] = []
    const runner: Runner = async spec => {
      calls.push([...spec.args])
      return { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false }
    }
    // cgroup manager "none" as rootless nerdctl picks on cgroup v1: whatever this machine has.
    const client = new Nerdctl({ rootless: true, cgroupManager: 'none', runner })
    await expect(runSpec({ image: 'i', cpuLimit: '0.5' }, { client })).rejects.toThrow(
      /cpuLimit: nerdctl runs rootless/
    )
    expect(calls).toEqual([])
  })

  test('rootless, a host port nerdctl would have to pick is picked here, free on its address', async () => {
    const calls: string[][] = []
    const runner: Runner = async spec => {
      calls.push([...spec.args])
      return {
        stdout: `${'a'.repeat(64)}\n`,
        stderr: '',
        exitCode: 0,
        timedOut: false,
        aborted: false
      }
    }
    const client = new Nerdctl({ rootless: true, cgroupManager: 'systemd', runner })
    await runSpec({ image: 'i', ports: ['127.0.0.1::80', '8080:81'] }, { client })
    const args = calls[0] ?? []
    const published = args.filter((_a, i) => args[i - 1] === '-p')
    expect(published[0]).toMatch(/^127\.0\.0\.1:\d+:80$/)
    expect(Number(published[0]?.split(':')[1])).toBeGreaterThan(0)
    expect(published[1]).toBe('8080:81')
    // Rootful nerdctl picks its own.
    const rootful = new Nerdctl({ rootless: false, runner })
    await runSpec({ image: 'i', ports: ['127.0.0.1::80'] }, { client: rootful })
    expect(calls[1]).toContain('127.0.0.1::80')
  })

  test('rootless without cgroups, a commit does not pause the container (no freezer); otherwise it does', async () => {
    const calls: string[][] = []
    const runner: Runner = async spec => {
      calls.push([...spec.args])
      return { stdout: 'sha256:abc\n', stderr: '', exitCode: 0, timedOut: false, aborted: false }
    }
    const id = 'a'.repeat(64)
    await imageCommit(id, 'x/y:1', {
      client: new Nerdctl({ rootless: true, cgroupManager: 'none', runner })
    })
    await imageCommit(id, 'x/y:2', {
      client: new Nerdctl({ rootless: true, cgroupManager: 'systemd', runner })
    })
    await imageCommit(id, 'x/y:3', { client: new Nerdctl({ rootless: false, runner }) })
    expect(calls.map(c => c.includes('--pause=false'))).toEqual([true, false, false])
  })

  test('the state directory is where nerdctl looks, and only when rootlesskit runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rootless-state-'))
    try {
      const env = { XDG_RUNTIME_DIR: dir }
      expect(rootlessStateDir(env, 1000)).toBeUndefined()
      mkdirSync(join(dir, 'containerd-rootless'))
      writeFileSync(join(dir, 'containerd-rootless', 'child_pid'), '4242')
      expect(rootlessStateDir(env, 1000)).toBe(join(dir, 'containerd-rootless'))
      expect(rootlessStateDir(env, 0)).toBeUndefined()
      expect(rootlessStateDir({ ...env, ROOTLESSKIT_STATE_DIR: join(dir, 'x') }, 1000)).toBe(
        undefined
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the action', () => {
  let dir = ''
  let out: Captured
  const saved: Record<string, string | undefined> = {}
  const NAMES = ['GITHUB_OUTPUT', 'GITHUB_STATE', 'RUNNER_TEMP', 'GITHUB_WORKSPACE', 'TMPDIR']

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rootless-action-'))
    for (const n of NAMES) saved[n] = process.env[n]
    writeFileSync(join(dir, 'output'), '')
    writeFileSync(join(dir, 'state'), '')
    mkdirSync(join(dir, 'temp'))
    process.env.GITHUB_OUTPUT = join(dir, 'output')
    process.env.GITHUB_STATE = join(dir, 'state')
    process.env.RUNNER_TEMP = join(dir, 'temp')
    process.env.GITHUB_WORKSPACE = dir
    process.exitCode = undefined
    out = captureOutput()
  })
  afterEach(() => {
    out.restore()
    for (const n of NAMES)
      if (saved[n] === undefined) delete process.env[n]
      else process.env[n] = saved[n]
    process.exitCode = undefined
    rmSync(dir, { recursive: true, force: true })
  })

  const read =
    (inputs: Record<string, string>) =>
    (name: string): string =>
      ({ ...inputDefaults(), ...inputs })[name] ?? ''

  function fake(): { runner: Runner; calls: string[][] } {
    const calls: string[][] = []
    return {
      calls,
      runner: async spec => {
        calls.push([spec.file, ...spec.args])
        return { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false }
      }
    }
  }

  test('sudo: true on a rootless runner is refused, naming the input, before any command', async () => {
    const { runner, calls } = fake()
    await main(read({ sudo: 'true', pull: '127.0.0.1:5000/busybox:stable' }), {
      runner,
      findProgram: n => n,
      rootlessStateDir: () => '/run/user/1000/containerd-rootless'
    })
    expect(process.exitCode).toBe(1)
    expect(out.text()).toMatch(
      /::error::Input "sudo": is true, but this runner's containerd is rootless \(\/run\/user\/1000\/containerd-rootless\)/
    )
    expect(calls).toEqual([])
    // Nothing made: not even the scratch directory.
    expect(readFileCommands(join(dir, 'state')).tempDir).toBeUndefined()
  })

  test('a rootless step runs nerdctl without sudo and saves rootless for the post step', async () => {
    const { runner, calls } = fake()
    await main(read({ pull: '127.0.0.1:5000/busybox:stable' }), {
      runner,
      findProgram: n => n,
      rootlessStateDir: () => '/run/user/1000/containerd-rootless'
    })
    expect(out.text()).not.toMatch(/::error::/)
    expect(out.text()).toContain(
      'nerdctl: rootless (rootlesskit state /run/user/1000/containerd-rootless)'
    )
    // nerdctl itself, never through sudo.
    expect(calls.map(c => [c[0], c.includes('pull')])).toEqual([['nerdctl', true]])
    expect(JSON.parse(readFileCommands(join(dir, 'state')).tool ?? '{}')).toMatchObject({
      rootless: true
    })
  })

  test('without a rootless containerd nothing changes (root, or sudo)', async () => {
    const { runner } = fake()
    await main(read({ pull: '127.0.0.1:5000/busybox:stable' }), {
      runner,
      findProgram: n => n,
      rootlessStateDir: () => undefined
    })
    expect(out.text()).not.toContain('rootless')
    expect(JSON.parse(readFileCommands(join(dir, 'state')).tool ?? '{}').rootless).toBeUndefined()
  })

  test.each([
    [{ image: 'i', memory: '64m' }, 'memory', /memoryLimit: nerdctl runs rootless.*cgroup v1/],
    [{ image: 'i', cpus: '1' }, 'cpus', /cpuLimit: /],
    [
      { image: 'i', ports: '127.0.0.1:80:80' },
      'ports',
      /127\.0\.0\.1:80:80: .*host port 80 needs net\.ipv4\.ip_unprivileged_port_start/
    ],
    [
      {
        services:
          'db:\n  image: i\n  ports: ["127.0.0.1::5432"]\n  wait:\n    http: { port: 8080 }\n'
      },
      'services',
      /service "db": port 8080 is checked from the runner but not published/
    ],
    [
      { image: 'i', detach: 'false', copy: ':/etc/hostname -> out/hostname' },
      'copy',
      /.*"detach: false".*cannot use cp with a stopped container/
    ],
    [{ image: 'i', stats: 'true' }, 'stats', /is true, but nerdctl runs rootless .* cgroup v1/],
    [
      { services: 'db:\n  image: i\n  options: --memory 64m\n' },
      'services',
      /service "db": --memory: nerdctl runs rootless/
    ]
  ])(
    '%j is refused on a cgroup v1 rootless runner, naming input %s',
    async (inputs, input, message) => {
      await prepareInputs(read(inputs as Record<string, string>))
      const plan = getInputs(read(inputs as Record<string, string>))
      expect(() => checkRootlessPlan(plan, '/run/user/1000/containerd-rootless', V1)).toThrow(
        new RegExp(`^Input "${input}": ${message.source}`)
      )
    }
  )

  test('what works rootless passes the checks', async () => {
    const inputs = {
      image: 'i',
      ports: '127.0.0.1:8080:80\n127.0.0.1::5432',
      services: 'db:\n  image: i\n  ports: ["127.0.0.1::5432"]\n  wait:\n    ports: [5432]\n'
    }
    await prepareInputs(read(inputs))
    const plan = getInputs(read(inputs))
    expect(() => checkRootlessPlan(plan, '/run/user/1000/containerd-rootless', V1)).not.toThrow()
  })
})
