// The library's one abortable pause (base/sleep.ts), used by the readiness
// loop's clock and the retry backoff alike.
import { describe, expect, test } from '@jest/globals'
import { sleep } from '../../src/nerdctl/base/sleep.js'

describe('sleep', () => {
  test('waits the time given', async () => {
    const t0 = Date.now()
    await sleep(30)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25)
  })

  test('an abort ends it early, and it resolves', async () => {
    const abort = new AbortController()
    const t0 = Date.now()
    setTimeout(() => abort.abort(new Error('stop')), 10)
    await expect(sleep(60_000, abort.signal)).resolves.toBeUndefined()
    expect(Date.now() - t0).toBeLessThan(5_000)
  })

  test('a signal aborted before the pause ends it at once', async () => {
    const t0 = Date.now()
    await sleep(60_000, AbortSignal.abort())
    expect(Date.now() - t0).toBeLessThan(5_000)
  })
})
