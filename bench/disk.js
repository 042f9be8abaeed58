// The disk budget's cost on a step that is under its budget: the action's
// main and post (as the runner starts them, `node dist/index.js`), with
// `disk-budget: 100%` against the same step without it, alternating. Under
// budget the step makes one statfs of containerd's root in main and one in
// post, and no nerdctl call; neither side calls nerdctl at all (no work), so
// the stack's store is only measured, never touched. Also the statfs alone.
import { performance } from 'node:perf_hooks'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, existsSync, statfsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const ACTION = join(ROOT, 'dist', 'index.js')
const NODE = process.env.BENCH_NODE || process.execPath
const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function timed(env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(NODE, [ACTION], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', c => (out += c))
    child.stderr.on('data', c => (out += c))
    child.on('error', reject)
    child.on('close', code => resolve({ code, out, ms: performance.now() - t0 }))
  })
}

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

/** main then post of a step with these inputs; their summed time. */
async function step(inputs) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-disk-'))
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
    const env = { ...process.env, ...files }
    for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
    const main = await timed(env)
    const postEnv = { ...process.env, ...files }
    for (const [k, v] of Object.entries(fileCommands(files.GITHUB_STATE))) postEnv[`STATE_${k}`] = v
    const post = await timed(postEnv)
    if (main.code !== 0 || post.code !== 0 || /nerdctl-action-disk|over the budget/.test(main.out))
      throw new Error(
        `step failed or pruned (main ${main.code}, post ${post.code}):\n${main.out}\n${post.out}`
      )
    return main.ms + post.ms
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function diskBudgetCase() {
  const n = 21
  const plain = []
  const budget = []
  await step({})
  await step({ 'disk-budget': '100%' })
  for (let i = 0; i < n; i++) {
    plain.push(await step({}))
    budget.push(await step({ 'disk-budget': '100%' }))
  }
  const extra = median(budget) - median(plain)
  // The check itself: one statfs of containerd's root.
  const root = process.env.NERDCTL_ACTION_CONTAINERD_ROOT || '/var/lib/containerd'
  const statfs = []
  for (let i = 0; i < 1000; i++) {
    const t0 = performance.now()
    statfsSync(root)
    statfs.push(performance.now() - t0)
  }
  return {
    figure: `main + post with disk-budget 100% (under budget) ${median(budget).toFixed(0)} ms, without ${median(plain).toFixed(0)} ms (medians of ${n}, interleaved): ${extra >= 0 ? '+' : ''}${extra.toFixed(1)} ms; one statfs of ${root} ${(median(statfs) * 1000).toFixed(0)} µs (median of 1000)`,
    target: '≤ +50 ms; statfs < 10 ms',
    ok: extra <= 50 && median(statfs) < 10
  }
}
