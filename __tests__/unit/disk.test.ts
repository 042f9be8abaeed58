// The disk budget: what a budget text means, the store's items read from
// recorded nerdctl and BuildKit output, which items a prune may take and in
// what order, the argv of a prune (never forced), the action's phase (one
// statfs and no nerdctl call under budget), and where containerd's root is.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import ts from 'typescript'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  Nerdctl,
  budgetBytes,
  keptBecause,
  machineLock,
  parseBudget,
  prune,
  prunePlan,
  localBuildkit,
  type ProcessResult,
  type RunSpec,
  type StoreItem
} from '../../src/nerdctl/index.js'
import {
  afterRemoval,
  containerItem,
  containerSizes,
  containerUses,
  imageItems,
  imageLabels,
  parseBuildCache,
  parseNerdctlTime,
  volumeItem
} from '../../src/nerdctl/pure/disk.js'
import { parseJsonArray, parseJsonLines } from '../../src/nerdctl/pure/json.js'
import { toImage } from '../../src/nerdctl/pure/listings.js'
import { containerdRoot, diskBudget, diskReport } from '../../src/action/disk-budget.js'
import { getInputs, InputError } from '../../src/action/inputs/index.js'
import { KEEP_LABEL } from '../../src/action/constants.js'
import { Report } from '../../src/action/report.js'
import { StepState } from '../../src/action/state.js'
import type { StepContext } from '../../src/action/phases/index.js'
import { ROOT, inputDefaults } from '../helpers/action-defaults.js'
import { captureOutput, type Captured } from '../helpers/capture-output.js'
import { fixture } from './fixtures.js'

const KEEP = KEEP_LABEL
const DEFAULTS = inputDefaults()
const NOW = Date.parse('2026-12-10T00:00:00Z')
const DAY = 24 * 3600 * 1000

function item(over: Partial<StoreItem> & Pick<StoreItem, 'kind' | 'ref'>): StoreItem {
  return { name: over.ref, sizeBytes: 1000, time: NOW - 2 * DAY, labels: {}, inUse: false, ...over }
}

const policy = {
  olderThanMs: DAY,
  keepLabel: KEEP,
  creatorGone: (l: Readonly<Record<string, string>>) => l.job === 'dead',
  buildCacheKeepBytes: undefined as number | undefined
}

describe('budget', () => {
  test.each<[string, unknown]>([
    ['40GB', { bytes: 40e9 }],
    ['512MiB', { bytes: 512 * 1024 ** 2 }],
    ['80%', { percent: 80 }],
    [' 12.5 % ', { percent: 12.5 }],
    ['1000', { bytes: 1000 }]
  ])('%j', (text, budget) => expect(parseBudget(text)).toEqual(budget))

  test.each(['0', '0%', '101%', 'lots', '-5GB', '40 gigs', ''])('%j is refused', text =>
    expect(() => parseBudget(text)).toThrow()
  )

  test('a percentage counts as df does: used / (used + available)', () => {
    const fs = { path: '/', sizeBytes: 1100, usedBytes: 600, availableBytes: 400 }
    expect(budgetBytes(fs, { percent: 50 })).toBe(500)
    expect(budgetBytes(fs, { bytes: 700 })).toBe(700)
  })
})

describe('store items from recorded output', () => {
  const inspected = parseJsonArray(fixture('inspect-volume-mount.json'))
  const container = inspected[0] as (typeof inspected)[number]

  test('ps --size: a container size before "(virtual …)"', () => {
    const sizes = containerSizes(parseJsonLines(fixture('ps-size.jsonl')))
    expect([...sizes.values()]).toEqual([64 * 1024])
  })

  test('container inspect: state, labels, image and named volumes', () => {
    const uses = containerUses(container)
    expect(uses.image).toBe('127.0.0.1:5000/busybox:stable')
    expect(uses.volumes).toHaveLength(1)
    expect(uses.volumes[0]).toMatch(/-disk-vol$/)
    const c = containerItem(container, new Map([[uses.id, 7]]))
    expect(c).toMatchObject({ kind: 'container', running: false, inUse: false, sizeBytes: 7 })
    expect(c.labels.fixture).toBe('disk')
  })

  test('volume ls --size: binary units, labels, and who mounts it', () => {
    const [line] = parseJsonLines(fixture('volume-ls-size.jsonl'))
    const v = volumeItem(line as NonNullable<typeof line>, new Map([[String(line?.Name), ['c1']]]))
    expect(v).toMatchObject({
      kind: 'volume',
      inUse: true,
      usedBy: ['c1'],
      labels: { fixture: 'disk' }
    })
    expect(v.sizeBytes).toBe(Math.round(97.7 * 1024))
  })

  test('image inspect: config labels keyed by the digest `images` shows as the ID', () => {
    const rows = parseJsonLines(fixture('images-keep.jsonl')).map(toImage)
    const labels = imageLabels(parseJsonArray(fixture('inspect-image-keep.json')))
    const [img] = imageItems(rows, [], labels)
    expect(img?.labels[KEEP[0]]).toBe('true')
    expect(keptBecause(img as StoreItem, { ...policy, olderThanMs: 0 }, Date.now())).toBe(
      'keep-label'
    )
  })

  test('an image a container (stopped included) was made from is in use', () => {
    const rows = parseJsonLines(fixture('images.jsonl')).map(toImage)
    const [img] = imageItems(rows, [containerUses(container).image])
    expect(img?.inUse).toBe(true)
    expect(keptBecause(img as StoreItem, { ...policy, olderThanMs: 0 }, Date.now())).toBe('in-use')
  })

  test('names sharing an ID are one image, removed name by name, newest record time', () => {
    const rows = parseJsonLines(fixture('images.jsonl')).map(toImage)
    const base = rows[0] as NonNullable<(typeof rows)[number]>
    const twin = { ...base, name: 'x/y:z', created: '2026-12-01 00:00:00 +0000 UTC' }
    const items = imageItems([base, twin], [])
    expect(items).toHaveLength(1)
    expect(items[0]?.ref).toBe(`${base.name},x/y:z`)
    expect(items[0]?.time).toBe(Date.parse('2026-12-01T00:00:00Z'))
  })

  test('rows of one name (a row per platform or per index and manifest) are one image', () => {
    const rows = parseJsonLines(fixture('images.jsonl')).map(toImage)
    const base = rows[0] as NonNullable<(typeof rows)[number]>
    const other = { ...base, id: 'sha256:other', digest: 'sha256:other' }
    const items = imageItems([base, other], [])
    expect(items).toHaveLength(1)
    expect(items[0]?.ref).toBe(base.name)
  })

  test('nerdctl time text', () => {
    expect(parseNerdctlTime('2026-12-07 05:47:39 +0000 UTC')).toBe(
      Date.parse('2026-12-07T05:47:39Z')
    )
    expect(parseNerdctlTime('garbage')).toBeNaN()
  })

  test('buildctl du: records with size, last use and whether in use', () => {
    const records = parseBuildCache(fixture('buildctl-du.json'))
    expect(records.length).toBeGreaterThan(0)
    for (const r of records) {
      expect(r.kind).toBe('build-cache')
      expect(r.sizeBytes).toBeGreaterThanOrEqual(0)
      expect(Number.isNaN(r.time)).toBe(false)
    }
    expect(parseBuildCache('null')).toEqual([])
  })
})

describe('policy', () => {
  test.each<[string, StoreItem, string | undefined]>([
    [
      'keep label wins',
      item({ kind: 'image', ref: 'a', labels: { [KEEP[0]]: 'true' } }),
      'keep-label'
    ],
    [
      'keep label on a volume',
      item({ kind: 'volume', ref: 'v', labels: { job: 'dead', [KEEP[0]]: 'true' } }),
      'keep-label'
    ],
    ['old unused image goes', item({ kind: 'image', ref: 'a' }), undefined],
    ['recent image stays', item({ kind: 'image', ref: 'a', time: NOW - 1000 }), 'too-recent'],
    ['unknown time stays', item({ kind: 'image', ref: 'a', time: NaN }), 'too-recent'],
    ['image in use stays', item({ kind: 'image', ref: 'a', inUse: true }), 'in-use'],
    [
      'running container stays',
      item({ kind: 'container', ref: 'c', running: true, inUse: true, labels: { job: 'dead' } }),
      'running'
    ],
    [
      'stopped container of a dead job goes',
      item({ kind: 'container', ref: 'c', labels: { job: 'dead' } }),
      undefined
    ],
    [
      'stopped container of a live job stays',
      item({ kind: 'container', ref: 'c', labels: { job: 'alive' } }),
      'creator-alive'
    ],
    ['a container not ours stays', item({ kind: 'container', ref: 'c' }), 'not-ours'],
    [
      'volume of a dead job goes',
      item({ kind: 'volume', ref: 'v', labels: { job: 'dead' } }),
      undefined
    ],
    [
      'volume mounted stays',
      item({ kind: 'volume', ref: 'v', inUse: true, labels: { job: 'dead' } }),
      'in-use'
    ],
    [
      'a volume not ours stays',
      item({ kind: 'volume', ref: 'v', labels: { other: 'x' } }),
      'creator-alive'
    ],
    ['old cache goes', item({ kind: 'build-cache', ref: 'r' }), undefined],
    ['cache in use stays', item({ kind: 'build-cache', ref: 'r', inUse: true }), 'in-use']
  ])('%s', (_what, i, reason) => expect(keptBecause(i, policy, NOW)).toBe(reason))

  test('order: cache to keep size, old cache, images oldest first, containers then networks, volumes', () => {
    const items = [
      item({ kind: 'volume', ref: 'v', labels: { job: 'dead' } }),
      item({ kind: 'network', ref: 'n', labels: { job: 'dead' } }),
      item({ kind: 'container', ref: 'c', labels: { job: 'dead' } }),
      item({ kind: 'image', ref: 'new', time: NOW - 3 * DAY }),
      item({ kind: 'image', ref: 'old', time: NOW - 9 * DAY }),
      item({ kind: 'build-cache', ref: 'r-recent', time: NOW - 1000 }),
      item({ kind: 'build-cache', ref: 'r-old', time: NOW - 5 * DAY }),
      item({ kind: 'build-cache', ref: 'r-mid', time: NOW - 2 * DAY })
    ]
    const plan = prunePlan(items, { ...policy, buildCacheKeepBytes: 1500 }, NOW)
    expect(plan.map(s => [s.stage, s.items.map(i => i.ref)])).toEqual([
      // 3000 bytes of cache down to 1500: the two least recently used.
      ['cache-keep', ['r-old', 'r-mid']],
      ['cache-old', []],
      ['images', ['old', 'new']],
      ['containers', ['c', 'n']],
      ['volumes', ['v']]
    ])
  })

  test('a volume mounted only by containers the prune removed is free for the volumes stage', () => {
    const c = item({ kind: 'container', ref: 'c1', labels: { job: 'dead' } })
    const v = item({
      kind: 'volume',
      ref: 'v',
      inUse: true,
      usedBy: ['c1'],
      labels: { job: 'dead' }
    })
    const w = item({
      kind: 'volume',
      ref: 'w',
      inUse: true,
      usedBy: ['c1', 'c2'],
      labels: { job: 'dead' }
    })
    const [v2, w2] = afterRemoval([v, w], [c])
    expect(v2?.inUse).toBe(false)
    expect(w2?.inUse).toBe(true)
  })
})

describe('localBuildkit', () => {
  test.each<[string | undefined, string | undefined]>([
    ['unix:///run/buildkit/buildkitd.sock', 'unix:///run/buildkit/buildkitd.sock'],
    ['tcp://10.0.0.5:1234', undefined],
    ['docker-container://bk', undefined]
  ])('%j', (given, local) => expect(localBuildkit(given, 'default', () => false)).toBe(local))

  test('unset: where nerdctl looks, when the socket is there', () => {
    expect(localBuildkit(undefined, 'ci', p => p === '/run/buildkit/buildkitd.sock')).toBe(
      'unix:///run/buildkit/buildkitd.sock'
    )
    expect(localBuildkit(undefined, 'ci', p => p.includes('buildkit-ci'))).toBe(
      'unix:///run/buildkit-ci/buildkitd.sock'
    )
    expect(localBuildkit(undefined, 'ci', () => false)).toBeUndefined()
  })
})

// ---- prune against recorded answers -------------------------------------------------

function fakeStore(): { client: Nerdctl; calls: string[][] } {
  const calls: string[][] = []
  const answer = (args: string[]): Partial<ProcessResult> => {
    const cmd = args.slice(1)
    const [sub, next] = cmd
    if (args.some(a => a.endsWith('buildctl'))) return {}
    if (sub === 'images') return { stdout: fixture('images.jsonl') + fixture('images-keep.jsonl') }
    if (sub === 'ps') return { stdout: fixture('ps-size.jsonl') }
    if (sub === 'volume' && next === 'ls') return { stdout: fixture('volume-ls-size.jsonl') }
    if (sub === 'network') return { stdout: '' }
    if (sub === 'container' && next === 'inspect')
      return { stdout: fixture('inspect-volume-mount.json') }
    if (sub === 'image' && next === 'inspect') return { stdout: fixture('inspect-image-keep.json') }
    return {}
  }
  const client = new Nerdctl({
    binary: 'nerdctl',
    runner: async (spec: RunSpec) => {
      const argv = [spec.file, ...spec.args]
      calls.push(argv)
      return {
        stdout: '',
        stderr: '',
        exitCode: 0,
        timedOut: false,
        aborted: false,
        ...answer(argv)
      }
    }
  })
  return { client, calls }
}

/** The removing commands a prune ran (after the binary). */
const removals = (calls: string[][]): string[][] =>
  calls
    .map(c => c.slice(1))
    .filter(c => ['rmi', 'rm'].includes(c[0] as string) || c[1] === 'rm' || c.includes('prune'))

describe('prune (recorded store)', () => {
  const gone = (l: Readonly<Record<string, string>>): boolean => l.fixture === 'disk'

  test('removes only what may go, in order, never forced', async () => {
    const { client, calls } = fakeStore()
    const r = await prune(
      { olderThanMs: 0, keepLabel: KEEP, creatorGone: gone, now: Date.now() + 1000 },
      { client }
    )
    const [container] = parseJsonArray(fixture('inspect-volume-mount.json'))
    const id = String(container?.Id)
    // The keep-labelled image stays, the base image is the container's (in use
    // when images are judged); the stopped container of a gone maker goes, then
    // its volume, which only it mounted.
    expect(removals(calls)).toEqual([
      ['rm', '--volumes', id],
      ['volume', 'rm', String(containerUses(container as never).volumes[0])]
    ])
    expect(r.removed.map(i => i.kind)).toEqual(['container', 'volume'])
    expect(r.dryRun).toBe(false)
  })

  test('a dry run removes nothing and says what would go', async () => {
    const { client, calls } = fakeStore()
    const r = await prune(
      { olderThanMs: 0, keepLabel: KEEP, creatorGone: gone, dryRun: true, now: Date.now() + 1000 },
      { client }
    )
    expect(removals(calls)).toEqual([])
    expect(r.removed.map(i => i.kind)).toEqual(['container', 'volume'])
    expect(r.after.containers.count).toBe(0)
    expect(
      diskReport(
        { budget: { bytes: 1 }, pruneUntilMs: 0, buildCacheKeepBytes: undefined, dryRun: true },
        r
      )
    ).toMatch(/would remove, in this order/)
  })

  test('within the budget, nothing is removed', async () => {
    const { client, calls } = fakeStore()
    const dir = mkdtempSync(join(tmpdir(), 'disk-test-'))
    try {
      const r = await prune(
        {
          olderThanMs: 0,
          keepLabel: KEEP,
          creatorGone: gone,
          budget: { path: dir, budget: { percent: 100 } }
        },
        { client }
      )
      expect(removals(calls)).toEqual([])
      expect(r.withinBudget).toBe(true)
    } finally {
      rmSync(dir, { recursive: true })
    }
  })

  test.each<[string, number | undefined, string[][]]>([
    ['down to the keep size first', 0, [['prune', '--keep-storage', '0']]],
    ['by age when no keep size is given', undefined, [['prune', '--keep-duration', '1h']]]
  ])('build cache on the local BuildKit: %s', async (_what, keep, prunes) => {
    const calls: string[][] = []
    const client = new Nerdctl({
      runner: async (spec: RunSpec) => {
        const argv = [spec.file, ...spec.args]
        calls.push(argv)
        return {
          stdout: argv.includes('du') ? fixture('buildctl-du.json') : '',
          stderr: '',
          exitCode: 0,
          timedOut: false,
          aborted: false
        }
      }
    })
    await prune(
      {
        olderThanMs: 3_600_000,
        buildCacheKeepBytes: keep,
        keepLabel: KEEP,
        creatorGone: () => false,
        buildkitAddress: 'unix:///x/buildkitd.sock',
        now: Date.now() + 10 * DAY
      },
      { client, buildctl: '/usr/local/bin/buildctl' }
    )
    const buildctl = calls.filter(c => c[0] === '/usr/local/bin/buildctl').map(c => c.slice(1))
    for (const c of buildctl) expect(c.slice(0, 2)).toEqual(['--addr', 'unix:///x/buildkitd.sock'])
    expect(buildctl[0]?.slice(2)).toEqual(['du', '--format', '{{json .}}'])
    expect(buildctl.filter(c => c.includes('prune')).map(c => c.slice(2))).toEqual(prunes)
  })
})

// ---- the action ------------------------------------------------------------------------

describe('inputs', () => {
  const read =
    (over: Record<string, string>) =>
    (name: string): string =>
      ({ ...DEFAULTS, ...over })[name] ?? ''

  test('off by default', () => expect(getInputs(read({})).disk.budget).toBeUndefined())

  test('a budget with its options', () => {
    expect(
      getInputs(
        read({
          'disk-budget': '80%',
          'prune-until': '72h',
          'build-cache-keep': '10GB',
          'prune-dry-run': 'true'
        })
      ).disk
    ).toEqual({
      budget: { percent: 80 },
      pruneUntilMs: 72 * 3_600_000,
      buildCacheKeepBytes: 10e9,
      dryRun: true
    })
  })

  test('prune-until defaults to 24h and may be longer than a week', () => {
    expect(getInputs(read({ 'disk-budget': '40GB' })).disk.pruneUntilMs).toBe(DAY)
    expect(
      getInputs(read({ 'disk-budget': '40GB', 'prune-until': '720h' })).disk.pruneUntilMs
    ).toBe(30 * DAY)
  })

  test.each<[Record<string, string>, string, RegExp]>([
    [{ 'disk-budget': 'half' }, 'disk-budget', /not a budget.*40GB.*80%/],
    [{ 'disk-budget': '150%' }, 'disk-budget', /not a budget/],
    [{ 'disk-budget': '40GB', 'prune-until': '3d' }, 'prune-until', /not an age.*72h/],
    [{ 'disk-budget': '40GB', 'build-cache-keep': 'big' }, 'build-cache-keep', /not a size/],
    [{ 'prune-until': '72h' }, 'prune-until', /without "disk-budget"/],
    [{ 'build-cache-keep': '1GB' }, 'build-cache-keep', /without "disk-budget"/],
    [{ 'prune-dry-run': 'true' }, 'prune-dry-run', /without "disk-budget"/]
  ])('%j is refused naming %s', (over, name, why) => {
    let error: unknown
    try {
      getInputs(read(over))
    } catch (e: unknown) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect(String((error as Error).message)).toContain(`Input "${name}"`)
    expect(String((error as Error).message)).toMatch(why)
  })
})

describe('containerd root', () => {
  test('the runner environment first', () =>
    expect(
      containerdRoot({ NERDCTL_ACTION_CONTAINERD_ROOT: '/data/containerd' }, () => 'root = "/x"')
    ).toBe('/data/containerd'))
  test("then the top-level root of containerd's config, not a section's", () => {
    const config =
      'version = 3\nroot = "/srv/ctr"\n[plugins."io.containerd.cri.v1.images"]\n  root = "/no"\n'
    expect(containerdRoot({}, () => config)).toBe('/srv/ctr')
    expect(containerdRoot({}, () => '[plugins.x]\nroot = "/no"\n')).toBe('/var/lib/containerd')
  })
  test('else containerd’s default', () =>
    expect(containerdRoot({}, () => undefined)).toBe('/var/lib/containerd'))
})

describe('the disk budget phase', () => {
  let out: Captured
  let dir: string
  beforeEach(() => {
    out = captureOutput()
    dir = mkdtempSync(join(tmpdir(), 'disk-phase-'))
    process.env.NERDCTL_ACTION_CONTAINERD_ROOT = dir
  })
  afterEach(() => {
    out.restore()
    delete process.env.NERDCTL_ACTION_CONTAINERD_ROOT
    rmSync(dir, { recursive: true })
  })

  function step(over: Record<string, string>): { step: StepContext; calls: string[][] } {
    const calls: string[][] = []
    const client = new Nerdctl({
      runner: async (spec: RunSpec) => {
        calls.push([spec.file, ...spec.args])
        return { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false }
      }
    })
    const plan = getInputs(name => ({ ...DEFAULTS, ...over })[name] ?? '')
    return {
      step: {
        plan,
        report: new Report(),
        call: { client },
        state: new StepState(),
        container: undefined,
        services: new Map(),
        failed: false,
        background: []
      },
      calls
    }
  }

  test('without disk-budget: nothing at all', async () => {
    const s = step({})
    await diskBudget(s.step)
    expect(s.calls).toEqual([])
    expect(s.step.report.phases).toEqual([])
  })

  test('under budget: one statfs, no nerdctl call, no summary row', async () => {
    const s = step({ 'disk-budget': '100%' })
    const t0 = performance.now()
    await diskBudget(s.step)
    expect(performance.now() - t0).toBeLessThan(50)
    expect(s.calls).toEqual([])
    expect(s.step.report.phases).toEqual([])
  })

  test('over budget: the store is accounted for and the report has the figures', async () => {
    const s = step({ 'disk-budget': '1', 'prune-dry-run': 'true' })
    await diskBudget(s.step)
    expect(s.calls.length).toBeGreaterThan(0)
    expect(s.step.report.phases.map(p => p.name)).toEqual(['disk budget'])
    const meta = JSON.parse(s.step.report.metadata()) as { disk?: Record<string, unknown> }
    expect(meta.disk).toMatchObject({ 'dry-run': true, budget: 1, 'within-budget': false })
    expect(s.step.report.sections.map(x => x.title)).toEqual(['disk budget'])
    expect(out.text()).toMatch(/still over the budget/)
  })
})

describe('machine lock', () => {
  test('a holder killed with SIGKILL leaves no lock behind: the kernel ends it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disk-lock-kill-'))
    try {
      // The module itself, transpiled, in a Node process of its own that takes
      // the lock and is then killed without a chance to release it.
      const source = readFileSync(join(ROOT, 'src', 'nerdctl', 'exec', 'lock.ts'), 'utf8')
      const js = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 }
      }).outputText
      writeFileSync(join(dir, 'lock.mjs'), js.replace('./programs.js', './programs.mjs'))
      writeFileSync(
        join(dir, 'programs.mjs'),
        "export const systemProgram = n => ['/usr/bin/' + n, '/bin/' + n].find(p => { try { return statSync(p).isFile() } catch { return false } })\nimport { statSync } from 'node:fs'\n"
      )
      writeFileSync(
        join(dir, 'holder.mjs'),
        "import { machineLock } from './lock.mjs'\nconst l = await machineLock(process.argv[2], 1000)\nconsole.log(l ? 'held' : 'not held')\nsetInterval(() => {}, 1000)\n"
      )
      const lockDir = join(dir, 'lock')
      const holder = spawn(process.execPath, [join(dir, 'holder.mjs'), lockDir])
      const said = await new Promise<string>(resolve =>
        holder.stdout.once('data', (c: Buffer) => resolve(c.toString().trim()))
      )
      expect(said).toBe('held')
      expect(await machineLock(lockDir, 200)).toBeUndefined()
      holder.kill('SIGKILL')
      const t0 = Date.now()
      const mine = await machineLock(lockDir, 5000)
      expect(mine).toBeDefined()
      expect(Date.now() - t0).toBeLessThan(3000)
      await mine?.release()
      // A process that takes and releases the lock runs on to its end (Node
      // must not find nothing left to wait for while the holder ends).
      writeFileSync(
        join(dir, 'release.mjs'),
        "import { machineLock } from './lock.mjs'\nconst l = await machineLock(process.argv[2], 1000)\nawait l?.release()\nconsole.log(l ? 'released' : 'not held')\n"
      )
      const out = await new Promise<string>(resolve => {
        const p = spawn(process.execPath, [join(dir, 'release.mjs'), lockDir])
        let text = ''
        p.stdout.on('data', (c: Buffer) => (text += c.toString()))
        p.on('close', () => resolve(text.trim()))
      })
      expect(out).toBe('released')
    } finally {
      rmSync(dir, { recursive: true })
    }
  })

  test('one holder at a time; another waits its time, then gets it once released', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disk-lock-'))
    const lockDir = join(dir, 'lock')
    try {
      const first = await machineLock(lockDir, 1000)
      expect(first).toBeDefined()
      const t0 = Date.now()
      expect(await machineLock(lockDir, 300)).toBeUndefined()
      expect(Date.now() - t0).toBeGreaterThanOrEqual(250)
      await first?.release()
      const second = await machineLock(lockDir, 1000)
      expect(second).toBeDefined()
      await second?.release()
    } finally {
      rmSync(dir, { recursive: true })
    }
  })
})
