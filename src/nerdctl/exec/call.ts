// The options every library function takes last (client, timeout, abort
// signal, live output) and how they become the chokepoint's ExecOptions.
import { isDebugLine } from '../pure/registry-errors.js'
import { getDefaultClient, redact, type ExecOptions, type Nerdctl } from './client.js'

/** What every library function accepts last. */
export interface CallOptions {
  /** The client (global options) to use; default the one `configure()` set. */
  client?: Nerdctl | undefined
  timeoutMs?: number | undefined
  signal?: AbortSignal | undefined
  /** Send each line of output to the client's logger as it arrives. */
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
    const logger = clientOf(options).logger
    // Streamed lines are redacted like the returned output: a build that
    // echoes a secret must not print it.
    const secrets = extra.secrets ?? []
    o.onStdout = lineWriter(line => logger.info(redact(line, secrets)))
    o.onStderr = lineWriter(line => logger.info(redact(line, secrets)))
  }
  return o
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
 * Splits chunks into whole lines; a partial line waits for the next chunk.
 * nerdctl's debug lines (asked for to read a registry's Retry-After) are not
 * the log's business.
 */
function lineWriter(write: (line: string) => void): (chunk: string) => void {
  let pending = ''
  return chunk => {
    const lines = (pending + chunk).split(/\r?\n|\r/)
    pending = lines.pop() ?? ''
    for (const l of lines) if (l.trim() && !isDebugLine(l)) write(l)
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
