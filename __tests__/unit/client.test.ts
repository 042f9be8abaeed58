// The Nerdctl client with a fake runner: the exact argv it starts, what it
// passes to the runner, what it logs, and how every failure becomes a
// NerdctlError, including the hints for the errors recorded from the real nerdctl.
import { DEFAULT_TIMEOUT_MS } from '../../src/nerdctl/base/defaults.js'
import {
  Nerdctl,
  execNerdctl,
  type GlobalOptions,
  type Logger
} from '../../src/nerdctl/exec/client.js'
import { NerdctlError, isNoSuchContainer, nerdctlSaid } from '../../src/nerdctl/base/errors.js'
import type { ProcessResult as RunResult, RunSpec, Runner } from '../../src/nerdctl/exec/runner.js'
import { runSpec } from '../../src/nerdctl/ops/run.js'
import { fixtureMeta } from './fixtures.js'
import { systemProgram } from '../../src/nerdctl/exec/programs.js'

/** sudo as the client runs it: from the system's directories, never PATH. */
const SUDO = systemProgram('sudo')

interface Fake {
  runner: Runner
  calls: RunSpec[]
}

/** A runner that records what it was asked to run and answers with `result`. */
function fakeRunner(result: Partial<RunResult> = {}): Fake {
  const calls: RunSpec[] = []
  const runner: Runner = async spec => {
    calls.push(spec)
    return { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false, ...result }
  }
  return { runner, calls }
}

function capturingLogger(): { logger: Logger; debug: string[] } {
  const debug: string[] = []
  const logger: Logger = {
    debug: m => {
      debug.push(m)
    },
    info() {},
    warning() {}
  }
  return { logger, debug }
}

function client(options: GlobalOptions = {}, result: Partial<RunResult> = {}): [Nerdctl, Fake] {
  const fake = fakeRunner(result)
  return [new Nerdctl({ ...options, runner: fake.runner }), fake]
}

/** The only call the fake saw. */
function onlyCall(fake: Fake): RunSpec {
  expect(fake.calls).toHaveLength(1)
  return fake.calls[0] as RunSpec
}

/** The NerdctlError a promise rejects with. */
async function rejection(p: Promise<unknown>): Promise<NerdctlError> {
  try {
    await p
  } catch (e: unknown) {
    expect(e).toBeInstanceOf(NerdctlError)
    return e as NerdctlError
  }
  throw new Error('expected a NerdctlError, but the call succeeded')
}

function enoent(file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`spawn ${file} ENOENT`), {
    code: 'ENOENT',
    errno: -2,
    syscall: `spawn ${file}`,
    path: file
  })
}

describe('argv', () => {
  test('plain: nerdctl and the command', async () => {
    const [c, fake] = client()
    await c.exec(['ps', '-a'])
    const call = onlyCall(fake)
    expect(call.file).toBe('nerdctl')
    expect(call.args).toEqual(['ps', '-a'])
  })

  test('sudo: sudo -n -- nerdctl ...', async () => {
    const [c, fake] = client({ sudo: true })
    await c.exec(['ps'])
    const call = onlyCall(fake)
    expect(call.file).toBe(SUDO)
    expect(call.args).toEqual(['-n', '--', 'nerdctl', 'ps'])
  })

  test('sudo keeps the environment the client was asked to set (sudo resets it)', async () => {
    const [c, fake] = client({ sudo: true, env: { DOCKER_CONFIG: '/cfg' } })
    await c.exec(['push', 'x'], { env: { BUILDKIT_HOST: 'unix:///b.sock' } })
    const call = onlyCall(fake)
    expect(call.args).toEqual([
      '-n',
      '--preserve-env=DOCKER_CONFIG,BUILDKIT_HOST',
      '--',
      'nerdctl',
      'push',
      'x'
    ])
    expect(call.env).toEqual({ DOCKER_CONFIG: '/cfg', BUILDKIT_HOST: 'unix:///b.sock' })
  })

  test("errors under sudo show nerdctl's own argv", async () => {
    const [c] = client({ sudo: true, env: { A: '1' } }, { exitCode: 1, stderr: 'boom' })
    await expect(c.exec(['ps'])).rejects.toMatchObject({ args: ['ps'] })
  })

  test('binary path', async () => {
    const [c, fake] = client({ binary: '/opt/nerdctl/bin/nerdctl' })
    await c.exec(['version'])
    expect(onlyCall(fake).file).toBe('/opt/nerdctl/bin/nerdctl')
    expect(onlyCall(fake).args).toEqual(['version'])
  })

  test('binary path with sudo', async () => {
    const [c, fake] = client({ binary: '/opt/nerdctl/bin/nerdctl', sudo: true })
    await c.exec(['version'])
    expect(onlyCall(fake).file).toBe(SUDO)
    expect(onlyCall(fake).args).toEqual(['-n', '--', '/opt/nerdctl/bin/nerdctl', 'version'])
  })

  test('global flags before the command', async () => {
    const [c, fake] = client({
      sudo: true,
      namespace: 'ci',
      address: '/run/k3s/containerd/containerd.sock',
      snapshotter: 'native',
      cgroupManager: 'cgroupfs',
      hostsDir: ['/etc/containerd/certs.d', '/etc/docker/certs.d']
    })
    await c.exec(['ps'])
    expect([onlyCall(fake).file, ...onlyCall(fake).args]).toEqual([
      SUDO,
      '-n',
      '--',
      'nerdctl',
      '--namespace',
      'ci',
      '--address',
      '/run/k3s/containerd/containerd.sock',
      '--snapshotter',
      'native',
      '--cgroup-manager',
      'cgroupfs',
      '--hosts-dir',
      '/etc/containerd/certs.d',
      '--hosts-dir',
      '/etc/docker/certs.d',
      'ps'
    ])
  })

  test('unset and empty options add no flags', async () => {
    const [c, fake] = client({ namespace: '', address: '', hostsDir: [], sudo: false })
    await c.exec(['ps'])
    expect(onlyCall(fake).args).toEqual(['ps'])
  })

  test('argv() is what exec runs', () => {
    const c = new Nerdctl({ sudo: true, namespace: 'n', insecureRegistries: ['r:5000'] })
    expect(c.argv(['pull', 'r:5000/a'], 'r:5000')).toEqual([
      SUDO,
      '-n',
      '--',
      'nerdctl',
      '--namespace',
      'n',
      '--insecure-registry',
      'pull',
      'r:5000/a'
    ])
    expect(c.argv(['ps'])).toEqual([SUDO, '-n', '--', 'nerdctl', '--namespace', 'n', 'ps'])
  })

  test('with() keeps the options and changes the given ones', async () => {
    const fake = fakeRunner()
    const c = new Nerdctl({ namespace: 'a', sudo: true, runner: fake.runner }).with({
      namespace: 'b'
    })
    await c.exec(['ps'])
    expect(onlyCall(fake).args).toEqual(['-n', '--', 'nerdctl', '--namespace', 'b', 'ps'])
  })

  test('execNerdctl runs through the given client', async () => {
    const [c, fake] = client({ namespace: 'x' })
    const r = await execNerdctl(['info'], { client: c })
    expect(r.exitCode).toBe(0)
    expect(onlyCall(fake).args).toEqual(['--namespace', 'x', 'info'])
  })
})

describe('insecureRegistries', () => {
  test('true: the flag on every call', async () => {
    const [c, fake] = client({ insecureRegistries: true })
    await c.exec(['ps'])
    await c.exec(['pull', 'reg.example:5000/a'], { registry: 'reg.example:5000' })
    expect(fake.calls.map(s => s.args)).toEqual([
      ['--insecure-registry', 'ps'],
      ['--insecure-registry', 'pull', 'reg.example:5000/a']
    ])
  })

  test('a list: the flag only when the call talks to one of those registries', async () => {
    const [c, fake] = client({ insecureRegistries: ['reg.example:5000', '10.0.0.5'] })
    await c.exec(['pull', 'reg.example:5000/a'], { registry: 'reg.example:5000' })
    await c.exec(['pull', '10.0.0.5/b'], { registry: '10.0.0.5' })
    await c.exec(['pull', 'docker.io/library/busybox'], { registry: 'docker.io' })
    await c.exec(['ps'])
    expect(fake.calls.map(s => s.args)).toEqual([
      ['--insecure-registry', 'pull', 'reg.example:5000/a'],
      ['--insecure-registry', 'pull', '10.0.0.5/b'],
      ['pull', 'docker.io/library/busybox'],
      ['ps']
    ])
  })

  test('false or an empty list: never', async () => {
    for (const insecureRegistries of [false, []]) {
      const [c, fake] = client({ insecureRegistries })
      await c.exec(['push', 'r:5000/a'], { registry: 'r:5000' })
      expect(onlyCall(fake).args).toEqual(['push', 'r:5000/a'])
    }
  })
})

describe('what the runner is given', () => {
  test('no extra environment: env undefined', async () => {
    const [c, fake] = client()
    await c.exec(['ps'])
    expect(onlyCall(fake).env).toBeUndefined()
  })

  test('environment: the client env merged with the call env, the call winning', async () => {
    const [c, fake] = client({ env: { A: '1', B: 'client' } })
    await c.exec(['ps'], { env: { B: 'call', C: '3' } })
    expect(onlyCall(fake).env).toEqual({ A: '1', B: 'call', C: '3' })
  })

  test('environment of the call alone', async () => {
    const [c, fake] = client()
    await c.exec(['ps'], { env: { BUILDKIT_HOST: 'unix:///b.sock' } })
    expect(onlyCall(fake).env).toEqual({ BUILDKIT_HOST: 'unix:///b.sock' })
  })

  test('stdin passed through, string or Buffer', async () => {
    const [c, fake] = client()
    await c.exec(['login', '--password-stdin'], { input: 's3cret\n' })
    const buf = Buffer.from([0, 1, 2, 255])
    await c.exec(['load'], { input: buf })
    expect(fake.calls[0]?.input).toBe('s3cret\n')
    expect(fake.calls[1]?.input).toBe(buf)
  })

  test('no input: undefined', async () => {
    const [c, fake] = client()
    await c.exec(['ps'])
    expect(onlyCall(fake).input).toBeUndefined()
  })

  test('timeout: default, the client one, the call one', async () => {
    const [c1, f1] = client()
    await c1.exec(['ps'])
    expect(onlyCall(f1).timeoutMs).toBe(DEFAULT_TIMEOUT_MS)
    const [c2, f2] = client({ timeoutMs: 5000 })
    await c2.exec(['ps'])
    await c2.exec(['ps'], { timeoutMs: 0 })
    expect(f2.calls.map(s => s.timeoutMs)).toEqual([5000, 0])
  })

  test('signal, output callbacks, output file and bound passed through', async () => {
    const [c, fake] = client()
    const controller = new AbortController()
    const onStdout = (): void => {}
    const onStderr = (): void => {}
    await c.exec(['logs', 'x'], {
      signal: controller.signal,
      onStdout,
      onStderr,
      stdoutFile: '/tmp/out.log',
      maxOutputBytes: 4096
    })
    const call = onlyCall(fake)
    expect(call.signal).toBe(controller.signal)
    expect(call.onStdout).toBe(onStdout)
    expect(call.onStderr).toBe(onStderr)
    expect(call.stdoutFile).toBe('/tmp/out.log')
    expect(call.maxOutputBytes).toBe(4096)
  })

  test('the result is what the command printed', async () => {
    const [c] = client({}, { stdout: 'out\n', stderr: 'warn\n' })
    expect(await c.exec(['ps'])).toEqual({ stdout: 'out\n', stderr: 'warn\n', exitCode: 0 })
  })
})

describe('logging and secrets', () => {
  test('the command line is logged at debug, quoted for display', async () => {
    const { logger, debug } = capturingLogger()
    const [c] = client({ logger, sudo: true, namespace: 'ci' })
    await c.exec(['exec', 'web', '/bin/sh', '-c', "echo 'hi there'"])
    expect(debug).toEqual([
      `[command]${SUDO} -n -- nerdctl --namespace ci exec web /bin/sh -c 'echo '\\''hi there'\\'''`
    ])
  })

  test('secrets are redacted from the logged command line, not from what runs', async () => {
    const { logger, debug } = capturingLogger()
    const [c, fake] = client({ logger })
    await c.exec(['login', '--password', 'hunter2', 'reg.example'], { secrets: ['hunter2'] })
    expect(debug.join('\n')).not.toContain('hunter2')
    expect(debug.join('\n')).toContain("--password '***' reg.example")
    expect(onlyCall(fake).args).toEqual(['login', '--password', 'hunter2', 'reg.example'])
  })

  test('a secret inside a longer argument is redacted too', async () => {
    const { logger, debug } = capturingLogger()
    const [c] = client({ logger })
    await c.exec(['run', '-e', 'TOKEN=tok-123', 'img'], { secrets: ['tok-123', ''] })
    expect(debug.join('\n')).toContain('TOKEN=***')
    expect(debug.join('\n')).not.toContain('tok-123')
  })

  test('secrets are redacted from the error: message, stderr, stdout and args', async () => {
    const [c] = client(
      {},
      {
        exitCode: 1,
        stderr:
          'time="2026-01-01T00:00:00Z" level=fatal msg="login with password hunter2 failed: unauthorized"',
        stdout: 'echo hunter2'
      }
    )
    const e = await rejection(
      c.exec(['login', '--password', 'hunter2', 'reg.example'], { secrets: ['hunter2'] })
    )
    expect(e.kind).toBe('CommandFailed')
    for (const text of [e.message, e.stderr, e.stdout, e.command, ...e.args]) {
      expect(text).not.toContain('hunter2')
    }
    expect(e.stderr).toContain('login with password *** failed')
    expect(e.args).toEqual(['login', '--password', '***', 'reg.example'])
  })

  test('secrets are redacted from the output of a successful call', async () => {
    const [c] = client({}, { stdout: 'token=hunter2\n', stderr: 'using hunter2' })
    const r = await c.exec(['x'], { secrets: ['hunter2'] })
    expect(r.stdout).toBe('token=***\n')
    expect(r.stderr).toBe('using ***')
  })

  test('secrets are redacted from timeout errors', async () => {
    const [c] = client({}, { timedOut: true, exitCode: 143, stderr: 'still waiting for hunter2' })
    const e = await rejection(c.exec(['login', 'hunter2'], { secrets: ['hunter2'], timeoutMs: 10 }))
    expect(e.kind).toBe('Timeout')
    expect(e.message).not.toContain('hunter2')
    expect(e.stderr).not.toContain('hunter2')
  })
})

describe('failures as NerdctlError kinds', () => {
  test('binary not found: CommandExecutionFailed mentioning PATH', async () => {
    const [c] = client({}, { exitCode: null, spawnError: enoent('nerdctl') })
    const e = await rejection(c.exec(['ps']))
    expect(e.kind).toBe('CommandExecutionFailed')
    expect(e.message).toContain('PATH')
    expect(e.message).toContain('nerdctl')
    expect(e.args).toEqual(['ps'])
    expect((e.cause as NodeJS.ErrnoException).code).toBe('ENOENT')
  })

  test('binary path not found: the message names it', async () => {
    const [c] = client(
      { binary: '/opt/none/nerdctl' },
      { exitCode: null, spawnError: enoent('/opt/none/nerdctl') }
    )
    const e = await rejection(c.exec(['ps']))
    expect(e.kind).toBe('CommandExecutionFailed')
    expect(e.message).toContain('/opt/none/nerdctl')
  })

  test('other spawn errors: CommandExecutionFailed with the reason', async () => {
    const err = Object.assign(new Error('spawn nerdctl EACCES'), { code: 'EACCES' })
    const [c] = client({}, { exitCode: null, spawnError: err })
    const e = await rejection(c.exec(['ps']))
    expect(e.kind).toBe('CommandExecutionFailed')
    expect(e.message).toContain('EACCES')
  })

  test('timed out: Timeout, with the timeout, the command and what it said', async () => {
    const [c] = client(
      {},
      { timedOut: true, exitCode: 143, stderr: 'pulling layer 3/7', stdout: 'x' }
    )
    const e = await rejection(c.exec(['pull', 'busybox'], { timeoutMs: 1234 }))
    expect(e.kind).toBe('Timeout')
    expect(e.message).toContain('1234 ms')
    expect(e.message).toContain('nerdctl pull busybox')
    expect(e.message).toContain('pulling layer 3/7')
    expect(e.args).toEqual(['pull', 'busybox'])
    expect(e.exitCode).toBe(143)
    expect(e.stdout).toBe('x')
  })

  test('timed out with allowFailure is still a Timeout', async () => {
    const [c] = client({}, { timedOut: true, exitCode: 143 })
    expect((await rejection(c.exec(['ps'], { allowFailure: true }))).kind).toBe('Timeout')
  })

  test('signal aborted before the call: Cancelled with the reason, nothing runs', async () => {
    const controller = new AbortController()
    controller.abort(new Error('the job was cancelled'))
    const fake = fakeRunner({ aborted: true, exitCode: 143 })
    // The signal is checked before starting: the runner never runs.
    const c = new Nerdctl({ runner: fake.runner })
    const e = await rejection(c.exec(['build', '.'], { signal: controller.signal }))
    expect(e.kind).toBe('Cancelled')
    expect(e.message).toContain('the job was cancelled')
    expect(e.args).toEqual(['build', '.'])
    expect(fake.calls).toHaveLength(0)
  })

  test('aborted while running: Cancelled', async () => {
    const controller = new AbortController()
    const runner: Runner = async () => {
      controller.abort('stop now')
      return { stdout: '', stderr: 'partial', exitCode: 143, timedOut: false, aborted: true }
    }
    const c = new Nerdctl({ runner })
    const e = await rejection(
      c.exec(['pull', 'x'], { signal: controller.signal, allowFailure: true })
    )
    expect(e.kind).toBe('Cancelled')
    expect(e.message).toContain('nerdctl pull x was cancelled: stop now')
    expect(e.stderr).toBe('partial')
  })

  test('a runner that throws: Other, with the cause', async () => {
    const boom = new Error('boom')
    const runner: Runner = async () => {
      throw boom
    }
    const e = await rejection(new Nerdctl({ runner }).exec(['ps']))
    expect(e.kind).toBe('Other')
    expect(e.message).toContain('boom')
    expect(e.cause).toBe(boom)
  })

  test('non-zero exit: CommandFailed with exit code, stderr, stdout and args', async () => {
    const [c] = client(
      { sudo: true, namespace: 'ci' },
      { exitCode: 2, stderr: 'something broke\n', stdout: 'half' }
    )
    const e = await rejection(c.exec(['rm', 'web']))
    expect(e.kind).toBe('CommandFailed')
    expect(e.exitCode).toBe(2)
    expect(e.stderr).toBe('something broke\n')
    expect(e.stdout).toBe('half')
    // nerdctl's own argv: what follows sudo and the binary.
    expect(e.args).toEqual(['--namespace', 'ci', 'rm', 'web'])
    expect(e.message).toContain('exit code 2')
    expect(e.message).toContain('something broke')
  })

  test('non-zero exit without any output', async () => {
    const [c] = client({}, { exitCode: 1 })
    const e = await rejection(c.exec(['ps']))
    expect(e.message).toContain('(no output)')
  })

  test('killed without an exit code: CommandFailed', async () => {
    const [c] = client({}, { exitCode: null })
    const e = await rejection(c.exec(['ps']))
    expect(e.kind).toBe('CommandFailed')
  })

  test('allowFailure: the result instead of an error', async () => {
    const [c] = client({}, { exitCode: 3, stdout: 'out', stderr: 'err' })
    expect(await c.exec(['exec', 'x', 'false'], { allowFailure: true })).toEqual({
      stdout: 'out',
      stderr: 'err',
      exitCode: 3
    })
  })
})

/** The hint part of an error message, after "Hint: ". */
function hintIn(message: string): string | undefined {
  const i = message.indexOf('\nHint: ')
  return i < 0 ? undefined : message.slice(i + '\nHint: '.length)
}

/** The argv of a fixture as nerdctl saw it: without `env X=Y nerdctl` in front. */
function nerdctlArgs(args: readonly string[]): string[] {
  const i = args.indexOf('nerdctl')
  return i < 0 ? [...args] : args.slice(i + 1)
}

function after(args: readonly string[], flag: string): string {
  return args[args.indexOf(flag) + 1] as string
}

describe('errors recorded from the real nerdctl', () => {
  test.each<[string, (args: string[]) => string, RegExp[]]>([
    [
      'error-containerd-down.txt',
      args => `cannot access containerd socket "${after(args, '--address')}"`,
      [/`address`/, /containerd is not running/]
    ],
    [
      'error-buildkit-down.txt',
      () => '`buildctl` needs to be installed and `buildkitd` needs to be running',
      [/buildkitd/, /buildkitHost/]
    ],
    [
      'error-name-in-use.txt',
      args => `name "${after(args, '--name')}" is already used`,
      [/already exists/, /remove/]
    ],
    [
      'error-no-such-container.txt',
      args => `no such object ${args[args.length - 1] as string}`,
      [/does not exist/, /nerdctl ps -a/]
    ],
    [
      'error-no-such-image.txt',
      args => `image not available: "${args[args.length - 2] as string}"`,
      [/image was not found/, /pull/]
    ],
    ['error-push-unauthorized.txt', () => 'push access denied', [/log in/]],
    ['error-not-root.txt', () => 'rootless containerd not running', [/sudo/, /root/]],
    ['error-sudo-password.txt', () => 'a password is required', [/sudoers/, /NOPASSWD/]]
  ])('%s: nerdctl message and hint', async (name, saidOf, hint) => {
    const meta = fixtureMeta(name)
    const args = nerdctlArgs(meta.args)
    const [c] = client({}, { exitCode: meta.exitCode, stderr: meta.stderr })
    const e = await rejection(c.exec(args))

    expect(e.kind).toBe('CommandFailed')
    expect(e.exitCode).toBe(meta.exitCode)
    expect(e.stderr).toBe(meta.stderr)
    expect(e.args).toEqual(args)
    // What nerdctl said, without the logrus decoration.
    expect(e.message).toContain(saidOf(args))
    expect(e.message).toContain(nerdctlSaid(meta.stderr))
    expect(e.message).not.toMatch(/time=|level=(fatal|error|info)/)
    // And how to fix it.
    expect(e.message).toContain('\nHint: ')
    for (const re of hint) expect(hintIn(e.message)).toMatch(re)
  })

  test('push: the info line is not what nerdctl said', () => {
    const said = nerdctlSaid(fixtureMeta('error-push-unauthorized.txt').stderr)
    expect(said).not.toContain('pushing as a reduced-platform image')
    expect(said).toContain('push access denied')
  })

  test('buildkit: both error and fatal messages, unescaped', () => {
    const said = nerdctlSaid(fixtureMeta('error-buildkit-down.txt').stderr)
    expect(said).toContain(
      'dial unix /nonexistent/buildkitd.sock: connect: no such file or directory"'
    )
    expect(said).toContain('`buildkitd` needs to be running')
    expect(said).not.toContain('\\"')
  })

  test('an unknown flag: nerdctl message, no misleading hint', async () => {
    const meta = fixtureMeta('error-bad-flag.txt')
    const [c] = client({}, { exitCode: meta.exitCode, stderr: meta.stderr })
    const e = await rejection(c.exec(meta.args))
    expect(e.message).toContain('unknown flag: --no-such-flag')
    expect(hintIn(e.message)).toBeUndefined()
  })
})

describe('hints for errors sudo prints', () => {
  // sudo's secure_path often lacks /usr/local/bin: sudo itself then says
  // "command not found". That is not a missing image.
  test('sudo cannot find nerdctl: no image hint', async () => {
    const [c] = client(
      { sudo: true },
      { exitCode: 1, stderr: 'sudo: nerdctl: command not found\n' }
    )
    const e = await rejection(c.exec(['ps']))
    expect(e.kind).toBe('CommandFailed')
    expect(e.message).toContain('sudo: nerdctl: command not found')
    expect(hintIn(e.message) ?? '').not.toMatch(/image/)
  })
})

describe('registry-aware calls', () => {
  const ID = 'a'.repeat(64)

  test('a run whose image is on a listed insecure registry gets --insecure-registry', async () => {
    const [c, fake] = client({ insecureRegistries: ['reg.example:5000'] }, { stdout: `${ID}\n` })
    const r = await runSpec({ image: 'reg.example:5000/app:1', name: 'x' }, { client: c })
    expect(r.containerId).toBe(ID)
    expect(onlyCall(fake).args).toEqual([
      '--insecure-registry',
      'run',
      '-d',
      '--name',
      'x',
      'reg.example:5000/app:1'
    ])
  })

  test('other registries do not', async () => {
    const [c, fake] = client({ insecureRegistries: ['reg.example:5000'] }, { stdout: `${ID}\n` })
    await runSpec({ image: 'other.example/app:1' }, { client: c })
    expect(onlyCall(fake).args).toEqual(['run', '-d', 'other.example/app:1'])
  })

  test("the client labels go on every container it creates, before the spec's own", async () => {
    const [c, fake] = client({ labels: [['owner', 'step-1']] }, { stdout: `${ID}\n` })
    await runSpec({ image: 'app:1', labels: [['role', 'db']] }, { client: c })
    expect(onlyCall(fake).args).toEqual([
      'run',
      '-d',
      '--label',
      'owner=step-1',
      '--label',
      'role=db',
      'app:1'
    ])
  })
})

describe('isNoSuchContainer over recorded errors', () => {
  test.each([
    ['error-no-such-container.txt', true],
    ['error-container-inspect-missing.txt', true],
    ['error-rm-missing.txt', true],
    ['error-containerd-down.txt', false],
    ['error-no-such-image.txt', false],
    ['error-name-in-use.txt', false]
  ])('%s -> %s', async (name, expected) => {
    const meta = fixtureMeta(name)
    const [c] = client({}, { exitCode: meta.exitCode, stderr: meta.stderr })
    const e = await rejection(c.exec(['x']))
    expect(isNoSuchContainer(e)).toBe(expected)
  })
})

describe('foreground runs', () => {
  test("the program's non-zero exit is a result", async () => {
    const [c] = client({}, { exitCode: 7, stdout: 'out\n', stderr: 'e\n' })
    const r = await runSpec({ image: 'app:1', detach: false, autoRemove: true }, { client: c })
    expect(r).toMatchObject({ exitCode: 7, stdout: 'out\n', stderr: 'e\n', containerId: undefined })
  })

  test("nerdctl's own failure (recorded: no such image) is an error, not an exit code", async () => {
    const meta = fixtureMeta('error-no-such-image.txt')
    const [c] = client({}, { exitCode: meta.exitCode, stderr: meta.stderr })
    await expect(
      runSpec(
        { image: '127.0.0.1:5000/fixture/missing:none', detach: false, autoRemove: true },
        { client: c }
      )
    ).rejects.toMatchObject({
      kind: 'CommandFailed',
      message: expect.stringContaining('image not available')
    })
  })
})

describe('sudo never logs a proxy password', () => {
  // sudo writes `ENV=NAME=value` of each --preserve-env variable to its log.
  const saved = { ...process.env }
  afterEach(() => {
    for (const k of ['HTTPS_PROXY', 'http_proxy']) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
  })

  test('a proxy URL with a password: sudo -E -H with the environment made for the call', async () => {
    process.env.HTTPS_PROXY = 'http://user:pw-5521@127.0.0.1:3128'
    const [c, fake] = client({ sudo: true })
    await c.exec(['pull', 'x'])
    const call = onlyCall(fake)
    expect(call.args).toEqual(['-n', '-E', '-H', '--', 'nerdctl', 'pull', 'x'])
    expect(call.args.join(' ')).not.toContain('pw-5521')
    expect(call.env?.HTTPS_PROXY).toBe('http://user:pw-5521@127.0.0.1:3128')
  })

  test('a proxy without a password keeps the plain --preserve-env form', async () => {
    process.env.http_proxy = 'http://127.0.0.1:3128'
    const [c, fake] = client({ sudo: true })
    await c.exec(['pull', 'x'])
    expect(onlyCall(fake).args[1]).toMatch(/^--preserve-env=(.*,)?http_proxy(,|$)/)
  })
})
