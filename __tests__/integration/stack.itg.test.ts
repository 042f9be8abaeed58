// Proves the stack itself, with plain nerdctl calls through the client's exec
// chokepoint: versions, run, a BuildKit build FROM the local registry, push and
// pull with and without auth, a published port answered from the host, and one
// health probe driven by `nerdctl container healthcheck`.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Nerdctl } from '../../src/nerdctl/exec/client.js'
import {
  AUTH_PASSWORD,
  AUTH_REGISTRY,
  AUTH_USER,
  BASE_IMAGE,
  BUILDKIT_HOST,
  REGISTRY,
  TEST_LABEL,
  freePort,
  httpGet,
  removeQuietly,
  tempDir,
  uniqueName
} from './helpers.js'

const nerdctl = new Nerdctl()

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const m = /(\d+)\.(\d+)/.exec(version)
  if (!m) return false
  const [maj, min] = [Number(m[1]), Number(m[2])]
  return maj > major || (maj === major && min >= minor)
}

test('nerdctl >= 2.3 talks to containerd >= 2', async () => {
  const { stdout } = await nerdctl.exec(['version', '--format', '{{json .}}'])
  const v = JSON.parse(stdout) as {
    Client: { Version: string }
    Server?: { Components?: { Name: string; Version: string }[] }
  }
  expect(versionAtLeast(v.Client.Version, 2, 3)).toBe(true)
  const containerd = v.Server?.Components?.find(c => c.Name === 'containerd')
  expect(containerd).toBeDefined()
  expect(versionAtLeast(containerd?.Version ?? '', 2, 0)).toBe(true)
})

test('runs a container from the base image', async () => {
  const { stdout } = await nerdctl.exec([
    'run',
    '--rm',
    '--label',
    TEST_LABEL,
    BASE_IMAGE,
    'echo',
    'hello from busybox'
  ])
  expect(stdout.trim()).toBe('hello from busybox')
})

describe('images through BuildKit and the registries', () => {
  const tag = uniqueName('stack').replace(/^itg-/, '')
  const built = `${REGISTRY}/itg/stack-build:${tag}`
  const authRef = `${AUTH_REGISTRY}/itg/stack-build:${tag}`
  const ctx = tempDir()
  const dockerConfig = tempDir('nerdctl-itg-auth-')
  // Logins land in a throwaway DOCKER_CONFIG, never the machine's.
  const authed = nerdctl.with({ env: { DOCKER_CONFIG: dockerConfig.path } })

  afterAll(async () => {
    await removeQuietly(nerdctl, { images: [built, authRef] })
    ctx.remove()
    dockerConfig.remove()
  })

  test('builds FROM the local registry', async () => {
    writeFileSync(
      join(ctx.path, 'Dockerfile'),
      `FROM ${BASE_IMAGE}\nRUN echo built-by-buildkit > /built.txt\nCMD ["cat", "/built.txt"]\n`
    )
    await nerdctl.exec(['build', '--buildkit-host', BUILDKIT_HOST, '-t', built, ctx.path])
    const { stdout } = await nerdctl.exec(['run', '--rm', built])
    expect(stdout.trim()).toBe('built-by-buildkit')
  })

  test('pushes to and pulls from the plain registry', async () => {
    await nerdctl.exec(['push', built])
    await nerdctl.exec(['rmi', built])
    await nerdctl.exec(['pull', built])
    const { stdout } = await nerdctl.exec(['run', '--rm', built])
    expect(stdout.trim()).toBe('built-by-buildkit')
  })

  test('the auth registry refuses anonymous pushes and takes logged-in ones', async () => {
    await nerdctl.exec(['tag', built, authRef])
    const anonymous = await authed.exec(['push', authRef], { allowFailure: true })
    expect(anonymous.exitCode).not.toBe(0)
    expect(anonymous.stderr).toMatch(/401|unauthorized|authorization/i)

    await authed.exec(['login', '--username', AUTH_USER, '--password-stdin', AUTH_REGISTRY], {
      input: AUTH_PASSWORD,
      secrets: [AUTH_PASSWORD]
    })
    await authed.exec(['push', authRef])
    await nerdctl.exec(['rmi', authRef])
    await authed.exec(['pull', authRef])
    await authed.exec(['logout', AUTH_REGISTRY])
    await nerdctl.exec(['rmi', authRef])
    const afterLogout = await authed.exec(['pull', authRef], { allowFailure: true })
    expect(afterLogout.exitCode).not.toBe(0)
  })
})

test('a published port on 127.0.0.1 is answered from the host', async () => {
  const name = uniqueName('httpd')
  const port = await freePort()
  try {
    await nerdctl.exec([
      'run',
      '-d',
      '--name',
      name,
      '--label',
      TEST_LABEL,
      '-p',
      `127.0.0.1:${port}:80`,
      BASE_IMAGE,
      'httpd',
      '-f',
      '-p',
      '80',
      '-h',
      '/var/www'
    ])
    const res = await httpGet(`http://127.0.0.1:${port}/`)
    expect(res.status).toBe(200)
    expect(res.body).toContain('nerdctl-action base image')
  } finally {
    await removeQuietly(nerdctl, { containers: [name] })
  }
})

test('nerdctl container healthcheck runs a probe and records its result', async () => {
  const name = uniqueName('health')
  try {
    await nerdctl.exec([
      'run',
      '-d',
      '--name',
      name,
      '--label',
      TEST_LABEL,
      '--health-cmd',
      'test -e /tmp/ready',
      '--health-interval',
      '1s',
      '--health-retries',
      '1',
      BASE_IMAGE,
      'sleep',
      '600'
    ])
    await nerdctl.exec(['container', 'healthcheck', name], { allowFailure: true })
    const health = async (): Promise<string> => {
      const { stdout } = await nerdctl.exec(['inspect', '--format', '{{json .State.Health}}', name])
      return (JSON.parse(stdout) as { Status: string }).Status
    }
    expect(await health()).toBe('unhealthy')
    await nerdctl.exec(['exec', name, 'touch', '/tmp/ready'])
    await nerdctl.exec(['container', 'healthcheck', name])
    expect(await health()).toBe('healthy')
  } finally {
    await removeQuietly(nerdctl, { containers: [name] })
  }
})
