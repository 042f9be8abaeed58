// A cancelled job (SIGINT, then SIGTERM from the runner) stops the nerdctl
// call in flight instead of leaving it running until the runner kills it.
export interface Cancellation {
  signal: AbortSignal
  /** Stops listening: the step is done. */
  dispose: () => void
}

export function cancellation(): Cancellation {
  const abort = new AbortController()
  const handlers = (['SIGINT', 'SIGTERM'] as const).map(sig => {
    const h = (): void => abort.abort(new Error(`the job was cancelled (${sig})`))
    process.once(sig, h)
    return [sig, h] as const
  })
  return {
    signal: abort.signal,
    dispose: () => handlers.forEach(([sig, h]) => process.removeListener(sig, h))
  }
}
