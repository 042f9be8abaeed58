// Real servers as services, proven with their real clients (issue 20): the
// PostgreSQL, MariaDB, Redis and nginx images that scripts/service-images.sh
// makes from Debian's packages behave like the official ones, first-start
// restart included. Once the step (or the library) says they are ready, the
// FIRST query of each real client succeeds: from the runner through the
// published port, and from another service on the network by key. No retry.
//
// The services blocks are GitHub's documented ones (PostgreSQL, Redis) and
// the MariaDB image's own, with only the image names pointing at the local
// registry. CI runs each case once; `npm run soak` (scripts/soak.js) runs them
// REAL_SERVICES_RUNS times and reads the timings this file writes to
// REAL_SERVICES_REPORT. The examples/ workflows and an act workflow run here
// too, under act as a runner runs them.
import { spawnSync } from 'node:child_process'
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { dirname, join } from 'node:path'
import {
  Environment,
  Nerdctl,
  list,
  networkList,
  remove,
  runSpec,
  waitFor,
  waitForHealthy
} from '../../src/nerdctl/index.js'
import { OWNER_LABEL } from '../../src/action/constants.js'
import { stepNode } from '../../src/cli/step.js'
import { ROOT } from '../helpers/action-defaults.js'
import {
  MARIADB_DATABASE,
  MARIADB_PASSWORD,
  PG_PASSWORD,
  SERVICE_IMAGES,
  poller,
  query,
  type QueryResult,
  type Server
} from '../helpers/real-clients.js'
import { ActionStep } from './run-action.js'
import { TEST_LABEL, freePort, tempDir, uniqueName } from './helpers.js'

const client = new Nerdctl()
const RUNS = Math.max(1, Number(process.env.REAL_SERVICES_RUNS ?? '1'))
const REPORT = process.env.REAL_SERVICES_REPORT
const runs = Array.from({ length: RUNS }, (_, i) => i + 1)
const [labelKey, labelValue] = TEST_LABEL.split('=') as [string, string]

/** A line for the soak script: which case, which run, what the first queries did. */
function report(entry: Record<string, unknown>): void {
  if (REPORT) appendFileSync(REPORT, `${JSON.stringify(entry)}\n`)
}

const CLIENT_OF = { postgres: 'psql', mariadb: 'mariadb', redis: 'redis-cli' } as const

function summary(results: Record<string, QueryResult>): {
  ok: boolean
  results: Record<string, boolean>
} {
  return {
    ok: Object.values(results).every(r => r.ok),
    results: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.ok]))
  }
}

/** Every first query must have succeeded; the message shows each one's answer. */
function expectAllOk(results: Record<string, QueryResult>): void {
  const failed = Object.entries(results).filter(([, r]) => !r.ok)
  if (failed.length) {
    throw new Error(
      `first query failed:\n${failed.map(([k, r]) => `  ${k} (exit ${String(r.code)}): ${r.out.slice(0, 400)}`).join('\n')}`
    )
  }
}

async function allFirstQueries(
  targets: Record<string, Parameters<typeof query>>
): Promise<Record<string, QueryResult>> {
  const entries = await Promise.all(
    Object.entries(targets).map(async ([k, args]) => [k, await query(...args)] as const)
  )
  return Object.fromEntries(entries)
}

// GitHub's PostgreSQL and Redis service blocks word for word (docs.github.com,
// "Creating PostgreSQL service containers", "Creating Redis service containers",
// running jobs on the runner), a MariaDB block with the MariaDB image's own
// health check, and nginx: the other service the clients run in (the images
// share one Debian root, so every one of them carries psql, mariadb and redis-cli).
const SERVICES = `
postgres:
  image: ${SERVICE_IMAGES.postgres}
  env:
    POSTGRES_PASSWORD: ${PG_PASSWORD}
  options: >-
    --health-cmd pg_isready
    --health-interval 10s
    --health-timeout 5s
    --health-retries 5
  ports:
    - 5432:5432
redis:
  image: ${SERVICE_IMAGES.redis}
  options: >-
    --health-cmd "redis-cli ping"
    --health-interval 10s
    --health-timeout 5s
    --health-retries 5
  ports:
    - 6379:6379
mariadb:
  image: ${SERVICE_IMAGES.mariadb}
  env:
    MARIADB_ROOT_PASSWORD: ${MARIADB_PASSWORD}
    MARIADB_DATABASE: ${MARIADB_DATABASE}
  options: >-
    --health-cmd "healthcheck.sh --connect --innodb_initialized"
    --health-interval 10s
    --health-timeout 5s
    --health-retries 5
  ports:
    - 3306:3306
web:
  image: ${SERVICE_IMAGES.nginx}
  ports:
    - 127.0.0.1::80
`

const steps: ActionStep[] = []
afterAll(() => {
  for (const s of steps) s.remove()
})

async function leftovers(token: string): Promise<string[]> {
  const filters = [`label=${OWNER_LABEL}=${token}`]
  return [
    ...(await list(true, { client, filters })).map(c => `container ${c.name}`),
    ...(await networkList({ client, filters })).map(n => `network ${n.name}`)
  ]
}

describe('the services input, with GitHub documented service blocks', () => {
  test.each(runs)(
    'run %i: first query of each real client succeeds, from the runner and by key',
    async i => {
      const s = new ActionStep({ services: SERVICES })
      steps.push(s)
      // The soak measures the gap between "ready" and clients: a 10 ms poller
      // from the runner while the step runs. CI does not (it would be the
      // first client); it asserts on the first queries below.
      const pg = REPORT ? poller('postgres', 5432) : undefined
      const main = await s.main()
      const mainEnd = Date.now()
      try {
        if (main.exitCode !== 0) throw new Error(`the step failed:\n${main.stdout.slice(-4000)}`)
        const out = JSON.parse(main.outputs.services as string) as Record<
          string,
          { name: string; ports: Record<string, string> }
        >
        const web = out.web?.name as string
        const results = await allFirstQueries({
          'psql from the runner': ['postgres', { from: 'runner', host: '127.0.0.1', port: 5432 }],
          'mariadb from the runner': ['mariadb', { from: 'runner', host: '127.0.0.1', port: 3306 }],
          'redis-cli from the runner': ['redis', { from: 'runner', host: '127.0.0.1', port: 6379 }],
          'curl from the runner': [
            'nginx',
            { from: 'runner', host: '127.0.0.1', port: Number(out.web?.ports['80']) }
          ],
          'psql from web by key': [
            'postgres',
            { from: 'container', container: web, host: 'postgres', port: 5432 }
          ],
          'mariadb from web by key': [
            'mariadb',
            { from: 'container', container: web, host: 'mariadb', port: 3306 }
          ],
          'redis-cli from web by key': [
            'redis',
            { from: 'container', container: web, host: 'redis', port: 6379 }
          ]
        })
        const firstOk = await pg?.stop()
        report({
          case: 'services',
          run: i,
          ...summary(results),
          pgLeadMs: firstOk === undefined ? undefined : mainEnd - firstOk
        })
        expectAllOk(results)
      } finally {
        await pg?.stop()
        const post = await s.post()
        expect(post.exitCode).toBe(0)
        expect(await leftovers(main.state.token as string)).toEqual([])
      }
    }
  )
})

// The single-container inputs, as a workflow would start one database. Two
// cases make the first-start restart long, as users' setups do: a schema
// loaded from /docker-entrypoint-initdb.d (PostgreSQL's temporary server runs
// while it loads), and MariaDB's `mariadb-admin ping`, which the temporary
// server (socket only, loading time zones) answers.
const INIT_SQL = `CREATE TABLE greetings (text text);
INSERT INTO greetings VALUES ('hello');
SELECT pg_sleep(1.5);
`
const SINGLE: Record<
  string,
  { server: Exclude<Server, 'nginx'>; port: number; inputs: Record<string, string> }
> = {
  postgres: {
    server: 'postgres',
    port: 5432,
    inputs: {
      image: SERVICE_IMAGES.postgres,
      env: `POSTGRES_PASSWORD=${PG_PASSWORD}`,
      'health-cmd': 'pg_isready'
    }
  },
  'postgres with an init script': {
    server: 'postgres',
    port: 5432,
    inputs: {
      image: SERVICE_IMAGES.postgres,
      env: `POSTGRES_PASSWORD=${PG_PASSWORD}`,
      'health-cmd': 'pg_isready'
      // volumes: set per run (a directory of this test's own)
    }
  },
  mariadb: {
    server: 'mariadb',
    port: 3306,
    inputs: {
      image: SERVICE_IMAGES.mariadb,
      env: `MARIADB_ROOT_PASSWORD=${MARIADB_PASSWORD}\nMARIADB_DATABASE=${MARIADB_DATABASE}`,
      'health-cmd': 'healthcheck.sh --connect --innodb_initialized'
    }
  },
  'mariadb with mariadb-admin ping': {
    server: 'mariadb',
    port: 3306,
    inputs: {
      image: SERVICE_IMAGES.mariadb,
      env: `MARIADB_ROOT_PASSWORD=${MARIADB_PASSWORD}\nMARIADB_DATABASE=${MARIADB_DATABASE}`,
      'health-cmd': 'mariadb-admin ping'
    }
  },
  redis: {
    server: 'redis',
    port: 6379,
    inputs: { image: SERVICE_IMAGES.redis, 'health-cmd': 'redis-cli ping' }
  }
}

describe('the single-container inputs', () => {
  const cases = Object.keys(SINGLE).flatMap(name => runs.map(run => [name, run] as const))
  test.each(cases)('%s, run %i: the first query from the runner succeeds', async (name, i) => {
    const { server, port, inputs } = SINGLE[name] as (typeof SINGLE)[string]
    const hostPort = await freePort()
    const initDir = name.includes('init script') ? tempDir('realsvc-initdb-') : undefined
    if (initDir) {
      // Read by the server's own user inside the container.
      chmodSync(initDir.path, 0o755)
      writeFileSync(join(initDir.path, '01-schema.sql'), INIT_SQL, { mode: 0o644 })
    }
    const s = new ActionStep({
      ...inputs,
      ...(initDir ? { volumes: `${initDir.path}:/docker-entrypoint-initdb.d:ro` } : {}),
      ports: `127.0.0.1:${hostPort}:${port}`,
      'health-interval': '10s',
      'health-timeout': '5s',
      'health-retries': '5'
    })
    steps.push(s)
    const main = await s.main()
    try {
      if (main.exitCode !== 0) throw new Error(`the step failed:\n${main.stdout.slice(-4000)}`)
      const r = await query(server, { from: 'runner', host: '127.0.0.1', port: hostPort })
      const results = { [`${CLIENT_OF[server]} from the runner`]: r }
      report({ case: `single-${name.replace(/ /g, '-')}`, run: i, ...summary(results) })
      expectAllOk(results)
    } finally {
      expect((await s.post()).exitCode).toBe(0)
      initDir?.remove()
    }
  })
})

describe('the library', () => {
  test.each(runs)(
    'run %i: Environment.start, then each real client by published port and by key',
    async i => {
      const [pgPort, mariaPort, redisPort] = [await freePort(), await freePort(), await freePort()]
      const labels: [string, string][] = [[labelKey, labelValue]]
      const health = (cmd: string) => ({ cmd, interval: '10s', timeout: '5s', retries: 5 })
      const env = await Environment.start(
        {
          network: uniqueName('realsvc'),
          labels,
          services: {
            postgres: {
              container: {
                image: SERVICE_IMAGES.postgres,
                env: [['POSTGRES_PASSWORD', PG_PASSWORD]],
                ports: [`127.0.0.1:${pgPort}:5432`],
                healthCheck: health('pg_isready')
              }
            },
            mariadb: {
              container: {
                image: SERVICE_IMAGES.mariadb,
                env: [
                  ['MARIADB_ROOT_PASSWORD', MARIADB_PASSWORD],
                  ['MARIADB_DATABASE', MARIADB_DATABASE]
                ],
                ports: [`127.0.0.1:${mariaPort}:3306`],
                healthCheck: health('healthcheck.sh --connect --innodb_initialized')
              }
            },
            redis: {
              container: {
                image: SERVICE_IMAGES.redis,
                ports: [`127.0.0.1:${redisPort}:6379`],
                healthCheck: health('redis-cli ping')
              }
            },
            web: { container: { image: SERVICE_IMAGES.nginx } }
          }
        },
        { client }
      )
      try {
        const web = env.services.get('web')?.name as string
        const results = await allFirstQueries({
          'psql from the runner': ['postgres', { from: 'runner', host: '127.0.0.1', port: pgPort }],
          'mariadb from the runner': [
            'mariadb',
            { from: 'runner', host: '127.0.0.1', port: mariaPort }
          ],
          'redis-cli from the runner': [
            'redis',
            { from: 'runner', host: '127.0.0.1', port: redisPort }
          ],
          'psql from web by key': [
            'postgres',
            { from: 'container', container: web, host: 'postgres', port: 5432 }
          ],
          'mariadb from web by key': [
            'mariadb',
            { from: 'container', container: web, host: 'mariadb', port: 3306 }
          ],
          'redis-cli from web by key': [
            'redis',
            { from: 'container', container: web, host: 'redis', port: 6379 }
          ]
        })
        report({ case: 'library-environment', run: i, ...summary(results) })
        expectAllOk(results)
      } finally {
        await env.stop()
      }
    }
  )

  test.each(runs)(
    'run %i: run + waitFor and run + waitForHealthy, then psql from the runner',
    async i => {
      const results: Record<string, QueryResult> = {}
      for (const how of ['waitFor', 'waitForHealthy'] as const) {
        const name = uniqueName(`realsvc-${how.toLowerCase()}`)
        const port = await freePort()
        await startPostgres(name, port)
        try {
          if (how === 'waitFor') await waitFor(name, {}, { client })
          else await waitForHealthy(name, { client, waitTimeoutMs: 120_000 })
          results[`psql after ${how}`] = await query('postgres', {
            from: 'runner',
            host: '127.0.0.1',
            port
          })
        } finally {
          await remove(name, { client, force: true }).catch(() => undefined)
        }
      }
      report({ case: 'library-wait', run: i, ...summary(results) })
      expectAllOk(results)
    }
  )
})

/** PostgreSQL as the docs' service block starts it, through the library's runSpec(). */
async function startPostgres(name: string, port: number): Promise<void> {
  await runSpec(
    {
      image: SERVICE_IMAGES.postgres,
      name,
      ports: [`127.0.0.1:${port}:5432`],
      env: [['POSTGRES_PASSWORD', PG_PASSWORD]],
      labels: [[labelKey, labelValue]],
      healthCheck: { cmd: 'pg_isready', interval: '10s', timeout: '5s', retries: 5 }
    },
    { client }
  )
}

// act runs a workflow as a GitHub runner does. The examples are written as a
// user copies them (the published action, Docker Hub names); here they run
// against this checkout and the local images, so only those names are swapped.
function act(workflow: string): { status: number | null; out: string } {
  const r = spawnSync('act', ['-W', workflow, '-P', 'self-hosted=-self-hosted', '--detect-event'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, PATH: `${dirname(stepNode())}:${process.env.PATH ?? ''}` }
  })
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` }
}

const LOCAL_NAMES: [RegExp, string][] = [
  [/uses: your-org\/nerdctl-action@v1/g, 'uses: ./'],
  [/image: postgres:15\b/g, `image: ${SERVICE_IMAGES.postgres}`],
  [/image: mariadb:10\.11\b/g, `image: ${SERVICE_IMAGES.mariadb}`],
  [/image: redis:7\b/g, `image: ${SERVICE_IMAGES.redis}`],
  [/image: nginx:1\.22\b/g, `image: ${SERVICE_IMAGES.nginx}`]
]

const examples = readdirSync(join(ROOT, 'examples', 'workflows')).filter(f => /\.ya?ml$/.test(f))

test('there is an example workflow per database', () => {
  expect(examples.sort()).toEqual(['mariadb.yml', 'postgres.yml', 'redis.yml'])
})

describe('under act', () => {
  const dir = join(ROOT, '.tmp', 'act-examples')
  beforeAll(() => mkdirSync(dir, { recursive: true }))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  async function actPasses(workflow: string): Promise<string> {
    const before = await list(true, { client, filters: [`label=${OWNER_LABEL}`] })
    const { status, out } = act(workflow)
    if (status !== 0 || !out.includes('Job succeeded'))
      throw new Error(`act ${workflow} failed (exit ${status}):\n${out.slice(-6000)}`)
    expect(out).toContain('Success - Post')
    expect(
      (await list(true, { client, filters: [`label=${OWNER_LABEL}`] })).map(c => c.name)
    ).toEqual(before.map(c => c.name))
    return out
  }

  test.each(examples)('examples/workflows/%s passes as a user would run it', async file => {
    let text = readFileSync(join(ROOT, 'examples', 'workflows', file), 'utf8')
    for (const [from, to] of LOCAL_NAMES) text = text.replace(from, to)
    expect(text).not.toMatch(/your-org|image: (postgres|mariadb|redis|nginx):/)
    const path = join(dir, file)
    writeFileSync(path, text)
    const out = await actPasses(path)
    expect(out).toContain('first query answered')
    report({ case: `act-example-${file.replace(/\.ya?ml$/, '')}`, run: 1, ok: true })
  })

  test.each(runs)(
    'run %i: GitHub documented service blocks, then every real client, first try',
    async i => {
      const out = await actPasses(join('__tests__', 'workflows', 'real-services.yml'))
      expect(out).toContain('all first queries answered')
      report({ case: 'act-services', run: i, ok: true })
    }
  )
})
