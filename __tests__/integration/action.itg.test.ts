// The bundled action end to end, run as the runner runs it (node dist/index.js
// with INPUT_*, GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY; then the post
// step with STATE_*), against the real stack.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Nerdctl, list } from '../../src/nerdctl/index.js'
import { OWNER_LABEL } from '../../src/action/constants.js'
import { ActionStep } from './run-action.js'
import {
  AUTH_PASSWORD,
  AUTH_REGISTRY,
  AUTH_USER,
  BASE_IMAGE,
  BUILDKIT_HOST,
  REGISTRY,
  freePort,
  httpGet,
  removeQuietly,
  tempDir,
  uniqueName
} from './helpers.js'

const client = new Nerdctl()
const steps: ActionStep[] = []
const images: string[] = []

function step(inputs: Record<string, string>, env: Record<string, string> = {}): ActionStep {
  const s = new ActionStep(inputs, env)
  steps.push(s)
  return s
}

async function containersOf(token: string): Promise<string[]> {
  return (await list(true, { client, filters: [`label=${OWNER_LABEL}=${token}`] })).map(c => c.id)
}

afterAll(async () => {
  await removeQuietly(client, { images })
  for (const s of steps) s.remove()
})

test('build, push, save, run a service, wait for healthy, exec, copy, commit, export; post cleans up', async () => {
  const tag = `${REGISTRY}/itg/action:${uniqueName('a').slice(4)}`
  const committed = `${REGISTRY}/itg/action-committed:${uniqueName('c').slice(4)}`
  images.push(tag, committed)
  const port = await freePort()
  const app = tempDir('nerdctl-action-app-')
  const ctx = app.path
  writeFileSync(
    join(ctx, 'Dockerfile'),
    `FROM ${BASE_IMAGE}\nARG MESSAGE\nRUN mkdir -p /srv && echo "$MESSAGE" > /srv/index.html\nCMD ["httpd", "-f", "-p", "80", "-h", "/srv"]\n`
  )
  const s = step({
    context: ctx,
    tags: tag,
    'build-args': 'MESSAGE=hello from the action',
    'buildkit-host': BUILDKIT_HOST,
    push: 'true',
    save: 'out/images.tar',
    run: 'true',
    ports: `127.0.0.1:${port}:80`,
    env: 'MODE=test\nDSN=postgres://u:p@h/db?x=1',
    'health-cmd': 'wget -q -O- http://127.0.0.1:80/ | grep -q hello',
    'health-interval': '30s',
    exec: 'test "$MODE" = test\necho exec-says-hi',
    copy: ':/srv/index.html -> out/index.html',
    commit: committed,
    export: 'out/fs.tar',
    stats: 'true'
  })
  const main = await s.main()
  expect(main.stdout).not.toMatch(/::error::/)
  expect(main.exitCode).toBe(0)
  // A service that is up at once is healthy long before its 30s interval.
  expect(main.ms).toBeLessThan(15_000)
  const o = main.outputs
  expect(o['image-id']).toMatch(/^sha256:[0-9a-f]{64}$/)
  expect(o.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
  expect(o.tags).toBe(tag)
  expect(o['container-id']).toMatch(/^[0-9a-f]{64}$/)
  expect(o['container-name']).toMatch(/^nerdctl-action-4242-/)
  expect(o.status).toBe('running')
  expect(o.health).toBe('healthy')
  expect(JSON.parse(o.stats as string)).toHaveProperty('memoryUsageBytes')
  const meta = JSON.parse(o.metadata as string) as { phases: { name: string; ok: boolean }[] }
  expect(meta.phases.map(p => p.name)).toEqual([
    'build',
    'push',
    'save',
    'run',
    'wait',
    'exec',
    'copy',
    'commit',
    'export',
    'stats'
  ])
  expect(main.stdout).toContain('exec-says-hi')
  expect(o['save-path']).toBe(join(s.dir, 'out', 'images.tar'))
  expect(execFileSync('tar', ['-tf', o['save-path'] as string], { encoding: 'utf8' })).toContain(
    'index.json'
  )
  expect(o['export-path']).toBe(join(s.dir, 'out', 'fs.tar'))
  expect(execFileSync('tar', ['-tf', o['export-path'] as string], { encoding: 'utf8' })).toContain(
    'srv/index.html'
  )
  expect(readFileSync(join(s.dir, 'out', 'index.html'), 'utf8')).toBe('hello from the action\n')
  expect((await httpGet(`http://127.0.0.1:${port}/`)).body).toBe('hello from the action\n')
  expect(main.summary).toContain('<table>')
  expect(main.summary).toContain(tag)
  expect(main.summary).toContain('healthy')

  const token = main.state.token as string
  expect(await containersOf(token)).toEqual([o['container-id']])
  // A partial name main did not record (another writer's, in a shared
  // directory) is left alone; the step's scratch directory goes.
  const partial = join(s.dir, 'out', '.fs.tar.partial-0badf00d')
  writeFileSync(partial, 'half a tarball')
  expect(existsSync(main.state.tempDir as string)).toBe(true)
  const post = await s.post()
  expect(post.exitCode).toBe(0)
  expect(post.stdout).toContain(`removed container ${(o['container-id'] as string).slice(0, 12)}`)
  expect(await containersOf(token)).toEqual([])
  expect(existsSync(partial)).toBe(true)
  expect(existsSync(join(s.dir, 'out', 'fs.tar'))).toBe(true)
  expect(existsSync(main.state.tempDir as string)).toBe(false)
  app.remove()
})

test('an invalid input fails before anything runs, naming the input and the expected form', async () => {
  const before = (await list(true, { client })).length
  const s = step({ image: BASE_IMAGE, ports: 'eighty:80', command: 'sleep 60' })
  const main = await s.main()
  expect(main.exitCode).not.toBe(0)
  expect(main.stdout).toMatch(/::error::Input "ports": port "eighty:80" is invalid: expected/)
  expect((await list(true, { client })).length).toBe(before)
  expect(main.state.token).toBeUndefined()
  const post = await s.post()
  expect(post.exitCode).toBe(0)
  expect(post.stdout).toContain('Nothing to clean up')
})

test('an unhealthy service fails the step quickly with its probe output and logs; post removes it', async () => {
  const s = step({
    image: BASE_IMAGE,
    command: "sh -c 'echo starting-service; sleep 600'",
    'health-cmd': 'echo db-not-ready; exit 1',
    'health-interval': '1s',
    'health-retries': '2'
  })
  const main = await s.main()
  expect(main.exitCode).not.toBe(0)
  expect(main.ms).toBeLessThan(20_000)
  expect(main.stdout).toMatch(/::error::container .* is unhealthy/)
  expect(main.stdout).toContain('db-not-ready')
  expect(main.stdout).toContain('starting-service')
  expect(main.outputs.health).toBe('unhealthy')
  expect(main.outputs['container-id']).toMatch(/^[0-9a-f]{64}$/)
  const post = await s.post()
  expect(post.exitCode).toBe(0)
  expect(await containersOf(main.state.token as string)).toEqual([])
})

test('detach false runs to completion, sets exit-code, and fails the step on a non-zero exit', async () => {
  const ok = step({ image: BASE_IMAGE, detach: 'false', command: 'echo done-running' })
  const r1 = await ok.main()
  expect(r1.exitCode).toBe(0)
  expect(r1.outputs['exit-code']).toBe('0')
  expect(r1.outputs.status).toBe('exited')
  expect(r1.stdout).toContain('done-running')
  await ok.post()

  const bad = step({ image: BASE_IMAGE, detach: 'false', command: "sh -c 'exit 5'" })
  const r2 = await bad.main()
  expect(r2.exitCode).not.toBe(0)
  expect(r2.outputs['exit-code']).toBe('5')
  expect(r2.stdout).toMatch(/::error::container .* exited with code 5/)
  await bad.post()
  expect(await containersOf(r2.state.token as string)).toEqual([])
})

test('the post step finds the container by its label when the ID was never saved, and touches nothing else', async () => {
  const foreign = uniqueName('foreign')
  await client.exec(['run', '-d', '--name', foreign, BASE_IMAGE, 'sleep', '600'])
  try {
    const s = step({ image: BASE_IMAGE, command: 'sleep 600' })
    const main = await s.main()
    expect(main.exitCode).toBe(0)
    // As after a main killed before it saved the ID: then it never said its list was complete either.
    const post = await s.post(['containers', 'complete'])
    expect(post.exitCode).toBe(0)
    expect(await containersOf(main.state.token as string)).toEqual([])
    expect((await list(false, { client, filters: [`name=${foreign}`] })).length).toBe(1)
  } finally {
    await removeQuietly(client, { containers: [foreign] })
  }
})

test('cleanup false keeps the container for later jobs', async () => {
  const name = uniqueName('kept')
  try {
    const s = step({ image: BASE_IMAGE, name, command: 'sleep 600', cleanup: 'false' })
    expect((await s.main()).outputs['container-name']).toBe(name)
    const post = await s.post()
    expect(post.stdout).toContain('cleanup is false')
    expect((await list(false, { client, filters: [`name=${name}`] })).length).toBe(1)
  } finally {
    await removeQuietly(client, { containers: [name] })
  }
})

test('logs in with the password on stdin, pushes to the auth registry, logs out in post; the password is nowhere', async () => {
  const cfg = tempDir('nerdctl-action-login-')
  const tag = `${AUTH_REGISTRY}/itg/action-auth:${uniqueName('p').slice(4)}`
  images.push(tag)
  try {
    await client.exec(['tag', BASE_IMAGE, tag])
    const s = step(
      {
        registry: AUTH_REGISTRY,
        username: AUTH_USER,
        password: AUTH_PASSWORD,
        tags: tag,
        push: 'true'
      },
      { DOCKER_CONFIG: cfg.path, RUNNER_DEBUG: '1' }
    )
    const main = await s.main()
    expect(main.exitCode).toBe(0)
    expect(main.outputs.digest).toMatch(/^sha256:/)
    // The login went to the step's own config; the runner user's (cfg) is untouched.
    const own = main.state.dockerConfig as string
    expect(readFileSync(join(own, 'config.json'), 'utf8')).toContain(AUTH_REGISTRY)
    expect(existsSync(join(cfg.path, 'config.json'))).toBe(false)
    const post = await s.post()
    expect(post.stdout).toContain(`logged out of ${AUTH_REGISTRY}`)
    expect(existsSync(own)).toBe(false)
    expect(existsSync(join(cfg.path, 'config.json'))).toBe(false)
    // Debug logging on, and still: not in the log (beyond the mask command), outputs, state or summary.
    const log = main.stdout.replace(`::add-mask::${AUTH_PASSWORD}`, '')
    for (const text of [
      log,
      post.stdout,
      JSON.stringify(main.outputs),
      JSON.stringify(main.state),
      main.summary
    ]) {
      expect(text).not.toContain(AUTH_PASSWORD)
    }
    expect(main.stdout).toContain('--password-stdin')
  } finally {
    cfg.remove()
  }
})

test('a cancelled job stops the step at once, and the post step still cleans up', async () => {
  const s = step({
    image: BASE_IMAGE,
    command: 'sleep 600',
    'health-cmd': 'exit 1',
    'health-interval': '30s',
    'wait-timeout': '5m'
  })
  const ac = new AbortController()
  setTimeout(() => ac.abort(), 3000)
  const main = await s.main(ac.signal)
  expect(main.exitCode).not.toBe(0)
  expect(main.ms).toBeLessThan(15_000)
  expect(main.stdout).toMatch(/::error::.*cancelled/)
  expect(main.outputs['container-id']).toMatch(/^[0-9a-f]{64}$/)
  const post = await s.post()
  expect(post.exitCode).toBe(0)
  expect(await containersOf(main.state.token as string)).toEqual([])
})
