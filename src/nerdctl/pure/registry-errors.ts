// Whether a failed registry call (login, pull, push, save) is worth another
// try: a pure function over what nerdctl printed. Transient: the registry
// answered 5xx, 408 or 429, or the connection was refused, reset, dropped or
// timed out, or its name did not resolve. Permanent: credentials refused, the
// image or tag missing, a bad reference, a plain-HTTP/TLS mismatch; retrying
// those only delays the same failure. Anything else is not retried either:
// a retry must be earned by a known cause.
//
// Only nerdctl's error and fatal lines are read for the cause: with --debug
// its debug lines log every response, the normal 401 of a token handshake and
// the 404 of a blob not yet pushed included. The debug lines are read for one
// thing: the registry's Retry-After, which nerdctl's own message leaves out.
import { nerdctlSaid } from '../base/errors.js'

export interface RegistryFailure {
  /** Worth another try. */
  transient: boolean
  /** The cause in a few words, for the log line of a retry ("HTTP 503 Service Unavailable"). */
  reason: string
  /** How long the registry asked to wait (its Retry-After), in ms, when it said. */
  retryAfterMs: number | undefined
}

const PERMANENT: readonly [RegExp, string][] = [
  [
    /unauthorized|authentication required|authorization failed|no basic auth credentials|access denied|\b40[13]\b|forbidden/i,
    'credentials refused'
  ],
  [/invalid reference format|must be lowercase|invalid reference/i, 'bad image reference'],
  [/server gave HTTP response to HTTPS client|x509|certificate/i, 'TLS or plain-HTTP mismatch'],
  [/not found|manifest unknown|name unknown|blob unknown|no such image/i, 'image or tag not found']
]

const TRANSIENT: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [/\b(5\d\d|429|408) ([A-Z][A-Za-z ]*[a-z])/, m => `HTTP ${m[1]} ${m[2]}`],
  [/TLS handshake timeout/i, () => 'TLS handshake timeout'],
  [/connection refused/i, () => 'connection refused'],
  [/connection reset|broken pipe|use of closed network connection/i, () => 'connection reset'],
  [/\b(unexpected )?EOF\b/, () => 'connection closed by the registry'],
  [/i\/o timeout|timeout awaiting response headers|deadline exceeded/i, () => 'network timeout'],
  [
    /no such host|server misbehaving|temporary failure in name resolution|lookup \S+ on \S+: /i,
    () => 'registry name did not resolve'
  ]
]

/** Classifies a failed nerdctl registry call by its standard error. */
export function classifyRegistryFailure(stderr: string, now = Date.now()): RegistryFailure {
  const said = nerdctlSaid(withoutDebugLines(stderr))
  for (const [re, reason] of PERMANENT)
    if (re.test(said)) return { transient: false, reason, retryAfterMs: undefined }
  for (const [re, reason] of TRANSIENT) {
    const m = re.exec(said)
    if (m) return { transient: true, reason: reason(m), retryAfterMs: retryAfterIn(stderr, now) }
  }
  return { transient: false, reason: 'unknown cause', retryAfterMs: undefined }
}

/** stderr without nerdctl's debug lines: what a message or a hint should read. */
export function withoutDebugLines(stderr: string): string {
  return stderr
    .split('\n')
    .filter(l => !isDebugLine(l))
    .join('\n')
}

export function isDebugLine(line: string): boolean {
  return /^time="[^"]*" level=(debug|trace)\b/.test(line)
}

/**
 * The last Retry-After a registry sent, as containerd's debug log shows it
 * (`response.header.retry-after=2` or `="Wed, 21 Oct 2015 07:28:00 GMT"`).
 */
export function retryAfterIn(stderr: string, now = Date.now()): number | undefined {
  const all = [...stderr.matchAll(/response\.header\.retry-after=(?:"([^"]*)"|(\S+))/gi)]
  const last = all[all.length - 1]
  if (!last) return undefined
  return parseRetryAfter(last[1] ?? last[2] ?? '', now)
}

/** RFC 9110 Retry-After: delay-seconds or an HTTP date; ms from `now`, never negative. */
export function parseRetryAfter(value: string, now = Date.now()): number | undefined {
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v) * 1000
  // An HTTP date names its day and month; Date.parse alone takes "-3" for a year.
  if (!/[A-Za-z]{3}/.test(v)) return undefined
  const at = Date.parse(v)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - now)
}

/**
 * The wait before retry number `n` (1 for the first): `baseMs` doubled for
 * each retry before it, spread by ±20 % so runners that failed together do
 * not come back together, at least what the registry asked for, at most
 * `maxMs`. `random` is in [0, 1).
 */
export function backoffDelay(
  n: number,
  baseMs: number,
  maxMs: number,
  retryAfterMs: number | undefined,
  random: number
): number {
  const backoff = baseMs * 2 ** Math.max(0, n - 1) * (0.8 + 0.4 * random)
  return Math.round(Math.min(maxMs, Math.max(backoff, retryAfterMs ?? 0)))
}
