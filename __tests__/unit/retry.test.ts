// The retry loop of registry calls with a fake runner that answers with the
// failures recorded from the real nerdctl through the fault registry: which
// failures are tried again, how long it waits, what it logs, and that it
// never outlives the call's time limit or its AbortSignal.
import { describe, expect, test } from '@jest/globals'
import { Nerdctl, type Logger } from '../../src/nerdctl/exec/client.js'
import type { ProcessResult, RunSpec, Runner } from '../../src/nerdctl/exec/runner.js'
import { imagePull, imagePush, imageSave } from '../../src/nerdctl/ops/images.js'
import { login } from '../../src/nerdctl/ops/registry.js'
import { withRetry, type RetryEvent } from '../../src/nerdctl/ops/retry.js'
import { backoffDelay } from '../../src/nerdctl/pure/registry-errors.js'
import { NerdctlError } from '../../src/nerdctl/base/errors.js'
import { fixtureMeta } from './fixtures.js'

const ok: ProcessResult = { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false }
const failed = (fixture: string): ProcessResult => {
  const m = fixtureMeta(fixture)
  return { ...ok, stderr: m.stderr, exitCode: m.exitCode }
}

/** A client whose runner answers each call with the next result; then success. */
function scripted(answers: ProcessResult[]): {
  client: Nerdctl
  calls: RunSpec[]
  info: string[]
} {
  const calls: RunSpec[] = []
  const info: string[] = []
  const runner: Runner = async spec => {
    calls.push(spec)
    return answers[calls.length - 1] ?? ok
  }
  const logger: Logger = { debug() {}, info: m => void info.push(m), warning() {} }
  return { client: new Nerdctl({ runner, logger }), calls, info }
}

const fast = { delayMs: 5 }

describe('withRetry through the registry calls', () => {
  test('a push meeting four transient failures succeeds on the fifth try, logging four retries', async () => {
    const s = scripted([
      failed('error-registry-503.txt'),
      failed('error-registry-502.txt'),
      failed('error-registry-reset.txt'),
      failed('error-registry-refused.txt')
    ])
    const events: RetryEvent[] = []
    await imagePush('127.0.0.1:5000/app:1', undefined, {
      client: s.client,
      retry: { retries: 4, ...fast, onRetry: e => void events.push(e) }
    })
    expect(s.calls).toHaveLength(5)
    expect(events.map(e => e.reason)).toEqual([
      'HTTP 503 Service Unavailable',
      'HTTP 502 Bad Gateway',
      'connection reset',
      'connection refused'
    ])
    expect(s.info).toHaveLength(4)
    expect(s.info[0]).toMatch(
      /^push 127\.0\.0\.1:5000\/app:1 failed \(HTTP 503 Service Unavailable\); retry 1 of 4 in \d+\.\d s$/
    )
    // With retries on, push and pull run with --debug (for Retry-After).
    expect(s.calls[0]?.args).toEqual(['--debug', 'push', '127.0.0.1:5000/app:1'])
  })

  test('the last failure is thrown once the retries are spent', async () => {
    const s = scripted(Array(5).fill(failed('error-registry-503.txt')))
    await expect(
      imagePull('127.0.0.1:5000/app:1', { client: s.client, retry: { retries: 2, delayMs: 1 } })
    ).rejects.toThrow(/503 Service Unavailable[\s\S]*Hint: the registry failed/)
    expect(s.calls).toHaveLength(3)
  })

  test.each([
    'error-login-wrong-password.txt',
    'error-pull-missing-tag.txt',
    'error-pull-bad-reference.txt',
    'error-registry-http-to-https.txt'
  ])('%s fails in one try', async fixture => {
    const s = scripted([failed(fixture)])
    await expect(
      imagePull('127.0.0.1:5000/app:1', { client: s.client, retry: fast })
    ).rejects.toThrow(NerdctlError)
    expect(s.calls).toHaveLength(1)
    expect(s.info).toEqual([])
  })

  test('a wrong password fails at once with the credentials hint', async () => {
    const s = scripted([failed('error-login-wrong-password.txt')])
    await expect(
      login({
        client: s.client,
        registry: 'reg.lan:5001',
        username: 'u',
        password: 'p',
        retry: fast
      })
    ).rejects.toThrow(/Hint: the registry refused the request for want of credentials/)
    expect(s.calls).toHaveLength(1)
  })

  test("the registry's Retry-After is honoured, and told in the log line", async () => {
    const s = scripted([failed('error-registry-429.txt')])
    const events: RetryEvent[] = []
    const sleeps: number[] = []
    const t0 = Date.now()
    await withRetry(
      'push x',
      {
        client: s.client,
        retry: { delayMs: 1, maxDelayMs: 300, onRetry: e => void events.push(e) }
      },
      call => s.client.exec(['push', 'x'], { ...call, debug: true })
    )
    sleeps.push(Date.now() - t0)
    // 7 s asked, capped by maxDelayMs.
    expect(events[0]?.delayMs).toBe(300)
    expect(sleeps[0]).toBeGreaterThanOrEqual(290)
    expect(s.info[0]).toMatch(/retry 1 of 3 in 0\.3 s \(the registry asked to wait 7 s\)$/)
  })

  test('retries: 0 tries once, without --debug', async () => {
    const s = scripted([failed('error-registry-503.txt')])
    await expect(
      imagePull('127.0.0.1:5000/app:1', { client: s.client, retry: { retries: 0 } })
    ).rejects.toThrow(/503/)
    expect(s.calls).toHaveLength(1)
    expect(s.calls[0]?.args).toEqual(['pull', '127.0.0.1:5000/app:1'])
  })

  test('no wait runs past the call time limit, and each try gets what is left', async () => {
    const s = scripted(Array(5).fill(failed('error-registry-503.txt')))
    await expect(
      imageSave('127.0.0.1:5000/app:1', '/tmp/never-written.tar', {
        client: s.client,
        timeoutMs: 1150,
        retry: { delayMs: 500 }
      })
    ).rejects.toThrow(/503/)
    // The first wait (400-600 ms) fits in 1.15 s; the second (800-1200 ms more) never does.
    expect(s.calls.length).toBe(2)
    expect(s.calls[1]?.timeoutMs).toBeLessThanOrEqual(760)
    expect(s.info[1]).toMatch(/not retried: the next try would start after the call's time limit/)
  })

  test('the AbortSignal ends a wait at once', async () => {
    const s = scripted([failed('error-registry-503.txt')])
    const abort = new AbortController()
    const t0 = Date.now()
    const p = imagePull('127.0.0.1:5000/app:1', {
      client: s.client,
      signal: abort.signal,
      retry: { delayMs: 10_000 }
    })
    setTimeout(() => abort.abort(new Error('job cancelled')), 50)
    await expect(p).rejects.toMatchObject({ kind: 'Cancelled' })
    expect(Date.now() - t0).toBeLessThan(2000)
    expect(s.calls).toHaveLength(1)
  })

  test('debug lines stay out of the result', async () => {
    const push = fixtureMeta('push-reduced-platform.txt')
    const s = scripted([{ ...ok, stderr: 'time="x" level=debug msg="do request"\n' + push.stderr }])
    const r = await imagePush('127.0.0.1:5000/app:1', undefined, { client: s.client })
    expect(r.stderr).not.toMatch(/level=debug/)
  })
})

describe('backoffDelay', () => {
  test.each([
    [1, 0, 1600],
    [1, 0.999, 2399],
    [2, 0.5, 4000],
    [3, 0.5, 8000],
    [10, 0.5, 60_000]
  ])('retry %i with random %f waits %i ms', (n, r, ms) => {
    expect(backoffDelay(n, 2000, 60_000, undefined, r)).toBeCloseTo(ms, -1)
  })
  test('at least what the registry asked for, at most the cap', () => {
    expect(backoffDelay(1, 100, 60_000, 2000, 0.5)).toBe(2000)
    expect(backoffDelay(1, 100, 5000, 7000, 0.5)).toBe(5000)
  })
})

describe('a push killed midway', () => {
  // nerdctl deletes its "-tmp-reduced-platform" copy only when push returns.
  const pushArgs = (c: RunSpec): string => c.args.filter(a => !a.startsWith('--')).join(' ')

  test.each([
    ['its time limit', { ...ok, exitCode: -1, timedOut: true }],
    ['a cancelled step', { ...ok, exitCode: -1, aborted: true }]
  ])('by %s removes the single-platform copy nerdctl tagged for it', async (_why, killed) => {
    const s = scripted([killed, ok, ok])
    const e = await imagePush('127.0.0.1:5000/app', undefined, { client: s.client }).catch(
      (err: unknown) => err
    )
    expect(e).toBeInstanceOf(NerdctlError)
    expect(s.calls.map(pushArgs).slice(1)).toEqual([
      expect.stringMatching(/image inspect 127\.0\.0\.1:5000\/app:latest-tmp-reduced-platform$/),
      expect.stringMatching(/rmi 127\.0\.0\.1:5000\/app:latest-tmp-reduced-platform$/)
    ])
  })

  test('a push that failed on its own (nerdctl cleaned up) makes no extra call', async () => {
    const s = scripted([failed('error-push-unauthorized.txt')])
    await imagePush('127.0.0.1:5000/app:1', undefined, {
      client: s.client,
      retry: { retries: 0 }
    }).catch(() => undefined)
    expect(s.calls).toHaveLength(1)
  })
})
