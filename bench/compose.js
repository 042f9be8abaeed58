// Compose environments (issue 21): the same Compose file (the real PostgreSQL
// with a healthcheck, a one-shot migration on service_healthy, nginx on
// service_completed_successfully) brought up and removed
//   A: by the action, as the runner runs it (main with compose-file, then post);
//   B: by a shell script doing `nerdctl compose up -d SERVICE` wave by wave,
//      polling the same conditions every 100 ms (PostgreSQL accepts a client on
//      its published port, pg_isready over TCP; the migration exited 0; nginx
//      answers on its port), then `nerdctl compose down -v`.
// Alternating A B A B, 5 each; target: the action no slower than the script.
import { performance } from 'node:perf_hooks'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const ACTION = join(ROOT, 'dist', 'index.js')
const NODE = process.env.BENCH_NODE || process.execPath
const REGISTRY = process.env.NERDCTL_TEST_REGISTRY ?? '127.0.0.1:5000'

const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const composeFile = () => `services:
  db:
    image: ${REGISTRY}/services/postgres:15
    environment:
      POSTGRES_PASSWORD: postgres
    ports:
      - "5432"
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
      interval: 10s
      timeout: 5s
      retries: 5
  migrate:
    image: ${REGISTRY}/services/postgres:15
    environment:
      PGPASSWORD: postgres
    command: psql -h db -U postgres -v ON_ERROR_STOP=1 -c "CREATE TABLE greetings (text text)"
    depends_on:
      db:
        condition: service_healthy
  web:
    image: ${REGISTRY}/services/nginx:1.22
    ports:
      - "80"
    depends_on:
      migrate:
        condition: service_completed_successfully
`

// The script a user would write around nerdctl compose: up per wave, poll
// each condition every 100 ms, down at the end.
const SCRIPT = `set -eu
f=$1; p=$2
c() { nerdctl compose -f "$f" -p "$p" "$@"; }
id() { nerdctl ps -a -q --no-trunc --filter "label=com.docker.compose.project=$p" --filter "label=com.docker.compose.service=$1" | head -n1; }
c up -d db >/dev/null 2>&1
db=$(id db)
port=$(nerdctl port "$db" 5432/tcp | head -n1 | sed 's/.*://')
until pg_isready -q -h 127.0.0.1 -p "$port"; do sleep 0.1; done
c up -d migrate >/dev/null 2>&1
m=$(id migrate)
until [ "$(nerdctl inspect -f '{{.State.Status}}' "$m")" = exited ]; do sleep 0.1; done
[ "$(nerdctl inspect -f '{{.State.ExitCode}}' "$m")" = 0 ]
c up -d web >/dev/null 2>&1
w=$(id web)
wport=$(nerdctl port "$w" 80/tcp | head -n1 | sed 's/.*://')
until curl -fsS -o /dev/null "http://127.0.0.1:$wport/"; do sleep 0.1; done
c down -v >/dev/null 2>&1
`

function timed(file, args, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', c => (out += c))
    child.stderr.on('data', c => (out += c))
    child.on('error', reject)
    child.on('close', code => resolve({ code, out, ms: performance.now() - t0 }))
  })
}

/** KEY=VALUE and heredoc lines of a runner file command. */
function fileCommands(path) {
  const out = {}
  let text
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return out
  }
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (m) {
      const body = []
      for (i++; i < lines.length && lines[i] !== m[2]; i++) body.push(lines[i])
      out[m[1]] = body.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return out
}

async function action(file) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-compose-step-'))
  try {
    const files = {
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      RUNNER_TEMP: dir
    }
    // The runner makes these files before the step starts; @actions/core (and
    // workflow.ts) treat a named file that is missing as an error.
    for (const f of [files.GITHUB_OUTPUT, files.GITHUB_STATE, files.GITHUB_STEP_SUMMARY])
      writeFileSync(f, '')
    const env = {
      ...process.env,
      ...files,
      'INPUT_HOST-PATHS': tmpdir(),
      'INPUT_COMPOSE-FILE': file
    }
    const main = await timed(NODE, [ACTION], env)
    const outputs = fileCommands(files.GITHUB_OUTPUT)
    const postEnv = { ...process.env, ...files }
    for (const [k, v] of Object.entries(fileCommands(files.GITHUB_STATE))) postEnv[`STATE_${k}`] = v
    const post = await timed(NODE, [ACTION], postEnv)
    if (main.code !== 0 || post.code !== 0 || !outputs.compose)
      throw new Error(`action step failed (main ${main.code}, post ${post.code}):\n${main.out}`)
    return main.ms + post.ms
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function script(file, n) {
  const r = await timed(
    'bash',
    ['-c', SCRIPT, 'bench', file, `bench-compose-${process.pid}-${n}`],
    process.env
  )
  if (r.code !== 0) throw new Error(`the compose script failed (${r.code}):\n${r.out}`)
  return r.ms
}

export async function compose() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-compose-'))
  const file = join(dir, 'compose.yml')
  writeFileSync(file, composeFile())
  const a = []
  const b = []
  try {
    const runs = Number(process.env.BENCH_COMPOSE_RUNS ?? '5')
    for (let i = 0; i < runs; i++) {
      a.push(await action(file))
      b.push(await script(file, i))
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const [ma, mb] = [median(a), median(b)]
  return {
    figure: `PostgreSQL (healthy) + migration (exit 0) + nginx, up and removed: action (main + post) ${ma.toFixed(0)} ms, nerdctl compose up per wave with 100 ms polling + down ${mb.toFixed(0)} ms (medians of ${a.length}, interleaved)`,
    target: 'the action no slower than the script',
    ok: ma <= mb
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify({ name: 'compose', ...(await compose()) }))
}
