// A container's output: `nerdctl logs` in full, into a file, or as a short
// tail for error messages.
import type { CommandResult } from '../base/types.js'
import { errorMessage } from '../base/text.js'
import { DEFAULT_LOG_LINES } from '../base/defaults.js'
import type { ExecOptions } from '../exec/client.js'
import { nerdctl, type CallOptions } from '../exec/call.js'
import { checkContainerRef } from '../pure/validate.js'
import { atomicOutput, outputGuard } from './files.js'

export interface LogsOptions extends CallOptions {
  /** Only the last N lines. */
  tail?: number
  /** Only since this time (RFC 3339) or for this long (`10m`). */
  since?: string
  timestamps?: boolean
  /** Write the container's standard output to this file (atomically) instead of memory. */
  file?: string
  /** Keep at most this many bytes of output in memory: the newest. */
  maxBytes?: number
}

/**
 * `nerdctl logs`. The container's stdout comes back as `stdout` and its stderr
 * as `stderr`. Logs of hundreds of MB: pass `file`, or `tail`/`maxBytes`.
 */
export async function logs(container: string, options: LogsOptions = {}): Promise<CommandResult> {
  const args = ['logs']
  if (options.tail !== undefined) args.push('--tail', String(options.tail))
  if (options.since) args.push('--since', options.since)
  if (options.timestamps) args.push('--timestamps')
  checkContainerRef(container)
  args.push(container)
  const extra: ExecOptions = {}
  if (options.maxBytes !== undefined) extra.maxOutputBytes = options.maxBytes
  if (options.file) {
    let result: CommandResult = { stdout: '', stderr: '', exitCode: 0 }
    await atomicOutput(options.file, outputGuard(options), async tmp => {
      // Hundreds of MB into a file is long work; a tail in memory is not.
      result = await nerdctl(args, options, { ...extra, stdoutFile: tmp, longRunning: true })
    })
    return result
  }
  return nerdctl(args, options, extra)
}

/** Both streams of a logs result as one text, the way people read them. */
export function logsText(result: CommandResult): string {
  return [result.stdout.trimEnd(), result.stderr.trimEnd()].filter(Boolean).join('\n')
}

/** The last lines of a container's output, for error messages; never throws. */
export async function logTail(
  container: string,
  lines = DEFAULT_LOG_LINES,
  options: CallOptions = {}
): Promise<string> {
  try {
    return logsText(
      await logs(container, { ...options, tail: lines, maxBytes: 64 * 1024, stream: false })
    )
  } catch (e: unknown) {
    return `(logs unavailable: ${errorMessage(e)})`
  }
}
