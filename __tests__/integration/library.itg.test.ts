// Every public function of the library against the real stack.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  Container,
  Nerdctl,
  NerdctlError,
  configure,
  copy,
  create,
  healthcheck,
  imageInspect,
  imageLoad,
  runSpec,
  stats,
  exec,
  execNerdctl,
  exportContainer,
  imageBuild,
  imageCommit,
  imageExists,
  imagePull,
  imagePush,
  imageRemove,
  imageSave,
  imageTag,
  images,
  inspect,
  list,
  login,
  logout,
  logs,
  remove,
  run,
  stop,
  waitForHealthy
} from '../../src/nerdctl/index.js'
import { main as builderExample } from '../../examples/builder.js'
import { main as scriptExample } from '../../examples/script.js'
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

const client = new Nerdctl({ buildkitHost: BUILDKIT_HOST })
const opts = { client }
const [labelKey, labelValue] = TEST_LABEL.split('=') as [string, string]
const made: string[] = []
const madeImages: string[] = []

function named(prefix: string): string {
  const n = uniqueName(prefix)
  made.push(n)
  return n
}

function tarList(path: string): string[] {
  return execFileSync('tar', ['-tf', path], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024
  }).split('\n')
}

afterAll(async () => {
  await removeQuietly(client, { containers: made, images: madeImages })
})

describe('Container builder and operations', () => {
  test('build() runs detached by default, with every option, and operations work on it', async () => {
    const name = named('builder')
    const port = await freePort()
    const c = Container.fromImage(name, BASE_IMAGE, opts)
      .withPort(`127.0.0.1:${port}:80`)
      .withEnv('FIRST', '1')
      .withEnvs({ SECOND: 'a=b', THIRD: 'x y' })
      .withLabel(labelKey, labelValue)
      .withLabels({ 'com.example.role': 'web' })
      .withCpuLimit('0.5')
      .withMemoryLimit('64m')
      .withMemorySwapLimit('128m')
      .withCpuShares('512')
      .withRestartPolicy('unless-stopped')
      .withWorkdir('/var/www')
      .withUser('0')
      .withSnapshotter('overlayfs')
      .withCommand(['httpd', '-f', '-p', '80', '-h', '/var/www'])
    await c.build()
    expect(c.containerId).toMatch(/^[0-9a-f]{64}$/)

    const res = await httpGet(`http://127.0.0.1:${port}/`)
    expect(res.body).toContain('nerdctl-action base image')

    const status = await c.status()
    expect(status).toMatchObject({ name, state: 'running', running: true, healthStatus: 'none' })
    expect(status.labels['com.example.role']).toBe('web')
    expect(status.ports).toContainEqual({
      containerPort: '80/tcp',
      hostIp: '127.0.0.1',
      hostPort: String(port)
    })
    expect(await c.healthStatus()).toBe('none')

    const env = await c.exec('env')
    expect(env.stdout).toContain('SECOND=a=b')
    expect(env.stdout).toContain('THIRD=x y')
    const pwd = await c.exec(['pwd'])
    expect(pwd.stdout.trim()).toBe('/var/www')

    const usage = await c.resources()
    expect(usage.memoryLimitBytes).toBe(64 * 1024 * 1024)
    expect(usage.memoryUsageBytes).toBeGreaterThan(0)
    expect(usage.pidCount).toBeGreaterThanOrEqual(1)
    expect(usage.name).toBe(name)

    const found = await Container.find(name, opts)
    expect(found.containerId).toBe(c.containerId)

    await c.stop({ timeSeconds: 1 })
    expect((await c.status()).running).toBe(false)
    await c.remove()
    await expect(inspect(name, opts)).rejects.toThrow(/no such/)
  })

  test('withDetach(false) runs to completion and keeps exit code and output, not as an ID', async () => {
    const name = named('foreground')
    const c = Container.fromImage(name, BASE_IMAGE, opts)
      .withDetach(false)
      .withCommand('echo to-stdout; echo to-stderr >&2; exit 7')
    await c.build()
    expect(c.runResult?.exitCode).toBe(7)
    expect(c.runResult?.stdout.trim()).toBe('to-stdout')
    expect(c.runResult?.stderr).toContain('to-stderr')
    expect(c.containerId).toMatch(/^[0-9a-f]{64}$/)
    expect((await c.status()).exitCode).toBe(7)
  })

  test('start() pulls a missing image, creates and starts; a crashing container fails with its logs', async () => {
    const tag = `${REGISTRY}/itg/start:${uniqueName('t').slice(4)}`
    madeImages.push(tag)
    await imageTag(BASE_IMAGE, tag, opts)
    await imagePush(tag, undefined, opts)
    await imageRemove(tag, opts)
    expect(await imageExists(tag, opts)).toBe(false)

    const ok = Container.fromImage(named('start'), tag, opts).withCommand(['sleep', '600'])
    await ok.start()
    expect((await ok.status()).running).toBe(true)
    expect(await imageExists(tag, opts)).toBe(true)
    await ok.stop({ timeSeconds: 1 })
    await ok.start() // restarts the stopped container
    expect((await ok.status()).running).toBe(true)

    const bad = Container.fromImage(named('crash'), BASE_IMAGE, opts).withCommand(
      'echo crashing-now >&2; exit 4'
    )
    const err = await bad.start().then(
      () => undefined,
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(NerdctlError)
    const e = err as NerdctlError
    expect(e.message).toMatch(/exit code 4/)
    expect(e.message).toContain('crashing-now')
    expect(e.containerStatus?.state).toBe('exited')
  })

  test('reset() replaces an existing container of the same name at the next build', async () => {
    const name = named('reset')
    const first = await Container.fromImage(name, BASE_IMAGE, opts)
      .withCommand(['sleep', '600'])
      .build()
    const second = await Container.fromImage(name, BASE_IMAGE, opts)
      .withCommand(['sleep', '300'])
      .reset()
      .withCommand(['sleep', '301'])
      .build()
    expect(second.containerId).not.toBe(first.containerId)
    const all = await list(true, { ...opts, filters: [`name=${name}`] })
    expect(all.map(c => c.id)).toEqual([second.containerId])
    // Without reset(), the name in use is an error that says so.
    await expect(Container.fromImage(name, BASE_IMAGE, opts).build()).rejects.toThrow(
      /already used[\s\S]*Hint: .*already exists/
    )
  })

  test('copy both ways, atomically; logs with tail and to a file; commit; export read back', async () => {
    const name = named('files')
    const c = await Container.fromImage(name, BASE_IMAGE, opts)
      .withCommand('for i in 1 2 3 4 5; do echo line-$i; done; sleep 600')
      .build()
    const dir = tempDir()
    try {
      writeFileSync(join(dir.path, 'in.txt'), 'from the host\n')
      await c.copy(join(dir.path, 'in.txt'), ':/tmp/in.txt')
      expect((await c.exec('cat /tmp/in.txt')).stdout).toBe('from the host\n')

      // Out of the container, onto an existing file: replaced only on success.
      writeFileSync(join(dir.path, 'out.txt'), 'old')
      await copy(`${name}:/tmp/in.txt`, join(dir.path, 'out.txt'), opts)
      expect(readFileSync(join(dir.path, 'out.txt'), 'utf8')).toBe('from the host\n')
      await expect(copy(`${name}:/no/such/file`, join(dir.path, 'out.txt'), opts)).rejects.toThrow(
        NerdctlError
      )
      expect(readFileSync(join(dir.path, 'out.txt'), 'utf8')).toBe('from the host\n')
      // Into an existing directory, as cp does.
      mkdirSync(join(dir.path, 'into'))
      await copy(`${name}:/etc/passwd`, join(dir.path, 'into'), opts)
      expect(readFileSync(join(dir.path, 'into', 'passwd'), 'utf8')).toContain('root:x:0:0')

      let tailed = ''
      for (let i = 0; i < 50 && !tailed.includes('line-5'); i++) {
        tailed = (await c.logs({ tail: 2 })).stdout
        await new Promise(r => setTimeout(r, 100))
      }
      expect(tailed.trim().split('\n')).toEqual(['line-4', 'line-5'])
      const logFile = join(dir.path, 'logs', 'all.log')
      await logs(name, { ...opts, file: logFile })
      expect(readFileSync(logFile, 'utf8')).toContain('line-1\nline-2')

      await c.exec('echo committed > /committed.txt')
      const committed = `${REGISTRY}/itg/committed:${uniqueName('c').slice(4)}`
      madeImages.push(committed)
      const id = await c.commit(committed)
      expect(id).toMatch(/^sha256:[0-9a-f]{64}$/)
      const fromCommit = await run(committed, undefined, false, undefined, undefined, {
        ...opts,
        command: ['cat', '/committed.txt'],
        autoRemove: true
      })
      expect(fromCommit.stdout.trim()).toBe('committed')

      const tarball = join(dir.path, 'export', 'fs.tar')
      await c.export(tarball)
      const entries = tarList(tarball)
      expect(entries).toContain('committed.txt')
      expect(entries).toContain('bin/busybox')
      // A failing export leaves the existing file as it was and no partial file.
      const before = readFileSync(tarball)
      await expect(exportContainer(uniqueName('missing'), tarball, opts)).rejects.toThrow(
        NerdctlError
      )
      expect(readFileSync(tarball).equals(before)).toBe(true)
      expect(
        execFileSync('ls', ['-A', join(dir.path, 'export')], { encoding: 'utf8' }).trim()
      ).toBe('fs.tar')
    } finally {
      dir.remove()
    }
  })
})

describe('static container functions', () => {
  test('run, exec, list, logs, stop, remove', async () => {
    const name = named('static')
    const port = await freePort()
    const r = await run(BASE_IMAGE, name, true, [`127.0.0.1:${port}:80`], undefined, {
      ...opts,
      command: ['httpd', '-f', '-p', '80', '-h', '/var/www'],
      labels: [[labelKey, labelValue]]
    })
    expect(r.containerId).toMatch(/^[0-9a-f]{64}$/)
    expect((await httpGet(`http://127.0.0.1:${port}/`)).status).toBe(200)

    expect((await exec(name, 'echo $((6 * 7))', opts)).stdout.trim()).toBe('42')
    expect((await exec(name, ['echo', '$((6 * 7))'], opts)).stdout.trim()).toBe('$((6 * 7))')
    expect((await exec(name, ['cat'], { ...opts, input: 'piped in' })).stdout).toBe('piped in')
    const failed = await exec(name, 'exit 9', { ...opts, allowFailure: true })
    expect(failed.exitCode).toBe(9)
    await expect(exec(name, 'exit 9', opts)).rejects.toMatchObject({
      kind: 'CommandFailed',
      exitCode: 9
    })

    const running = await list(false, { ...opts, filters: [`label=${TEST_LABEL}`] })
    expect(running.map(c => c.name)).toContain(name)
    expect((await logs(name, opts)).exitCode).toBe(0)

    await stop(name, { ...opts, timeSeconds: 1 })
    const all = await list(true, { ...opts, filters: [`name=${name}`] })
    expect(all[0]?.status).toMatch(/^Exited/)
    expect((await list(false, { ...opts, filters: [`name=${name}`] })).length).toBe(0)
    await remove(name, opts)
    expect((await list(true, { ...opts, filters: [`name=${name}`] })).length).toBe(0)
  })
})

describe('health', () => {
  test('waitForHealthy returns within seconds for a service already up, even with a 30s interval', async () => {
    const name = named('healthy')
    const c = await Container.fromImage(name, BASE_IMAGE, opts)
      .withCommand(['httpd', '-f', '-p', '80', '-h', '/var/www'])
      .withHealthCheckOptions('wget -q -O- http://127.0.0.1:80/ >/dev/null', '30s', '5s', 3)
      .build()
    const t0 = Date.now()
    const status = await waitForHealthy(c, { ...opts, waitTimeoutMs: 60_000 })
    expect(Date.now() - t0).toBeLessThan(10_000)
    expect(status.healthStatus).toBe('healthy')
    expect(status.health?.log.at(-1)?.exitCode).toBe(0)
  })

  test('a multi-line health check runs inside the container', async () => {
    const name = named('multiline')
    const script = [
      '# a script, several lines, run by /bin/sh -c in the container',
      'test -f /tmp/ready || exit 1',
      'grep -q go /tmp/ready',
      'echo "inside $(hostname)"'
    ].join('\n')
    const c = await Container.fromImage(name, BASE_IMAGE, opts)
      .withCommand('sleep 1; echo go > /tmp/ready; sleep 600')
      .withHealthCheckOptions(script, '1s', '3s', 30)
      .build()
    const status = await c.waitForHealthy({ waitTimeoutMs: 60_000 })
    expect(status.healthStatus).toBe('healthy')
    expect(status.healthCheck?.cmd).toBe(script)
    const hostname = (await c.exec('hostname')).stdout.trim()
    expect(status.health?.log.at(-1)?.output).toContain(`inside ${hostname}`)
  })

  test('an unhealthy container fails fast with its probe output and logs', async () => {
    const name = named('unhealthy')
    const c = await Container.fromImage(name, BASE_IMAGE, opts)
      .withCommand('echo service-log-line; sleep 600')
      .withHealthCheckOptions('echo probe-says-database-down; exit 1', '1s', '2s', 2)
      .build()
    const t0 = Date.now()
    const err = (await c
      .waitForHealthy({ waitTimeoutMs: 60_000 })
      .catch((e: unknown) => e)) as NerdctlError
    expect(Date.now() - t0).toBeLessThan(15_000)
    expect(err).toBeInstanceOf(NerdctlError)
    expect(err.message).toMatch(/unhealthy/)
    expect(err.message).toContain('probe-says-database-down')
    expect(err.message).toContain('service-log-line')
    expect(err.containerStatus?.healthStatus).toBe('unhealthy')
  })

  test('a container that exits fails the wait at once', async () => {
    const name = named('exits')
    const c = await Container.fromImage(name, BASE_IMAGE, opts)
      .withCommand('echo bye; exit 2')
      .withHealthCheckOptions('true', '30s')
      .build()
    await expect(c.waitForHealthy({ waitTimeoutMs: 60_000 })).rejects.toThrow(
      /exited \(2\)[\s\S]*bye/
    )
  })

  test('waiting on a container without a health check says how to add one', async () => {
    const c = await Container.fromImage(named('nohc'), BASE_IMAGE, opts)
      .withCommand(['sleep', '600'])
      .build()
    await expect(c.waitForHealthy({ waitTimeoutMs: 5000 })).rejects.toThrow(/no health check/)
  })
})

describe('images', () => {
  const tag = uniqueName('img').slice(4)
  const built = `${REGISTRY}/itg/library:${tag}`
  const extra = `${REGISTRY}/itg/library:${tag}-extra`
  madeImages.push(built, extra)

  test('imageBuild returns the image ID that images() lists', async () => {
    const ctx = tempDir()
    try {
      writeFileSync(
        join(ctx.path, 'Containerfile'),
        `FROM ${BASE_IMAGE}\nARG GREETING=none\nRUN echo "$GREETING" > /greeting\nLABEL stage=final\n`
      )
      const result = await imageBuild(built, ctx.path, {
        ...opts,
        file: join(ctx.path, 'Containerfile'),
        tags: [extra],
        buildArgs: [['GREETING', 'hello=world']],
        labels: [['org.example.test', 'yes']]
      })
      expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/)
      const listed = await images(opts)
      const mine = listed.filter(i => i.name === built || i.name === extra)
      expect(mine.map(i => i.id)).toEqual([result.imageId, result.imageId])
      expect(mine[0]?.sizeBytes).toBeGreaterThan(0)
      const out = await run(built, undefined, false, undefined, undefined, {
        ...opts,
        command: ['cat', '/greeting'],
        autoRemove: true
      })
      expect(out.stdout.trim()).toBe('hello=world')
    } finally {
      ctx.remove()
    }
  })

  test('imagePush with one argument, and with a destination (tag, push, untag); imagePull; imageRemove', async () => {
    const pushed = await imagePush(built, undefined, opts)
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    const dest = `${REGISTRY}/itg/library-dest:${tag}`
    madeImages.push(dest)
    const second = await imagePush(built, dest, opts)
    expect(second.reference).toBe(dest)
    // The tag made for the push is gone again; the registry has the image.
    expect(await imageExists(dest, opts)).toBe(false)
    await imagePull(dest, opts)
    expect(await imageExists(dest, opts)).toBe(true)
    await imageRemove(dest, { ...opts, force: true })
    expect(await imageExists(dest, opts)).toBe(false)
  })

  test('imageSave writes a tarball atomically that tar can read', async () => {
    const dir = tempDir()
    try {
      const path = join(dir.path, 'images', 'saved.tar')
      await imageSave([built, extra], path, opts)
      const entries = tarList(path)
      expect(entries).toContain('index.json')
      expect(entries.some(e => e.startsWith('blobs/sha256/'))).toBe(true)
      await expect(imageSave(`${REGISTRY}/itg/none:none`, path, opts)).rejects.toThrow(NerdctlError)
      expect(tarList(path)).toContain('index.json')
      expect(existsSync(join(dir.path, 'images'))).toBe(true)
    } finally {
      dir.remove()
    }
  })

  test('imageCommit of a container', async () => {
    const name = named('commit')
    await run(BASE_IMAGE, name, true, undefined, undefined, { ...opts, command: ['sleep', '600'] })
    const image = `${REGISTRY}/itg/commit:${tag}`
    madeImages.push(image)
    expect(await imageCommit(name, image, { ...opts, message: 'from a test' })).toMatch(/^sha256:/)
    expect(await imageExists(image, opts)).toBe(true)
  })

  test('login with the password on stdin only, push to the auth registry, logout', async () => {
    const cfg = tempDir('nerdctl-itg-login-')
    const debug: string[] = []
    const authed = client.with({
      env: { DOCKER_CONFIG: cfg.path },
      logger: { debug: m => debug.push(m), info: () => {}, warning: () => {} }
    })
    const ref = `${AUTH_REGISTRY}/itg/library:${tag}`
    madeImages.push(ref)
    try {
      await imageTag(built, ref, { client: authed })
      await expect(imagePush(ref, undefined, { client: authed })).rejects.toThrow(/authoriz|401/i)
      await expect(
        login({
          client: authed,
          registry: AUTH_REGISTRY,
          username: AUTH_USER,
          password: 'wrong-password'
        })
      ).rejects.toThrow(NerdctlError)
      await login({
        client: authed,
        registry: AUTH_REGISTRY,
        username: AUTH_USER,
        password: AUTH_PASSWORD
      })
      await imagePush(ref, undefined, { client: authed })
      await logout(AUTH_REGISTRY, { client: authed })
      expect(debug.join('\n')).not.toContain(AUTH_PASSWORD)
      expect(debug.some(l => l.includes('--password-stdin'))).toBe(true)
      expect(readFileSync(join(cfg.path, 'config.json'), 'utf8')).not.toContain(
        AUTH_REGISTRY + '":{"auth'
      )
    } finally {
      cfg.remove()
    }
  })
})

describe('the exec chokepoint', () => {
  test('a timeout kills a hung command and its children', async () => {
    const name = named('hang')
    await run(BASE_IMAGE, name, true, undefined, undefined, { ...opts, command: ['sleep', '600'] })
    const t0 = Date.now()
    const err = (await client
      .exec(['exec', name, 'sleep', '300'], { timeoutMs: 1500 })
      .catch((e: unknown) => e)) as NerdctlError
    expect(Date.now() - t0).toBeLessThan(10_000)
    expect(err.kind).toBe('Timeout')
    expect(err.message).toMatch(/did not finish within 1500 ms/)
    // No nerdctl exec of ours is left behind.
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    expect(ps).not.toMatch(new RegExp(`nerdctl exec ${name} sleep 300`))
  })

  test('an AbortSignal cancels a running command', async () => {
    const ac = new AbortController()
    setTimeout(() => ac.abort(new Error('stop it')), 300)
    // Named, so the container the killed `run` leaves behind is removed after.
    const name = named('aborted')
    await expect(
      client.exec(['run', '--rm', '--name', name, BASE_IMAGE, 'sleep', '60'], { signal: ac.signal })
    ).rejects.toMatchObject({ kind: 'Cancelled', message: expect.stringContaining('stop it') })
  })

  test('execNerdctl uses the configured default client; a missing binary says how to fix it', async () => {
    configure({ binary: 'nerdctl-that-does-not-exist' })
    try {
      await expect(execNerdctl(['ps'])).rejects.toMatchObject({ kind: 'CommandExecutionFailed' })
      await expect(execNerdctl(['ps'])).rejects.toThrow(/not found on PATH/)
    } finally {
      configure({})
    }
    const r = await execNerdctl(['version', '--format', '{{json .}}'])
    expect(JSON.parse(r.stdout)).toHaveProperty('Client')
  })
})

describe('the original examples, ported', () => {
  test('the builder example', async () => {
    await removeQuietly(client, { containers: ['my_web_container'] })
    expect(await builderExample(BASE_IMAGE, await freePort())).toBe('running')
  })

  test('the script example', async () => {
    await removeQuietly(client, { containers: ['my_service'] })
    const lines = await scriptExample(BASE_IMAGE, await freePort())
    expect(lines[0]).toMatch(/^Container my_service ID: [0-9a-f]{64}$/)
    expect(lines[1]).toBe('Status: running, Health: none')
    expect(lines).toContain(`pulled ${BASE_IMAGE}`)
  })
})

describe('networks, volumes, entrypoints and the remaining functions', () => {
  test('a network alias is resolved by another container on the network; a volume is shared', async () => {
    const net = uniqueName('net')
    const dir = tempDir()
    await client.exec(['network', 'create', net])
    try {
      writeFileSync(join(dir.path, 'shared.txt'), 'from a bind mount\n')
      const db = await Container.fromImage(named('db'), BASE_IMAGE, opts)
        .withNetwork(net)
        .withNetworkAlias('database')
        .withVolume(`${dir.path}:/shared:ro`)
        .withVolumes([`${named('vol')}:/data`])
        .withCommand(['httpd', '-f', '-p', '80', '-h', '/shared'])
        .withHealthCheck('wget -q -O- http://127.0.0.1/shared.txt | grep -q bind')
        .build()
      await db.waitForHealthy({ waitTimeoutMs: 60_000 })
      const client2 = await Container.fromImage(named('client'), BASE_IMAGE, opts)
        .withNetwork(net)
        .withEntrypoint(['/bin/sh', '-c'])
        .withCommand(['wget -q -O- http://database/shared.txt'])
        .withDetach(false)
        .build()
      expect(client2.runResult?.exitCode).toBe(0)
      expect(client2.runResult?.stdout).toBe('from a bind mount\n')
      await db.exec('echo kept > /data/file')
      expect((await db.exec('cat /data/file')).stdout).toBe('kept\n')
      await expect(db.exec('touch /shared/nope')).rejects.toMatchObject({ kind: 'CommandFailed' })
    } finally {
      await removeQuietly(client, { containers: made.filter(n => /-(db|client)-/.test(n)) })
      await client.exec(['network', 'rm', net], { allowFailure: true })
      dir.remove()
    }
  })

  test('create, runSpec, inspect, stats and healthcheck as static functions; snapshotter', async () => {
    const name = named('static2')
    const id = await create(
      {
        image: BASE_IMAGE,
        name,
        command: ['sleep', '600'],
        healthCheck: { cmd: 'true' },
        snapshotter: 'overlayfs'
      },
      opts
    )
    expect(id).toMatch(/^[0-9a-f]{64}$/)
    expect((await inspect(name, opts)).state).toBe('created')
    await client.exec(['start', name])
    expect((await inspect(name, opts)).healthStatus).toBe('starting')
    await healthcheck(name, opts)
    expect((await inspect(name, opts)).healthStatus).toBe('healthy')
    const usage = await stats(name, opts)
    expect(usage.id).toBe(id)
    const other = named('spec')
    const r = await runSpec({ image: BASE_IMAGE, name: other, command: ['sleep', '600'] }, opts)
    expect((await inspect(other, opts)).id).toBe(r.containerId)
  })

  test('imageInspect gives the config digest; imageSave then imageLoad round-trips', async () => {
    const details = await imageInspect(BASE_IMAGE, opts)
    expect(details.id).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(details.repoTags).toContain(BASE_IMAGE)
    expect(details.os).toBe('linux')
    const dir = tempDir()
    const copyRef = `${REGISTRY}/itg/load:${uniqueName('l').slice(4)}`
    madeImages.push(copyRef)
    try {
      await imageTag(BASE_IMAGE, copyRef, opts)
      const tarball = join(dir.path, 'one.tar')
      await imageSave(copyRef, tarball, opts)
      await imageRemove(copyRef, opts)
      // An untagged build leaves a `<none>@sha256:…` name, on which nerdctl's
      // own `--filter reference=` fails: the load must not depend on it.
      const context = join(dir.path, 'ctx')
      mkdirSync(context)
      writeFileSync(
        join(context, 'Dockerfile'),
        `FROM ${BASE_IMAGE}\nLABEL untagged=${uniqueName('u')}\n`
      )
      const namesBefore = new Set((await images(opts)).map(i => i.name))
      execFileSync('nerdctl', ['build', '--quiet', context], { stdio: 'ignore' })
      const untagged = (await images(opts)).filter(i => !namesBefore.has(i.name)).map(i => i.name)
      expect(untagged.some(n => n.startsWith('<none>'))).toBe(true)
      const imports = async (): Promise<number> =>
        (await images(opts)).filter(i => i.name.startsWith('import@sha256:')).length
      const importsBefore = await imports()
      try {
        const loaded = await imageLoad(tarball, opts)
        expect(loaded.stdout + loaded.stderr).toContain(copyRef)
        expect(await imageExists(copyRef, opts)).toBe(true)
        // containerd's extra import@sha256:… name for the archive is not left behind.
        expect(await imports()).toBe(importsBefore)
      } finally {
        for (const name of untagged) await imageRemove(name, opts).catch(() => undefined)
      }
    } finally {
      dir.remove()
    }
  })
})
