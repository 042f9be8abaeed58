// The rootless scenario: the steps of the `scenario` case (build, run, exec,
// export, then the post step's cleanup) through the action as the runner runs
// it, once as root on the rootful stack and once as the user of
// scripts/rootless-stack.sh on its rootless containerd and BuildKit, the two
// alternating. The figure is both medians and their ratio. The rootless stack
// is brought up for the case and down again when it was not up before.
import { performance } from 'node:perf_hooks'
import { spawn, spawnSync } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const ACTION = join(ROOT, 'dist', 'index.js')
const STACK = join(ROOT, 'scripts', 'rootless-stack.sh')
const NODE = process.env.BENCH_NODE || process.execPath
const IMAGE = process.env.NERDCTL_TEST_BASE_IMAGE ?? '127.0.0.1:5000/busybox:stable'

const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

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

/** The rootless user's login environment, from `rootless-stack.sh env`. */
function rootlessUser() {
  const env = {}
  const text = spawnSync('bash', [STACK, 'env'], { encoding: 'utf8' }).stdout
  for (const m of text.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2]
  const name = env.NERDCTL_ROOTLESS_USER
  const id = flag => Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim())
  return {
    name,
    uid: id('-u'),
    gid: id('-g'),
    env: {
      HOME: env.NERDCTL_ROOTLESS_HOME,
      USER: name,
      LOGNAME: name,
      XDG_RUNTIME_DIR: env.NERDCTL_ROOTLESS_XDG_RUNTIME_DIR,
      BUILDKIT_HOST: env.NERDCTL_ROOTLESS_BUILDKIT_HOST,
      PATH: '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin'
    }
  }
}

/** One step in `dir` (main, then post with main's state) as root, or as `user` through runuser; `allowed` holds its context and outputs. */
async function step(inputs, dir, allowed, user) {
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: dir
  }
  for (const f of ['output', 'state', 'summary']) {
    writeFileSync(join(dir, f), '')
    if (user) chownSync(join(dir, f), user.uid, user.gid)
  }
  const base = { ...process.env, ...(user?.env ?? {}), ...files }
  const env = { ...base }
  for (const [k, v] of Object.entries({ 'host-paths': allowed, ...inputs }))
    env[`INPUT_${k.toUpperCase()}`] = v
  const [file, args] = user ? ['runuser', ['-u', user.name, '--', NODE, ACTION]] : [NODE, [ACTION]]
  const main = await timed(file, args, env)
  const postEnv = { ...base }
  for (const [k, v] of Object.entries(fileCommands(files.GITHUB_STATE))) postEnv[`STATE_${k}`] = v
  const post = await timed(file, args, postEnv)
  if (main.code !== 0 || post.code !== 0)
    throw new Error(`step failed (main ${main.code}, post ${post.code}):\n${main.out}\n${post.out}`)
  return main.ms + post.ms
}

export async function rootlessScenario() {
  const wasUp = spawnSync('bash', [STACK, 'status'], { stdio: 'ignore' }).status === 0
  if (spawnSync('bash', [STACK, 'up'], { stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0)
    throw new Error('scripts/rootless-stack.sh up failed')
  const user = rootlessUser()
  const tag = `bench-${process.pid}`
  const image = `127.0.0.1:5000/${tag}:scenario`
  // Readable by the rootless user (a runner's workspace is its user's).
  const dir = mkdtempSync(join(tmpdir(), 'bench-rootless-'))
  chmodSync(dir, 0o755)
  const ctx = join(dir, 'ctx')
  mkdirSync(ctx)
  writeFileSync(join(ctx, 'Dockerfile'), `FROM ${IMAGE}\nCOPY hello.txt /hello.txt\n`)
  writeFileSync(join(ctx, 'hello.txt'), 'hello\n')
  chmodSync(ctx, 0o755)
  let n = 0
  const run = async asUser => {
    const work = join(dir, `w${n++}`)
    mkdirSync(work)
    if (asUser) chownSync(work, user.uid, user.gid)
    const ms = await step(
      {
        context: ctx,
        tags: image,
        run: 'true',
        name: `${tag}-${n}`,
        command: 'sleep 600',
        exec: 'cat /hello.txt',
        export: join(work, 'fs.tar')
      },
      work,
      dir,
      asUser ? user : undefined
    )
    rmSync(work, { recursive: true, force: true })
    return ms
  }
  try {
    // Warm-up: both BuildKits' caches, both stores pull the base image once.
    await run(false)
    await run(true)
    const rootful = []
    const rootless = []
    const rounds = 7
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        rootful.push(await run(false))
        rootless.push(await run(true))
      } else {
        rootless.push(await run(true))
        rootful.push(await run(false))
      }
    }
    const ratio = median(rootless) / median(rootful)
    return {
      figure: `build + run + exec + export + cleanup (main + post): rootful ${median(rootful).toFixed(0)} ms, rootless ${median(rootless).toFixed(0)} ms (medians of ${rounds}, alternating): ratio ${ratio.toFixed(2)}`,
      target: 'rootless ≤ 1.5x rootful',
      ok: ratio <= 1.5
    }
  } finally {
    spawnSync('nerdctl', ['rmi', '--force', image], { stdio: 'ignore' })
    const env = Object.entries(user.env).map(([k, v]) => `${k}=${v}`)
    spawnSync(
      'runuser',
      ['-u', user.name, '--', 'env', '-i', ...env, 'nerdctl', 'rmi', '--force', image],
      {
        stdio: 'ignore',
        cwd: '/'
      }
    )
    rmSync(dir, { recursive: true, force: true })
    if (!wasUp) spawnSync('bash', [STACK, 'down'], { stdio: 'ignore' })
  }
}
