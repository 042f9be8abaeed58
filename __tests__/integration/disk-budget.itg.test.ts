// The disk budget on a store of the test's own (scripts/disk-store.sh: a
// second containerd and BuildKit on a 160 MB tmpfs, their own state, socket,
// nerdctl data root and CNI directory), never the machine's, which every
// other test needs. The store is filled with images, build cache, running and
// stopped containers, networks and volumes of a live job, a dead job and no
// job (foreign), plus an image in another namespace; steps with disk-budget
// then prune it. Checked: a dry run removes nothing; two steps at once take
// turns (one prunes, the other finds the budget met); a step whose work needs
// the freed space succeeds, having removed only what may go, in order, and
// warns with the biggest items when nothing more may go.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, statfsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { JOB_LABEL, OWNER_LABEL } from '../../src/action/constants.js'
import { jobMarker } from '../../src/action/job-marker.js'
import { ActionStep, type StepRun } from './run-action.js'
import { BASE_IMAGE } from './helpers.js'
import { ROOT } from '../helpers/action-defaults.js'

const DIR = mkdtempSync(join(tmpdir(), 'disk-store-'))
const MB = 1e6
const KEEP = 'io.github.nerdctl-action.keep=true'
let env: Record<string, string> = {}
const steps: ActionStep[] = []

function store(...args: string[]): string {
  return execFileSync('bash', [join(ROOT, 'scripts', 'disk-store.sh'), ...args], {
    encoding: 'utf8'
  })
}

/** nerdctl on the test's store only: its socket on argv and its nerdctl.toml. */
function n(...args: string[]): string {
  return execFileSync('nerdctl', ['--address', env.DISK_STORE_ADDRESS as string, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NERDCTL_TOML: env.NERDCTL_TOML },
    stdio: ['ignore', 'pipe', 'pipe']
  })
}

function used(): number {
  const st = statfsSync(env.DISK_STORE_ROOT as string)
  return (st.blocks - st.bfree) * st.bsize
}

/** A directory with a file of `mb` incompressible megabytes. */
function payload(mb: number): string {
  const d = mkdtempSync(join(DIR, 'ctx-'))
  writeFileSync(
    join(d, 'big'),
    execFileSync('head', ['-c', String(mb * MB), '/dev/urandom'], { maxBuffer: 64 * MB })
  )
  return d
}

/** An image of `mb` random megabytes, from a tarball (no build, no network). */
function importImage(ref: string, mb: number, namespace?: string): void {
  const d = payload(mb)
  execFileSync('tar', ['-C', d, '-cf', join(d, 'rootfs.tar'), 'big'])
  n(...(namespace ? ['--namespace', namespace] : []), 'import', join(d, 'rootfs.tar'), ref)
}

/** A job marker of a process that has ended (the job "killed"). */
async function deadMarker(): Promise<string> {
  const child = spawn('sleep', ['0.2'])
  const marker = jobMarker(child.pid as number)
  await new Promise(resolve => child.on('close', resolve))
  if (!marker) throw new Error('no job marker could be made here')
  return marker
}

const labels = (owner: string, job: string, extra: string[] = []): string[] =>
  [`${OWNER_LABEL}=${owner}`, `${JOB_LABEL}=${job}`, ...extra].flatMap(l => ['--label', l])

function step(inputs: Record<string, string>): ActionStep {
  const s = new ActionStep(
    {
      address: env.DISK_STORE_ADDRESS as string,
      'buildkit-host': env.DISK_STORE_BUILDKIT as string,
      ...inputs
    },
    {
      NERDCTL_TOML: env.NERDCTL_TOML as string,
      NERDCTL_ACTION_CONTAINERD_ROOT: env.DISK_STORE_ROOT as string,
      BUILDKIT_HOST: env.DISK_STORE_BUILDKIT as string
    }
  )
  steps.push(s)
  return s
}

interface DiskFigures {
  'dry-run': boolean
  'within-budget': boolean
  before: { 'filesystem-used': number }
  after: { 'filesystem-used': number }
  removed: { kind: string; name: string; bytes: number }[]
}

function diskOf(run: StepRun): DiskFigures | undefined {
  const meta = JSON.parse(run.outputs.metadata ?? '{}') as { disk?: DiskFigures }
  return meta.disk
}

/** The lines of a listing, sorted (nerdctl orders by time, and ties move). */
const sorted = (text: string): string => text.trim().split('\n').sort().join('\n')
const names = {
  images: (): string => sorted(n('images', '--format', '{{.Name}}')),
  containers: (): string => sorted(n('ps', '-a', '--format', '{{.Names}}')),
  volumes: (): string => sorted(n('volume', 'ls', '--format', '{{.Name}}')),
  networks: (): string => sorted(n('network', 'ls', '--format', '{{.Name}}'))
}

/** The step's log when it is not what the test expects. */
function shown(run: StepRun | undefined): string {
  return `exit ${run?.exitCode}\n${run?.stdout ?? ''}`
}

let live = ''
let dead = ''

beforeAll(async () => {
  env = Object.fromEntries(
    store('up', DIR, '160')
      .trim()
      .split('\n')
      .map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
  )
  // Never the machine's store: the filesystem measured must be the small one.
  const st = statfsSync(env.DISK_STORE_ROOT as string)
  if (st.blocks * st.bsize > 200 * MB) throw new Error('the test store is not on its small tmpfs')

  live = jobMarker(process.pid) ?? ''
  dead = await deadMarker()
  n('pull', '-q', BASE_IMAGE)
  // Images: old ones no container uses (eligible), one a live job's service
  // runs, one a foreign stopped container was made from, one labelled keep
  // (built: the label is the image config's), one in another namespace.
  importImage('disk-itg/old-a:1', 12)
  importImage('disk-itg/old-b:1', 12)
  importImage('disk-itg/foreign:1', 6)
  importImage('disk-itg/other-ns:1', 6, 'disk-other')
  const keepCtx = payload(6)
  writeFileSync(join(keepCtx, 'Dockerfile'), `FROM scratch\nLABEL ${KEEP}\nCOPY big /big\n`)
  n(
    'build',
    '-q',
    '--buildkit-host',
    env.DISK_STORE_BUILDKIT as string,
    '-t',
    'disk-itg/keep:1',
    keepCtx
  )
  // Build cache of its own (a build whose image is then removed: only the cache stays).
  const cacheCtx = payload(12)
  writeFileSync(join(cacheCtx, 'Dockerfile'), 'FROM scratch\nCOPY big /cached\n')
  n(
    'build',
    '-q',
    '--buildkit-host',
    env.DISK_STORE_BUILDKIT as string,
    '-t',
    'disk-itg/cache:1',
    cacheCtx
  )
  n('rmi', 'disk-itg/cache:1')

  // A live job: a running service (busybox) with a volume, a stopped container with one.
  n('volume', 'create', ...labels('live', live), 'disk-itg-live-vol')
  n(
    'run',
    '-d',
    '--network',
    'none',
    '--name',
    'disk-itg-live-svc',
    ...labels('live', live),
    '-v',
    'disk-itg-live-vol:/data',
    BASE_IMAGE,
    'sleep',
    '600'
  )
  n(
    'run',
    '--network',
    'none',
    '--name',
    'disk-itg-live-done',
    ...labels('live', live),
    BASE_IMAGE,
    'true'
  )
  // A dead job: stopped containers, a volume only they mount, a network; a keep-labelled volume.
  n('volume', 'create', ...labels('dead', dead), 'disk-itg-dead-vol')
  n('volume', 'create', ...labels('dead', dead, [KEEP]), 'disk-itg-dead-keep-vol')
  n(
    'run',
    '--network',
    'none',
    '--name',
    'disk-itg-dead-done',
    ...labels('dead', dead),
    '-v',
    'disk-itg-dead-vol:/data',
    BASE_IMAGE,
    'sh',
    '-c',
    'head -c 3000000 /dev/urandom > /data/x'
  )
  n('network', 'create', ...labels('dead', dead), '--subnet', '10.213.7.0/24', 'disk-itg-dead-net')
  // Foreign: no labels at all (created, never started: the image has no programs).
  n('volume', 'create', 'disk-itg-foreign-vol')
  n('create', '--network', 'none', '--name', 'disk-itg-foreign', 'disk-itg/foreign:1', '/big')
}, 180_000)

afterAll(() => {
  for (const s of steps) s.remove()
  store('down', DIR)
})

test('a dry run says what would go, in order, and removes nothing', async () => {
  const before = [names.images(), names.containers(), names.volumes(), names.networks()]
  const run = await step({
    'disk-budget': '1',
    'prune-until': '0s',
    'prune-dry-run': 'true'
  }).main()
  expect(run.exitCode).toBe(0)
  expect([names.images(), names.containers(), names.volumes(), names.networks()]).toEqual(before)
  const disk = diskOf(run)
  expect(disk?.['dry-run']).toBe(true)
  const kinds = disk?.removed.map(r => r.kind) ?? []
  // Stages in order: cache, images, containers then networks, volumes.
  const order = ['build-cache', 'image', 'container', 'network', 'volume']
  expect(kinds.map(k => order.indexOf(k))).toEqual([...kinds.map(k => order.indexOf(k))].sort())
  expect(disk?.removed.map(r => r.name)).toEqual(
    expect.arrayContaining([
      'docker.io/disk-itg/old-a:1',
      'docker.io/disk-itg/old-b:1',
      'disk-itg-dead-done',
      'disk-itg-dead-net',
      'disk-itg-dead-vol'
    ])
  )
  expect(run.summary).toMatch(/would remove, in this order/)
}, 120_000)

test('two steps at once take turns: one prunes, the other finds the budget met', async () => {
  // Just under the current use: the first stage's cache prune is enough.
  const budget = String(used() - 1024 * 1024)
  const [a, b] = await Promise.all(
    [0, 1].map(() =>
      step({ 'disk-budget': budget, 'prune-until': '0s', 'build-cache-keep': '0' }).main()
    )
  )
  expect([a?.exitCode, b?.exitCode]).toEqual([0, 0])
  const pruned = [a, b].filter(r => r && diskOf(r))
  if (pruned.length !== 1) throw new Error(`${shown(a)}\n----\n${shown(b)}`)
  expect(diskOf(pruned[0] as StepRun)?.['within-budget']).toBe(true)
  // Stopped as soon as within budget: images and containers still all there.
  expect(names.images()).toContain('disk-itg/old-a:1')
  expect(names.containers()).toContain('disk-itg-dead-done')
  // The store still answers.
  expect(n('images', '-q').trim()).not.toBe('')
}, 120_000)

test('a step whose work needs the freed space succeeds, having removed only what may go', async () => {
  const st = statfsSync(env.DISK_STORE_ROOT as string)
  // More than is free now: only the prune makes room for it.
  const mb = Math.ceil((st.bavail * st.bsize) / MB) + 8
  const s = step({
    'disk-budget': '1',
    'prune-until': '0s',
    'build-cache-keep': '0',
    image: BASE_IMAGE,
    network: 'none',
    detach: 'false',
    command: `sh -c "head -c ${mb}000000 /dev/zero > /fill && echo wrote"`
  })
  const run = await s.main()
  if (run.exitCode !== 0 || !run.stdout.includes('wrote')) throw new Error(shown(run))
  const disk = diskOf(run)
  expect(disk?.['within-budget']).toBe(false)
  // Nothing more may go: a warning with the biggest items, and the step goes on.
  expect(run.stdout).toMatch(/still over the budget.*Biggest items/)
  const images = names.images()
  const containers = names.containers()
  const volumes = names.volumes()
  // Removed: old unused images, the dead job's stopped container, network and volume.
  expect(images).not.toContain('disk-itg/old-a:1')
  expect(images).not.toContain('disk-itg/old-b:1')
  expect(containers).not.toContain('disk-itg-dead-done')
  expect(volumes).not.toContain('disk-itg-dead-vol')
  expect(names.networks()).not.toContain('disk-itg-dead-net')
  // Kept: the live job's running service and its image, its stopped container
  // and volume, the foreign container and its image, the keep-labelled
  // image and volume, the foreign volume, and the other namespace's image.
  expect(n('inspect', '--format', '{{.State.Running}}', 'disk-itg-live-svc').trim()).toBe('true')
  expect(images).toContain(BASE_IMAGE.replace(/^docker\.io\//, ''))
  expect(containers).toContain('disk-itg-live-done')
  expect(volumes).toContain('disk-itg-live-vol')
  expect(containers).toContain('disk-itg-foreign')
  expect(images).toContain('disk-itg/foreign:1')
  expect(images).toContain('disk-itg/keep:1')
  expect(volumes).toContain('disk-itg-dead-keep-vol')
  expect(volumes).toContain('disk-itg-foreign-vol')
  expect(n('--namespace', 'disk-other', 'images', '--format', '{{.Name}}')).toContain(
    'disk-itg/other-ns:1'
  )
  // The order it went in.
  const order = ['build-cache', 'image', 'container', 'network', 'volume']
  const kinds = (disk?.removed ?? []).map(r => order.indexOf(r.kind))
  expect(kinds).toEqual([...kinds].sort())
  // The post step removes the step's container, checks again, and reports.
  const post = await s.post()
  expect(post.exitCode).toBe(0)
  expect(post.summary).toMatch(/disk budget \(post step\)/)
  expect(n('inspect', '--format', '{{.State.Running}}', 'disk-itg-live-svc').trim()).toBe('true')
}, 180_000)
