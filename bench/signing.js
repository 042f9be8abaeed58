// Benchmark of signing (the built library, lib/): run with
// `npm run -s build && node bench/signing.js`. Prints one JSON line
// {name, figure, target, ok} like bench/cases.js, so run.js can take it in.
//
// signing: what the step's sign phase calls, `imageSign(ref, { digest, signing:
//   { key, password } })` (cosign found once, argv built, the call through the
//   client's chokepoint with COSIGN_PASSWORD in its environment), against
//   `cosign sign --yes --key K --tlog-upload=false repo@digest` spawned
//   directly, on the same digest of the loopback registry, alternating, 15
//   each after one warm-up each; and the same for `imageVerify` against
//   `cosign verify`. Target: signing through the library ≤ +10% of cosign alone.
import { performance } from 'node:perf_hooks'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  Nerdctl,
  cosignProgram,
  imagePush,
  imageRemove,
  imageSign,
  imageTag,
  imageVerify
} from '../lib/nerdctl/index.js'
import { EMPTY_TRUSTED_ROOT } from '../lib/nerdctl/pure/cosign.js'

const IMAGE = process.env.NERDCTL_TEST_BASE_IMAGE ?? '127.0.0.1:5000/busybox:stable'
const REGISTRY = process.env.NERDCTL_TEST_REGISTRY ?? '127.0.0.1:5000'
const client = new Nerdctl()
const N = 15
const PASSWORD = 'bench-signing-password'

const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function direct(args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(cosignProgram(), args, {
      env: { ...process.env, COSIGN_PASSWORD: PASSWORD },
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let err = ''
    child.stderr.on('data', c => (err += c))
    child.on('error', reject)
    child.on('close', code =>
      code === 0
        ? resolve(performance.now() - t0)
        : reject(new Error(`cosign ${args[0]} failed: ${err}`))
    )
  })
}

async function timedLib(fn) {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

async function signing() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-signing-'))
  const ref = `${REGISTRY}/bench/signing:${process.pid}`
  try {
    const made = spawnSync(cosignProgram(), ['generate-key-pair'], {
      cwd: dir,
      env: { ...process.env, COSIGN_PASSWORD: PASSWORD }
    })
    if (made.status !== 0) throw new Error(`generate-key-pair: ${made.stderr}`)
    const root = join(dir, 'trusted-root.json')
    writeFileSync(root, EMPTY_TRUSTED_ROOT)
    const key = join(dir, 'cosign.key')
    const pub = join(dir, 'cosign.pub')
    await imageTag(IMAGE, ref, { client })
    const { digest } = await imagePush(ref, undefined, { client })
    if (!digest) throw new Error(`no digest for ${ref}`)
    const repo = ref.slice(0, ref.lastIndexOf(':'))
    const pinned = `${repo}@${digest}`
    const lib = {
      sign: () => imageSign(ref, { client, digest, signing: { key, password: PASSWORD } }),
      verify: () => imageVerify(pinned, { client, publicKey: pub })
    }
    const cli = {
      sign: () => direct(['sign', '--yes', '--key', key, '--tlog-upload=false', pinned]),
      // The same offline verification the library runs (its empty trusted root).
      verify: () =>
        direct([
          'verify',
          '--output',
          'json',
          '--key',
          pub,
          '--insecure-ignore-tlog=true',
          '--trusted-root',
          root,
          pinned
        ])
    }
    const times = { sign: [[], []], verify: [[], []] }
    for (const op of ['sign', 'verify']) {
      await timedLib(lib[op])
      await cli[op]()
      for (let i = 0; i < N; i++) {
        times[op][0].push(await timedLib(lib[op]))
        times[op][1].push(await cli[op]())
      }
    }
    const [ls, cs] = times.sign.map(median)
    const [lv, cv] = times.verify.map(median)
    const over = (a, b) => `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(1)}%`
    return {
      figure:
        `imageSign ${ls.toFixed(0)} ms vs cosign sign ${cs.toFixed(0)} ms (${over(ls, cs)}); ` +
        `imageVerify ${lv.toFixed(0)} ms vs cosign verify ${cv.toFixed(0)} ms (${over(lv, cv)}); medians of ${N}`,
      target: 'signing ≤ +10% of cosign alone',
      ok: ls <= cs * 1.1
    }
  } finally {
    await imageRemove(ref, { client, force: true }).catch(() => undefined)
    rmSync(dir, { recursive: true, force: true })
  }
}

const result = await signing()
console.log(JSON.stringify({ name: 'signing', ...result }))
