// Container env values on a shared runner, end to end: the bundled action,
// as the runner runs it, against the real stack. A service and the single
// container get exactly the values given (a multi-line one, one with "=" and
// spaces, one with "#", one with white space at either end), read back from
// /proc/1/environ inside them; a poller reading /proc/*/cmdline of every nerdctl
// and sudo process for as long as the step runs never sees a value (all
// local users can read those); the step's log, outputs and summary hold none;
// and no env file is left once the containers run.
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stepNode } from '../../src/cli/step.js'
import { Nerdctl, exec } from '../../src/nerdctl/index.js'
import { ROOT } from '../helpers/action-defaults.js'
import { ActionStep } from './run-action.js'
import { BASE_IMAGE, uniqueName } from './helpers.js'

/** The user scripts/test-users.sh gives the narrow sudoers line (NOPASSWD:SETENV: nerdctl, rm, cat). */
const NARROW = 'nerdctl-narrow'
const copies: string[] = []

/** The Node 24 and bundle `user` can run: the repo's own, or a world-readable copy. */
function runnableBy(user: string): { node: string; bundle: string } {
  const node = realpathSync(stepNode())
  const bundle = join(ROOT, 'dist', 'index.js')
  const probe = `require('fs').accessSync(${JSON.stringify(bundle)}, require('fs').constants.R_OK)`
  if (spawnSync('runuser', ['-u', user, '--', node, '-e', probe]).status === 0)
    return { node, bundle }
  const dir = mkdtempSync(join(tmpdir(), 'nerdctl-action-shared-env-'))
  copies.push(dir)
  chmodSync(dir, 0o755)
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true })
  copyFileSync(node, join(dir, 'node'))
  spawnSync('chmod', ['-R', 'a+rX', dir])
  return { node: join(dir, 'node'), bundle: join(dir, 'dist', 'index.js') }
}

const client = new Nerdctl()
const steps: ActionStep[] = []

afterAll(async () => {
  // Steps a failed test left without their post step.
  for (const s of steps) {
    await s.post().catch(() => undefined)
    s.remove()
  }
  for (const d of copies) rmSync(d, { recursive: true, force: true })
})

/** Values of the single container (the `env` input: one line each, trimmed at its end). */
const RUN_ENV: Record<string, string> = {
  RUN_PLAIN: 'run-plain-4b1e',
  RUN_EQ: 'a=b c = d run-eq-9c2f',
  RUN_HASH: '#run-hash-77d0 # not a comment',
  RUN_LEAD: '   run-lead-31a8'
}

/** Values of a service, from the services YAML. */
const SERVICE_ENV: Record<string, string> = {
  SVC_MULTI: '-----BEGIN KEY-----\nsvc-multi-5e6a\n  indented line\n-----END KEY-----',
  SVC_EQ: 'x=y z = w svc-eq-08f3',
  SVC_HASH: 'svc-hash-c4d2 # trailing words',
  SVC_EDGES: '  svc-edges-1f9b  ',
  SVC_QUOTES: `"svc-quotes-6a70" 'single' \\n`
}

/** The distinctive piece of each value, looked for everywhere. */
const MARKERS = [
  'run-plain-4b1e',
  'run-eq-9c2f',
  'run-hash-77d0',
  'run-lead-31a8',
  'svc-multi-5e6a',
  'svc-eq-08f3',
  'svc-hash-c4d2',
  'svc-edges-1f9b',
  'svc-quotes-6a70'
]

function servicesYaml(): string {
  const lines = Object.entries(SERVICE_ENV).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
  return `app:\n  image: ${BASE_IMAGE}\n  command: sleep 600\n  env:\n${lines.join('\n')}\n`
}

interface Sighting {
  pid: string
  comm: string
  cmdline: string
}

/**
 * Reads /proc/*\/cmdline of every process named nerdctl or sudo, as any local
 * user can, until stopped; keeps every command line seen and every one that
 * held a marker. Also records the modes of env files seen under `dir`.
 */
function pollCommandLines(dir: string): {
  stop: () => Promise<{ seen: Sighting[]; leaks: Sighting[]; envFileModes: number[] }>
} {
  const seen = new Map<string, Sighting>()
  const leaks = new Map<string, Sighting>()
  const envFileModes = new Set<number>()
  let running = true
  const once = (): void => {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue
      try {
        const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
        if (comm !== 'nerdctl' && comm !== 'sudo') continue
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
        const s = { pid, comm, cmdline }
        seen.set(`${pid} ${cmdline}`, s)
        if (MARKERS.some(m => cmdline.includes(m))) leaks.set(`${pid} ${cmdline}`, s)
        const i = cmdline.indexOf('--env-file ')
        if (i >= 0) {
          const file = cmdline.slice(i + '--env-file '.length).split(' ')[0] as string
          if (file.startsWith(dir)) envFileModes.add(statSync(file).mode & 0o777)
        }
      } catch {
        // Gone between the listing and the read, or the file already removed.
      }
    }
  }
  const loop = (async () => {
    while (running) {
      once()
      await new Promise(r => setTimeout(r, 2))
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
      return {
        seen: [...seen.values()],
        leaks: [...leaks.values()],
        envFileModes: [...envFileModes]
      }
    }
  }
}

/** Every path under `dir` whose name starts with nerdctl-env- (the library's env file directories). */
function envDirsUnder(dir: string): string[] {
  const found: string[] = []
  const walk = (d: string): void => {
    let entries: string[]
    try {
      entries = readdirSync(d)
    } catch {
      return
    }
    for (const e of entries) {
      const p = join(d, e)
      if (e.startsWith('nerdctl-env-')) found.push(p)
      try {
        if (statSync(p).isDirectory()) walk(p)
      } catch {
        // Removed while walking.
      }
    }
  }
  walk(dir)
  return found
}

/** The environment of a container's main process, exactly as it got it (/proc/1/environ). */
async function environmentOf(id: string): Promise<Record<string, string>> {
  const r = await client.exec(['exec', id, 'cat', '/proc/1/environ'])
  const env: Record<string, string> = {}
  for (const entry of r.stdout.split('\0').filter(e => e !== '')) {
    const eq = entry.indexOf('=')
    env[entry.slice(0, eq)] = entry.slice(eq + 1)
  }
  return env
}

function expectNoMarker(texts: Record<string, string>): void {
  for (const [where, text] of Object.entries(texts))
    for (const m of MARKERS) expect([where, m, text.includes(m)]).toEqual([where, m, false])
}

test.each([
  ['as root', {}, undefined],
  ['as root through sudo', { sudo: 'true' }, undefined],
  ['as a user with the narrow sudoers line, through sudo', { sudo: 'true' }, NARROW]
] as const)(
  '%s: exact values inside a service and the single container, none on any command line, no env file left',
  async (_how, extra, user) => {
    const name = uniqueName('shared-env')
    const step = new ActionStep(
      {
        ...extra,
        image: BASE_IMAGE,
        name,
        command: 'sleep 600',
        env: Object.entries(RUN_ENV)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n'),
        services: servicesYaml()
      },
      {},
      user ? { ...runnableBy(user), asUser: { name: user, umask: '027' } } : {}
    )
    steps.push(step)
    const poller = pollCommandLines(step.dir)
    const main = await step.main()
    const { seen, leaks, envFileModes } = await poller.stop()
    // The log comes with a failure, to show why.
    expect([main.exitCode, main.stdout]).toEqual([0, expect.not.stringContaining('::error::')])

    // The poller did see the step's runs, and never a value.
    expect(seen.filter(s => / run /.test(s.cmdline)).length).toBeGreaterThan(0)
    expect(leaks).toEqual([])
    expect(seen.some(s => / run /.test(s.cmdline) && s.cmdline.includes('--env-file'))).toBe(true)
    // Env files seen while nerdctl ran were its owner's alone.
    expect(envFileModes).toEqual([0o600])
    // None is left now that the containers run.
    expect(envDirsUnder(step.dir)).toEqual([])

    const single = main.outputs['container-id'] as string
    expect(single).toMatch(/^[0-9a-f]{64}$/)
    expect(await environmentOf(single)).toMatchObject(RUN_ENV)
    const services = JSON.parse(main.outputs.services as string) as Record<string, { id: string }>
    const app = services.app?.id as string
    expect(await environmentOf(app)).toMatchObject(SERVICE_ENV)

    // The log (debug lines included), outputs, state and summary hold no value.
    expect(main.stdout).toContain('::debug::[command]')
    expectNoMarker({
      log: main.stdout,
      outputs: JSON.stringify(main.outputs),
      state: JSON.stringify(main.state),
      summary: main.summary
    })

    steps.splice(steps.indexOf(step), 1)
    const post = await step.post()
    step.remove()
    expect(post.exitCode).toBe(0)
    expectNoMarker({ 'post log': post.stdout })
  },
  120_000
)

test('the library: exec with env gives the command exact values, none on a command line', async () => {
  const name = uniqueName('shared-env-exec')
  const scratch = mkdtempSync(join(tmpdir(), 'nerdctl-itg-exec-env-'))
  const poll = pollCommandLines(scratch)
  const own = new Nerdctl()
  await own.exec(['run', '-d', '--name', name, BASE_IMAGE, 'sleep', '600'])
  try {
    const env = Object.entries(SERVICE_ENV)
    const r = await exec(name, ['env', '-0'], { client: own, env })
    const got = Object.fromEntries(
      r.stdout
        .split('\0')
        .filter(e => e !== '')
        .map(e => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])
    )
    for (const [k, v] of env) expect([k, got[k]]).toEqual([k, v])
    const { leaks, seen } = await poll.stop()
    expect(seen.some(s => s.cmdline.includes(' exec '))).toBe(true)
    expect(leaks).toEqual([])
  } finally {
    await poll.stop()
    await own.exec(['rm', '-f', name]).catch(() => undefined)
    rmSync(scratch, { recursive: true, force: true })
  }
})
