// Starts one process and collects what it does. Separate from the client so
// unit tests can hand the client a fake runner and see the exact argv, while
// this real one owns the parts that need a real process: killing the whole
// process group on timeout or abort (`@actions/exec` cannot kill its child),
// feeding stdin, streaming output live, and bounding what is kept in memory.
import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { constants } from 'node:os'
import { StringDecoder } from 'node:string_decoder'

export interface RunSpec {
  file: string
  args: readonly string[]
  env?: Readonly<Record<string, string>> | undefined
  /** `env` is the whole environment, not additions to this process's. */
  envOnly?: boolean | undefined
  input?: string | Buffer | undefined
  timeoutMs: number
  signal?: AbortSignal | undefined
  /**
   * Called with output as it arrives, decoded as UTF-8 across chunks (a
   * character split between two reads arrives whole). Never called for
   * stdout when it goes to `stdoutFile`: what is written to a file (an
   * archive) is not for the log.
   */
  onStdout?: ((chunk: string) => void) | undefined
  onStderr?: ((chunk: string) => void) | undefined
  stdoutFile?: string | undefined
  maxOutputBytes?: number | undefined
}

/** How one process ended (not yet judged: the client decides what is a failure). */
export interface ProcessResult {
  stdout: string
  stderr: string
  exitCode: number | null
  timedOut: boolean
  aborted: boolean
  /** More output came than was kept (`maxOutputBytes`, or stderr's bound): only its tail is here. */
  truncated?: boolean
  spawnError?: NodeJS.ErrnoException
}

export type Runner = (spec: RunSpec) => Promise<ProcessResult>

/** Time between SIGTERM and SIGKILL when a command is stopped. */
const KILL_GRACE_MS = 2000
/** stderr is for messages; a runaway one is cut to its end. */
const MAX_STDERR_BYTES = 1024 * 1024
/**
 * The longest delay Node's timers take (2^31-1 ms, about 24.8 days): a
 * longer one fires after 1 ms. Longer time limits wait in steps of this.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** Calls fn after `ms`, for any ms (a non-finite one never); the returned function cancels it. */
export function longTimeout(ms: number, fn: () => void): () => void {
  let timer: NodeJS.Timeout | undefined
  const arm = (left: number): void => {
    if (!Number.isFinite(left)) return
    timer =
      left > MAX_TIMER_MS
        ? setTimeout(() => arm(left - MAX_TIMER_MS), MAX_TIMER_MS)
        : setTimeout(fn, left)
  }
  arm(ms)
  return () => {
    if (timer) clearTimeout(timer)
  }
}

/** Keeps at most `limit` bytes: the newest ones, since a tail is what callers want. */
export class TailBuffer {
  private chunks: Buffer[] = []
  private size = 0
  truncated = false

  constructor(private readonly limit: number = Number.POSITIVE_INFINITY) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size > this.limit && this.chunks.length > 0) {
      const first = this.chunks[0] as Buffer
      const excess = this.size - this.limit
      this.truncated = true
      if (first.length <= excess) {
        this.chunks.shift()
        this.size -= first.length
      } else {
        this.chunks[0] = first.subarray(excess)
        this.size -= excess
      }
    }
  }

  toString(): string {
    const all = Buffer.concat(this.chunks)
    // A cut tail may start inside a UTF-8 character: skip its continuation bytes.
    let start = 0
    if (this.truncated) while (start < all.length && ((all[start] ?? 0) & 0xc0) === 0x80) start++
    return all.subarray(start).toString('utf8')
  }
}

export const spawnRunner: Runner = spec =>
  new Promise<ProcessResult>(resolve => {
    const stdout = new TailBuffer(spec.maxOutputBytes)
    const stderr = new TailBuffer(MAX_STDERR_BYTES)
    let timedOut = false
    let aborted = false
    let settled = false
    let killTimer: NodeJS.Timeout | undefined

    // Output for a file that nobody reads as it comes (an export, a save, a
    // tar stream): the file is opened here, so it is this process's user's,
    // with its umask, even when nerdctl runs through sudo, and is the child's
    // stdout itself: the bytes go from nerdctl to the disk without passing
    // through this process (no copy, no memory, no back-pressure to manage),
    // and never to onStdout: an exported archive is not for the job log.
    let outFd: number | undefined
    if (spec.stdoutFile) {
      try {
        outFd = openSync(spec.stdoutFile, 'w')
      } catch (e: unknown) {
        const why = e instanceof Error ? e.message : String(e)
        resolve({
          stdout: '',
          stderr: `cannot write ${spec.stdoutFile}: ${why}\n`,
          exitCode: 1,
          timedOut: false,
          aborted: false
        })
        return
      }
    }

    let child: ReturnType<typeof spawn>
    try {
      child = spawn(spec.file, [...spec.args], {
        env: spec.envOnly
          ? { ...spec.env }
          : spec.env
            ? { ...process.env, ...spec.env }
            : process.env,
        // A pipe only for input (a password): otherwise /dev/null, which reads
        // as an empty input just as a closed pipe does, one pipe fewer per call.
        stdio: [spec.input === undefined ? 'ignore' : 'pipe', outFd ?? 'pipe', 'pipe'],
        // Its own process group, so a timeout kills nerdctl and anything it
        // started (sudo's child, buildctl), not just the first process.
        detached: true
      })
    } finally {
      // The child has its own copy of the descriptor.
      if (outFd !== undefined) closeSync(outFd)
    }

    const { stdout: outPipe, stderr: errPipe } = child
    // Only stdout may be a file; a stdio typed per call makes them nullable.
    if (!errPipe || (!outPipe && outFd === undefined))
      throw new Error('spawn returned no output pipes')

    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return
      try {
        process.kill(-child.pid, sig)
      } catch {
        // Already gone.
      }
    }
    const stop = (): void => {
      killGroup('SIGTERM')
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS)
      killTimer.unref()
    }

    const clearTimer =
      spec.timeoutMs > 0
        ? longTimeout(spec.timeoutMs, () => {
            timedOut = true
            stop()
          })
        : undefined
    const onAbort = (): void => {
      aborted = true
      stop()
    }
    spec.signal?.addEventListener('abort', onAbort, { once: true })

    const finish = (exitCode: number | null, spawnError?: NodeJS.ErrnoException): void => {
      if (settled) return
      settled = true
      clearTimer?.()
      if (killTimer) clearTimeout(killTimer)
      spec.signal?.removeEventListener('abort', onAbort)
      // What a decoder still holds (a character cut at the very end) is the output's last.
      const outTail = outDecoder.end()
      if (outTail) spec.onStdout?.(outTail)
      const errTail = errDecoder.end()
      if (errTail) spec.onStderr?.(errTail)
      const result: ProcessResult = {
        stdout: stdout.toString(),
        stderr: stderr.toString(),
        exitCode,
        timedOut,
        aborted
      }
      if (stdout.truncated || stderr.truncated) result.truncated = true
      if (spawnError) result.spawnError = spawnError
      resolve(result)
    }

    // One decoder per stream: a UTF-8 character split between two reads
    // is held until its last byte comes, never shown as U+FFFD.
    const outDecoder = new StringDecoder('utf8')
    const errDecoder = new StringDecoder('utf8')
    outPipe?.on('data', (chunk: Buffer) => {
      stdout.push(chunk)
      if (spec.onStdout) {
        const text = outDecoder.write(chunk)
        if (text) spec.onStdout(text)
      }
    })
    errPipe.on('data', (chunk: Buffer) => {
      stderr.push(chunk)
      if (spec.onStderr) {
        const text = errDecoder.write(chunk)
        if (text) spec.onStderr(text)
      }
    })
    child.on('error', (err: NodeJS.ErrnoException) => finish(null, err))
    child.on('close', (code, signal) =>
      finish(code ?? (signal ? 128 + signalNumber(signal) : null))
    )

    if (spec.input !== undefined && child.stdin) {
      // EPIPE when the command exits without reading its input is not our failure.
      child.stdin.on('error', () => {})
      child.stdin.end(spec.input)
    }
  })

// A process killed by a signal reports 128 + its number, as shells do.
function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 0
}
