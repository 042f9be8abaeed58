// One benchmark case per process (see run.js). The library cases use the built
// library (lib/); the action cases run the committed bundle (dist/index.js) as
// the runner does: `node dist/index.js` for main, then again for post with the
// state main saved. Each comparison runs its two sides in turn (A B A B ...)
// in this one run, so a machine that speeds up or slows down moves both.
import { performance } from 'node:perf_hooks'
import { spawn, spawnSync } from 'node:child_process'
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Container, Nerdctl, logs, parseContainerInspect, run } from '../lib/nerdctl/index.js'
import { parseJsonLines } from '../lib/nerdctl/pure/json.js'
import { toContainerSummary } from '../lib/nerdctl/pure/listings.js'
import { compose } from './compose.js'
import { rootlessScenario } from './rootless.js'
import { diskBudgetCase } from './disk.js'

const here = dirname(fileURLToPath(import.meta.url))
const ROOT = join(here, '..')
const ACTION = join(ROOT, 'dist', 'index.js')
const PEAK = join(here, 'peak-rss.js')
const IMAGE = process.env.NERDCTL_TEST_BASE_IMAGE ?? '127.0.0.1:5000/busybox:stable'
// The Node that runs the action's bundle, as the runner's node24 would (and
// `node -e 0` beside it); the bench's own Node when not set.
const NODE = process.env.BENCH_NODE || process.execPath
const client = new Nerdctl()
const MiB = 1024 * 1024
const tag = `bench-${process.pid}`
const TOOL_CACHE = mkdtempSync(join(tmpdir(), 'bench-tool-cache-'))
process.on('exit', () => rmSync(TOOL_CACHE, { recursive: true, force: true }))

const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const ms = x => `${x.toFixed(0)} ms`
const sleep = t => new Promise(r => setTimeout(r, t))

/** Runs a command to its end; resolves with its exit code, output and wall time (ms). */
function timed(file, args, { env, input } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(file, args, { env: env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', c => (out += c))
    child.stderr.on('data', c => (out += c))
    child.on('error', reject)
    child.on('close', code => resolve({ code, out, ms: performance.now() - t0 }))
    child.stdin.end(input ?? '')
  })
}

/** The runner's file commands (name<<delimiter ... delimiter) of one file. */
function fileCommands(path) {
  const out = {}
  if (!existsSync(path)) return out
  const lines = readFileSync(path, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!m) continue
    const value = []
    while (++i < lines.length && lines[i] !== m[2]) value.push(lines[i])
    out[m[1]] = value.join('\n')
  }
  return out
}

/**
 * One action step as the runner runs it: main with the inputs, then post with
 * the state main saved. `onMainExit` sees the moment main's process ended.
 */
async function actionStep(inputs, { nodeArgs = [], beforePost } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-step-'))
  try {
    const files = {
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      RUNNER_TEMP: dir,
      // A runner always sets it, and it outlives the job: the version check's
      // reading is kept there, read once per nerdctl binary, as on a runner.
      RUNNER_TOOL_CACHE: TOOL_CACHE
    }
    // The runner makes these files before the step starts; @actions/core (and
    // workflow.ts) treat a named file that is missing as an error.
    for (const f of [files.GITHUB_OUTPUT, files.GITHUB_STATE, files.GITHUB_STEP_SUMMARY])
      writeFileSync(f, '')
    const env = { ...process.env, ...files }
    // The cases keep their contexts and outputs in the machine's temporary
    // directory, outside the workspace: allowed as a workflow would allow it.
    for (const [k, v] of Object.entries({ 'host-paths': tmpdir(), ...inputs }))
      env[`INPUT_${k.toUpperCase()}`] = v
    const main = await timed(NODE, [...nodeArgs, ACTION], { env })
    const mainEnd = performance.now()
    const outputs = fileCommands(files.GITHUB_OUTPUT)
    await beforePost?.()
    const postEnv = { ...process.env, ...files }
    for (const [k, v] of Object.entries(fileCommands(files.GITHUB_STATE))) postEnv[`STATE_${k}`] = v
    const post = await timed(NODE, [ACTION], { env: postEnv })
    if (main.code !== 0 || post.code !== 0)
      throw new Error(
        `action step failed (main ${main.code}, post ${post.code}):\n${main.out}\n${post.out}`
      )
    return { ms: main.ms + post.ms, mainMs: main.ms, mainEnd, outputs, log: main.out }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function withContainer(spec, fn, extraArgs = []) {
  const c = Container.fromImage(tag, IMAGE, { client })
  spec(c)
  // extraArgs: flags the builder does not model (log options), through the same spec.
  const r = await run(IMAGE, tag, true, undefined, undefined, { client, ...c.spec(), extraArgs })
  c.containerId = r.containerId
  try {
    return await fn(c)
  } finally {
    await c.remove().catch(() => {})
  }
}

// nerdctl's json-file driver rotates at 100 MiB and `nerdctl logs` reads only
// the current file, so hundreds of MB of logs need a larger max-size.
const BIG_LOGS = ['--log-opt', 'max-size=1g']

/** Shell that writes `mib` MiB of 1 KiB lines to stdout (stdout stays in order). */
const chatter = mib =>
  `dd if=/dev/zero bs=1048576 count=${mib} 2>/dev/null | tr '\\0' 'x' | fold -w 1023`

async function waitUntilWritten(c) {
  for (let i = 0; i < 600; i++) {
    const t = await logs(c.containerId, { client, tail: 1, maxBytes: 4096 })
    if (t.stdout.includes('bench-written')) return
    await sleep(500)
  }
  throw new Error('the container did not finish writing its logs in 5 minutes')
}

const cases = {
  // The disk budget's added time under budget (bench/disk.js).
  'disk-budget': diskBudgetCase,
  // Issue 21: a Compose environment through the action vs nerdctl compose per wave (bench/compose.js).
  compose,
  // What the chokepoint adds to a nerdctl call: the same command through the
  // library and as a bare spawn, interleaved, 120 of each.
  async 'call-overhead'() {
    const args = ['version', '--format', '{{json .}}']
    const raw = []
    const lib = []
    const bare = () =>
      new Promise((resolve, reject) => {
        const t0 = performance.now()
        const child = spawn('nerdctl', args, { stdio: ['ignore', 'pipe', 'pipe'] })
        let out = ''
        child.stdout.on('data', c => (out += c))
        child.stderr.on('data', c => (out += c))
        child.on('error', reject)
        child.on('close', () => resolve(performance.now() - t0))
      })
    const viaLibrary = async () => {
      const t0 = performance.now()
      await client.exec(args)
      return performance.now() - t0
    }
    for (let i = 0; i < 5; i++) await bare().then(viaLibrary)
    const n = 120
    // A B B A: each side goes first as often as second, so whatever a call
    // leaves behind (nerdctl's exit, containerd's bookkeeping) hits both alike.
    for (let i = 0; i < n; i++) {
      if (i % 2 === 0) {
        raw.push(await bare())
        lib.push(await viaLibrary())
      } else {
        lib.push(await viaLibrary())
        raw.push(await bare())
      }
    }
    const ratio = median(lib) / median(raw)
    return {
      figure: `nerdctl ${args.join(' ')}: ${median(lib).toFixed(1)} ms through the library, ${median(raw).toFixed(1)} ms as a bare spawn (medians of ${n} each, in A B B A order): ratio ${ratio.toFixed(3)}`,
      target: 'ratio ≤ 1.03',
      ok: ratio <= 1.03
    }
  },

  // The cost of starting the action at all: `node dist/index.js` on its
  // no-op path (a post step with nothing to clean up) against `node -e 0`.
  async 'cold-start'() {
    const env = { ...process.env, STATE_isPost: 'true' }
    const action = []
    const bare = []
    await timed(NODE, [ACTION], { env })
    const n = 30
    for (let i = 0; i < n; i++) {
      bare.push((await timed(NODE, ['-e', '0'])).ms)
      action.push((await timed(NODE, [ACTION], { env })).ms)
    }
    const extra = median(action) - median(bare)
    // The action's bundle: the entry and every chunk a step without a script
    // may load (dist/cli is the command line's). The scripts' toolkit (the
    // real @actions/core with its HTTP stack, exec, io, glob) is a chunk only
    // the script phase imports: counted apart, it costs only steps with a script.
    const dist = dirname(ACTION)
    const chunks = readdirSync(dist).filter(f => f.endsWith('.js'))
    const toolkit = f =>
      readFileSync(join(dist, f), 'utf8').includes('ACTIONS_ID_TOKEN_REQUEST_URL')
    const size = files => files.reduce((sum, f) => sum + statSync(join(dist, f)).size, 0)
    const bundle = size(chunks.filter(f => !toolkit(f)))
    const scripts = size(chunks.filter(toolkit))
    return {
      figure: `node dist/index.js (nothing to do) ${ms(median(action))}, node -e 0 ${ms(median(bare))} (medians of ${n}, interleaved): +${ms(extra)}; bundle ${(bundle / 1024).toFixed(0)} KiB (dist/*.js; the entry ${(statSync(ACTION).size / 1024).toFixed(0)} KiB; the scripts' toolkit chunk, loaded only by a step with a script, ${(scripts / 1024).toFixed(0)} KiB more)`,
      target: '≤ +80 ms; the bundle ≤ 1 MiB',
      ok: extra <= 80 && bundle <= MiB
    }
  },

  // A whole step: build, run, exec, export, cleanup. The action (main, then
  // post, as the runner starts them) against the same nerdctl calls in bash.
  async scenario() {
    const dir = mkdtempSync(join(tmpdir(), 'bench-scenario-'))
    const ctx = join(dir, 'ctx')
    mkdirSync(ctx)
    writeFileSync(join(ctx, 'Dockerfile'), `FROM ${IMAGE}\nCOPY hello.txt /hello.txt\n`)
    writeFileSync(join(ctx, 'hello.txt'), 'hello\n')
    const image = `127.0.0.1:5000/${tag}:scenario`
    const script = join(dir, 'steps.sh')
    writeFileSync(
      script,
      `set -e
nerdctl build --progress plain --tag "${image}" "${ctx}"
nerdctl run -d --name "$1" "${image}" sleep 600
nerdctl exec "$1" /bin/sh -c 'cat /hello.txt'
nerdctl export --output "${dir}/bash-fs.tar" "$1"
nerdctl rm --force "$1"
`
    )
    const inputs = i => ({
      context: ctx,
      tags: image,
      run: 'true',
      name: `${tag}-a${i}`,
      command: 'sleep 600',
      exec: 'cat /hello.txt',
      export: join(dir, 'action-fs.tar')
    })
    try {
      // Warm-up: BuildKit's cache, the page cache, both paths once.
      await actionStep(inputs('w'))
      await timed('bash', [script, `${tag}-bw`])
      const action = []
      const mains = []
      const bash = []
      const n = 11
      for (let i = 0; i < n; i++) {
        const b = await timed('bash', [script, `${tag}-b${i}`])
        if (b.code !== 0) throw new Error(`bash steps failed:\n${b.out}`)
        bash.push(b.ms)
        const step = await actionStep(inputs(i))
        action.push(step.ms)
        mains.push(step.mainMs)
      }
      const extra = median(action) - median(bash)
      return {
        figure: `build + run + exec + export + cleanup: action (main + post) ${ms(median(action))} (main ${ms(median(mains))}), the same nerdctl calls in bash ${ms(median(bash))} (medians of ${n}, interleaved): +${ms(extra)}`,
        target: 'overhead ≤ 350 ms',
        ok: extra <= 350
      }
    } finally {
      await client.exec(['rmi', '--force', image]).catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    }
  },

  // The scenario's steps as root and as a rootless user, side by side (bench/rootless.js).
  'rootless-scenario': rootlessScenario,

  // A service that first answers 2 s after it starts, health-interval 30s: the
  // time from its first answer (seen by a poller on the runner) to the end of
  // the action's main process.
  async readiness() {
    const gaps = []
    const n = 9
    for (let i = 0; i < n; i++) {
      const port = 18700 + (process.pid % 200) + i
      let firstAnswer
      let polling = true
      const poll = async () => {
        while (polling && firstAnswer === undefined) {
          const ok = await new Promise(resolve => {
            const req = request({ host: '127.0.0.1', port, path: '/', timeout: 500 }, res => {
              res.resume()
              resolve(res.statusCode === 200)
            })
            req.on('error', () => resolve(false))
            req.on('timeout', () => req.destroy())
            req.end()
          })
          if (ok) firstAnswer = performance.now()
          else await sleep(5)
        }
      }
      const poller = poll()
      const step = await actionStep(
        {
          image: IMAGE,
          name: `${tag}-svc${i}`,
          ports: `127.0.0.1:${port}:80`,
          command:
            "sh -c 'sleep 2; mkdir -p /w && echo ok > /w/index.html && exec httpd -f -p 80 -h /w'",
          'health-cmd': 'wget -q -O /dev/null http://127.0.0.1/',
          'health-interval': '30s'
        },
        {
          beforePost: async () => {
            polling = false
            await poller
          }
        }
      )
      if (firstAnswer === undefined) throw new Error('the service never answered the poller')
      gaps.push(step.mainEnd - firstAnswer)
    }
    const m = median(gaps)
    return {
      figure: `first answer to the end of main: ${ms(m)} (median of ${n}; ${gaps.map(g => g.toFixed(0)).join(', ')} ms) with health-interval 30s`,
      target: '≤ 300 ms',
      ok: m <= 300
    }
  },

  // Peak memory of the action's main process while it exports a 1 GiB
  // container filesystem and shows the tail of 200 MiB of logs.
  async 'peak-rss'() {
    const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'))
    const rssFile = join(dir, 'rss')
    const line = 'x'.repeat(1000)
    // The preload (peak-rss.js) writes main's own peak RSS here as it exits.
    process.env.BENCH_PEAK_FILE = rssFile
    try {
      const step = await actionStep(
        {
          image: IMAGE,
          name: `${tag}-rss`,
          command: `sh -c 'dd if=/dev/zero of=/big bs=1048576 count=1024 2>/dev/null; yes ${line} | head -c ${200 * MiB}; touch /written; sleep 600'`,
          'health-cmd': 'test -f /written',
          'health-interval': '30s',
          'wait-timeout': '5m',
          export: join(dir, 'fs.tar'),
          'show-logs': 'always'
        },
        { nodeArgs: ['--import', PEAK] }
      )
      const exported = statSync(join(dir, 'fs.tar')).size
      const peak = Number(readFileSync(rssFile, 'utf8')) / 1024
      const shown = step.log.split('\n').filter(l => l.startsWith(line)).length
      return {
        figure: `exported ${(exported / MiB).toFixed(0)} MiB and showed ${shown} lines of the tail of 200 MiB of logs: peak RSS of main ${peak.toFixed(0)} MiB`,
        target: 'peak RSS ≤ 150 MiB',
        ok: peak <= 150 && exported >= 1024 * MiB && shown > 0
      }
    } finally {
      delete process.env.BENCH_PEAK_FILE
      rmSync(dir, { recursive: true, force: true })
    }
  },

  // Service environments (bench/services.js, over the built library): 1, 4
  // and 8 services whose total should follow the slowest, not the sum; and how
  // soon a service is seen ready after its first answer.
  // The services scenario through the action as the runner runs it (main,
  // then post): 1, 4 and 8 services that each answer about a second after
  // they start, ready when their port opens.
  async services() {
    const rows = []
    for (const n of [1, 4, 8]) {
      const yaml = Array.from(
        { length: n },
        (_, i) => `s${i}:
  image: ${IMAGE}
  command: sh -c 'sleep 1; exec httpd -f -p 80 -h /var/www'
  wait:
    port: 80
`
      ).join('')
      const step = await actionStep({ services: yaml })
      const services = JSON.parse(step.outputs.services ?? '{}')
      if (Object.keys(services).length !== n)
        throw new Error(`expected ${n} services in the output, got: ${step.outputs.services}`)
      rows.push({ n, ms: step.ms })
    }
    const [one, , eight] = rows
    return {
      figure:
        rows.map(r => `${r.n} service(s): ${(r.ms / 1000).toFixed(1)} s`).join('; ') +
        ` (main + post); 8 take ${(eight.ms / one.ms).toFixed(1)}x the time of 1`,
      target: '8 services take < 3x the time of 1 (they start together; the sum would be 8x)',
      ok: eight.ms < 3 * one.ms
    }
  },
  async 'service-readiness'() {
    return servicesCase('ready-latency')
  },
  // Issue 22: signing through the library vs cosign alone (bench/signing.js).
  async signing() {
    return servicesCase('signing', 'signing.js')
  },
  // Issue 25: merging builds pushed by digest (bench/merge.js).
  async merge() {
    return servicesCase('merge', 'merge.js')
  },

  // Issue 20: GitHub's documented PostgreSQL service block (pg_isready, 10 s
  // interval) on the real PostgreSQL image with its first-start restart
  // (scripts/service-images.sh), loading a schema from
  // /docker-entrypoint-initdb.d that takes a second, as users' do: the
  // temporary server (unix socket only, pg_isready passes) runs meanwhile.
  // A 10 ms poller on the runner runs psql against the published port while
  // the step runs; the figure is the end of main minus the poller's first
  // successful query. Negative: the step said ready before a client could
  // connect (the bug); large: it waited too long.
  async 'postgres-readiness'() {
    const image = serviceImage('postgres')
    const initdb = mkdtempSync(join(tmpdir(), 'bench-initdb-'))
    chmodSync(initdb, 0o755)
    writeFileSync(
      join(initdb, '01-schema.sql'),
      'CREATE TABLE greetings (text text);\nSELECT pg_sleep(1);\n',
      { mode: 0o644 }
    )
    const leads = []
    for (let i = 0; i < 5; i++) {
      const port = await freePort()
      const yaml = `postgres:
  image: ${image}
  env:
    POSTGRES_PASSWORD: postgres
  volumes:
    - ${initdb}:/docker-entrypoint-initdb.d:ro
  options: >-
    --health-cmd pg_isready
    --health-interval 10s
    --health-timeout 5s
    --health-retries 5
  ports:
    - 127.0.0.1:${port}:5432
`
      let firstOk
      let polling = true
      const poller = (async () => {
        while (polling && firstOk === undefined) {
          const t = performance.now()
          if (await psqlOnce(port)) firstOk = performance.now()
          else await new Promise(r => setTimeout(r, Math.max(0, 10 - (performance.now() - t))))
        }
      })()
      const step = await actionStep(
        { services: yaml },
        {
          // Measured before post removes the service: wait for the poller's first success.
          beforePost: async () => {
            const deadline = performance.now() + 30_000
            while (firstOk === undefined && performance.now() < deadline)
              await new Promise(r => setTimeout(r, 10))
            polling = false
            await poller
          }
        }
      )
      if (firstOk === undefined) throw new Error('PostgreSQL never answered the poller')
      leads.push(step.mainEnd - firstOk)
    }
    rmSync(initdb, { recursive: true, force: true })
    const min = Math.min(...leads)
    const max = Math.max(...leads)
    return {
      figure: `end of main minus the first successful query of a 10 ms psql poller: ${leads.map(l => l.toFixed(0)).join(', ')} ms (5 runs)`,
      target: 'every run 0 to 300 ms (never negative)',
      ok: min >= 0 && max <= 300
    }
  },

  // Logs of hundreds of MB written to a file stay out of memory (library).
  async 'logs-to-file'() {
    const mib = 300
    return withContainer(
      c => c.withCommand(`${chatter(mib)}; echo bench-written; sleep 600`),
      async c => {
        await waitUntilWritten(c)
        const dir = mkdtempSync(join(tmpdir(), 'bench-'))
        try {
          const t0 = performance.now()
          await logs(c.containerId, { client, file: join(dir, 'all.log') })
          const took = performance.now() - t0
          const size = statSync(join(dir, 'all.log')).size
          const peak = process.resourceUsage().maxRSS / 1024
          return {
            figure: `${(size / MiB).toFixed(0)} MiB of logs to a file in ${(took / 1000).toFixed(1)} s, peak RSS ${peak.toFixed(0)} MiB`,
            target: 'peak RSS ≤ 150 MiB',
            ok: peak <= 150 && size >= mib * MiB
          }
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      },
      BIG_LOGS
    )
  },

  // Parsers over recorded output, scaled up.
  async parse() {
    const line = readFileSync(join(ROOT, '__tests__/fixtures/ps.jsonl'), 'utf8')
      .trim()
      .split('\n')[0]
    const text = Array(20_000).fill(line).join('\n')
    const inspect = readFileSync(join(ROOT, '__tests__/fixtures/inspect-healthy.json'), 'utf8')
    const t0 = performance.now()
    const rows = parseJsonLines(text).map(toContainerSummary)
    const psMs = performance.now() - t0
    const t1 = performance.now()
    for (let i = 0; i < 2000; i++) parseContainerInspect(inspect)
    const inspectUs = ((performance.now() - t1) / 2000) * 1000
    return {
      figure: `${rows.length} ps lines in ${psMs.toFixed(0)} ms; one inspect in ${inspectUs.toFixed(0)} µs`,
      target: '20k ps lines ≤ 500 ms',
      ok: psMs <= 500
    }
  }
}

/** A test server image of scripts/service-images.sh (made once per machine). */
function serviceImage(name) {
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'service-images.sh')], {
    encoding: 'utf8',
    // The bench runs on an otherwise idle stack; a caller may hold its lock.
    env: { ...process.env, SERVICE_IMAGES_LOCK: '' }
  })
  const ref = r.stdout.split('\n').find(l => l.includes(`/services/${name}:`))
  if (r.status !== 0 || !ref) throw new Error(`scripts/service-images.sh failed:\n${r.stderr}`)
  return ref
}

/** One psql query to 127.0.0.1:port, no retry: true when PostgreSQL answered it. */
function psqlOnce(port) {
  return new Promise(resolve => {
    const p = spawn(
      'psql',
      ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-w', '-tAc', 'SELECT 1'],
      {
        env: { ...process.env, PGPASSWORD: 'postgres', PGCONNECT_TIMEOUT: '2' },
        stdio: ['ignore', 'pipe', 'ignore']
      }
    )
    let out = ''
    p.stdout.on('data', d => (out += d))
    p.on('error', () => resolve(false))
    p.on('close', code => resolve(code === 0 && out.trim() === '1'))
  })
}

/** A port on 127.0.0.1 that nothing listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/** A case of bench/services.js, run in its own Node process; its last line is the result. */
function servicesCase(name, file = 'services.js') {
  const r = spawnSync(process.execPath, [join(ROOT, 'bench', file), name], {
    encoding: 'utf8',
    timeout: 300_000
  })
  const line = r.stdout.trim().split('\n').pop() ?? ''
  try {
    const { figure, target, ok } = JSON.parse(line)
    return { figure, target, ok }
  } catch {
    return {
      figure: `no result (exit ${r.status}): ${r.stderr.slice(-300)}`,
      target: '',
      ok: false
    }
  }
}

export const CASES = Object.keys(cases)

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const name = process.argv[2]
  const f = cases[name]
  if (!f) {
    console.error(`unknown case ${name}; cases: ${CASES.join(', ')}`)
    process.exit(2)
  }
  const result = await f()
  console.log(JSON.stringify({ name, ...result }))
}
