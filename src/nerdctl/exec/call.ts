// The options every library function takes last (client, timeout, abort
// signal, live output) and how they become the chokepoint's ExecOptions.
import { MAX_PENDING_LINE_CHARS } from '../base/defaults.js'
import { isDebugLine } from '../pure/registry-errors.js'
import { getDefaultClient, redact, type ExecOptions, type Logger, type Nerdctl } from './client.js'

/** What every library function accepts last. */
export interface CallOptions {
  /** The client (global options) to use; default the one `configure()` set. */
  client?: Nerdctl | undefined
  timeoutMs?: number | undefined
  signal?: AbortSignal | undefined
  /**
   * Send output to the client's logger as it arrives, whole lines at a time
   * (`Logger.output`, or `info` when the logger has no `output`).
   */
  stream?: boolean | undefined
}

export function clientOf(options: CallOptions = {}): Nerdctl {
  return options.client ?? getDefaultClient()
}

/** The exec options a CallOptions stands for, with live output when asked. */
export function execOptionsOf(options: CallOptions = {}, extra: ExecOptions = {}): ExecOptions {
  const o: ExecOptions = { ...extra }
  if (options.timeoutMs !== undefined) o.timeoutMs = options.timeoutMs
  if (options.signal) o.signal = options.signal
  if (options.stream) {
    const print = outputOf(clientOf(options).logger)
    // Streamed lines are redacted like the returned output: a build that
    // echoes a secret must not print it.
    const secrets = extra.secrets ?? []
    const out = lineWriter(text => print(redact(text, secrets)))
    const err = lineWriter(text => print(redact(text, secrets)))
    // stdout that goes to a file never reaches the log (the runner does not
    // call onStdout for it): an archive is not text.
    o.onStdout = out.write
    o.onStderr = err.write
    const chained = extra.onEnd
    o.onEnd = () => {
      out.end()
      err.end()
      chained?.()
    }
  }
  return o
}

/** Where a logger takes text a process printed. */
export function outputOf(logger: Logger): (text: string) => void {
  return logger.output ? text => logger.output?.(text) : text => logger.info(text)
}

/** Runs nerdctl with the call's client and options: the one way operations run a command. */
export function nerdctl(
  args: readonly string[],
  options: CallOptions = {},
  extra: ExecOptions = {}
): ReturnType<Nerdctl['exec']> {
  return clientOf(options).exec(args, execOptionsOf(options, extra))
}

/**
 * Splits chunks into whole lines and hands the lines of each chunk over as one
 * block (one write, one stop-commands region in a job log, not one per line);
 * a partial line waits for the next chunk, but never grows past
 * MAX_PENDING_LINE_CHARS (a progress bar without newlines is shown in pieces),
 * and `end` shows a last line that had no newline. nerdctl's debug lines
 * (asked for to read a registry's Retry-After) are not the log's business.
 */
export function lineWriter(write: (text: string) => void): {
  write: (chunk: string) => void
  end: () => void
} {
  let pending = ''
  const show = (lines: readonly string[]): void => {
    const kept = lines.filter(l => l.trim() && !isDebugLine(l))
    if (kept.length > 0) write(kept.join('\n'))
  }
  return {
    write: chunk => {
      const lines = (pending + chunk).split(/\r?\n|\r/)
      pending = lines.pop() ?? ''
      while (pending.length > MAX_PENDING_LINE_CHARS) {
        lines.push(pending.slice(0, MAX_PENDING_LINE_CHARS))
        pending = pending.slice(MAX_PENDING_LINE_CHARS)
      }
      show(lines)
    },
    end: () => {
      const last = pending
      pending = ''
      show([last])
    }
  }
}

/**
 * Runs a host program (tar, rm) with the call's client, time limit and abort
 * signal: see `Nerdctl.tool`. Output is never streamed to the log.
 */
export function tool(
  argv: readonly [string, ...string[]],
  options: CallOptions = {},
  extra: ExecOptions & { privileged?: boolean } = {}
): ReturnType<Nerdctl['tool']> {
  const o = { ...extra }
  if (options.timeoutMs !== undefined) o.timeoutMs = options.timeoutMs
  if (options.signal) o.signal = options.signal
  return clientOf(options).tool(argv, o)
}
