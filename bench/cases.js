// One benchmark case per process (see run.js). Uses the built library (lib/).
import { performance } from 'node:perf_hooks'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Container, Nerdctl, logs, parseContainerInspect, run } from '../lib/nerdctl/index.js'
import { parseJsonLines, toContainerSummary } from '../lib/nerdctl/parse.js'
import { readFileSync } from 'node:fs'

const IMAGE = process.env.NERDCTL_TEST_BASE_IMAGE ?? '127.0.0.1:5000/busybox:stable'
const client = new Nerdctl()
const MiB = 1024 * 1024
const name = `bench-${process.pid}`

function peakRssMiB() {
  return process.resourceUsage().maxRSS / 1024
}

async function withContainer(spec, fn, extraArgs = []) {
  const c = Container.fromImage(name, IMAGE, { client })
  spec(c)
  // extraArgs: flags the builder does not model (log options), through the same spec.
  const r = await run(IMAGE, name, true, undefined, undefined, { client, ...c.spec(), extraArgs })
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

// A container that writes `mib` MiB to stdout, then a marker line (stdout stays in order, so the marker in the log means all is logged), then sleeps.
function chatty(mib) {
  return c =>
    c.withCommand(
      `dd if=/dev/zero bs=1048576 count=${mib} 2>/dev/null | tr '\\0' 'x' | fold -w 1023; echo bench-written; sleep 600`
    )
}

async function waitUntilWritten(c) {
  for (let i = 0; i < 600; i++) {
    const t = await logs(c.containerId, { client, tail: 1, maxBytes: 4096 })
    if (t.stdout.includes('bench-written')) return
    await new Promise(r => setTimeout(r, 500))
  }
  throw new Error('the container did not finish writing its logs in 5 minutes')
}

const cases = {
  // Logs of hundreds of MB written to a file stay out of memory.
  async 'logs-to-file'() {
    const mib = 300
    return withContainer(
      chatty(mib),
      async c => {
        await waitUntilWritten(c)
        const dir = mkdtempSync(join(tmpdir(), 'bench-'))
        try {
          const before = peakRssMiB()
          const t0 = performance.now()
          await logs(c.containerId, { client, file: join(dir, 'all.log') })
          const ms = performance.now() - t0
          const size = statSync(join(dir, 'all.log')).size
          const peak = peakRssMiB()
          return {
            figure: `${(size / MiB).toFixed(0)} MiB of logs to a file in ${(ms / 1000).toFixed(1)} s (${(size / MiB / (ms / 1000)).toFixed(0)} MiB/s), peak RSS ${peak.toFixed(0)} MiB (${before.toFixed(0)} before)`,
            target: 'peak RSS < 150 MiB for 300 MiB of logs',
            ok: peak < 150 && size >= mib * MiB
          }
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      },
      BIG_LOGS
    )
  },

  // The tail of a huge log costs the tail, not the log.
  async 'logs-tail'() {
    const mib = 300
    return withContainer(
      chatty(mib),
      async c => {
        await waitUntilWritten(c)
        const t0 = performance.now()
        const r = await logs(c.containerId, { client, maxBytes: 64 * 1024 })
        const ms = performance.now() - t0
        const peak = peakRssMiB()
        return {
          figure: `last ${(r.stdout.length / 1024).toFixed(0)} KiB of ${mib} MiB in ${(ms / 1000).toFixed(1)} s, peak RSS ${peak.toFixed(0)} MiB`,
          target: 'peak RSS < 150 MiB, output = 64 KiB',
          ok: peak < 150 && r.stdout.length === 64 * 1024
        }
      },
      BIG_LOGS
    )
  },

  // A service that is up at once is reported healthy long before its 30 s interval.
  async 'wait-healthy'() {
    const times = []
    for (let i = 0; i < 5; i++) {
      await withContainer(
        c =>
          c
            .withCommand(['httpd', '-f', '-p', '80', '-h', '/var/www'])
            .withHealthCheckOptions('wget -q -O- http://127.0.0.1/ >/dev/null', '30s'),
        async c => {
          const t0 = performance.now()
          await c.waitForHealthy({ timeoutMs: 60_000 })
          times.push(performance.now() - t0)
        }
      )
    }
    times.sort((a, b) => a - b)
    const median = times[2]
    return {
      figure: `healthy ${median.toFixed(0)} ms after build (median of 5; max ${times[4].toFixed(0)} ms) with health-interval 30s`,
      target: 'median < 2000 ms',
      ok: median < 2000
    }
  },

  // What the chokepoint adds over nerdctl itself.
  async 'exec-overhead'() {
    const n = 20
    const { spawnSync } = await import('node:child_process')
    const t0 = performance.now()
    for (let i = 0; i < n; i++) spawnSync('nerdctl', ['version', '--format', '{{json .}}'])
    const raw = (performance.now() - t0) / n
    const t1 = performance.now()
    for (let i = 0; i < n; i++) await client.exec(['version', '--format', '{{json .}}'])
    const ours = (performance.now() - t1) / n
    return {
      figure: `nerdctl version: ${ours.toFixed(1)} ms per call through the client, ${raw.toFixed(1)} ms spawned directly (mean of ${n})`,
      target: 'overhead < 10 ms per call',
      ok: ours - raw < 10
    }
  },

  // Parsers over recorded output, scaled up.
  async parse() {
    const line = readFileSync(new URL('../__tests__/fixtures/ps.jsonl', import.meta.url), 'utf8')
      .trim()
      .split('\n')[0]
    const text = Array(20_000).fill(line).join('\n')
    const inspect = readFileSync(
      new URL('../__tests__/fixtures/inspect-healthy.json', import.meta.url),
      'utf8'
    )
    const t0 = performance.now()
    const rows = parseJsonLines(text).map(toContainerSummary)
    const psMs = performance.now() - t0
    const t1 = performance.now()
    for (let i = 0; i < 2000; i++) parseContainerInspect(inspect)
    const inspectUs = ((performance.now() - t1) / 2000) * 1000
    return {
      figure: `${rows.length} ps lines in ${psMs.toFixed(0)} ms; one inspect in ${inspectUs.toFixed(0)} µs`,
      target: '20k ps lines < 500 ms',
      ok: psMs < 500
    }
  }
}

const name_ = process.argv[2]
const f = cases[name_]
if (!f) {
  console.error(`unknown case ${name_}; cases: ${Object.keys(cases).join(', ')}`)
  process.exit(2)
}
const result = await f()
console.log(JSON.stringify({ name: name_, ...result }))
