// Compose environments without containerd: the model read from what the real
// `nerdctl compose config` printed (fixtures recorded by
// scripts/record-fixtures.sh compose), the environment it stands for, every
// refusal before anything starts, and compose-go's own messages.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { NerdctlError } from '../../src/nerdctl/base/errors.js'
import { Nerdctl } from '../../src/nerdctl/exec/client.js'
import type { ProcessResult, RunSpec } from '../../src/nerdctl/exec/runner.js'
import {
  COMPOSE_PROJECT_LABEL,
  COMPOSE_SERVICE_LABEL,
  checkShortVolumes,
  composeModel,
  composePlan,
  publishedHostPorts
} from '../../src/nerdctl/pure/compose.js'
import { composeConfig } from '../../src/nerdctl/ops/compose.js'
import { Environment } from '../../src/nerdctl/builder/environment.js'
import type { EnvironmentSpec } from '../../src/nerdctl/base/types.js'
import { startWaves, validateEnvironment } from '../../src/nerdctl/pure/services.js'
import { fixture, fixtureMeta } from './fixtures.js'

const model = (name: string): ReturnType<typeof composeModel> =>
  composeModel(parse(fixture(name)) as unknown)

function failure(f: () => unknown): NerdctlError {
  try {
    f()
  } catch (e: unknown) {
    if (e instanceof NerdctlError) return e
    throw e
  }
  throw new Error('expected a failure')
}

describe('the Compose model (compose config output)', () => {
  const m = model('compose-config-stack.yaml')

  it('reads the merged model: the project name given, services of enabled profiles only', () => {
    expect(m.name).toBe('fixture-compose')
    expect(Object.keys(m.services).sort()).toEqual(['app', 'db', 'migrate', 'tools'])
    expect(m.networks.back?.name).toBe('fixture-compose_back')
    expect(m.volumes.pgdata?.name).toBe('fixture-compose_pgdata')
  })

  it('carries env from env files and overlays, healthchecks, depends_on conditions', () => {
    expect(m.services.migrate?.environment).toEqual([['PGPASSWORD', 'from-env-file']])
    expect(m.services.app?.environment).toEqual([['FROM_OVERLAY', '1']])
    expect(m.services.db?.healthCheck).toEqual({
      cmd: 'pg_isready -U postgres',
      interval: '10s',
      timeout: '5s',
      retries: 5,
      startPeriod: '1m30s'
    })
    expect(m.services.app?.dependsOn).toEqual([
      { key: 'cache', condition: 'service_started', required: false },
      { key: 'migrate', condition: 'service_completed_successfully', required: true }
    ])
    expect(m.services.tools?.pullPolicy).toBe('always')
  })

  it('a service of a profile appears when the profile is on', () => {
    expect(Object.keys(model('compose-config-stack-cache.yaml').services)).toContain('cache')
  })

  it.each([
    [
      'container_name',
      /service "a": key "container_name": a fixed container name defeats per-job projects/
    ],
    ['cap_add', /service "a": key "cap_add": not supported/]
  ])('refuses %s by name', (key, pattern) => {
    const doc = parse(fixture('compose-config-unsupported.yaml')) as {
      services: { a: Record<string, unknown> }
      secrets?: unknown
    }
    delete doc.secrets
    const others = ['container_name', 'cap_add'].filter(k => k !== key)
    for (const k of others) delete doc.services.a[k]
    delete doc.services.a.networks
    expect(failure(() => composeModel(doc)).message).toMatch(pattern)
  })

  it('refuses network aliases and secrets by name', () => {
    const doc = parse(fixture('compose-config-unsupported.yaml')) as {
      services: { a: Record<string, unknown> }
      secrets?: unknown
    }
    expect(failure(() => composeModel(doc)).message).toMatch(/top-level key "secrets"/)
    delete doc.secrets
    delete doc.services.a.container_name
    delete doc.services.a.cap_add
    expect(failure(() => composeModel(doc)).message).toMatch(
      /service "a": key "networks.default": aliases.*not supported/
    )
  })
})

describe('the environment a Compose model stands for', () => {
  const plan = composePlan(model('compose-config-stack.yaml'), { labels: [['x', 'y']] })

  it('one service per Compose service, named <project>-<service>-1, with Compose labels', () => {
    const db = plan.spec.services.db
    expect(db?.name).toBe('fixture-compose-db-1')
    // The project label comes with the environment's labels, which every container gets.
    expect(db?.container.labels).toEqual([[COMPOSE_SERVICE_LABEL, 'db']])
    expect(plan.spec.labels).toEqual([
      ['x', 'y'],
      [COMPOSE_PROJECT_LABEL, 'fixture-compose']
    ])
    expect(plan.network).toBe('fixture-compose_default')
  })

  it('conditions: healthy means ready, completed makes the dependency a one-shot; an absent optional dependency is left out', () => {
    expect(plan.spec.services.migrate?.conditions).toEqual({ db: 'ready' })
    expect(plan.spec.services.app?.conditions).toEqual({ migrate: 'completed' })
    expect(plan.spec.services.app?.dependsOn).toEqual(['migrate'])
    expect(plan.spec.services.migrate?.oneShot).toBe(true)
    expect(plan.spec.services.db?.oneShot).toBe(false)
    expect(startWaves(plan.spec.services)).toEqual([['db', 'tools'], ['migrate'], ['app']])
    expect(() => validateEnvironment(plan.spec)).not.toThrow()
  })

  it('ports as written (a fixed host port is checked first), networks and volumes scoped to the project', () => {
    expect(plan.spec.services.db?.container.ports).toEqual(['5432:5432/tcp'])
    expect(plan.spec.services.app?.container.ports).toEqual(['127.0.0.1::80/tcp', '8081/tcp'])
    expect(plan.hostPorts).toEqual([
      { key: 'db', hostIp: undefined, port: 5432, target: 5432, protocol: 'tcp' }
    ])
    expect(plan.spec.services.db?.networks).toEqual(['fixture-compose_back'])
    expect(plan.spec.services.app?.networks).toEqual([
      'fixture-compose_back',
      'fixture-compose_default'
    ])
    expect(plan.spec.networks).toEqual([
      { name: 'fixture-compose_back', labels: [['com.docker.compose.network', 'back']] }
    ])
    expect(plan.spec.volumes).toEqual([
      { name: 'fixture-compose_pgdata', labels: [['com.docker.compose.volume', 'pgdata']] }
    ])
    expect(plan.spec.services.db?.container.volumes?.[0]).toBe(
      'fixture-compose_pgdata:/var/lib/postgresql/data'
    )
    expect(plan.spec.services.db?.container.volumes?.[1]).toMatch(
      /^\/.*\/compose-files\/init:\/docker-entrypoint-initdb\.d:ro$/
    )
    expect(plan.binds).toEqual([
      { key: 'db', source: expect.stringMatching(/\/init$/) as string, readOnly: true }
    ])
    expect(plan.spec.services.app?.container.extraArgs).toEqual(['--tmpfs', '/run/app'])
  })

  it('env values are in the spec (they go to nerdctl in an env file), never in extra argv', () => {
    const migrate = plan.spec.services.migrate
    expect(migrate?.container.env).toEqual([['PGPASSWORD', 'from-env-file']])
    expect(JSON.stringify(migrate?.container.extraArgs)).not.toContain('from-env-file')
  })

  it('compose-services: only those named and what they depend on', () => {
    const m = model('compose-config-stack.yaml')
    const migrate = composePlan(m, { select: ['migrate'] })
    expect(migrate.keys).toEqual(['db', 'migrate'])
    // The app that waits on its completion is left out; it is a one-shot still.
    expect(migrate.spec.services.migrate?.oneShot).toBe(true)
    expect(failure(() => composePlan(m, { select: ['nope'] })).message).toMatch(
      /service "nope" is not in the Compose file.*services are app, db, migrate, tools/
    )
  })

  it('service_healthy on a service without a healthcheck is refused, naming both', () => {
    const doc = parse(fixture('compose-config-stack.yaml')) as {
      services: Record<string, Record<string, unknown>>
    }
    delete doc.services.db?.healthcheck
    expect(failure(() => composePlan(composeModel(doc))).message).toMatch(
      /service "migrate": key "depends_on.db.condition": service_healthy needs a healthcheck on "db"/
    )
  })

  it('a one-shot that always restarts would never complete: refused', () => {
    const doc = parse(fixture('compose-config-stack.yaml')) as {
      services: Record<string, Record<string, unknown>>
    }
    ;(doc.services.migrate as Record<string, unknown>).restart = 'always'
    expect(failure(() => composePlan(composeModel(doc))).message).toMatch(
      /service "migrate": key "restart": .*never completes with restart always/
    )
  })

  it('build: without building on and without an image is refused, naming the service', () => {
    const doc = parse(fixture('compose-config-stack.yaml')) as {
      services: Record<string, Record<string, unknown>>
    }
    const tools = doc.services.tools as Record<string, unknown>
    delete tools.image
    tools.build = { context: '/src', dockerfile: 'Dockerfile' }
    const e = failure(() => composePlan(composeModel(doc)))
    expect(e.field).toBe('build')
    expect(e.message).toMatch(/service "tools" has only build:/)
    const built = composePlan(composeModel(doc), { build: true })
    expect(built.builds).toEqual([
      {
        key: 'tools',
        image: 'fixture-compose-tools',
        build: { context: '/src', dockerfile: 'Dockerfile', args: [], target: undefined }
      }
    ])
    expect(built.spec.services.tools?.container.pull).toBe('never')
  })
})

describe('compose config through the client: compose-go validates, its words are kept', () => {
  function clientAnswering(name: string): { client: Nerdctl; calls: RunSpec[] } {
    const meta = fixtureMeta(name)
    const calls: RunSpec[] = []
    const client = new Nerdctl({
      runner: (spec): Promise<ProcessResult> => {
        calls.push(spec)
        return Promise.resolve({
          stdout: fixture(name),
          stderr: meta.stderr,
          exitCode: meta.exitCode,
          timedOut: false,
          aborted: false
        })
      }
    })
    return { client, calls }
  }

  it('files, project, profiles and env file become flags with separate values, then config', async () => {
    const { client, calls } = clientAnswering('compose-config-stack.yaml')
    const m = await composeConfig(['a.yml', '-b.yml'], {
      client,
      project: 'fixture-compose',
      profiles: ['cache'],
      envFile: '.env'
    })
    expect(m.name).toBe('fixture-compose')
    expect(calls[0]?.args.slice(-12)).toEqual([
      'compose',
      '--file',
      'a.yml',
      '--file',
      '-b.yml',
      '--project-name',
      'fixture-compose',
      '--profile',
      'cache',
      '--env-file',
      '.env',
      'config'
    ])
  })

  it.each([
    ['error-compose-unknown-dep.txt', 'service "app" depends on undefined service "nowhere"'],
    ['error-compose-cycle.txt', 'dependency cycle detected: a -> b -> a'],
    ['error-compose-bad-condition.txt', 'services.a.depends_on.b.condition value must be one of'],
    ['error-compose-yaml-error.txt', "did not find expected ',' or ']'"],
    ['error-compose-bad-port.txt', 'invalid hostPort: abc'],
    ['error-compose-missing-file.txt', 'no-such-file.yml: no such file or directory']
  ])("%s: fails before anything starts, with compose-go's message", async (name, said) => {
    const { client, calls } = clientAnswering(name)
    const e = await composeConfig(['x.yml'], { client }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(NerdctlError)
    expect((e as NerdctlError).field).toBe('composeFile')
    expect((e as Error).message).toContain(`the Compose file does not load: `)
    expect((e as Error).message).toContain(said)
    expect((e as Error).message).not.toContain('level=fatal')
    expect(calls).toHaveLength(1)
  })

  it('a project name compose-go would refuse is refused before nerdctl runs', async () => {
    const { client, calls } = clientAnswering('compose-config-stack.yaml')
    await expect(composeConfig(['a.yml'], { client, project: 'Bad Name' })).rejects.toThrow(
      /Compose project name "Bad Name" is invalid/
    )
    expect(calls).toHaveLength(0)
  })
})

describe('published host ports of running containers', () => {
  it('reads nerdctl ps Ports text (recorded), ranges expanded', () => {
    const ports = fixture('ps.jsonl')
      .split('\n')
      .filter(Boolean)
      .map(l => (JSON.parse(l) as { Ports: string }).Ports)
    expect(publishedHostPorts(ports)).toEqual([{ port: 18080, protocol: 'tcp' }])
  })
})

describe('the README', () => {
  it('shows examples/compose/compose.yml as it is (the file the act test runs)', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('### Compose environments'))
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1]
    expect(block).toBe(readFileSync(join(root, 'examples', 'compose', 'compose.yml'), 'utf8'))
  })
})

describe('Environment conditions over a fake nerdctl', () => {
  const onNetwork = fixture('inspect-on-network.json')
  const IMG = '127.0.0.1:5000/busybox:stable'

  /** Answers what an environment asks: `wait` after waitMs with `code`; records when each run started. */
  function fakeClient(
    waitMs: number,
    code: number
  ): { client: Nerdctl; events: string[]; calls: string[][] } {
    const events: string[] = []
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
        events.push(`run ${a[a.indexOf('--hostname') + 1] ?? ''}`)
        return ok(`${'a'.repeat(64)}\n`)
      }
      if (a[0] === 'wait') {
        await new Promise(r => setTimeout(r, waitMs))
        events.push('exited')
        return ok(`${code}\n`)
      }
      if (a[0] === 'logs') return ok('migration failed: boom\n')
      if (a[0] === 'container' && a[1] === 'inspect') return ok(onNetwork)
      return ok('')
    }
    return { client: new Nerdctl({ runner }), events, calls }
  }

  const spec = (condition: 'started' | 'completed'): EnvironmentSpec => ({
    network: 'condnet',
    services: {
      migrate: { container: { image: IMG }, oneShot: true },
      app: {
        container: { image: IMG },
        dependsOn: ['migrate'],
        conditions: { migrate: condition },
        readiness: { clients: false }
      }
    }
  })

  test('completed: the dependant starts only after the one-shot exited 0, which reports its exit code', async () => {
    const { client, events } = fakeClient(100, 0)
    const env = await Environment.start(spec('completed'), { client })
    expect(events).toEqual(['run migrate', 'exited', 'run app'])
    expect(env.services.get('migrate')?.exitCode).toBe(0)
  })

  test('started: the dependant starts once the container runs, before it exits', async () => {
    const { client, events } = fakeClient(100, 0)
    await Environment.start(spec('started'), { client })
    expect(events).toEqual(['run migrate', 'run app', 'exited'])
  })

  test('a one-shot that exits non-zero fails with its logs; its dependant never starts; all is removed', async () => {
    const { client, events, calls } = fakeClient(50, 3)
    const e = await Environment.start(spec('completed'), { client }).catch((x: unknown) => x)
    expect((e as Error).message).toMatch(
      /^service migrate: exited with code 3\n--- last logs ---\nmigration failed: boom/
    )
    expect(events).toEqual(['run migrate', 'exited'])
    expect(calls.some(c => c[0] === 'rm')).toBe(true)
    expect(calls.at(-1)).toEqual(['network', 'rm', 'condnet'])
  })

  test('a condition on a service that is not a dependency, or completion of one that is not a one-shot, is refused before anything runs', async () => {
    const { client, calls } = fakeClient(0, 0)
    const bad = spec('completed')
    const notOneShot: EnvironmentSpec = {
      ...bad,
      services: { ...bad.services, migrate: { container: { image: IMG } } }
    }
    await expect(Environment.start(notOneShot, { client })).rejects.toThrow(
      /waits for "migrate" to complete, but "migrate" is not a one-shot service/
    )
    const stray: EnvironmentSpec = {
      ...bad,
      services: {
        ...bad.services,
        app: { container: { image: IMG }, conditions: { migrate: 'ready' } }
      }
    }
    await expect(Environment.start(stray, { client })).rejects.toThrow(
      /has a condition on "migrate", which is not in its depends-on list/
    )
    expect(calls).toEqual([])
  })
})

describe('what compose config drops silently', () => {
  it('an unknown short volume option is gone from its output (recorded), so the file as written is checked', () => {
    const recorded = model('compose-config-volume-mode-typo.yaml')
    expect(recorded.services.db?.volumes).toEqual([
      { type: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false }
    ])
    const written = parse(fixture('compose-files/volume-mode-typo.yml')) as unknown
    expect(failure(() => checkShortVolumes(written, 'compose.yml')).message).toBe(
      'compose.yml: service "db": key "volumes": "pgdata:/var/lib/postgresql/data:r0" ends in an unknown option "r0": use ro or rw (compose config would drop it silently)'
    )
    expect(() =>
      checkShortVolumes(parse(fixture('compose-files/stack.yml')) as unknown, 'stack.yml')
    ).not.toThrow()
  })
})
