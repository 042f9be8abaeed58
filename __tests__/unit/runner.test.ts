// The real spawnRunner, driven with system binaries only (never nerdctl):
// output, exit codes, stdin, killing whole process groups on timeout and
// abort, streaming, output to a file, bounded output, a missing binary.
import { jest } from '@jest/globals'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  MAX_TIMER_MS,
  TailBuffer,
  longTimeout,
  spawnRunner,
  type RunSpec
} from '../../src/nerdctl/exec/runner.js'

const SH = '/bin/sh'

function sh(script: string, extra: Partial<RunSpec> = {}, ...args: string[]): RunSpec {
  return { file: SH, args: ['-c', script, 'sh', ...args], timeoutMs: 10_000, ...extra }
}

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runner-test-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Whether `process.kill(pid, 0)` says there is no such process. */
function noSuchProcess(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return false
  } catch {
    return true
  }
}

/** Whether a process is a zombie: dead, waiting for its new parent to reap it. */
function zombie(pid: number): boolean {
  try {
    // "pid (comm) STATE ..."; comm may contain spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
  } catch {
    return false
  }
}

/**
 * Waits until `process.kill(pid, 0)` throws. An orphan is reaped by PID 1 (or
 * a subreaper), which can take a while in a container; one that is still a
 * zombie at the end is dead all the same and counts as gone.
 */
async function waitGone(pid: number, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (noSuchProcess(pid)) return true
    await new Promise(r => setTimeout(r, 50))
  }
  return noSuchProcess(pid) || zombie(pid)
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/** The pids a script wrote, one per word. */
async function pidsIn(file: string): Promise<number[]> {
  const text = await readFile(file, 'utf8')
  return text
    .trim()
    .split(/\s+/)
    .map(Number)
    .filter(n => n > 0)
}

describe('spawnRunner: output and exit code', () => {
  test('stdout, stderr and exit code', async () => {
    const r = await spawnRunner(sh('echo out; echo err >&2; exit 3'))
    expect(r).toEqual({
      stdout: 'out\n',
      stderr: 'err\n',
      exitCode: 3,
      timedOut: false,
      aborted: false
    })
  })

  test('exit 0', async () => {
    const r = await spawnRunner({
      file: 'printf',
      args: ['%s|%s', 'a b', "c'd"],
      timeoutMs: 10_000
    })
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe("a b|c'd")
    expect(r.spawnError).toBeUndefined()
  })

  test('arguments are not interpreted by any shell', async () => {
    const r = await spawnRunner({
      file: 'printf',
      args: ['%s', '$HOME; `id` *'],
      timeoutMs: 10_000
    })
    expect(r.stdout).toBe('$HOME; `id` *')
  })

  test('killed by a signal: 128 + its number', async () => {
    const r = await spawnRunner(sh('kill -9 $$'))
    expect(r.exitCode).toBe(137)
    expect(r.timedOut).toBe(false)
  })

  test('environment: added to this process environment', async () => {
    const r = await spawnRunner(
      sh('printf "%s|%s" "$RUNNER_TEST_VAR" "$HOME"', { env: { RUNNER_TEST_VAR: 'v=1 2' } })
    )
    expect(r.stdout).toBe(`v=1 2|${process.env.HOME ?? ''}`)
  })

  test('timeoutMs 0: no timeout', async () => {
    const r = await spawnRunner(sh('sleep 0.2; echo done', { timeoutMs: 0 }))
    expect(r).toMatchObject({ stdout: 'done\n', exitCode: 0, timedOut: false })
  })

  test('a multi-byte character split across chunks survives', async () => {
    const r = await spawnRunner(sh("printf 'h\\303'; sleep 0.1; printf '\\251llo'"))
    expect(r.stdout).toBe('héllo')
  })
})

describe('spawnRunner: stdin', () => {
  test('a string is fed to cat and closed', async () => {
    const r = await spawnRunner({
      file: 'cat',
      args: [],
      input: 'hello\nworld\n',
      timeoutMs: 10_000
    })
    expect(r).toMatchObject({ stdout: 'hello\nworld\n', exitCode: 0 })
  })

  test('a Buffer is fed byte for byte', async () => {
    const input = Buffer.from('binary\u0000data\n')
    const r = await spawnRunner({ file: 'cat', args: [], input, timeoutMs: 10_000 })
    expect(Buffer.from(r.stdout)).toEqual(input)
  })

  test('no input: stdin is closed at once, cat does not hang', async () => {
    const r = await spawnRunner({ file: 'cat', args: [], timeoutMs: 5_000 })
    expect(r).toMatchObject({ stdout: '', exitCode: 0, timedOut: false })
  })

  test('a command that does not read its input does not fail', async () => {
    const r = await spawnRunner(sh('exit 0', { input: 'x'.repeat(1024 * 1024) }))
    expect(r.exitCode).toBe(0)
  })
})

describe('spawnRunner: timeout and abort kill the whole process group', () => {
  test('timeout: returns quickly, timedOut, background child gone', async () => {
    const pidFile = join(dir, 'timeout.pids')
    const started = Date.now()
    let pids: number[] = []
    try {
      const r = await spawnRunner(
        sh('sleep 30 & echo $$ $! > "$1"; sleep 30', { timeoutMs: 500 }, pidFile)
      )
      const elapsed = Date.now() - started
      pids = await pidsIn(pidFile)
      // The runner returned although the background child held stdout open:
      // it was killed with its group, not left to run its 30 s.
      expect(r.timedOut).toBe(true)
      expect(r.aborted).toBe(false)
      expect(r.exitCode).not.toBe(0)
      expect(elapsed).toBeLessThan(5000)
      expect(pids).toHaveLength(2)
      for (const pid of pids) expect(await waitGone(pid)).toBe(true)
    } finally {
      for (const pid of pids) killQuietly(pid)
    }
  }, 15_000)

  test('AbortSignal: returns quickly, aborted, background child gone', async () => {
    const pidFile = join(dir, 'abort.pids')
    const controller = new AbortController()
    const started = Date.now()
    setTimeout(() => controller.abort(), 500)
    let pids: number[] = []
    try {
      const r = await spawnRunner(
        sh('sleep 30 & echo $$ $! > "$1"; sleep 30', { signal: controller.signal }, pidFile)
      )
      const elapsed = Date.now() - started
      pids = await pidsIn(pidFile)
      expect(r.aborted).toBe(true)
      expect(r.timedOut).toBe(false)
      expect(elapsed).toBeLessThan(5000)
      expect(pids).toHaveLength(2)
      for (const pid of pids) expect(await waitGone(pid)).toBe(true)
    } finally {
      for (const pid of pids) killQuietly(pid)
    }
  }, 15_000)

  test('a process that ignores SIGTERM is killed with SIGKILL', async () => {
    const started = Date.now()
    const r = await spawnRunner(sh("trap '' TERM; echo ready; sleep 30 & wait", { timeoutMs: 300 }))
    expect(r.timedOut).toBe(true)
    expect(r.stdout).toBe('ready\n')
    expect(Date.now() - started).toBeLessThan(8000)
  }, 15_000)

  test('output printed before the timeout is kept', async () => {
    const r = await spawnRunner(sh('echo before; echo oops >&2; sleep 30', { timeoutMs: 300 }))
    expect(r).toMatchObject({ stdout: 'before\n', stderr: 'oops\n', timedOut: true })
  }, 15_000)

  test('a signal that never fires changes nothing', async () => {
    const controller = new AbortController()
    const r = await spawnRunner(sh('echo ok', { signal: controller.signal }))
    expect(r).toMatchObject({ stdout: 'ok\n', exitCode: 0, aborted: false })
    controller.abort()
  })
})

describe('spawnRunner: streaming, files and bounds', () => {
  test('onStdout and onStderr receive the chunks as they arrive', async () => {
    const out: string[] = []
    const err: string[] = []
    const r = await spawnRunner(
      sh('printf a; sleep 0.3; printf b; printf E >&2', {
        onStdout: c => out.push(c),
        onStderr: c => err.push(c)
      })
    )
    expect(out.length).toBeGreaterThanOrEqual(2)
    expect(out[0]).toBe('a')
    expect(out.join('')).toBe('ab')
    expect(err.join('')).toBe('E')
    expect(r.stdout).toBe('ab')
    expect(r.stderr).toBe('E')
  })

  test('onStdout sees the first chunk before the command ends', async () => {
    let firstAt = 0
    const started = Date.now()
    await spawnRunner(
      sh('echo first; sleep 0.5; echo second', {
        onStdout: () => {
          if (!firstAt) firstAt = Date.now()
        }
      })
    )
    expect(firstAt - started).toBeLessThan(Date.now() - started - 300)
  })

  test('stdoutFile: output written to the file, never to onStdout (an archive is not for the log)', async () => {
    const file = join(dir, 'out.txt')
    const chunks: string[] = []
    const errs: string[] = []
    const r = await spawnRunner(
      sh('printf "line1\\nline2\\n"; echo warn >&2', {
        stdoutFile: file,
        onStdout: c => chunks.push(c),
        onStderr: c => errs.push(c)
      })
    )
    expect(r).toMatchObject({ stdout: '', stderr: 'warn\n', exitCode: 0 })
    expect(await readFile(file, 'utf8')).toBe('line1\nline2\n')
    expect(chunks).toEqual([])
    expect(errs.join('')).toBe('warn\n')
  })

  test('stdoutFile: a large output is written completely', async () => {
    const file = join(dir, 'big.txt')
    const r = await spawnRunner(sh('head -c 3000000 /dev/zero | tr "\\0" x', { stdoutFile: file }))
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe('')
    const text = await readFile(file, 'utf8')
    expect(text.length).toBe(3_000_000)
    expect(/^x+$/.test(text)).toBe(true)
  })

  test('stdoutFile without onStdout: the file is the child’s own stdout, made here with the umask', async () => {
    const file = join(dir, 'direct.txt')
    const r = await spawnRunner(
      sh('head -c 1000000 /dev/zero | tr "\\0" y; own=$(readlink /proc/$$/fd/1); echo "$own" >&2', {
        stdoutFile: file
      })
    )
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe('')
    // The child wrote to the file itself, not to a pipe this process read.
    expect(r.stderr.trim()).toBe(file)
    expect((await readFile(file, 'utf8')).length).toBe(1_000_000)
    expect((await stat(file)).mode & 0o777).toBe(0o666 & ~process.umask())
  })

  test('stdoutFile that cannot be written: the command is stopped and stderr says why', async () => {
    const file = join(dir, 'no', 'such', 'dir', 'out.txt')
    const r = await spawnRunner(sh('echo hi; sleep 30', { stdoutFile: file, timeoutMs: 10_000 }))
    expect(r.stderr).toContain(`cannot write ${file}`)
    expect(r.timedOut).toBe(false)
  }, 15_000)

  test('maxOutputBytes keeps only the tail', async () => {
    const r = await spawnRunner(sh('printf 0123456789abcdef', { maxOutputBytes: 4 }))
    expect(r.stdout).toBe('cdef')
  })

  test('maxOutputBytes over many chunks keeps the newest bytes', async () => {
    const r = await spawnRunner(
      sh('head -c 200000 /dev/zero | tr "\\0" x; sleep 0.1; printf END', { maxOutputBytes: 10 })
    )
    expect(r.stdout).toBe('xxxxxxxEND')
  })

  test('a cut output says so, and its tail does not start inside a UTF-8 character', async () => {
    const r = await spawnRunner(sh('printf "aé"', { maxOutputBytes: 1 }))
    expect(r.truncated).toBe(true)
    expect(r.stdout).toBe('')
    const whole = await spawnRunner(sh('printf abc', { maxOutputBytes: 100 }))
    expect(whole.truncated).toBeUndefined()
  })

  test('output under the bound is kept whole', async () => {
    const r = await spawnRunner(sh('printf abc', { maxOutputBytes: 100 }))
    expect(r.stdout).toBe('abc')
  })
})

describe('spawnRunner: a binary that does not exist', () => {
  test('ENOENT is a spawnError, not a throw', async () => {
    const r = await spawnRunner({
      file: '/nonexistent/bin/nerdctl-nope',
      args: ['ps'],
      timeoutMs: 5000
    })
    expect(r.spawnError?.code).toBe('ENOENT')
    expect(r.exitCode).toBeNull()
    expect(r.timedOut).toBe(false)
  })

  test('ENOENT with input does not crash on the closed stdin', async () => {
    const r = await spawnRunner({
      file: 'nerdctl-test-no-such-binary',
      args: [],
      input: 'password',
      timeoutMs: 5000
    })
    expect(r.spawnError?.code).toBe('ENOENT')
  })
})

describe('TailBuffer', () => {
  test('unbounded by default', () => {
    const b = new TailBuffer()
    b.push(Buffer.from('abc'))
    b.push(Buffer.from('def'))
    expect(b.toString()).toBe('abcdef')
    expect(b.truncated).toBe(false)
  })

  test('drops whole and partial chunks from the front', () => {
    const b = new TailBuffer(5)
    b.push(Buffer.from('abc'))
    b.push(Buffer.from('def'))
    expect(b.toString()).toBe('bcdef')
    expect(b.truncated).toBe(true)
    b.push(Buffer.from('gh'))
    expect(b.toString()).toBe('defgh')
    b.push(Buffer.from('0123456789'))
    expect(b.toString()).toBe('56789')
  })

  test('exactly at the limit is not truncated', () => {
    const b = new TailBuffer(3)
    b.push(Buffer.from('ab'))
    b.push(Buffer.from('c'))
    expect(b.toString()).toBe('abc')
    expect(b.truncated).toBe(false)
  })

  test('a limit of 0 keeps nothing', () => {
    const b = new TailBuffer(0)
    b.push(Buffer.from('abc'))
    expect(b.toString()).toBe('')
  })
})

describe('spawnRunner: what streams see', () => {
  test('a UTF-8 character split between two writes reaches onStdout whole', async () => {
    const chunks: string[] = []
    // "é" is c3 a9: the first byte, a pause (a separate read), then the second.
    const r = await spawnRunner(
      sh("printf 'x\\303'; sleep 0.3; printf '\\251y\\n'", { onStdout: c => chunks.push(c) })
    )
    expect(r.exitCode).toBe(0)
    expect(chunks.length).toBeGreaterThanOrEqual(2)
    expect(chunks.join('')).toBe('xéy\n')
    expect(chunks.join('')).not.toContain('\uFFFD')
  })

  test('a time limit over Node’s timer maximum does not fire at once', async () => {
    const r = await spawnRunner(sh('sleep 0.3; echo done', { timeoutMs: 600 * 3600 * 1000 }))
    expect(r).toMatchObject({ stdout: 'done\n', timedOut: false, exitCode: 0 })
  })
})

describe('longTimeout', () => {
  test('waits in steps of the timer maximum', () => {
    jest.useFakeTimers()
    try {
      let fired = false
      longTimeout(MAX_TIMER_MS + 1000, () => {
        fired = true
      })
      jest.advanceTimersByTime(1)
      expect(fired).toBe(false)
      jest.advanceTimersByTime(MAX_TIMER_MS)
      expect(fired).toBe(false)
      jest.advanceTimersByTime(1000)
      expect(fired).toBe(true)
    } finally {
      jest.useRealTimers()
    }
  })

  test('cancelled before it fires, it never fires', () => {
    jest.useFakeTimers()
    try {
      let fired = false
      const cancel = longTimeout(MAX_TIMER_MS * 2, () => {
        fired = true
      })
      jest.advanceTimersByTime(MAX_TIMER_MS + 5)
      cancel()
      jest.advanceTimersByTime(MAX_TIMER_MS * 2)
      expect(fired).toBe(false)
    } finally {
      jest.useRealTimers()
    }
  })
})
