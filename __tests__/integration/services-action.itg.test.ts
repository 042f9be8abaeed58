// The services input end to end: the bundled action run as the runner runs
// it, against the real stack. Two steps with the same services at once, a
// service that exits, reaping what a killed job left, and nothing left after
// the post steps.
import { spawnSync } from 'node:child_process'
import { readFileSync, readlinkSync } from 'node:fs'
import { JOB_LABEL, OWNER_LABEL } from '../../src/action/constants.js'
import {
  Nerdctl,
  imagePush,
  imageRemove,
  imageTag,
  list,
  login,
  logout,
  networkList
} from '../../src/nerdctl/index.js'
import { ActionStep } from './run-action.js'
import {
  AUTH_PASSWORD,
  AUTH_REGISTRY,
  AUTH_USER,
  BASE_IMAGE,
  TEST_LABEL,
  httpGet,
  uniqueName
} from './helpers.js'

const client = new Nerdctl()
const steps: ActionStep[] = []

function step(inputs: Record<string, string>): ActionStep {
  const s = new ActionStep(inputs)
  steps.push(s)
  return s
}

afterAll(() => {
  for (const s of steps) s.remove()
})

// A services block as it stands in a GitHub workflow (only indented under the input).
const SERVICES = `
web:
  image: ${BASE_IMAGE}
  command: sh -c "mkdir -p /www && echo hello-from-web > /www/index.html && exec httpd -f -p 8080 -h /www"
  ports:
    - 8080
  wait:
    http: 8080/index.html
cache:
  image: ${BASE_IMAGE}
  command: ["sh", "-c", "sleep 0.3; exec nc -ll -p 6379 -e cat"]
  wait:
    port: 6379
worker:
  image: ${BASE_IMAGE}
  env:
    TARGET: http://web:8080/index.html
  command:
    - sh
    - -c
    - 'echo "fetched: $(timeout 5 wget -qO- $TARGET)"; exec sleep 600'
  depends-on: [web, cache]
  options: --memory 64m
  wait:
    log: "^fetched: hello-from-web$"
`

async function leftovers(token: string): Promise<string[]> {
  const filters = [`label=${OWNER_LABEL}=${token}`]
  return [
    ...(await list(true, { client, filters })).map(c => `container ${c.name}`),
    ...(await networkList({ client, filters })).map(n => `network ${n.name}`)
  ]
}

test('two steps with the same services at once: both ready, outputs, summary; post removes all', async () => {
  const [a, b] = [step({ services: SERVICES }), step({ services: SERVICES })]
  const [ma, mb] = await Promise.all([a.main(), b.main()])
  for (const m of [ma, mb]) {
    expect(m.stdout).not.toMatch(/::error::/)
    expect(m.exitCode).toBe(0)
    const out = JSON.parse(m.outputs.services as string) as Record<
      string,
      {
        id: string
        name: string
        ip: string
        network: string
        ports: Record<string, string>
        health: string
        'ready-ms': number
      }
    >
    expect(Object.keys(out).sort()).toEqual(['cache', 'web', 'worker'])
    expect(out.web?.name).toBe(`${out.web?.network}-web`)
    expect(out.web?.id).toMatch(/^[0-9a-f]{64}$/)
    // A port published without a host port: nerdctl picked one, and it answers.
    const hostPort = out.web?.ports['8080']
    expect(hostPort).toMatch(/^\d+$/)
    expect((await httpGet(`http://127.0.0.1:${hostPort}/index.html`)).body).toContain(
      'hello-from-web'
    )
    expect(m.summary).toContain('ready after')
    expect(m.stdout).toMatch(/worker: ready after \d+ ms/)
  }
  const [oa, ob] = [ma, mb].map(
    m => JSON.parse(m.outputs.services as string) as Record<string, { network: string }>
  )
  expect(oa?.web?.network).not.toBe(ob?.web?.network)
  const [pa, pb] = await Promise.all([a.post(), b.post()])
  expect(pa.exitCode).toBe(0)
  expect(pb.exitCode).toBe(0)
  expect(pa.stdout).toMatch(/removed network nerdctl-action-4242-svc-/)
  expect(await leftovers(ma.state.token as string)).toEqual([])
  expect(await leftovers(mb.state.token as string)).toEqual([])
})

test('a service that exits fails the step at once with its last logs; post removes it', async () => {
  const s = step({
    services: `
db:
  image: ${BASE_IMAGE}
  command: sh -c "echo starting-db; echo fatal-config-error >&2; sleep 0.2; exit 3"
  wait:
    port: 5432
    timeout: 2m
`
  })
  const main = await s.main()
  expect(main.exitCode).not.toBe(0)
  expect(main.stdout).toMatch(/::error::service db: container .* is not ready: it is exited/)
  expect(main.stdout).toContain('fatal-config-error')
  expect(main.summary).toContain('fatal-config-error')
  expect(main.ms).toBeLessThan(10_000)
  const post = await s.post()
  expect(post.exitCode).toBe(0)
  expect(await leftovers(main.state.token as string)).toEqual([])
})

test('a health check that never passes fails the step at its health-retries', async () => {
  const s = step({
    services: `
sick:
  image: ${BASE_IMAGE}
  command: sleep 600
  health-cmd: echo still-not-ready; exit 1
  health-interval: 500ms
  health-retries: 2
`
  })
  const main = await s.main()
  expect(main.exitCode).not.toBe(0)
  expect(main.stdout).toMatch(/service sick: container .* is unhealthy after 2 failed probe/)
  expect(main.stdout).toContain('still-not-ready')
  expect(main.ms).toBeLessThan(15_000)
  await s.post()
  expect(await leftovers(main.state.token as string)).toEqual([])
})

test('reap removes what a killed job left, never what a running job has', async () => {
  const ns = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] as string
  // A process that ran and is gone: its PID names no running job.
  const gone = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim()
  const start = (pid: number | string): string =>
    readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19] as string
  const dead = `${ns}-${gone}-1`
  const alive = `${ns}-${process.pid}-${start(process.pid)}`
  const made = { dead: uniqueName('reap-dead'), alive: uniqueName('reap-alive') }
  const labels = (marker: string): string[] => [
    '--label',
    TEST_LABEL,
    '--label',
    `${OWNER_LABEL}=killed-step`,
    '--label',
    `${JOB_LABEL}=${marker}`
  ]
  for (const [which, marker] of [
    ['dead', dead],
    ['alive', alive]
  ] as const) {
    await client.exec(['network', 'create', ...labels(marker), made[which]])
    await client.exec([
      'run',
      '-d',
      '--name',
      made[which],
      '--network',
      made[which],
      ...labels(marker),
      BASE_IMAGE,
      'sleep',
      '600'
    ])
  }
  try {
    const s = step({ services: `one:\n  image: ${BASE_IMAGE}\n  command: sleep 600\n` })
    const main = await s.main()
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain(`reap: removed container ${made.dead}`)
    expect(main.stdout).toContain(`reap: removed network ${made.dead}`)
    expect(main.stdout).not.toMatch(/reap: removed \w+ itg-reap-alive/)
    const names = (await list(true, { client })).map(c => c.name)
    expect(names).toContain(made.alive)
    expect(names).not.toContain(made.dead)
    expect((await networkList({ client })).map(n => n.name)).toContain(made.alive)
    await s.post()
    expect(await leftovers(main.state.token as string)).toEqual([])
  } finally {
    await client.exec(['rm', '-f', made.alive, made.dead], { allowFailure: true })
    await client.exec(['network', 'rm', made.alive, made.dead], { allowFailure: true })
  }
})

test('credentials: an image only the auth registry has is pulled after a login on stdin; the password is nowhere', async () => {
  const image = `${AUTH_REGISTRY}/itg/svc-cred:${uniqueName('c').slice(4)}`
  await imageTag(BASE_IMAGE, image, { client })
  await login({ client, registry: AUTH_REGISTRY, username: AUTH_USER, password: AUTH_PASSWORD })
  await imagePush(image, undefined, { client })
  await logout(AUTH_REGISTRY, { client })
  // Not on the runner any more: starting the service must pull it, with the credentials.
  await imageRemove(image, { client, force: true })
  try {
    const s = step({
      services: `
app:
  image: ${image}
  command: sleep 600
  credentials:
    username: ${AUTH_USER}
    password: ${AUTH_PASSWORD}
`
    })
    const main = await s.main()
    expect(main.stdout).not.toMatch(/::error::/)
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain(`app: logged in to ${AUTH_REGISTRY} as ${AUTH_USER}`)
    const visible = main.stdout
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n')
    expect(visible).not.toContain(AUTH_PASSWORD)
    expect(JSON.stringify(main.state)).not.toContain(AUTH_PASSWORD)
    expect(main.summary).not.toContain(AUTH_PASSWORD)
    await s.post()
    expect(await leftovers(main.state.token as string)).toEqual([])
  } finally {
    await imageRemove(image, { client, force: true }).catch(() => undefined)
  }
})
