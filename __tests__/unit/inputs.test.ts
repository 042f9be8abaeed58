// getInputs: the action's inputs, as a workflow gives them on top of the
// defaults of action.yml, in; the typed plan, or an InputError naming the bad
// input (and never the password), out.
import { resolve } from 'node:path'
import { getInputs, InputError, loginsOf, type Inputs } from '../../src/action/inputs/index.js'
import { loadYaml } from '../../src/action/inputs/yaml.js'
import { parseList, type ListOptions } from '../../src/action/inputs/reader.js'
import { OWNER_LABEL } from '../../src/action/constants.js'
import { inputDefaults } from '../helpers/action-defaults.js'
import { captureOutput, type Captured } from '../helpers/capture-output.js'

// The YAML inputs' parser is loaded on demand, as the main step loads it.
beforeAll(loadYaml)

const SECRET = 'pw-Zq8!sEcReT-7731'

type With = Record<string, string>

/** A reader over the action.yml defaults with `overrides` on top ('' when absent). */
function reader(overrides: With): (name: string) => string {
  const defaults = inputDefaults()
  for (const name of Object.keys(overrides)) {
    // A misspelled input would silently test nothing.
    expect(Object.keys(defaults)).toContain(name)
  }
  const values: With = { ...defaults, ...overrides }
  return name => values[name] ?? ''
}

function plan(overrides: With = {}): Inputs {
  return getInputs(reader(overrides))
}

/** The InputError getInputs throws (fails the test when it throws nothing or something else). */
function inputErrorOf(overrides: With): InputError {
  try {
    plan(overrides)
  } catch (e: unknown) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error('expected an InputError, but getInputs returned a plan')
}

/** The run plan, which the case expects to exist. */
function runOf(p: Inputs): NonNullable<Inputs['run']> {
  expect(p.run).toBeDefined()
  return p.run as NonNullable<Inputs['run']>
}

const IMG = '127.0.0.1:5000/busybox:stable'

const MULTI_LINE_CHECK = `set -e
wget -q -O- http://localhost/health | grep -q "ok"
test -f '/tmp/ready'`

/** What went to stdout during the test (core.setSecret writes ::add-mask:: there). */
let stdout: Captured
beforeEach(() => {
  stdout = captureOutput()
})
afterEach(() => stdout.restore())

describe('getInputs: plans', () => {
  test('the owner label is the one in constants', () => {
    expect(OWNER_LABEL).toBe('io.github.nerdctl-action.step')
  })

  test('defaults only: nothing to do', () => {
    expect(plan()).toEqual<Inputs>({
      nerdctl: {
        binary: 'nerdctl',
        namespace: undefined,
        address: undefined,
        snapshotter: undefined,
        buildkitHost: undefined,
        insecureRegistries: undefined,
        sudo: false,
        timeoutMs: undefined,
        // Outside a runner (no GITHUB_WORKSPACE): the current directory only.
        hostRoots: [process.cwd()]
      },
      registry: {
        login: undefined,
        registries: [],
        logout: true,
        pull: [],
        retry: { retries: 3, delayMs: 2000 }
      },
      images: {
        build: undefined,
        tags: [],
        push: false,
        save: undefined,
        pushByDigest: false,
        merge: undefined
      },
      run: undefined,
      afterStart: {
        wait: false,
        waitForClients: true,
        waitTimeoutMs: 120_000,
        exec: [],
        copy: [],
        commit: undefined,
        export: undefined,
        stats: false
      },
      behaviour: {
        script: undefined,
        cleanup: true,
        showLogs: 'on-failure',
        summary: true
      },
      services: { services: {}, reap: true },
      disk: { budget: undefined, pruneUntilMs: 0, buildCacheKeepBytes: undefined, dryRun: false }
    })
  })

  test.each<[string, With, (p: Inputs) => void]>([
    // ---- tool ----
    [
      'tool options',
      {
        nerdctl: '/usr/local/bin/nerdctl',
        namespace: 'ci',
        address: '/run/containerd/containerd.sock',
        snapshotter: 'native',
        'buildkit-host': 'unix:///run/buildkit/buildkitd.sock'
      },
      p =>
        expect(p.nerdctl).toEqual({
          binary: '/usr/local/bin/nerdctl',
          namespace: 'ci',
          address: '/run/containerd/containerd.sock',
          snapshotter: 'native',
          buildkitHost: 'unix:///run/buildkit/buildkitd.sock',
          insecureRegistries: undefined,
          sudo: false,
          timeoutMs: undefined,
          hostRoots: [process.cwd()]
        })
    ],
    [
      'insecure-registries, comma- and newline-separated',
      { 'insecure-registries': 'reg.lan:5000, other.lan\n\n  third:443 \n' },
      p => expect(p.nerdctl.insecureRegistries).toEqual(['reg.lan:5000', 'other.lan', 'third:443'])
    ],
    ['sudo true', { sudo: 'true' }, p => expect(p.nerdctl.sudo).toBe(true)],
    ['sudo True', { sudo: 'True' }, p => expect(p.nerdctl.sudo).toBe(true)],
    ['sudo FALSE', { sudo: 'FALSE' }, p => expect(p.nerdctl.sudo).toBe(false)],
    ['sudo empty takes the default', { sudo: '' }, p => expect(p.nerdctl.sudo).toBe(false)],
    ['timeout 30s', { timeout: '30s' }, p => expect(p.nerdctl.timeoutMs).toBe(30_000)],
    ['timeout 1m30s', { timeout: '1m30s' }, p => expect(p.nerdctl.timeoutMs).toBe(90_000)],
    [
      'timeout empty: no limit set, the library decides per call',
      { timeout: '' },
      p => expect(p.nerdctl.timeoutMs).toBeUndefined()
    ],
    // ---- registry ----
    [
      'login to a registry',
      { registry: 'reg.lan:5000', username: 'bob', password: SECRET },
      p => {
        expect(p.registry.login).toEqual({
          registry: 'reg.lan:5000',
          username: 'bob',
          password: SECRET
        })
        expect(p.registry.logout).toBe(true)
      }
    ],
    [
      'login without a registry is Docker Hub',
      { username: 'bob', password: SECRET },
      p => expect(p.registry.login).toEqual({ registry: '', username: 'bob', password: SECRET })
    ],
    [
      'the password is kept exactly, spaces and all',
      { username: 'bob', password: ` ${SECRET} ` },
      p => expect(p.registry.login?.password).toBe(` ${SECRET} `)
    ],
    ['logout false', { logout: 'false' }, p => expect(p.registry.logout).toBe(false)],
    [
      'registries: several logins, beside the single-registry inputs',
      {
        registry: 'reg.lan:5000',
        username: 'bob',
        password: SECRET,
        registries: `- registry: 127.0.0.1:5001\n  username: ci\n  password: "${SECRET}2"\n- {registry: docker.io, username: hub, password: '${SECRET}3'}`
      },
      p => {
        expect(p.registry.registries).toEqual([
          { registry: '127.0.0.1:5001', username: 'ci', password: `${SECRET}2` },
          { registry: '', username: 'hub', password: `${SECRET}3` }
        ])
        expect(loginsOf(p.registry).map(l => l.registry)).toEqual([
          'reg.lan:5000',
          '127.0.0.1:5001',
          ''
        ])
      }
    ],
    [
      'retries and retry-delay',
      { retries: '0', 'retry-delay': '500ms' },
      p => expect(p.registry.retry).toEqual({ retries: 0, delayMs: 500 })
    ],
    // ---- images ----
    [
      'pull lines',
      { pull: 'busybox:stable\n\n  nginx:alpine  \n' },
      p => expect(p.registry.pull).toEqual(['busybox:stable', 'nginx:alpine'])
    ],
    [
      'build with context and tags',
      { context: '.', tags: 'app:1, app:latest\nreg.lan:5000/app:1\n' },
      p => {
        expect(p.images.build).toEqual({
          context: '.',
          file: undefined,
          buildArgs: [],
          labels: [],
          target: undefined,
          platforms: [],
          noCache: false,
          cacheFrom: [],
          cacheTo: [],
          secrets: [],
          ssh: [],
          allow: [],
          attest: [],
          sbom: undefined,
          provenance: undefined,
          annotations: [],
          output: undefined,
          buildContexts: [],
          network: undefined,
          addHosts: [],
          pull: false
        })
        expect(p.images.tags).toEqual(['app:1', 'app:latest', 'reg.lan:5000/app:1'])
        expect(p.run).toBeUndefined()
        expect(p.images.push).toBe(false)
        expect(p.images.save).toBeUndefined()
      }
    ],
    [
      'build with every option',
      {
        context: 'docker/app',
        file: 'docker/app/Dockerfile.ci',
        tags: 'app:1',
        'build-args': 'VERSION=1.2.3\nOPTS=a=b=c\n\nEMPTY=\n  SPACED = x y ',
        labels: 'org.opencontainers.image.source=https://example.com/x?a=b\nteam=ci',
        target: 'runtime',
        platforms: 'linux/amd64,linux/arm64\nlinux/riscv64',
        'no-cache': 'true',
        'cache-from': 'type=registry,ref=reg.lan:5000/app:cache',
        'cache-to': 'type=registry,ref=reg.lan:5000/app:cache,mode=max\ntype=local,dest=/c',
        secrets: 'token= v=a l \n',
        'secret-files': 'npmrc=/home/u/.npmrc',
        'host-paths': '/home/u\n/c',
        'secret-envs': 'gh=HOME',
        ssh: 'default',
        allow: 'network.host',
        attests: 'type=provenance,mode=min',
        sbom: 'true',
        provenance: 'mode=max',
        annotations: 'index:org.opencontainers.image.title=app',
        'build-contexts': 'base=docker-image://reg.lan:5000/base:1',
        'build-network': 'none',
        'add-hosts': 'db:10.0.0.5,cache:10.0.0.6',
        'build-pull': 'true'
      },
      p =>
        expect(p.images.build).toEqual({
          context: 'docker/app',
          file: 'docker/app/Dockerfile.ci',
          buildArgs: [
            ['VERSION', '1.2.3'],
            ['OPTS', 'a=b=c'],
            ['EMPTY', ''],
            ['SPACED', ' x y']
          ],
          labels: [
            ['org.opencontainers.image.source', 'https://example.com/x?a=b'],
            ['team', 'ci']
          ],
          target: 'runtime',
          platforms: ['linux/amd64', 'linux/arm64', 'linux/riscv64'],
          noCache: true,
          cacheFrom: ['type=registry,ref=reg.lan:5000/app:cache'],
          cacheTo: ['type=registry,ref=reg.lan:5000/app:cache,mode=max', 'type=local,dest=/c'],
          secrets: [
            { id: 'token', value: ' v=a l ' },
            { id: 'npmrc', file: '/home/u/.npmrc' },
            { id: 'gh', env: 'HOME' }
          ],
          ssh: ['default'],
          allow: ['network.host'],
          attest: ['type=provenance,mode=min'],
          sbom: true,
          provenance: 'mode=max',
          annotations: ['index:org.opencontainers.image.title=app'],
          output: undefined,
          buildContexts: [['base', 'docker-image://reg.lan:5000/base:1']],
          network: 'none',
          addHosts: ['db:10.0.0.5', 'cache:10.0.0.6'],
          pull: true
        })
    ],
    [
      'a local output needs no tags, and the build leaves no image',
      { context: '.', outputs: 'type=local,dest=out' },
      p => {
        expect(p.images.build?.output).toBe('type=local,dest=out')
        expect(p.images.tags).toEqual([])
      }
    ],
    [
      'push and save after a build',
      { context: '.', tags: 'reg.lan:5000/app:1', push: 'true', save: 'out/app.tar' },
      p => {
        expect(p.images.push).toBe(true)
        expect(p.images.save).toBe(resolve('out/app.tar'))
        expect(p.images.tags).toEqual(['reg.lan:5000/app:1'])
      }
    ],
    [
      'push and save existing images, without a build',
      { tags: 'a:1,b:2', push: 'true', save: 'images.tar' },
      p => {
        expect(p.images.build).toBeUndefined()
        expect(p.images.push).toBe(true)
        expect(p.images.save).toBe(resolve('images.tar'))
        expect(p.images.tags).toEqual(['a:1', 'b:2'])
      }
    ],
    // ---- run ----
    [
      'run an image: a name is generated, the owner label set, detached',
      { image: IMG },
      p => {
        const run = runOf(p)
        expect(run.generatedName).toBe(true)
        expect(run.spec.name).toMatch(/^nerdctl-action-/)
        expect(run.spec).toEqual({
          image: IMG,
          name: run.spec.name,
          command: undefined,
          ports: [],
          volumes: [],
          env: [],
          labels: [],
          network: undefined,
          networkAliases: [],
          cpuLimit: undefined,
          memoryLimit: undefined,
          memorySwapLimit: undefined,
          cpuShares: undefined,
          restartPolicy: undefined,
          healthCheck: undefined,
          detach: true
        })
        expect(p.afterStart.wait).toBe(false)
        expect(p.afterStart.waitTimeoutMs).toBe(120_000)
        expect(p.behaviour.cleanup).toBe(true)
      }
    ],
    [
      'run with a name',
      { image: IMG, name: 'web-1.test_x' },
      p => {
        expect(runOf(p).spec.name).toBe('web-1.test_x')
        expect(runOf(p).generatedName).toBe(false)
      }
    ],
    [
      'command split like a shell',
      {
        image: IMG,
        command: `sh -c 'echo "ready" && sleep 3600' --opt="a b" path\\ with\\ spaces ''`
      },
      p =>
        expect(runOf(p).spec.command).toEqual([
          'sh',
          '-c',
          'echo "ready" && sleep 3600',
          '--opt=a b',
          'path with spaces',
          ''
        ])
    ],
    [
      'a multi-line command',
      { image: IMG, command: 'httpd -f \\\n  -p 8080\n  -h /www\n' },
      p => expect(runOf(p).spec.command).toEqual(['httpd', '-f', '-p', '8080', '-h', '/www'])
    ],
    [
      'ports and volumes, one per line',
      {
        image: IMG,
        ports: '8080:80\n\n  127.0.0.1:8443:443/tcp \n53/udp',
        volumes: '/data:/var/lib/data:ro\ncache:/cache\n/anon',
        'host-paths': '/data'
      },
      p => {
        expect(runOf(p).spec.ports).toEqual(['8080:80', '127.0.0.1:8443:443/tcp', '53/udp'])
        expect(runOf(p).spec.volumes).toEqual(['/data:/var/lib/data:ro', 'cache:/cache', '/anon'])
      }
    ],
    [
      'env in order, values with "=" kept',
      { image: IMG, env: 'Z=1\nA=2\nURL=postgres://u@h/db?sslmode=disable\nEMPTY=\nZ=3' },
      p =>
        expect(runOf(p).spec.env).toEqual([
          ['Z', '1'],
          ['A', '2'],
          ['URL', 'postgres://u@h/db?sslmode=disable'],
          ['EMPTY', ''],
          ['Z', '3']
        ])
    ],
    [
      'network, aliases and limits',
      {
        image: IMG,
        network: 'ci-net',
        'network-aliases': 'db',
        cpus: '0.5',
        memory: '512m',
        'memory-swap': '-1',
        'cpu-shares': '512',
        restart: 'on-failure:3'
      },
      p =>
        expect(runOf(p).spec).toMatchObject({
          network: 'ci-net',
          networkAliases: ['db'],
          cpuLimit: '0.5',
          memoryLimit: '512m',
          memorySwapLimit: '-1',
          cpuShares: '512',
          restartPolicy: 'on-failure:3'
        })
    ],
    [
      'health-cmd, multi-line, kept intact; wait defaults to true',
      { image: IMG, 'health-cmd': `${MULTI_LINE_CHECK}\n` },
      p => {
        expect(runOf(p).spec.healthCheck).toEqual({
          cmd: MULTI_LINE_CHECK,
          interval: undefined,
          timeout: undefined,
          retries: undefined,
          startPeriod: undefined
        })
        expect(p.afterStart.wait).toBe(true)
        expect(p.afterStart.waitTimeoutMs).toBe(120_000)
      }
    ],
    [
      'health check with every option',
      {
        image: IMG,
        'health-cmd': 'wget -q -O- http://localhost/ || exit 1',
        'health-interval': '2s',
        'health-timeout': '1s',
        'health-retries': '5',
        'health-start-period': '1m30s',
        'wait-timeout': '45s'
      },
      p => {
        expect(runOf(p).spec.healthCheck).toEqual({
          cmd: 'wget -q -O- http://localhost/ || exit 1',
          interval: 2_000,
          timeout: 1_000,
          retries: 5,
          startPeriod: 90_000
        })
        expect(p.afterStart.wait).toBe(true)
        expect(p.afterStart.waitTimeoutMs).toBe(45_000)
      }
    ],
    [
      'wait false with a health check',
      { image: IMG, 'health-cmd': 'true', wait: 'false' },
      p => {
        expect(p.afterStart.wait).toBe(false)
        expect(runOf(p).spec.healthCheck?.cmd).toBe('true')
      }
    ],
    [
      'wait true with a health check',
      { image: IMG, 'health-cmd': 'true', wait: 'true' },
      p => expect(p.afterStart.wait).toBe(true)
    ],
    [
      'wait-for-clients false: the wait is for health alone',
      { image: IMG, 'health-cmd': 'true', 'wait-for-clients': 'false' },
      p => {
        expect(p.afterStart.wait).toBe(true)
        expect(p.afterStart.waitForClients).toBe(false)
      }
    ],
    [
      'no health check: wait defaults to false',
      { image: IMG, wait: '' },
      p => {
        expect(p.afterStart.wait).toBe(false)
        expect(runOf(p).spec.healthCheck).toBeUndefined()
      }
    ],
    [
      'detach false runs to completion',
      { image: IMG, detach: 'false', command: 'true' },
      p => {
        expect(runOf(p).spec.detach).toBe(false)
        expect(p.afterStart.wait).toBe(false)
      }
    ],
    [
      'run: true with tags runs the first tag',
      { context: '.', tags: 'app:ci\napp:latest', run: 'true' },
      p => {
        expect(p.images.build?.context).toBe('.')
        expect(runOf(p).spec.image).toBe('app:ci')
      }
    ],
    [
      'run: true with tags and no build',
      { tags: 'busybox:stable', run: 'true' },
      p => expect(runOf(p).spec.image).toBe('busybox:stable')
    ],
    [
      'image wins over the tags with run: true',
      { tags: 'app:ci', run: 'true', image: IMG },
      p => expect(runOf(p).spec.image).toBe(IMG)
    ],
    ['tags without run: true run nothing', { tags: 'app:ci' }, p => expect(p.run).toBeUndefined()],
    // ---- after start ----
    [
      'exec lines',
      { image: IMG, exec: 'echo one\n\n  cat /etc/os-release | grep -q ID  \n' },
      p => expect(p.afterStart.exec).toEqual(['echo one', 'cat /etc/os-release | grep -q ID'])
    ],
    [
      'copy lines: out of and into the container',
      {
        image: IMG,
        name: 'web-1',
        copy: ':/etc/os-release -> out/os-release\nin/config.json -> :/etc/app/config.json\n  web-1:/var/log -> logs  \n'
      },
      p =>
        expect(p.afterStart.copy).toEqual([
          { from: ':/etc/os-release', to: resolve('out/os-release'), containerSide: 'from' },
          { from: resolve('in/config.json'), to: ':/etc/app/config.json', containerSide: 'to' },
          { from: 'web-1:/var/log', to: resolve('logs'), containerSide: 'from' }
        ])
    ],
    [
      'copy into a service of the step, by its key',
      { image: IMG, services: `db:\n  image: ${IMG}\n`, copy: 'host/path -> db:/path' },
      p =>
        expect(p.afterStart.copy).toEqual([
          { from: resolve('host/path'), to: 'db:/path', containerSide: 'to' }
        ])
    ],
    [
      'commit and export',
      { image: IMG, commit: 'app:snapshot', export: 'out/fs.tar' },
      p => {
        expect(p.afterStart.commit).toBe('app:snapshot')
        expect(p.afterStart.export).toBe(resolve('out/fs.tar'))
      }
    ],
    // ---- behaviour ----
    [
      'cleanup false',
      { image: IMG, cleanup: 'false' },
      p => expect(p.behaviour.cleanup).toBe(false)
    ],
    [
      'show-logs always',
      { 'show-logs': 'always' },
      p => expect(p.behaviour.showLogs).toBe('always')
    ],
    ['show-logs never', { 'show-logs': 'never' }, p => expect(p.behaviour.showLogs).toBe('never')],
    ['show-logs empty', { 'show-logs': '' }, p => expect(p.behaviour.showLogs).toBe('on-failure')],
    ['summary false', { summary: 'false' }, p => expect(p.behaviour.summary).toBe(false)]
  ])('%s', (_title, overrides, check) => {
    check(plan(overrides))
  })

  test('a duration of exactly the maximum (168h) is taken', () => {
    expect(getInputs(reader({ timeout: '168h' })).nerdctl.timeoutMs).toBe(168 * 3600 * 1000)
  })

  test('a service duration over the maximum is refused, naming the service and field', () => {
    expect(() =>
      getInputs(
        reader({ services: 'db:\n  image: busybox\n  health-cmd: "true"\n  health-interval: 600h' })
      )
    ).toThrow(/Input "services".*600h.*168h/s)
  })

  test('health durations are parsed once, where they are read: milliseconds in the spec', () => {
    const hc = runOf(
      plan({
        image: IMG,
        'health-cmd': 'true',
        'health-interval': '1m30s',
        'health-timeout': '500ms',
        'health-start-period': '1.5s'
      })
    ).spec.healthCheck
    expect(hc).toEqual({
      cmd: 'true',
      interval: 90_000,
      timeout: 500,
      retries: undefined,
      startPeriod: 1_500
    })
    for (const d of [hc?.interval, hc?.timeout, hc?.startPeriod]) expect(typeof d).toBe('number')
  })

  test('a generated name is new each time and a valid container name', () => {
    const a = runOf(plan({ image: IMG })).spec.name as string
    const b = runOf(plan({ image: IMG })).spec.name as string
    expect(a).not.toBe(b)
    expect(a).toMatch(/^nerdctl-action-[a-zA-Z0-9_.-]+$/)
  })

  test("the plan carries no owner label: the step's client puts it on every container it creates", () => {
    expect(runOf(getInputs(reader({ image: IMG }))).spec.labels).toEqual([])
  })

  test('the password is masked', () => {
    plan({ username: 'bob', password: SECRET })
    expect(stdout.text()).toContain(`::add-mask::${SECRET}`)
  })

  test('every password of registries is masked, even when an entry is bad', () => {
    expect(() =>
      plan({
        registries: `- {registry: a.lan, username: u, password: "${SECRET}1"}\n- {registry: b.lan, password: "${SECRET}2"}`
      })
    ).toThrow(/Input "registries": entry 2 needs a username/)
    expect(stdout.text()).toContain(`::add-mask::${SECRET}1`)
    expect(stdout.text()).toContain(`::add-mask::${SECRET}2`)
  })
})

describe('getInputs: validation errors', () => {
  // [title, inputs, input the error names, value the message shows]
  test.each<[string, With, string, string | undefined]>([
    // ---- booleans ----
    ['bad boolean: sudo', { sudo: 'yes' }, 'sudo', 'yes'],
    ['bad boolean: logout', { logout: '1' }, 'logout', '1'],
    ['bad boolean: cleanup', { cleanup: 'no' }, 'cleanup', 'no'],
    ['bad boolean: summary', { summary: 'on' }, 'summary', 'on'],
    ['bad boolean: push', { tags: 'a:1', push: 'yes' }, 'push', 'yes'],
    ['bad boolean: no-cache', { context: '.', tags: 'a:1', 'no-cache': 'y' }, 'no-cache', 'y'],
    [
      'bad boolean: build-pull',
      { context: '.', tags: 'a:1', 'build-pull': 'y' },
      'build-pull',
      'y'
    ],
    // ---- build parity options ----
    [
      'two outputs',
      { context: '.', tags: 'a:1', outputs: 'type=oci\ntype=docker' },
      'outputs',
      undefined
    ],
    [
      'an output without type',
      { context: '.', tags: 'a:1', outputs: 'dest=x' },
      'outputs',
      'dest=x'
    ],
    [
      'push with a local output',
      { context: '.', tags: 'a:1', outputs: 'type=local,dest=o', push: 'true' },
      'push',
      undefined
    ],
    [
      'save with a tar output',
      { context: '.', tags: 'a:1', outputs: 'type=tar,dest=o.tar', save: 'x.tar' },
      'save',
      undefined
    ],
    [
      'a build network that is a network name',
      { context: '.', tags: 'a:1', 'build-network': 'bridge' },
      'build-network',
      'bridge'
    ],
    [
      'a secret-envs variable that is not set',
      { context: '.', tags: 'a:1', 'secret-envs': 'x=NO_SUCH_VAR_HERE_123' },
      'secret-envs',
      'NO_SUCH_VAR_HERE_123'
    ],
    [
      'a secret-files line without =',
      { context: '.', tags: 'a:1', 'secret-files': '/etc/x' },
      'secret-files',
      '/etc/x'
    ],
    [
      'a secret id that is an attribute',
      { context: '.', tags: 'a:1', 'secret-files': 'a,env=HOME=/x' },
      'secrets/secret-files/secret-envs',
      'a,env'
    ],
    ['a host without ip', { context: '.', tags: 'a:1', 'add-hosts': 'db' }, 'add-hosts', 'db'],
    [
      'an annotation without =',
      { context: '.', tags: 'a:1', annotations: 'k' },
      'annotations',
      'k'
    ],
    ['cache-from without context', { 'cache-from': 'type=local,src=c' }, 'cache-from', undefined],
    ['secrets without context', { secrets: 'a=b' }, 'secrets', undefined],
    ['bad boolean: run', { image: IMG, run: 'maybe' }, 'run', 'maybe'],
    ['bad boolean: detach', { image: IMG, detach: 'background' }, 'detach', 'background'],
    ['bad boolean: wait', { image: IMG, 'health-cmd': 'true', wait: 'sure' }, 'wait', 'sure'],
    // ---- durations ----
    ['bad duration: timeout', { timeout: '10 minutes' }, 'timeout', '10 minutes'],
    ['bad duration: timeout without a unit', { timeout: '30' }, 'timeout', '30'],
    // Past Node's timer limit (24.8 days) a timer fires after 1 ms: refused, as is anything over 7 days.
    ['duration over the maximum: timeout 600h', { timeout: '600h' }, 'timeout', '600h'],
    ['duration over the maximum: timeout 169h', { timeout: '169h' }, 'timeout', '169h'],
    [
      'duration over the maximum: wait-timeout',
      { image: IMG, 'wait-timeout': '200h' },
      'wait-timeout',
      '200h'
    ],
    ['duration over the maximum: retry-delay', { 'retry-delay': '1000h' }, 'retry-delay', '1000h'],
    ['bad duration: wait-timeout', { image: IMG, 'wait-timeout': '2x' }, 'wait-timeout', '2x'],
    [
      'bad duration: health-interval',
      { image: IMG, 'health-cmd': 'true', 'health-interval': 'soon' },
      'health-interval',
      'soon'
    ],
    [
      'bad duration: health-timeout',
      { image: IMG, 'health-cmd': 'true', 'health-timeout': '-1s' },
      'health-timeout',
      '-1s'
    ],
    [
      'bad duration: health-start-period',
      { image: IMG, 'health-cmd': 'true', 'health-start-period': '1d' },
      'health-start-period',
      '1d'
    ],
    // ---- retries, registries ----
    ['retries -1', { retries: '-1' }, 'retries', '-1'],
    ['retries 1.5', { retries: '1.5' }, 'retries', '1.5'],
    ['retry-delay soon', { 'retry-delay': 'soon' }, 'retry-delay', 'soon'],
    ['registries not a list', { registries: 'registry: a.lan' }, 'registries', undefined],
    ['registries not YAML', { registries: '- [unclosed' }, 'registries', undefined],
    [
      'registries entry without a password',
      { registries: '- {registry: a.lan, username: u}' },
      'registries',
      undefined
    ],
    [
      'registries entry with an unknown key',
      { registries: '- {registry: a.lan, username: u, password: p, email: e}' },
      'registries',
      'email'
    ],
    [
      'registries entry with a bad host',
      { registries: '- {registry: "https://a.lan", username: u, password: p}' },
      'registries',
      'https://a.lan'
    ],
    [
      'a registry logged in to twice',
      {
        registry: 'a.lan',
        username: 'u',
        password: 'p',
        registries: '- {registry: a.lan, username: v, password: q}'
      },
      'registries',
      'a.lan'
    ],
    // ---- health-retries ----
    [
      'health-retries 0',
      { image: IMG, 'health-cmd': 'true', 'health-retries': '0' },
      'health-retries',
      '0'
    ],
    [
      'health-retries x',
      { image: IMG, 'health-cmd': 'true', 'health-retries': 'x' },
      'health-retries',
      'x'
    ],
    [
      'health-retries 1.5',
      { image: IMG, 'health-cmd': 'true', 'health-retries': '1.5' },
      'health-retries',
      '1.5'
    ],
    [
      'health-retries -2',
      { image: IMG, 'health-cmd': 'true', 'health-retries': '-2' },
      'health-retries',
      '-2'
    ],
    // ---- registry ----
    ['username without password', { username: 'bob' }, 'password', undefined],
    ['password without username', { password: SECRET }, 'username', undefined],
    ['registry without username', { registry: 'reg.lan:5000' }, 'registry', 'reg.lan:5000'],
    // ---- build ----
    ['file without context', { file: 'Dockerfile.ci' }, 'file', undefined],
    ['build-args without context', { 'build-args': 'A=1' }, 'build-args', undefined],
    ['labels without context', { labels: 'a=1' }, 'labels', undefined],
    ['target without context', { target: 'runtime' }, 'target', undefined],
    ['platforms without context', { platforms: 'linux/amd64' }, 'platforms', undefined],
    ['no-cache true without context', { 'no-cache': 'true' }, 'no-cache', undefined],
    ['context without tags', { context: '.' }, 'tags', undefined],
    [
      'bad build-args line',
      { context: '.', tags: 'a:1', 'build-args': 'NOEQ' },
      'build-args',
      'NOEQ'
    ],
    [
      'build-args line without a key',
      { context: '.', tags: 'a:1', 'build-args': '=v' },
      'build-args',
      '=v'
    ],
    ['bad labels line', { context: '.', tags: 'a:1', labels: 'team' }, 'labels', 'team'],
    // ---- push, save ----
    ['push without tags', { push: 'true' }, 'push', undefined],
    ['save without tags', { save: 'out.tar' }, 'save', undefined],
    // ---- run ----
    ['run true without image and tags', { run: 'true' }, 'run', undefined],
    ['name without image', { name: 'web' }, 'name', undefined],
    ['command without image', { command: 'sleep 1' }, 'command', undefined],
    ['ports without image', { ports: '8080:80' }, 'ports', undefined],
    ['volumes without image', { volumes: '/a:/b' }, 'volumes', undefined],
    ['env without image', { env: 'A=1' }, 'env', undefined],
    ['network without image', { network: 'ci' }, 'network', undefined],
    ['network-aliases without image', { 'network-aliases': 'db' }, 'network-aliases', undefined],
    ['cpus without image', { cpus: '1' }, 'cpus', undefined],
    ['memory without image', { memory: '1g' }, 'memory', undefined],
    ['memory-swap without image', { 'memory-swap': '2g' }, 'memory-swap', undefined],
    ['cpu-shares without image', { 'cpu-shares': '512' }, 'cpu-shares', undefined],
    ['restart without image', { restart: 'always' }, 'restart', undefined],
    ['health-cmd without image', { 'health-cmd': 'true' }, 'health-cmd', undefined],
    ['health-interval without image', { 'health-interval': '1s' }, 'health-interval', undefined],
    ['health-timeout without image', { 'health-timeout': '1s' }, 'health-timeout', undefined],
    ['health-retries without image', { 'health-retries': '3' }, 'health-retries', undefined],
    [
      'health-start-period without image',
      { 'health-start-period': '1s' },
      'health-start-period',
      undefined
    ],
    ['exec without image', { exec: 'echo hi' }, 'exec', undefined],
    ['copy without image', { copy: ':/a -> b' }, 'copy', undefined],
    ['commit without image', { commit: 'app:snap' }, 'commit', undefined],
    ['export without image', { export: 'fs.tar' }, 'export', undefined],
    ['detach false without image', { detach: 'false' }, 'detach', undefined],
    ['wait true without image', { wait: 'true' }, 'wait', undefined],
    ['tags without run: true are not run', { tags: 'a:1', ports: '80' }, 'ports', undefined],
    // ---- health ----
    [
      'health-interval without health-cmd',
      { image: IMG, 'health-interval': '1s' },
      'health-interval',
      undefined
    ],
    [
      'health-timeout without health-cmd',
      { image: IMG, 'health-timeout': '1s' },
      'health-timeout',
      undefined
    ],
    [
      'health-retries without health-cmd',
      { image: IMG, 'health-retries': '3' },
      'health-retries',
      undefined
    ],
    [
      'health-start-period without health-cmd',
      { image: IMG, 'health-start-period': '1s' },
      'health-start-period',
      undefined
    ],
    ['wait true without health-cmd', { image: IMG, wait: 'true' }, 'wait', undefined],
    [
      'detach false with wait',
      { image: IMG, detach: 'false', 'health-cmd': 'true', wait: 'true' },
      'detach',
      undefined
    ],
    [
      'detach false with exec',
      { image: IMG, detach: 'false', exec: 'echo hi' },
      'detach',
      undefined
    ],
    // ---- container spec ----
    ['bad port', { image: IMG, ports: '8080:80\n80:http' }, 'ports', '80:http'],
    ['bad port: too many parts', { image: IMG, ports: '1:2:3:4' }, 'ports', '1:2:3:4'],
    ['bad volume: no source', { image: IMG, volumes: ':/data' }, 'volumes', ':/data'],
    ['bad volume: too many parts', { image: IMG, volumes: '/a:/b:ro:x' }, 'volumes', '/a:/b:ro:x'],
    ['bad env line: no "="', { image: IMG, env: 'A=1\nJUSTKEY' }, 'env', 'JUSTKEY'],
    ['bad env line: no key', { image: IMG, env: '=value' }, 'env', '=value'],
    ['bad env key: spaces', { image: IMG, env: 'MY VAR=1' }, 'env', 'MY VAR'],
    ['bad restart', { image: IMG, restart: 'sometimes' }, 'restart', 'sometimes'],
    ['two network aliases', { image: IMG, 'network-aliases': 'db, pg' }, 'network-aliases', 'pg'],
    [
      'bad restart: on-failure:x',
      { image: IMG, restart: 'on-failure:x' },
      'restart',
      'on-failure:x'
    ],
    ['bad cpus: zero', { image: IMG, cpus: '0' }, 'cpus', '0'],
    ['bad cpus: words', { image: IMG, cpus: 'two' }, 'cpus', 'two'],
    ['bad memory', { image: IMG, memory: '12q' }, 'memory', '12q'],
    ['bad memory-swap', { image: IMG, 'memory-swap': 'lots' }, 'memory-swap', 'lots'],
    ['bad cpu-shares', { image: IMG, 'cpu-shares': '1.5' }, 'cpu-shares', '1.5'],
    ['bad name: space', { image: IMG, name: 'my web' }, 'name', 'my web'],
    ['bad name: leading dash', { image: IMG, name: '-web' }, 'name', '-web'],
    ['bad image', { image: 'busy box' }, 'image', 'busy box'],
    [
      'unterminated single quote in command',
      { image: IMG, command: "sh -c 'echo hi" },
      'command',
      "sh -c 'echo hi"
    ],
    [
      'unterminated double quote in command',
      { image: IMG, command: 'sh -c "echo hi' },
      'command',
      'sh -c "echo hi'
    ],
    ['trailing backslash in command', { image: IMG, command: 'echo \\' }, 'command', 'echo \\'],
    // ---- copy ----
    ['bad copy line: no "->"', { image: IMG, copy: ':/a b' }, 'copy', ':/a b'],
    ['bad copy line: "->" without spaces', { image: IMG, copy: ':/a->b' }, 'copy', ':/a->b'],
    [
      'bad copy line: two container sides',
      { image: IMG, copy: ':/a -> other:/b' },
      'copy',
      ':/a -> other:/b'
    ],
    ['bad copy line: no container side', { image: IMG, copy: 'a -> b' }, 'copy', 'a -> b'],
    ['bad copy line among good ones', { image: IMG, copy: ':/a -> a\nb -> c' }, 'copy', 'b -> c'],
    // Another name could be another job's container: only the step's own may be named.
    [
      'copy from a container the step does not start',
      { image: IMG, name: 'web', copy: 'other-1:/var/log -> logs' },
      'copy',
      'other-1:/var/log'
    ],
    [
      'copy into a container the step does not start, with services',
      { image: IMG, services: `db:\n  image: ${IMG}\n`, copy: 'in -> cache:/data' },
      'copy',
      'cache:/data'
    ],
    // ---- behaviour ----
    ['bad show-logs', { 'show-logs': 'sometimes' }, 'show-logs', 'sometimes'],
    ['show-logs in capitals', { 'show-logs': 'ALWAYS' }, 'show-logs', 'ALWAYS']
  ])('%s', (_title, overrides, input, shows) => {
    const e = inputErrorOf(overrides)
    expect(e.name).toBe('InputError')
    expect(e.message).toMatch(new RegExp(`^Input "${input}": `))
    if (shows !== undefined) expect(e.message).toContain(shows)
  })

  test('a long bad value is shortened', () => {
    const long = 'x'.repeat(500)
    const e = inputErrorOf({ timeout: long })
    expect(e.message).toContain('x'.repeat(200))
    expect(e.message).not.toContain('x'.repeat(201))
  })
})

describe('getInputs: the password is never in a message', () => {
  const login: With = { username: 'bob', password: SECRET }
  test.each<[string, With, string]>([
    ['password without username', { password: SECRET }, 'username'],
    [
      'password without username, with a registry',
      { registry: 'r.lan', password: SECRET },
      'username'
    ],
    ['bad sudo', { ...login, sudo: 'yes' }, 'sudo'],
    ['bad timeout', { ...login, timeout: 'forever' }, 'timeout'],
    ['push without tags', { ...login, registry: 'reg.lan:5000', push: 'true' }, 'push'],
    ['context without tags', { ...login, context: '.' }, 'tags'],
    ['bad port', { ...login, image: IMG, ports: 'eighty' }, 'ports'],
    ['bad env line', { ...login, image: IMG, env: 'NOPE' }, 'env'],
    ['bad logout', { ...login, logout: 'sometimes' }, 'logout'],
    ['bad show-logs', { ...login, 'show-logs': 'loud' }, 'show-logs'],
    ['bad copy line', { ...login, image: IMG, copy: 'a -> b' }, 'copy'],
    [
      'registries: YAML broken around a password',
      { registries: `- {registry: a.lan, username: u, password: "${SECRET}}` },
      'registries'
    ],
    [
      'registries: a numeric password',
      {
        registries: `- {registry: a.lan, username: u, password: 7731}\n- {registry: b.lan, username: u, password: "${SECRET}", x: 1}`
      },
      'registries'
    ],
    [
      'registries: a bad host beside a password',
      { registries: `- {registry: "a b", username: u, password: "${SECRET}"}` },
      'registries'
    ]
  ])('%s', (_title, overrides, input) => {
    const e = inputErrorOf(overrides)
    expect(e.message).toMatch(new RegExp(`^Input "${input}": `))
    expect(e.message).not.toContain(SECRET)
    expect(String(e.stack)).not.toContain(SECRET)
  })
})

describe('getInputs: build secrets', () => {
  test('each value is masked, and a bad line is named by number, not shown', () => {
    const e = inputErrorOf({
      context: '.',
      tags: 'a:1',
      secrets: `ok=${SECRET}\nnot-a-pair${SECRET}`
    })
    expect(stdout.text()).toContain(`::add-mask::${SECRET}`)
    expect(e.message).toBe('Input "secrets": entry 2 is not id=value (the value is not shown)')
  })

  test('a variable named by secret-envs is masked', () => {
    process.env.NERDCTL_ACTION_TEST_SECRET = SECRET
    try {
      plan({ context: '.', tags: 'a:1', 'secret-envs': 'tok=NERDCTL_ACTION_TEST_SECRET' })
      expect(stdout.text()).toContain(`::add-mask::${SECRET}`)
    } finally {
      delete process.env.NERDCTL_ACTION_TEST_SECRET
    }
  })
})

// Lists as docker/build-push-action reads them (docker/actions-toolkit
// Util.getList over csv-parse, with the per-input options of
// build-push-action src/context.ts). The values are build-push-action's
// documented examples; the expected entries are what its reading gives.
describe('list inputs, read as build-push-action reads them', () => {
  const SECRETS = [
    '"MYSECRET=aaaaaaaa',
    'bbbbbbb',
    'ccccccccc"',
    'GIT_AUTH_TOKEN=abcdefghi,jklmno=0123456789',
    'FOO=bar',
    '"EMPTYLINE=aaaa',
    '',
    'bbbb',
    'ccc"',
    '"JSON_SECRET={""key1"":""value1"",""key2"":""value2""}"'
  ].join('\n')

  test.each<[string, string, ListOptions, string[]]>([
    [
      'tags, comma and newline',
      'user/app:latest,user/app:1.0.0\nghcr.io/o/app:1',
      {},
      ['user/app:latest', 'user/app:1.0.0', 'ghcr.io/o/app:1']
    ],
    ['platforms', 'linux/amd64, linux/arm64', {}, ['linux/amd64', 'linux/arm64']],
    [
      'a cache list is one entry',
      'type=local,dest=/tmp/.buildx-cache-new,mode=max',
      { ignoreComma: true },
      ['type=local,dest=/tmp/.buildx-cache-new,mode=max']
    ],
    [
      'a quoted field loses its quotes',
      'type=registry,"ref=a,b"',
      { ignoreComma: true },
      ['type=registry,ref=a,b']
    ],
    [
      'a doubled quote keeps one for BuildKit',
      '"type=local,""dest=a,b"""',
      { ignoreComma: true },
      ['type=local,"dest=a,b"']
    ],
    [
      'outputs keep their quotes',
      'type=local,"dest=a,b"',
      { ignoreComma: true, noQuote: true },
      ['type=local,"dest=a,b"']
    ],
    ['build-args with a quoted comma', '"A=x,y"\nB=2', { ignoreComma: true }, ['A=x,y', 'B=2']],
    [
      'secrets: quoted entries keep commas and line breaks',
      SECRETS,
      { ignoreComma: true, keepSpaces: true },
      [
        'MYSECRET=aaaaaaaa\nbbbbbbb\nccccccccc',
        'GIT_AUTH_TOKEN=abcdefghi,jklmno=0123456789',
        'FOO=bar',
        'EMPTYLINE=aaaa\n\nbbbb\nccc',
        'JSON_SECRET={"key1":"value1","key2":"value2"}'
      ]
    ],
    ['empty entries are dropped', 'a,,b\n\n', {}, ['a', 'b']]
  ])('%s', (_t, input, opts, entries) => {
    expect(parseList('x', input, opts)).toEqual(entries)
  })

  test('an unclosed quote in secrets fails without showing the value', () => {
    expect(() => parseList('secrets', `"A=${SECRET}`, { secret: true })).toThrow(
      /^Input "secrets": /
    )
    let message = ''
    try {
      parseList('secrets', `"A=${SECRET}`, { secret: true })
    } catch (e: unknown) {
      message = String(e)
    }
    expect(message).not.toContain(SECRET)
  })

  test('secrets: "GIT_AUTH=a,b" quoted is one secret whose value holds the comma', () => {
    const p = plan({ context: '.', tags: 'a:1', secrets: '"GIT_AUTH=a,b"\nOTHER=c' })
    expect(p.images.build?.secrets).toEqual([
      { id: 'GIT_AUTH', value: 'a,b' },
      { id: 'OTHER', value: 'c' }
    ])
  })

  test('a quoted build-arg keeps its comma; a cache-to with a quoted dest stays one value', () => {
    const p = plan({
      context: '.',
      tags: 'a:1',
      'build-args': '"A=x,y"',
      'cache-to': '"type=local,""dest=./c,type=local,dest=/p"""'
    })
    expect(p.images.build?.buildArgs).toEqual([['A', 'x,y']])
    expect(p.images.build?.cacheTo).toEqual(['type=local,"dest=./c,type=local,dest=/p"'])
  })

  test.each([
    ['cache-to', 'type=registry,ref=127.0.0.1:5000/app:cache-x,type=local,dest=/p', 'type'],
    ['cache-from', 'type=registry,ref=127.0.0.1:5000/app:cache-x,type=local,src=/p', 'type'],
    ['outputs', 'type=tar,dest=./o.tar,dest=/p.tar', 'dest'],
    ['attests', 'type=sbom,generator=a,generator=b', 'generator'],
    ['provenance', 'mode=max,mode=min', 'mode'],
    ['sbom', 'generator=a,generator=b', 'generator'],
    ['ssh', 'default\ndefault=/k', 'twice'],
    ['build-contexts', 'base=./a\nbase=docker-image://alpine', 'twice']
  ])('%s: a repeated key is refused, naming the input and the key', (input, value, key) => {
    const e = inputErrorOf({ context: '.', tags: 'a:1', [input]: value })
    expect(e.message).toMatch(new RegExp(`^Input "${input}": `))
    expect(e.message).toContain(key)
  })

  test.each(['app:cache-x;rm', 'APP:1', 'app:a:b', 'app@sha256:abc'])(
    'tags: %j is refused',
    tag => {
      expect(inputErrorOf({ tags: tag }).message).toMatch(/^Input "tags": .*not an image reference/)
    }
  )
})

describe('getInputs: env values nerdctl could not take are refused, naming the input', () => {
  test('a line over 64 KiB for a name that steers nerdctl', () => {
    const e = inputErrorOf({ image: IMG, env: `A=1\nHOME=${'x'.repeat(70 * 1024)}` })
    expect(e.message).toMatch(/^Input "env": environment variable HOME: /)
    expect(e.message).not.toContain('xxxx')
  })
})
