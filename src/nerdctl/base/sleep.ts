// The library's one abortable pause (polls, retry backoff): an AbortSignal
// ends it early, already aborted included. It resolves, it does not throw:
// the caller looks at the signal and says what was cancelled.
import { setTimeout as delay } from 'node:timers/promises'

export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(Math.max(0, ms), undefined, { signal })
  } catch (e: unknown) {
    if (!signal?.aborted) throw e
  }
}
