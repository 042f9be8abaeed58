// Real clients of the real test servers (scripts/service-images.sh): psql,
// mariadb and redis-cli on the runner (Debian's packages, which the script
// installs), or the same clients inside another container on the service
// network, reaching the server by its key. Each call is ONE connection, never
// retried: the tests assert that the first query after "ready" succeeds.
import { execFile } from 'node:child_process'

export const SERVICE_REGISTRY = process.env.NERDCTL_TEST_REGISTRY ?? '127.0.0.1:5000'
/** What scripts/service-images.sh publishes (the versions Debian bookworm ships). */
export const SERVICE_IMAGES = {
  postgres: `${SERVICE_REGISTRY}/services/postgres:15`,
  mariadb: `${SERVICE_REGISTRY}/services/mariadb:10.11`,
  redis: `${SERVICE_REGISTRY}/services/redis:7`,
  nginx: `${SERVICE_REGISTRY}/services/nginx:1.22`
} as const

export type Server = 'postgres' | 'mariadb' | 'redis' | 'nginx'

/** Credentials the tests give the servers (test values, not secrets). */
export const PG_PASSWORD = 'postgres'
export const MARIADB_PASSWORD = 'mariadb'
export const MARIADB_DATABASE = 'test'

export interface QueryResult {
  ok: boolean
  code: number | string | null
  out: string
  /** When the query ended (Date.now()). */
  at: number
}

/** Where the client runs and what it connects to. */
export type Target =
  | { from: 'runner'; host: string; port: number }
  | { from: 'container'; container: string; host: string; port: number }

/** The client's argv and the output that proves the server answered a real query. */
function clientCommand(
  server: Server,
  host: string,
  port: number
): { argv: string[]; env: Record<string, string>; expect: string } {
  switch (server) {
    case 'postgres':
      return {
        argv: [
          'psql',
          '-h',
          host,
          '-p',
          String(port),
          '-U',
          'postgres',
          '-d',
          'postgres',
          '-w'
        ].concat(['-tAc', "SELECT current_user || '@' || current_database()"]),
        env: { PGPASSWORD: PG_PASSWORD, PGCONNECT_TIMEOUT: '5' },
        expect: 'postgres@postgres'
      }
    case 'mariadb':
      return {
        argv: ['mariadb', '-h', host, '-P', String(port), '--protocol=tcp', '-uroot'].concat([
          '--connect-timeout=5',
          '-D',
          MARIADB_DATABASE,
          '-sNe',
          'SELECT DATABASE()'
        ]),
        env: { MYSQL_PWD: MARIADB_PASSWORD },
        expect: MARIADB_DATABASE
      }
    case 'redis':
      return {
        argv: ['redis-cli', '-h', host, '-p', String(port), 'ping'],
        env: {},
        expect: 'PONG'
      }
    case 'nginx':
      return {
        argv: ['curl', '-sS', '--max-time', '5', `http://${host}:${port}/`],
        env: {},
        expect: 'Welcome to nginx!'
      }
  }
}

/** One query, one connection. `ok` only when the server's answer is there. */
export function query(server: Server, target: Target): Promise<QueryResult> {
  const { argv, env, expect } = clientCommand(server, target.host, target.port)
  let file: string
  let args: string[]
  let childEnv: NodeJS.ProcessEnv = { ...process.env, ...env }
  if (target.from === 'runner') {
    ;[file, args] = [argv[0] as string, argv.slice(1)]
  } else {
    // The credentials go into the exec'd process's environment.
    file = 'nerdctl'
    args = ['exec', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`])]
    args.push(target.container, ...argv)
    childEnv = process.env
  }
  return new Promise(resolve => {
    execFile(
      file,
      args,
      { env: childEnv, timeout: 15_000, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const out = `${stdout}${stderr}`.trim()
        const code = err
          ? ((err as NodeJS.ErrnoException & { code?: number | string }).code ?? 1)
          : 0
        resolve({ ok: !err && stdout.includes(expect), code, out, at: Date.now() })
      }
    )
  })
}

/**
 * A 10 ms poller from the runner: queries until one succeeds or `stop()`;
 * `first` is when the first successful query ended (undefined if none did).
 */
export function poller(
  server: Server,
  port: number,
  intervalMs = 10
): { stop: () => Promise<number | undefined> } {
  let stopped = false
  let first: number | undefined
  const loop = (async () => {
    while (!stopped && first === undefined) {
      const t = Date.now()
      const r = await query(server, { from: 'runner', host: '127.0.0.1', port })
      if (r.ok) first = r.at
      const wait = intervalMs - (Date.now() - t)
      if (wait > 0) await new Promise(res => setTimeout(res, wait))
    }
  })()
  return {
    stop: async () => {
      // Keep polling until it succeeds (bounded), so a server that is not
      // ready when the step ends is measured, not cut off.
      const deadline = Date.now() + 30_000
      while (first === undefined && Date.now() < deadline)
        await new Promise(res => setTimeout(res, 10))
      stopped = true
      await loop
      return first
    }
  }
}
