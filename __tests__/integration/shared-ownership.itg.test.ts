// Shared runners, end to end through the bundle on the real stack: a step
// only adopts, prints or removes what it made itself, its logins never reach
// the runner user's Docker config, everything it makes carries the job marker
// so that a later job reaps what a killed one left, and a marker whose
// process /proc will not show counts as alive. Each case is two jobs (two
// steps with their own run IDs and markers), or one job beside a container or
// a Docker config the test made as a canary; never the machine's own.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  cpSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { JOB_LABEL, OWNER_LABEL } from '../../src/action/constants.js'
import { stepNode } from '../../src/cli/step.js'
import { ROOT } from '../helpers/action-defaults.js'
import {
  Nerdctl,
  imagePush,
  imageRemove,
  imageTag,
  inspect,
  list,
  login,
  networkList
} from '../../src/nerdctl/index.js'
import { ActionStep } from './run-action.js'
import {
  AUTH_PASSWORD,
  AUTH_REGISTRY,
  AUTH_USER,
  BASE_IMAGE,
  TEST_LABEL,
  tempDir,
  uniqueName
} from './helpers.js'

const client = new Nerdctl()
const steps: ActionStep[] = []
const dirs: { remove: () => void }[] = []
const containers: string[] = []
const networks: string[] = []

function step(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  how: ConstructorParameters<typeof ActionStep>[2] = {}
): ActionStep {
  const s = new ActionStep(inputs, env, how)
  steps.push(s)
  return s
}

function dir(prefix: string): string {
  const d = tempDir(prefix)
  dirs.push(d)
  return d.path
}

afterAll(async () => {
  if (containers.length) await client.exec(['rm', '-f', ...containers], { allowFailure: true })
  for (const n of networks) await client.exec(['network', 'rm', n], { allowFailure: true })
  for (const s of steps) s.remove()
  for (const d of dirs) d.remove()
})

const PID_NS = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] as string
const startOf = (pid: number): string =>
  readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19] as string
/** A PID no process has any more. */
const gonePid = (): string => spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim()

/** A container of another job: its name, its ID, labelled as the test wants. */
async function foreignContainer(
  prefix: string,
  labels: string[] = [],
  command = 'exec sleep 600'
): Promise<{ name: string; id: string }> {
  const name = uniqueName(prefix)
  containers.push(name)
  const flags = [TEST_LABEL, ...labels].flatMap(l => ['--label', l])
  const { stdout } = await client.exec([
    'run',
    '-d',
    '--name',
    name,
    ...flags,
    BASE_IMAGE,
    'sh',
    '-c',
    command
  ])
  return { name, id: stdout.trim() }
}

/**
 * A node that runs the bundle as the child of a shell that then exits: the
 * job's runner process, which the step's marker names, is gone once main
 * returns, as when a job is killed with its runner.
 */
function killedRunnerNode(): string {
  const wrapper = join(dir('own-killed-'), 'node')
  writeFileSync(wrapper, `#!/bin/sh\n'${stepNode()}' "$@"\n`)
  chmodSync(wrapper, 0o755)
  return wrapper
}

/** The bundle and Node 24 in a world-readable copy, for a step run as an ordinary user. */
function bundleForUsers(): { node: string; bundle: string } {
  const d = dir('own-users-')
  chmodSync(d, 0o755)
  cpSync(join(ROOT, 'dist'), join(d, 'dist'), { recursive: true })
  copyFileSync(realpathSync(stepNode()), join(d, 'node'))
  execFileSync('chmod', ['-R', 'a+rX', d])
  return { node: join(d, 'node'), bundle: join(d, 'dist', 'index.js') }
}

test('a foreground run through sudo, under umask 027, knows its own container by the ID file root wrote', async () => {
  const name = uniqueName('own-fg-sudo')
  containers.push(name)
  const s = step(
    { sudo: 'true', image: BASE_IMAGE, name, detach: 'false', command: 'echo ran-as-mine' },
    { GITHUB_RUN_ID: '7008' },
    { ...bundleForUsers(), asUser: { name: 'nerdctl-runner', umask: '027' } }
  )
  const main = await s.main()
  expect(main.stdout).not.toMatch(/::error::/)
  expect(main.exitCode).toBe(0)
  expect(main.stdout).toContain('ran-as-mine')
  expect(main.outputs['container-id']).toBe((await inspect(name, { client })).id)
  expect((await s.post()).exitCode).toBe(0)
  expect((await list(true, { client })).map(c => c.name)).not.toContain(name)
})

test("a foreground run with the name of another job's container fails, and never adopts, prints, outputs or removes it", async () => {
  const other = await foreignContainer(
    'own-foreign',
    [],
    'echo other-jobs-private-line; exec sleep 600'
  )
  const s = step(
    { image: BASE_IMAGE, name: other.name, detach: 'false', command: 'echo mine' },
    { GITHUB_RUN_ID: '7001' }
  )
  const main = await s.main()
  expect(main.exitCode).not.toBe(0)
  expect(main.stdout).toMatch(/is already used by ID/)
  expect(main.outputs['container-id']).toBeUndefined()
  expect(main.outputs['exit-code']).toBeUndefined()
  for (const text of [main.stdout, main.summary, JSON.stringify(main.outputs)])
    expect(text).not.toContain('other-jobs-private-line')
  expect(JSON.stringify(main.outputs)).not.toContain(other.id)
  expect(JSON.stringify(main.state)).not.toContain(other.id)
  const post = await s.post()
  expect(post.exitCode).toBe(0)
  expect(post.stdout).not.toContain(other.id.slice(0, 12))
  const still = await inspect(other.name, { client })
  expect(still.id).toBe(other.id)
  expect(still.running).toBe(true)
})

describe("a service's credentials never reach the runner user's Docker config", () => {
  let image = ''
  beforeAll(async () => {
    image = `${AUTH_REGISTRY}/itg/own-cred:${uniqueName('c').slice(4)}`
    // Pushed with a Docker config of the test's own, not the machine's.
    const pusher = new Nerdctl({ env: { DOCKER_CONFIG: dir('own-pusher-') } })
    await imageTag(BASE_IMAGE, image, { client })
    await login({
      client: pusher,
      registry: AUTH_REGISTRY,
      username: AUTH_USER,
      password: AUTH_PASSWORD
    })
    await imagePush(image, undefined, { client: pusher })
  })
  afterAll(async () => {
    await imageRemove(image, { client, force: true }).catch(() => undefined)
  })

  /** The runner user's config and home, canaries the test made: what they hold now. */
  function canary(): { env: Record<string, string>; now: () => string } {
    const home = dir('own-home-')
    const config = dir('own-docker-config-')
    writeFileSync(join(config, 'config.json'), '{"auths": {}}\n')
    const now = (): string =>
      JSON.stringify({
        home: readdirSync(home),
        config: readdirSync(config),
        json: readFileSync(join(config, 'config.json'), 'utf8')
      })
    return { env: { HOME: home, DOCKER_CONFIG: config }, now }
  }

  const services = (wait: string): string => `
app:
  image: ${image}
  command: sleep 600
  credentials:
    username: ${AUTH_USER}
    password: ${AUTH_PASSWORD}
${wait}`

  test('a step that succeeds', async () => {
    await imageRemove(image, { client, force: true }).catch(() => undefined)
    const { env, now } = canary()
    const before = now()
    const s = step({ services: services('') }, { ...env, GITHUB_RUN_ID: '7002' })
    const main = await s.main()
    expect(main.stdout).not.toMatch(/::error::/)
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain(`app: logged in to ${AUTH_REGISTRY} as ${AUTH_USER}`)
    expect(now()).toBe(before)
    await s.post()
    expect(now()).toBe(before)
  })

  test('a job cancelled while its service starts', async () => {
    await imageRemove(image, { client, force: true }).catch(() => undefined)
    const { env, now } = canary()
    const before = now()
    const cancel = new AbortController()
    // Cancelled once logged in, while the service waits for a port that never opens.
    const s = step(
      { services: services('  wait:\n    port: 9\n    timeout: 5m\n') },
      { ...env, GITHUB_RUN_ID: '7003' },
      { onOutput: chunk => void (chunk.includes('app: started') && cancel.abort()) }
    )
    const main = await s.main(cancel.signal)
    expect(cancel.signal.aborted).toBe(true)
    expect(main.exitCode).not.toBe(0)
    expect(main.stdout).toContain(`app: logged in to ${AUTH_REGISTRY}`)
    // Its own logout still ran, under a limit of its own.
    expect(main.stdout).not.toMatch(/logout from .* failed/)
    expect(now()).toBe(before)
    await s.post()
    expect(now()).toBe(before)
  })
})

describe('what a killed job left is reaped by a later job', () => {
  test("a killed job's image container and its script's network; a normal post removes a script's network", async () => {
    const network = uniqueName('own-script-net')
    networks.push(network)
    const name = uniqueName('own-killed')
    containers.push(name)
    const killed = step(
      {
        image: BASE_IMAGE,
        name,
        command: 'sleep 600',
        script: `await nerdctl.networkCreate(${JSON.stringify(network)}); return 'made'`
      },
      { GITHUB_RUN_ID: '7004' },
      { node: killedRunnerNode() }
    )
    const a = await killed.main()
    expect(a.stdout).not.toMatch(/::error::/)
    expect(a.exitCode).toBe(0)
    // Its post step never runs: the job was killed. Both carry the (dead) job marker.
    const marker = (await inspect(name, { client })).labels[JOB_LABEL]
    expect(marker).toMatch(/^\d+-\d+-\d+-\d+$/)
    const net = (await networkList({ client })).find(n => n.name === network)
    expect(net?.labels[JOB_LABEL]).toBe(marker)

    const later = step(
      { services: `one:\n  image: ${BASE_IMAGE}\n  command: sleep 600\n` },
      {
        GITHUB_RUN_ID: '7005'
      }
    )
    const b = await later.main()
    expect(b.exitCode).toBe(0)
    expect(b.stdout).toContain(`reap: removed container ${name}`)
    expect(b.stdout).toContain(`reap: removed network ${network}`)
    expect((await list(true, { client })).map(c => c.name)).not.toContain(name)
    expect((await networkList({ client })).map(n => n.name)).not.toContain(network)
    await later.post()

    // A job that ends normally: its post step removes the network its script made.
    const own = uniqueName('own-script-net')
    networks.push(own)
    const normal = step(
      { script: `await nerdctl.networkCreate(${JSON.stringify(own)}); return 'made'` },
      { GITHUB_RUN_ID: '7006' }
    )
    expect((await normal.main()).exitCode).toBe(0)
    expect((await networkList({ client })).map(n => n.name)).toContain(own)
    const post = await normal.post()
    expect(post.stdout).toContain(`removed network ${own}`)
    expect((await networkList({ client })).map(n => n.name)).not.toContain(own)
  })
})

describe('where /proc hides other users processes (hidepid)', () => {
  let sleeper: ChildProcess | undefined
  afterAll(() => {
    sleeper?.kill()
  })

  /**
   * A node that runs the bundle in a mount namespace of its own, with a /proc
   * mounted there with hidepid=2 (the machine's /proc is not touched), as root
   * without CAP_SYS_PTRACE and outside the mount's gid: other users'
   * processes are invisible to the step, as to a runner user on such a host.
   */
  function hidepidNode(): string {
    const wrapper = join(dir('own-hidepid-'), 'node')
    const inner = `mount -t proc -o hidepid=2,gid=54321 proc /proc && exec setpriv --bounding-set -sys_ptrace --inh-caps -sys_ptrace -- "$0" "$@"`
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexec unshare -m --propagation private sh -c '${inner}' '${stepNode()}' "$@"\n`
    )
    chmodSync(wrapper, 0o755)
    return wrapper
  }

  test("a live job's marker that the step cannot see counts as alive; a gone one of its own user is reaped", async () => {
    // A live job of another user (nobody), whose runner process the step cannot see.
    sleeper = spawn(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', 'sleep', '600'],
      {
        stdio: 'ignore'
      }
    )
    const pid = sleeper.pid as number
    await new Promise(r => setTimeout(r, 200))
    const start = startOf(pid)
    const made = {
      live: await foreignContainer('own-hidden-live', [
        `${OWNER_LABEL}=other-job`,
        `${JOB_LABEL}=${PID_NS}-${pid}-${start}-65534`
      ]),
      // A marker of the form earlier releases wrote, without the user.
      liveOld: await foreignContainer('own-hidden-old', [
        `${OWNER_LABEL}=other-job`,
        `${JOB_LABEL}=${PID_NS}-${pid}-${start}`
      ]),
      // A job of the step's own user (root here), gone: /proc would show it.
      gone: await foreignContainer('own-hidden-gone', [
        `${OWNER_LABEL}=other-job`,
        `${JOB_LABEL}=${PID_NS}-${gonePid()}-1-0`
      ])
    }
    const s = step(
      { services: `one:\n  image: ${BASE_IMAGE}\n  command: sleep 600\n` },
      { GITHUB_RUN_ID: '7007' },
      { node: hidepidNode() }
    )
    const main = await s.main()
    expect(main.stdout).not.toMatch(/::error::/)
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain(`reap: removed container ${made.gone.name}`)
    expect(main.stdout).not.toContain(made.live.name)
    expect(main.stdout).not.toContain(made.liveOld.name)
    for (const c of [made.live, made.liveOld])
      expect((await inspect(c.name, { client })).running).toBe(true)
    await s.post()
  })
})
