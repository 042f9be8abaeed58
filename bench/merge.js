// Benchmark of issue 25's merge (the built library, lib/): run with
// `npm run -s build && node bench/merge.js` (bench/run.js runs it as the case
// "merge"). Prints one JSON line {figure, target, ok} like bench/cases.js.
//
// Two builds of one platform each (FROM the stack's busybox:multi + COPY, no
// emulation), pushed by digest without attestations, so that nerdctl's own
// commands can merge them too. Then, alternating, 9 times each on the same two
// digests: `mergeDigests` (crane: read both, put the index, read its digest
// back) vs `nerdctl manifest create` + `nerdctl manifest push --purge` by
// hand. Figure: the median of each and their ratio; target <= +10%.
import { performance } from 'node:perf_hooks'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Nerdctl, mergeDigests, pushByDigestOutput } from '../lib/nerdctl/index.js'

const REGISTRY = process.env.NERDCTL_TEST_REGISTRY ?? '127.0.0.1:5000'
const MULTI = process.env.NERDCTL_TEST_MULTI_IMAGE ?? `${REGISTRY}/busybox:multi`
const REPO = `${REGISTRY}/bench/merge-${process.pid}`
const RUNS = 9
const client = new Nerdctl()

const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function nerdctl(args) {
  const r = spawnSync('nerdctl', args, { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`nerdctl ${args.join(' ')}: ${r.stderr.slice(-500)}`)
  return r.stdout
}

async function main() {
  const ctx = mkdtempSync(join(tmpdir(), 'bench-merge-'))
  try {
    writeFileSync(join(ctx, 'Dockerfile'), `FROM ${MULTI}\nCOPY stamp.txt /stamp.txt\n`)
    writeFileSync(join(ctx, 'stamp.txt'), `${REPO}\n`)
    const sources = ['linux/amd64', 'linux/arm64'].map(platform => {
      const iid = join(ctx, `iid-${platform.replace('/', '-')}`)
      nerdctl([
        'build',
        '--quiet',
        '--iidfile',
        iid,
        '--platform',
        platform,
        '--provenance',
        'false',
        '--output',
        pushByDigestOutput(REPO),
        ctx
      ])
      return { reference: `${REPO}@${readFileSync(iid, 'utf8').trim()}`, platform }
    })
    const crane = []
    const byHand = []
    for (let i = 0; i < RUNS; i++) {
      let t0 = performance.now()
      await mergeDigests(sources, [`${REPO}:crane-${i}`], { client })
      crane.push(performance.now() - t0)
      t0 = performance.now()
      nerdctl(['manifest', 'create', `${REPO}:nerdctl-${i}`, ...sources.map(s => s.reference)])
      nerdctl(['manifest', 'push', '--purge', `${REPO}:nerdctl-${i}`])
      byHand.push(performance.now() - t0)
    }
    const a = median(crane)
    const b = median(byHand)
    const over = a / b - 1
    return {
      figure: `mergeDigests ${a.toFixed(0)} ms vs nerdctl manifest create + push ${b.toFixed(0)} ms (${over >= 0 ? '+' : ''}${(over * 100).toFixed(0)}%), medians of ${RUNS}`,
      target: 'merge <= +10% over nerdctl manifest create + manifest push on the same two digests',
      ok: over <= 0.1
    }
  } finally {
    rmSync(ctx, { recursive: true, force: true })
  }
}

main().then(
  r => console.log(JSON.stringify(r)),
  e => {
    console.log(JSON.stringify({ figure: `failed: ${e.message}`, target: '', ok: false }))
    process.exitCode = 1
  }
)
