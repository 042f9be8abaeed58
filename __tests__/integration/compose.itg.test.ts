// Compose environments on the real stack (issue 21): a Compose file with the
// real PostgreSQL server (first-start restart included) and a healthcheck, a
// one-shot migration that reaches it by service name once it is healthy, and
// an app that starts only after the migration completed. When up returns,
// the migration's table is in the database (read with the real psql, once,
// never retried) and the app answers on its published port. A failing
// one-shot fails fast with its logs, and its dependants never start.
import { execFile, spawnSync } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import {
  COMPOSE_PROJECT_LABEL,
  Compose,
  Nerdctl,
  NerdctlError,
  list,
  networkList,
  volumeList,
  type Environment
} from '../../src/nerdctl/index.js'
import { PG_PASSWORD, SERVICE_IMAGES } from '../helpers/real-clients.js'
import { BASE_IMAGE, TEST_LABEL, httpGet, tempDir } from './helpers.js'
import { ActionStep } from './run-action.js'
import { JOB_LABEL } from '../../src/action/constants.js'
import { stepNode } from '../../src/cli/step.js'
import { ROOT } from '../helpers/action-defaults.js'
import { randomBytes } from 'node:crypto'

const client = new Nerdctl()
const [labelKey, labelValue] = TEST_LABEL.split('=') as [string, string]

/** A Compose project name of this file's own (lower case, as Compose wants). */
function projectName(what: string): string {
  return `itg-compose-${what}-${randomBytes(3).toString('hex')}`
}

/** The Compose file of the issue: PostgreSQL, a migration, an app. */
function stackFile(options: { failMigration?: boolean } = {}): string {
  const sql = options.failMigration
    ? 'SELECT no_such_function()'
    : "CREATE TABLE items (name text); INSERT INTO items VALUES ('migrated')"
  return `services:
  db:
    image: ${SERVICE_IMAGES.postgres}
    environment:
      POSTGRES_PASSWORD: ${PG_PASSWORD}
    ports:
      - "5432"
    volumes:
      - pgdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 10s
      timeout: 5s
      retries: 5
  migrate:
    image: ${SERVICE_IMAGES.postgres}
    environment:
      PGPASSWORD: ${PG_PASSWORD}
    command: ["psql", "-h", "db", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-c", "${sql}"]
    depends_on:
      db:
        condition: service_healthy
  app:
    image: ${SERVICE_IMAGES.nginx}
    ports:
      - "80"
    depends_on:
      migrate:
        condition: service_completed_successfully
volumes:
  pgdata:
`
}

/** One query with the real psql from the runner: never retried. */
function psql(port: string, sql: string): Promise<{ ok: boolean; out: string }> {
  return new Promise(resolve => {
    execFile(
      'psql',
      ['-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-d', 'postgres', '-w', '-tAc', sql],
      {
        env: { ...process.env, PGPASSWORD: PG_PASSWORD, PGCONNECT_TIMEOUT: '5' },
        timeout: 15_000,
        encoding: 'utf8'
      },
      (err, stdout, stderr) => resolve({ ok: !err, out: `${stdout}${stderr}`.trim() })
    )
  })
}

/** What a project left: containers, networks, volumes with its Compose label. */
async function leftovers(project: string): Promise<string[]> {
  const filters = [`label=${COMPOSE_PROJECT_LABEL}=${project}`]
  const [c, n, v] = await Promise.all([
    list(true, { client, filters }),
    networkList({ client, filters }),
    volumeList({ client, filters })
  ])
  return [
    ...c.map(x => `container ${x.name}`),
    ...n.map(x => `network ${x.name}`),
    ...v.map(x => `volume ${x.name}`)
  ]
}

describe('Compose.up: depends_on conditions, ready for clients, removed', () => {
  const dir = tempDir('nerdctl-compose-')
  afterAll(() => dir.remove())

  it('PostgreSQL healthy, then the migration, then the app: the table is there and the app answers', async () => {
    const file = join(dir.path, 'compose.yml')
    writeFileSync(file, stackFile())
    const project = projectName('up')
    const order: string[] = []
    let env: Environment | undefined
    try {
      env = await Compose.up([file], {
        client,
        project,
        labels: [[labelKey, labelValue]],
        onStarted: key => order.push(`started ${key}`),
        onReady: s => order.push(`ready ${s.key}`)
      })
      // Nothing started before what it depends on was as its condition asks.
      expect(order.indexOf('started migrate')).toBeGreaterThan(order.indexOf('ready db'))
      expect(order.indexOf('started app')).toBeGreaterThan(order.indexOf('ready migrate'))
      expect(env.services.get('migrate')?.exitCode).toBe(0)
      const db = env.services.get('db')
      const app = env.services.get('app')
      expect(db?.health).toBe('healthy')
      expect(db?.name).toBe(`${project}-db-1`)
      expect(db?.network).toBe(`${project}_default`)
      const first = await psql(db?.ports['5432'] ?? '', 'SELECT name FROM items')
      expect(first).toEqual({ ok: true, out: 'migrated' })
      const res = await httpGet(`http://127.0.0.1:${app?.ports['80'] ?? ''}/`, 2000)
      expect(res.status).toBe(200)
      expect((await leftovers(project)).sort()).toEqual(
        [
          `container ${project}-app-1`,
          `container ${project}-db-1`,
          `container ${project}-migrate-1`,
          `network ${project}_default`,
          `volume ${project}_pgdata`
        ].sort()
      )
    } finally {
      await env?.stop()
    }
    expect(await leftovers(project)).toEqual([])
  }, 120_000)

  it('a failing one-shot fails fast with its logs, and what depends on it never starts', async () => {
    const file = join(dir.path, 'failing.yml')
    writeFileSync(file, stackFile({ failMigration: true }))
    const project = projectName('fail')
    const started: string[] = []
    const t0 = Date.now()
    const e = await Compose.up([file], {
      client,
      project,
      labels: [[labelKey, labelValue]],
      onStarted: key => started.push(key)
    }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(NerdctlError)
    const message = (e as Error).message
    expect(message).toMatch(/^service migrate: exited with code \d+/)
    expect(message).toContain('no_such_function')
    expect(started).not.toContain('app')
    expect(Date.now() - t0).toBeLessThan(60_000)
    // Without keepOnFailure the library removed what it started.
    expect(await leftovers(project)).toEqual([])
  }, 120_000)
})

/** What of a project carries the job marker (which reap judges). */
async function markedOf(project: string): Promise<string[]> {
  const filters = [`label=${COMPOSE_PROJECT_LABEL}=${project}`, `label=${JOB_LABEL}`]
  const [c, n, v] = await Promise.all([
    list(true, { client, filters }),
    networkList({ client, filters }),
    volumeList({ client, filters })
  ])
  return [
    ...c.map(x => `container ${x.name}`),
    ...n.map(x => `network ${x.name}`),
    ...v.map(x => `volume ${x.name}`)
  ]
}

describe('Compose.up with building on', () => {
  const dir = tempDir('nerdctl-compose-build-')
  afterAll(() => dir.remove())

  it('a service with build: and no image is built through BuildKit, then run and waited for', async () => {
    mkdirSync(join(dir.path, 'web'))
    writeFileSync(
      join(dir.path, 'web', 'Dockerfile'),
      `FROM ${BASE_IMAGE}\nARG GREETING\nRUN mkdir -p /www && echo "$GREETING" > /www/index.html\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n`
    )
    const file = join(dir.path, 'compose.yml')
    writeFileSync(
      file,
      'services:\n  web:\n    build:\n      context: ./web\n      args:\n        GREETING: built-by-compose\n    ports: ["8080"]\n'
    )
    const project = projectName('build')
    let env: Environment | undefined
    try {
      env = await Compose.up([file], {
        client,
        project,
        build: true,
        labels: [[labelKey, labelValue]]
      })
      const port = env.services.get('web')?.ports['8080'] ?? ''
      expect((await httpGet(`http://127.0.0.1:${port}/`, 2000)).body).toContain('built-by-compose')
    } finally {
      await env?.stop()
      await client.exec(['rmi', '-f', `${project}-web`], { allowFailure: true })
    }
    expect(await leftovers(project)).toEqual([])
  }, 120_000)
})

describe("Compose.up: env file interpolation and profiles are compose-go's", () => {
  const dir = tempDir('nerdctl-compose-env-')
  afterAll(() => dir.remove())

  it('${VAR} from the env file; a service of a profile that is off is not started', async () => {
    const envFile = join(dir.path, 'ci.env')
    writeFileSync(envFile, `WEB_IMAGE=${SERVICE_IMAGES.nginx}\n`)
    const file = join(dir.path, 'compose.yml')
    writeFileSync(
      file,
      'services:\n  web:\n    image: ${WEB_IMAGE}\n    ports: ["80"]\n  extra:\n    image: ${WEB_IMAGE}\n    profiles: [extra]\n'
    )
    const project = projectName('env')
    let env: Environment | undefined
    try {
      env = await Compose.up([file], { client, project, envFile, labels: [[labelKey, labelValue]] })
      expect([...env.services.keys()]).toEqual(['web'])
      const port = env.services.get('web')?.ports['80'] ?? ''
      expect((await httpGet(`http://127.0.0.1:${port}/`, 2000)).status).toBe(200)
    } finally {
      await env?.stop()
    }
    expect(await leftovers(project)).toEqual([])
  }, 60_000)
})

describe('the compose-file input, through the bundled action', () => {
  const dir = tempDir('nerdctl-compose-action-')
  const steps: ActionStep[] = []
  const step = (inputs: Record<string, string>): ActionStep => {
    const s = new ActionStep(inputs)
    steps.push(s)
    return s
  }
  afterAll(() => {
    for (const s of steps) s.remove()
    dir.remove()
  })

  it('two jobs bring the same file up at once: both ready, outputs and summary; post leaves nothing', async () => {
    const file = join(dir.path, 'compose.yml')
    writeFileSync(file, stackFile())
    const [a, b] = [step({ 'compose-file': file }), step({ 'compose-file': file })]
    const [ma, mb] = await Promise.all([a.main(), b.main()])
    const projects: string[] = []
    for (const m of [ma, mb]) {
      expect(m.stdout).not.toMatch(/::error::/)
      expect(m.exitCode).toBe(0)
      const project = m.outputs['compose-project'] as string
      projects.push(project)
      expect(project).toMatch(/^nerdctl-action-4242-[0-9a-f]{8}$/)
      expect(m.outputs['compose-network']).toBe(`${project}_default`)
      const out = JSON.parse(m.outputs.compose as string) as Record<
        string,
        { name: string; ports: Record<string, string>; health: string; 'exit-code'?: number }
      >
      expect(Object.keys(out).sort()).toEqual(['app', 'db', 'migrate'])
      expect(out.migrate?.['exit-code']).toBe(0)
      expect(out.db?.health).toBe('healthy')
      expect(await psql(out.db?.ports['5432'] ?? '', 'SELECT name FROM items')).toEqual({
        ok: true,
        out: 'migrated'
      })
      expect((await httpGet(`http://127.0.0.1:${out.app?.ports['80'] ?? ''}/`, 2000)).status).toBe(
        200
      )
      expect(m.summary).toContain('db (compose)')
      expect(m.summary).toContain('migrate (compose)')
      expect((await leftovers(project)).length).toBe(5)
    }
    expect(projects[0]).not.toBe(projects[1])
    const [pa, pb] = await Promise.all([a.post(), b.post()])
    expect(pa.exitCode).toBe(0)
    expect(pb.exitCode).toBe(0)
    for (const p of projects) expect(await leftovers(p)).toEqual([])
  }, 150_000)

  it('a failing one-shot fails the step fast with its logs; its dependants never start; post removes all', async () => {
    const file = join(dir.path, 'failing.yml')
    writeFileSync(file, stackFile({ failMigration: true }))
    const s = step({ 'compose-file': file })
    const main = await s.main()
    expect(main.exitCode).not.toBe(0)
    expect(main.stdout).toMatch(/::error::service migrate: exited with code \d+/)
    expect(main.stdout).toContain('no_such_function')
    expect(main.summary).toContain('no_such_function')
    const project = main.outputs['compose-project'] as string
    const left = await leftovers(project)
    expect(left).not.toContain(`container ${project}-app-1`)
    expect(left).toContain(`container ${project}-migrate-1`)
    expect((await s.post()).exitCode).toBe(0)
    expect(await leftovers(project)).toEqual([])
  }, 120_000)

  it('a job cancelled while PostgreSQL starts: everything carries the job marker, and post still removes it all', async () => {
    const file = join(dir.path, 'cancelled.yml')
    writeFileSync(file, stackFile())
    const cancel = new AbortController()
    let marked: string[] = []
    const s = new ActionStep(
      { 'compose-file': file },
      {},
      {
        onOutput: chunk => {
          if (!chunk.includes('db: started')) return
          // What a killed job leaves must carry its marker, for a later job's reap.
          const project = /nerdctl-action-4242-[0-9a-f]{8}/.exec(chunk)?.[0] ?? ''
          void markedOf(project).then(m => {
            marked = m
            cancel.abort()
          })
        }
      }
    )
    steps.push(s)
    const main = await s.main(cancel.signal)
    expect(cancel.signal.aborted).toBe(true)
    expect(main.exitCode).not.toBe(0)
    const project = main.outputs['compose-project'] as string
    expect(marked.sort()).toEqual(
      [`container ${project}-db-1`, `network ${project}_default`, `volume ${project}_pgdata`].sort()
    )
    expect((await s.post()).exitCode).toBe(0)
    expect(await leftovers(project)).toEqual([])
  }, 120_000)

  it('cleanup false keeps the project, without the job marker', async () => {
    const file = join(dir.path, 'kept.yml')
    writeFileSync(
      file,
      `services:\n  web:\n    image: ${SERVICE_IMAGES.nginx}\n    volumes: [site:/srv]\nvolumes:\n  site: {}\n`
    )
    const project = projectName('kept')
    try {
      const s = step({ 'compose-file': file, 'compose-project': project, cleanup: 'false' })
      const main = await s.main()
      expect(main.exitCode).toBe(0)
      expect(main.outputs['compose-project']).toBe(project)
      const post = await s.post()
      expect(post.stdout).toContain('cleanup is false')
      expect((await leftovers(project)).sort()).toEqual(
        [
          `container ${project}-web-1`,
          `network ${project}_default`,
          `volume ${project}_site`
        ].sort()
      )
      expect(await markedOf(project)).toEqual([])
    } finally {
      await client.exec(['rm', '-f', `${project}-web-1`], { allowFailure: true })
      await client.exec(['network', 'rm', `${project}_default`], { allowFailure: true })
      await client.exec(['volume', 'rm', `${project}_site`], { allowFailure: true })
    }
  }, 60_000)

  it('compose-services, services and compose-join in one step: the container reaches the database by name', async () => {
    const file = join(dir.path, 'joined.yml')
    writeFileSync(file, stackFile())
    const s = step({
      'compose-file': file,
      // The migration and what it needs; not the app.
      'compose-services': 'migrate',
      'compose-join': 'true',
      services: `cache:\n  image: ${SERVICE_IMAGES.redis}\n  ports: ["6379"]\n`,
      image: SERVICE_IMAGES.postgres,
      env: `PGPASSWORD=${PG_PASSWORD}`,
      command: 'psql -h db -U postgres -tAc "SELECT name FROM items"',
      detach: 'false'
    })
    const main = await s.main()
    const post = s.post()
    try {
      expect(main.stdout).not.toMatch(/::error::/)
      expect(main.exitCode).toBe(0)
    } finally {
      await post
    }
    expect(main.outputs['exit-code']).toBe('0')
    expect(main.stdout).toContain('migrated')
    expect(Object.keys(JSON.parse(main.outputs.compose as string) as object).sort()).toEqual([
      'db',
      'migrate'
    ])
    expect(Object.keys(JSON.parse(main.outputs.services as string) as object)).toEqual(['cache'])
    const project = main.outputs['compose-project'] as string
    expect((await post).exitCode).toBe(0)
    expect(await leftovers(project)).toEqual([])
    expect(main.stdout).not.toContain(`${project}-app-1`)
  }, 120_000)

  it('a fixed host port that is taken fails the step before anything starts, naming the service and port', async () => {
    const server = createServer()
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    try {
      const file = join(dir.path, 'taken.yml')
      writeFileSync(
        file,
        `services:\n  web:\n    image: ${SERVICE_IMAGES.nginx}\n    ports:\n      - "${port}:80"\n`
      )
      const s = step({ 'compose-file': file })
      const main = await s.main()
      expect(main.exitCode).not.toBe(0)
      expect(main.stdout).toContain(
        `::error::Input "compose-file": service "web": key "ports": host port ${port}/tcp is taken`
      )
      expect(main.stdout).toContain(
        `publish the port without a host port (e.g. "80" instead of "${port}:80")`
      )
      expect(await leftovers(main.outputs['compose-project'] as string)).toEqual([])
      expect((await s.post()).exitCode).toBe(0)
    } finally {
      server.close()
    }
  }, 60_000)
})

// The README's Compose example (examples/compose, the same text) under act, as
// a user runs it: only the action and the image names point at this checkout
// and the local registry.
describe('examples/compose under act', () => {
  const dir = join(ROOT, '.tmp', 'act-compose')
  beforeAll(() => mkdirSync(dir, { recursive: true }))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('the workflow passes, the first query answers, and nothing is left', async () => {
    const local = (text: string): string =>
      text
        .replace(/uses: your-org\/nerdctl-action@v1/g, 'uses: ./')
        .replace(/image: postgres:15\b/g, `image: ${SERVICE_IMAGES.postgres}`)
        .replace(/image: nginx:1\.22\b/g, `image: ${SERVICE_IMAGES.nginx}`)
        // The copy with local image names lives outside the checkout act copies: allowed as an author would.
        .replace(
          'compose-file: examples/compose/compose.yml',
          `compose-file: ${join(dir, 'compose.yml')}\n          host-paths: ${dir}`
        )
    writeFileSync(
      join(dir, 'compose.yml'),
      local(readFileSync(join(ROOT, 'examples', 'compose', 'compose.yml'), 'utf8'))
    )
    const workflow = join(dir, 'workflow.yml')
    writeFileSync(
      workflow,
      local(readFileSync(join(ROOT, 'examples', 'compose', 'workflow.yml'), 'utf8'))
    )
    const before = await list(true, { client, filters: [`label=${COMPOSE_PROJECT_LABEL}`] })
    const r = spawnSync(
      'act',
      ['-W', workflow, '-P', 'self-hosted=-self-hosted', '--detect-event'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 300_000,
        env: { ...process.env, PATH: `${dirname(stepNode())}:${process.env.PATH ?? ''}` }
      }
    )
    const out = `${r.stdout}\n${r.stderr}`
    if (r.status !== 0 || !out.includes('Job succeeded'))
      throw new Error(`act failed (exit ${r.status}):\n${out.slice(-6000)}`)
    expect(out).toContain('first query answered')
    expect(out).toContain('web answered')
    expect(out).toContain('Success - Post')
    expect(
      (await list(true, { client, filters: [`label=${COMPOSE_PROJECT_LABEL}`] })).map(c => c.name)
    ).toEqual(before.map(c => c.name))
  }, 300_000)
})
