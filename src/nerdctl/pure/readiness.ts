// Pure parts of readiness: the polling schedule, what a log or an HTTP answer
// means for a check, and the validation of a readiness spec. The waiting
// itself (which needs the container and the network) is ops/readiness.ts.
import { invalidValue } from '../base/errors.js'
import type { HttpCheck, ReadinessSpec } from '../base/types.js'

/** The first pause between rounds of checks; each next one doubles it. */
export const FIRST_POLL_MS = 20
/** The longest pause between two rounds: a service is seen ready this soon after it is. */
export const MAX_POLL_MS = 250

/**
 * The pause before round `round` (0-based) of checks: tens of milliseconds at
 * first, doubling, never more than MAX_POLL_MS. Unlike a health check's
 * interval it does not grow past that: a service that takes a minute is still
 * seen within a quarter second of being ready.
 */
export function pollDelay(round: number, maxMs = MAX_POLL_MS): number {
  return Math.min(maxMs, FIRST_POLL_MS * 2 ** Math.min(round, 16))
}

/** How many lines of `text` match `pattern`. */
export function countMatches(text: string, pattern: RegExp): number {
  let n = 0
  for (const line of text.split(/\r?\n/)) if (pattern.test(line)) n++
  return n
}

/** Why an HTTP answer does not make the service ready, or undefined when it does. */
export function httpMismatch(check: HttpCheck, status: number, body: string): string | undefined {
  const statusOk =
    check.status === undefined ? status >= 200 && status < 300 : status === check.status
  if (!statusOk) return `status ${status}, expected ${check.status ?? '2xx'}`
  if (check.body !== undefined && !body.includes(check.body))
    return `status ${status} but the body does not contain ${JSON.stringify(check.body)}`
  return undefined
}

/** The checks of a spec, named for messages: "port 5432", "http :80/health", ... */
export function readinessChecks(spec: ReadinessSpec, hasHealthCheck: boolean): string[] {
  const checks: string[] = []
  if (spec.health ?? hasHealthCheck) checks.push('health')
  for (const p of spec.ports ?? []) checks.push(`port ${p}`)
  if (spec.http) checks.push(`http :${spec.http.port}${spec.http.path ?? '/'}`)
  if (spec.log)
    checks.push(
      `log /${spec.log.pattern}/${(spec.log.times ?? 1) > 1 ? ` x${spec.log.times}` : ''}`
    )
  if (spec.exec !== undefined) checks.push('exec')
  return checks
}

const isPort = (p: number): boolean => Number.isInteger(p) && p >= 1 && p <= 65535

/** Checks a readiness spec before anything runs. */
export function validateReadiness(spec: ReadinessSpec, field = 'readiness'): void {
  for (const p of spec.ports ?? [])
    if (!isPort(p)) throw invalidValue(field, `port ${p} is not a port number (1-65535)`)
  if (spec.http) {
    if (!isPort(spec.http.port))
      throw invalidValue(field, `http port ${spec.http.port} is not a port number (1-65535)`)
    const path = spec.http.path ?? '/'
    if (!path.startsWith('/') || /\s/.test(path))
      throw invalidValue(
        field,
        `http path ${JSON.stringify(path)} must start with "/" and hold no spaces`
      )
    const s = spec.http.status
    if (s !== undefined && !(Number.isInteger(s) && s >= 100 && s <= 599))
      throw invalidValue(field, `http status ${s} is not an HTTP status (100-599)`)
  }
  if (spec.log) {
    try {
      new RegExp(spec.log.pattern)
    } catch (e: unknown) {
      throw invalidValue(
        field,
        `log pattern ${JSON.stringify(spec.log.pattern)} is not a regular expression: ${String(e)}`
      )
    }
    const t = spec.log.times
    if (t !== undefined && !(Number.isInteger(t) && t >= 1))
      throw invalidValue(field, `log times ${t} must be a whole number of at least 1`)
  }
  if (spec.exec !== undefined) {
    const empty = typeof spec.exec === 'string' ? !spec.exec.trim() : spec.exec.length === 0
    if (empty) throw invalidValue(field, 'exec needs a command: a shell string or a list')
  }
  if (spec.timeoutMs !== undefined && !(spec.timeoutMs > 0))
    throw invalidValue(field, `timeout ${spec.timeoutMs} ms must be positive`)
}
