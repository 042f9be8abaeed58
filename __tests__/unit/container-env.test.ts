// A container's env never on nerdctl's command line, through the library's
// API (runSpec, create, Container) over a fake runner: what nerdctl is given
// (an env file, `-e NAME` with the value in its environment), the file's
// privacy and lifetime, and that no value reaches a debug line or an error.
import { systemProgram } from '../../src/nerdctl/exec/programs.js'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname } from 'node:path'
import { NerdctlError } from '../../src/nerdctl/base/errors.js'
import { Container } from '../../src/nerdctl/builder/container.js'
import { Nerdctl, type GlobalOptions } from '../../src/nerdctl/exec/client.js'
import type { ProcessResult, RunSpec, Runner } from '../../src/nerdctl/exec/runner.js'
import { create, runSpec } from '../../src/nerdctl/ops/run.js'
import { exec } from '../../src/nerdctl/ops/containers.js'

const IMG = '127.0.0.1:5000/busybox:stable'
const ID = 'a'.repeat(64)

/** Values no command line, debug line or error may show (each unique, so a hit is certain). */
const VALUES = {
  PLAIN: 'val-plain-8812',
  EQ: 'a=b c=val-eq-3391',
  HASH: 'x # val-hash-5521',
  QUOTES: `"val-quoted-2207" 'x'`,
  LEAD: '   val-lead-7710',
  ML: '-----BEGIN-----\nval-ml-4410\n-----END-----',
  TRAIL: 'val-trail-6620  '
}
const ENV = Object.entries(VALUES)

interface Seen {
  spec: RunSpec
  /** The env file as it was while nerdctl ran, with its directory's and its own modes. */
  file?: { path: string; text: string; mode: number; dirMode: number }
}

function fake(result: Partial<ProcessResult> = {}): { runner: Runner; seen: Seen[] } {
  const seen: Seen[] = []
  const runner: Runner = async spec => {
    const s: Seen = { spec }
    const i = spec.args.indexOf('--env-file')
    if (i >= 0) {
      const path = spec.args[i + 1] as string
      s.file = {
        path,
        text: readFileSync(path, 'utf8'),
        mode: statSync(path).mode & 0o777,
        dirMode: statSync(dirname(path)).mode & 0o777
      }
    }
    seen.push(s)
    return {
      stdout: `${ID}\n`,
      stderr: '',
      exitCode: 0,
      timedOut: false,
      aborted: false,
      ...result
    }
  }
  return { runner, seen }
}

function clientWith(
  options: GlobalOptions,
  result: Partial<ProcessResult> = {}
): { client: Nerdctl; seen: Seen[]; debug: string[] } {
  const debug: string[] = []
  const f = fake(result)
  const client = new Nerdctl({
    ...options,
    runner: f.runner,
    logger: { debug: m => void debug.push(m), info() {}, warning() {} }
  })
  return { client, seen: f.seen, debug }
}

/** Every piece of text that must hold no value. */
function expectNoValue(texts: readonly string[]): void {
  for (const text of texts)
    for (const [name, value] of ENV) {
      const core = value.trim().split('\n')[0] as string
      expect([name, text.includes(core)]).toEqual([name, false])
    }
}

describe('runSpec: the env goes in a private file or by name, never by value', () => {
  test('argv: --env-file and -e NAME; the file holds the lines; the rest is in nerdctl’s environment', async () => {
    const { client, seen, debug } = clientWith({})
    await runSpec({ image: IMG, name: 'web', env: ENV }, { client })
    expect(seen).toHaveLength(1)
    const [call] = seen as [Seen]
    const file = call.file as NonNullable<Seen['file']>
    expect(call.spec.file).toBe('nerdctl')
    expect(call.spec.args).toEqual([
      'run',
      '-d',
      '--name',
      'web',
      '--env-file',
      file.path,
      '-e',
      'ML',
      '-e',
      'TRAIL',
      IMG
    ])
    expect(file.text).toBe(
      'PLAIN=val-plain-8812\nEQ=a=b c=val-eq-3391\nHASH=x # val-hash-5521\n' +
        `QUOTES="val-quoted-2207" 'x'\nLEAD=   val-lead-7710\n`
    )
    expect(call.spec.env).toEqual({ ML: VALUES.ML, TRAIL: VALUES.TRAIL })
    expect(call.spec.envOnly).toBeUndefined()
    expectNoValue([...call.spec.args, ...debug])
  })

  test('the file: 0600, alone in a 0700 directory of its own under TMPDIR, gone when run returns', async () => {
    const { client, seen } = clientWith({})
    await runSpec({ image: IMG, env: [['A', '1']] }, { client })
    const file = seen[0]?.file as NonNullable<Seen['file']>
    expect(file.mode).toBe(0o600)
    expect(file.dirMode).toBe(0o700)
    expect(dirname(dirname(file.path))).toBe(tmpdir())
    expect(basename(dirname(file.path))).toMatch(/^nerdctl-env-/)
    expect(existsSync(dirname(file.path))).toBe(false)
  })

  test('each call gets a directory of its own', async () => {
    const { client, seen } = clientWith({})
    await Promise.all([
      runSpec({ image: IMG, env: [['A', '1']] }, { client }),
      runSpec({ image: IMG, env: [['A', '2']] }, { client })
    ])
    const paths = seen.map(s => s.file?.path)
    expect(new Set(paths).size).toBe(2)
    expect(seen.map(s => s.file?.text).sort()).toEqual(['A=1\n', 'A=2\n'])
  })

  test('a failed run: the file is gone, and the error and debug lines show no value', async () => {
    const { client, seen, debug } = clientWith(
      {},
      { exitCode: 1, stdout: '', stderr: 'time="x" level=fatal msg="boom"\n' }
    )
    const e = await runSpec({ image: IMG, env: ENV }, { client }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(NerdctlError)
    const err = e as NerdctlError
    expect(err.message).toContain('--env-file')
    expect(existsSync(seen[0]?.file?.path as string)).toBe(false)
    expectNoValue([err.message, JSON.stringify(err.args), ...debug])
  })

  test('a foreground run: the same, and the file is gone when it returns', async () => {
    const { client, seen } = clientWith({}, { stdout: 'program output\n' })
    const r = await runSpec({ image: IMG, detach: false, env: [['A', '1']] }, { client })
    expect(r.stdout).toBe('program output\n')
    const args = seen[0]?.spec.args ?? []
    // The run's own --cidfile (how a foreground run knows its container) comes last.
    expect(args.slice(0, 4)).toEqual(['run', '--env-file', seen[0]?.file?.path, '--cidfile'])
    expect(args.at(-1)).toBe(IMG)
    expect(existsSync(seen[0]?.file?.path as string)).toBe(false)
  })

  test('only values the file cannot carry: no file at all', async () => {
    const { client, seen } = clientWith({})
    await runSpec({ image: IMG, env: [['ML', 'a\nb']] }, { client })
    expect(seen[0]?.spec.args).toEqual(['run', '-d', '-e', 'ML', IMG])
    expect(seen[0]?.spec.env).toEqual({ ML: 'a\nb' })
  })

  test('no env: neither a file nor an environment', async () => {
    const { client, seen } = clientWith({})
    await runSpec({ image: IMG }, { client })
    expect(seen[0]?.spec.args).toEqual(['run', '-d', IMG])
    expect(seen[0]?.spec.env).toBeUndefined()
  })

  test('a bad value is refused before any file is written or command runs, naming the variable', async () => {
    const { client, seen } = clientWith({})
    const e = await runSpec({ image: IMG, env: [['PATH', '/x\n/y-secret']] }, { client }).catch(
      (x: unknown) => x
    )
    expect((e as Error).message).toContain('environment variable PATH')
    expect((e as Error).message).not.toContain('y-secret')
    expect(seen).toEqual([])
  })

  test("a name the client sets for nerdctl itself is not replaced by a container's value", async () => {
    const { client, seen } = clientWith({ env: { MY_SETTING: 'nerdctl' } })
    const e = await runSpec({ image: IMG, env: [['MY_SETTING', 'a\nb']] }, { client }).catch(
      (x: unknown) => x
    )
    expect((e as Error).message).toContain('environment variable MY_SETTING')
    expect(seen).toEqual([])
    // On one line it goes in the file, beside the client's own variable.
    await runSpec({ image: IMG, env: [['MY_SETTING', 'x']] }, { client })
    expect(seen[0]?.file?.text).toBe('MY_SETTING=x\n')
    expect(seen[0]?.spec.env).toEqual({ MY_SETTING: 'nerdctl' })
  })
})

describe('through sudo', () => {
  const saved = { ...process.env }
  afterEach(() => {
    for (const k of ['DOCKER_CONFIG', 'HTTPS_PROXY']) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
  })

  test('file values alone: sudo as usual, nothing in the environment', async () => {
    const { client, seen } = clientWith({ sudo: true })
    await runSpec({ image: IMG, env: [['A', '1']] }, { client })
    const args = seen[0]?.spec.args as string[]
    expect(seen[0]?.spec.file).toBe(systemProgram('sudo'))
    expect(args.slice(0, 3)).toEqual(['-n', '--', 'nerdctl'])
    expect(seen[0]?.file?.text).toBe('A=1\n')
  })

  test('values by name: sudo -E -H in an environment made for the call, never --preserve-env (sudo logs those values)', async () => {
    process.env.DOCKER_CONFIG = '/runner/docker'
    process.env.HTTPS_PROXY = 'http://proxy.lan:3128'
    const { client, seen, debug } = clientWith({ sudo: true, env: { BUILDKIT_HOST: 'unix:///b' } })
    await runSpec({ image: IMG, env: ENV }, { client })
    const call = seen[0] as Seen
    expect(call.spec.file).toBe(systemProgram('sudo'))
    expect(call.spec.args.slice(0, 5)).toEqual(['-n', '-E', '-H', '--', 'nerdctl'])
    expect(call.spec.args.join(' ')).not.toContain('--preserve-env')
    expect(call.spec.envOnly).toBe(true)
    expect(call.spec.env).toEqual({
      PATH: process.env.PATH,
      DOCKER_CONFIG: '/runner/docker',
      HTTPS_PROXY: 'http://proxy.lan:3128',
      BUILDKIT_HOST: 'unix:///b',
      ML: VALUES.ML,
      TRAIL: VALUES.TRAIL
    })
    expectNoValue([...call.spec.args, ...debug])
  })

  test('a value sudo would drop (a shell function) is refused, naming the variable', async () => {
    const { client, seen } = clientWith({ sudo: true })
    const e = await runSpec({ image: IMG, env: [['F', '() {\n :\n}']] }, { client }).catch(
      (x: unknown) => x
    )
    expect((e as Error).message).toMatch(/environment variable F.*sudo/)
    expect(seen).toEqual([])
  })
})

describe('create and the Container builder take the same road', () => {
  test('create', async () => {
    const { client, seen, debug } = clientWith({})
    expect(await create({ image: IMG, env: ENV }, { client })).toBe(ID)
    const call = seen[0] as Seen
    expect(call.spec.args).toEqual([
      'create',
      '--env-file',
      call.file?.path,
      '-e',
      'ML',
      '-e',
      'TRAIL',
      IMG
    ])
    expect(existsSync(call.file?.path as string)).toBe(false)
    expectNoValue([...call.spec.args, ...debug])
  })

  test('Container.withEnv / withEnvs then build()', async () => {
    const { client, seen, debug } = clientWith({})
    const c = Container.fromImage('web', IMG, { client })
      .withEnv('PLAIN', VALUES.PLAIN)
      .withEnvs({ ML: VALUES.ML, EQ: VALUES.EQ })
    await c.build()
    expect(c.containerId).toBe(ID)
    const call = seen[0] as Seen
    expect(call.spec.args).toEqual([
      'run',
      '-d',
      '--name',
      'web',
      '--env-file',
      call.file?.path,
      '-e',
      'ML',
      IMG
    ])
    expect(call.file?.text).toBe(`PLAIN=${VALUES.PLAIN}\nEQ=${VALUES.EQ}\n`)
    expectNoValue([...call.spec.args, ...debug])
  })

  test('Container.fromSpec then start(): create with the env file', async () => {
    const { client, seen } = clientWith({})
    // inspect fails (no such container), the image is there, create, start, inspect running.
    let inspects = 0
    const runner: Runner = async spec => {
      const sub = spec.args[0]
      if (sub === 'container' && spec.args[1] === 'inspect') {
        inspects++
        if (inspects === 1)
          return {
            stdout: '',
            stderr: 'level=fatal msg="no such container web"',
            exitCode: 1,
            timedOut: false,
            aborted: false
          }
        return {
          stdout: JSON.stringify([
            { Id: ID, Name: 'web', Image: IMG, State: { Status: 'running', Running: true } }
          ]),
          stderr: '',
          exitCode: 0,
          timedOut: false,
          aborted: false
        }
      }
      if (sub === 'image' || sub === 'images')
        return {
          stdout: '[{"Id":"sha256:x"}]',
          stderr: '',
          exitCode: 0,
          timedOut: false,
          aborted: false
        }
      return (client.options.runner as Runner)(spec)
    }
    const c = Container.fromSpec(
      {
        name: 'web',
        image: IMG,
        env: [
          ['ML', 'a\nb'],
          ['A', '1']
        ]
      },
      { client: client.with({ runner }) }
    )
    await c.start().catch(() => undefined)
    const created = seen.find(s => s.spec.args[0] === 'create')
    expect(created?.spec.args).toEqual(
      expect.arrayContaining(['--env-file', created?.file?.path, '-e', 'ML'])
    )
    expect(created?.file?.text).toBe('A=1\n')
    expect(created?.spec.env).toEqual({ ML: 'a\nb' })
  })
})

describe('exec: the same rule as run', () => {
  test('--env-file and -e NAME, no value on the command line or in a debug line; the file is gone after', async () => {
    const { client, seen, debug } = clientWith({}, { stdout: 'out\n' })
    await exec('web', ['env'], { client, env: ENV })
    const [call] = seen as [Seen]
    const file = call.file as NonNullable<Seen['file']>
    expect(call.spec.args).toEqual([
      'exec',
      '--env-file',
      file.path,
      '-e',
      'ML',
      '-e',
      'TRAIL',
      'web',
      'env'
    ])
    expect(file.mode).toBe(0o600)
    expect(call.spec.env).toEqual({ ML: VALUES.ML, TRAIL: VALUES.TRAIL })
    expectNoValue([...call.spec.args, ...debug])
    expect(existsSync(dirname(file.path))).toBe(false)
  })

  test('a bad variable name is refused before nerdctl runs', async () => {
    const { client, seen } = clientWith({})
    await expect(exec('web', ['env'], { client, env: [['A B', '1']] })).rejects.toThrow(
      /environment variable name "A B"/
    )
    expect(seen).toHaveLength(0)
  })
})
