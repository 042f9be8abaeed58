// The one retry loop of the library, for the calls that talk to a registry
// (login, pull, push, save). A try that failed for a transient cause (the
// classifier in pure/registry-errors.ts decides) is tried again after an
// exponential, jittered wait that honours the registry's Retry-After; any
// other failure is thrown at once. Each retry is one log line saying why and
// when. Waits end early on the call's AbortSignal, and when the call has a
// time limit (its own or the client's) it bounds all tries together: no try
// and no wait runs past it.
import { DEFAULT_RETRIES, DEFAULT_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS } from '../base/defaults.js'
import { NerdctlError, isNerdctlError } from '../base/errors.js'
import { sleep } from '../base/sleep.js'
import { clientOf, type CallOptions } from '../exec/call.js'
import { backoffDelay, classifyRegistryFailure } from '../pure/registry-errors.js'

export interface RetryEvent {
  /** What was tried, e.g. "push 127.0.0.1:5000/app:1". */
  operation: string
  /** This retry's number, from 1. */
  retry: number
  retries: number
  /** Why the try before failed, e.g. "HTTP 503 Service Unavailable". */
  reason: string
  /** The wait before this retry. */
  delayMs: number
}

export interface RetryOptions {
  /** Tries after the first one; default 3, 0 turns retrying off. */
  retries?: number
  /** Wait before the first retry in ms, doubled for each next one; default 2000. */
  delayMs?: number
  /** Longest wait, a registry's Retry-After included; default 60 000. */
  maxDelayMs?: number
  /** Told of each retry before its wait (to count them, to report them). */
  onRetry?: (event: RetryEvent) => void
}

/** The options of a call that retries. */
export interface RetryCallOptions extends CallOptions {
  retry?: RetryOptions | undefined
}

/** Whether the call retries at all: then registry calls run with --debug to see Retry-After. */
export function retries(options: RetryCallOptions): number {
  return Math.max(0, Math.floor(options.retry?.retries ?? DEFAULT_RETRIES))
}

/**
 * Runs `attempt` until it succeeds, fails for a cause that is not transient,
 * or has been retried `retry.retries` times. `attempt` gets the call options
 * for one try (its time limit is what is left of the call's).
 */
export async function withRetry<T>(
  operation: string,
  options: RetryCallOptions,
  attempt: (call: CallOptions) => Promise<T>
): Promise<T> {
  const client = clientOf(options)
  const max = retries(options)
  const base = options.retry?.delayMs ?? DEFAULT_RETRY_DELAY_MS
  const maxDelay = options.retry?.maxDelayMs ?? MAX_RETRY_DELAY_MS
  const limit = options.timeoutMs ?? client.options.timeoutMs
  const deadline = limit ? Date.now() + limit : undefined
  for (let n = 0; ; n++) {
    const call: CallOptions = { ...options }
    if (deadline !== undefined) call.timeoutMs = Math.max(1, deadline - Date.now())
    try {
      return await attempt(call)
    } catch (e: unknown) {
      if (n >= max || !isNerdctlError(e, 'CommandFailed')) throw e
      const failure = classifyRegistryFailure(e.stderr)
      if (!failure.transient) throw e
      const delayMs = backoffDelay(n + 1, base, maxDelay, failure.retryAfterMs, Math.random())
      if (deadline !== undefined && Date.now() + delayMs >= deadline) {
        client.logger.info(
          `${operation} failed (${failure.reason}); not retried: the next try would start after the call's time limit`
        )
        throw e
      }
      const event: RetryEvent = {
        operation,
        retry: n + 1,
        retries: max,
        reason: failure.reason,
        delayMs
      }
      client.logger.info(
        `${operation} failed (${failure.reason}); retry ${event.retry} of ${max} in ${(delayMs / 1000).toFixed(1)} s` +
          (failure.retryAfterMs !== undefined
            ? ` (the registry asked to wait ${Math.ceil(failure.retryAfterMs / 1000)} s)`
            : '')
      )
      options.retry?.onRetry?.(event)
      await sleep(delayMs, options.signal)
      if (options.signal?.aborted) throw cancelledWhileWaiting(operation, options.signal.reason)
    }
  }
}

/** The error of a retry whose wait was cancelled, with the signal's reason. */
function cancelledWhileWaiting(operation: string, reason: unknown): NerdctlError {
  const why = reason instanceof Error ? reason.message : reason === undefined ? '' : String(reason)
  return new NerdctlError(
    'Cancelled',
    `${operation} was cancelled while waiting to retry${why ? `: ${why}` : ''}`,
    { cause: reason }
  )
}
