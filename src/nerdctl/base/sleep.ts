// The library's one abortable pause (polls, retry backoff): an AbortSignal
// ends it early, one aborted before the pause included. It resolves, it does
// not throw: the caller looks at the signal and says what was cancelled.
// (The global timer, not node:timers/promises: nothing below exec/ imports
// Node's modules.)

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted) return resolve()
    const t = setTimeout(done, Math.max(0, ms))
    function done(): void {
      clearTimeout(t)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}
