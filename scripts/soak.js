#!/usr/bin/env node
// The soak of issue 20 (not in CI): runs every case of
// __tests__/integration/real-services.itg.test.ts RUNS times (default 20) in
// one jest run, against the real stack, and prints, per case and per server,
// how many first client queries after "ready" succeeded, plus how far the
// step's end led a 10 ms PostgreSQL poller from the runner (positive: the
// step ended after PostgreSQL took TCP clients; negative: too early).
//   npm run soak                    # 20 runs of each case
//   npm run soak -- 5               # 5 runs
//   npm run soak -- 20 'services'   # only cases whose name matches (jest -t)
// Wrap it in the stack's lock on a shared machine:
//   flock /tmp/nerdctl-stack.lock npm run soak
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const runs = Number(process.argv[2] ?? '20')
const filter = process.argv[3]
if (!Number.isInteger(runs) || runs < 1) {
  console.error(
    `soak: the number of runs must be a whole number of at least 1, not ${process.argv[2]}`
  )
  process.exit(2)
}
mkdirSync(join(root, '.tmp'), { recursive: true })
const report = join(root, '.tmp', 'soak.jsonl')
rmSync(report, { force: true })

const env = { ...process.env, REAL_SERVICES_RUNS: String(runs), REAL_SERVICES_REPORT: report }
const t0 = Date.now()
const jest = spawnSync(
  'npm',
  [
    'run',
    '-s',
    'test:integration',
    '--',
    '__tests__/integration/real-services.itg.test.ts',
    ...(filter ? ['-t', filter] : [])
  ],
  { cwd: root, env, stdio: 'inherit' }
)

/** Which server a client label queries. */
const SERVER = [
  [/^psql/, 'postgres'],
  [/^mariadb/, 'mariadb'],
  [/^redis-cli/, 'redis'],
  [/^curl/, 'nginx']
]
let entries = []
try {
  entries = readFileSync(report, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(l => JSON.parse(l))
} catch {
  // No report: every case failed before its first query.
}
const byCase = new Map()
for (const e of entries) {
  const c = byCase.get(e.case) ?? { ok: 0, seen: 0, servers: new Map(), leads: [] }
  c.seen++
  if (e.ok) c.ok++
  if (typeof e.pgLeadMs === 'number') c.leads.push(e.pgLeadMs)
  const perServer = new Map()
  for (const [label, ok] of Object.entries(e.results ?? {})) {
    const server = SERVER.find(([re]) => re.test(label))?.[1] ?? label
    perServer.set(server, (perServer.get(server) ?? true) && ok)
  }
  for (const [server, ok] of perServer)
    c.servers.set(server, (c.servers.get(server) ?? 0) + (ok ? 1 : 0))
  byCase.set(e.case, c)
}
const expected = name => (name.startsWith('act-example-') ? 1 : runs)
console.log(`\nsoak: ${runs} run(s) of each case, ${Math.round((Date.now() - t0) / 1000)} s`)
for (const [name, c] of [...byCase].sort()) {
  const servers = [...c.servers].map(([s, n]) => `${s} ${n}/${expected(name)}`).join(', ')
  console.log(
    `  ${name}: ${c.ok} of ${expected(name)} passed${servers ? ` (first query: ${servers})` : ''}`
  )
  if (c.leads.length) {
    const sorted = [...c.leads].sort((a, b) => a - b)
    const pick = q => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
    console.log(
      `    step end minus a 10 ms poller's first PostgreSQL query: min ${sorted[0]} ms, median ${pick(0.5)} ms, max ${sorted.at(-1)} ms (negative: ready too early)`
    )
  }
}
const short = [...byCase].some(([name, c]) => c.ok < expected(name))
process.exit(jest.status === 0 && !short ? 0 : 1)
