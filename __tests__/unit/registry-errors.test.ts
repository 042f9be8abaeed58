// The registry-failure classifier over what nerdctl printed when the fault
// registry misbehaved (recorded by scripts/record-fixtures.sh registry-faults).
import { describe, expect, test } from '@jest/globals'
import {
  classifyRegistryFailure,
  parseRetryAfter,
  retryAfterIn
} from '../../src/nerdctl/pure/registry-errors.js'
import { hintFor } from '../../src/nerdctl/pure/hints.js'
import { fixtureMeta } from './fixtures.js'

const NOW = Date.parse('2015-10-21T07:27:50Z')

describe('classifyRegistryFailure over recorded failures', () => {
  test.each([
    ['error-registry-503.txt', 'HTTP 503 Service Unavailable'],
    ['error-registry-502.txt', 'HTTP 502 Bad Gateway'],
    ['error-registry-500.txt', 'HTTP 500 Internal Server Error'],
    ['error-registry-429.txt', 'HTTP 429 Too Many Requests'],
    ['error-registry-reset.txt', 'connection reset'],
    ['error-registry-refused.txt', 'connection refused'],
    ['error-registry-dns.txt', 'registry name did not resolve']
  ])('%s is transient: %s', (name, reason) => {
    const meta = fixtureMeta(name)
    expect(meta.exitCode).not.toBe(0)
    const c = classifyRegistryFailure(meta.stderr, NOW)
    expect(c).toMatchObject({ transient: true, reason })
  })

  test.each([
    ['error-login-wrong-password.txt', 'credentials refused'],
    ['error-push-unauthorized.txt', 'credentials refused'],
    ['error-pull-missing-tag.txt', 'image or tag not found'],
    ['error-pull-bad-reference.txt', 'bad image reference'],
    ['error-registry-http-to-https.txt', 'TLS or plain-HTTP mismatch']
  ])('%s is permanent: %s', (name, reason) => {
    const meta = fixtureMeta(name)
    expect(meta.exitCode).not.toBe(0)
    expect(classifyRegistryFailure(meta.stderr, NOW)).toEqual({
      transient: false,
      reason,
      retryAfterMs: undefined
    })
  })

  test('a cause it does not know is not retried', () => {
    const meta = fixtureMeta('error-bad-flag.txt')
    expect(classifyRegistryFailure(meta.stderr).transient).toBe(false)
  })

  test("the registry's Retry-After, in seconds or as a date, from the debug lines", () => {
    expect(classifyRegistryFailure(fixtureMeta('error-registry-429.txt').stderr, NOW)).toEqual({
      transient: true,
      reason: 'HTTP 429 Too Many Requests',
      retryAfterMs: 7000
    })
    // The recorded date is 2015-10-21 07:28:00 GMT: 10 s after NOW.
    expect(retryAfterIn(fixtureMeta('error-registry-429-date.txt').stderr, NOW)).toBe(10_000)
    expect(retryAfterIn(fixtureMeta('error-registry-503.txt').stderr, NOW)).toBeUndefined()
  })

  test('the 401 and 404 of a normal handshake in the debug lines are not the cause', () => {
    // A push that failed with a 503 logged 404s for blobs not yet pushed.
    const stderr = fixtureMeta('error-registry-503.txt').stderr
    expect(stderr).toMatch(/level=debug.*404/)
    expect(classifyRegistryFailure(stderr).transient).toBe(true)
  })
})

describe('parseRetryAfter', () => {
  test.each([
    ['2', 2000],
    [' 0 ', 0],
    ['Wed, 21 Oct 2015 07:28:00 GMT', 10_000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
    ['soon', undefined],
    ['-3', undefined]
  ])('%j -> %j ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms)
  })
})

describe('hints for registry trouble, on recorded failures', () => {
  test.each([
    ['error-registry-refused.txt', /could not reach the registry/],
    ['error-registry-dns.txt', /could not reach the registry/],
    ['error-registry-reset.txt', /could not reach the registry/],
    ['error-registry-http-to-https.txt', /insecure-registries/],
    ['error-registry-429.txt', /rate/],
    ['error-registry-503.txt', /registry failed/],
    ['error-login-wrong-password.txt', /credentials/],
    ['error-pull-missing-tag.txt', /image was not found/]
  ])('%s', (name, hint) => {
    expect(hintFor(fixtureMeta(name).stderr)).toMatch(hint)
  })
})
