// Pure parts of readiness: the poll schedule, the clock, the combinators that
// make one check of several (all, any, inOrder), what a log or an HTTP answer
// means for a check, and the validation of a readiness spec. The checks that
// look at a container, and the loop that drives them, are ops/ (readiness.ts,
// health.ts, strategies.ts).
import { POLL_FIRST_MS, POLL_GROWTH, POLL_MAX_MS } from '../base/defaults.js'
import { invalidValue } from '../base/errors.js'
import { sleep } from '../base/sleep.js'
import type {
  Clock,
  HttpCheck,
  Look,
  LookContext,
  ReadinessCheck,
  ReadinessSpec
} from '../base/types.js'

/** The first pause between rounds of checks (base/defaults.ts holds the schedule). */
export const FIRST_POLL_MS = POLL_FIRST_MS
/** The longest pause between two rounds: a service is seen ready this soon after it is. */
export const MAX_POLL_MS = POLL_MAX_MS

/**
 * The pause after round `round` (0-based) of checks: tens of milliseconds at
 * first, growing, never more than MAX_POLL_MS. Unlike a health check's
 * interval it does not grow past that: a service that takes a minute is still
 * seen within a fifth of a second of being ready.
 */
export function pollDelay(round: number, maxMs = MAX_POLL_MS): number {
  return Math.min(maxMs, Math.round(POLL_FIRST_MS * POLL_GROWTH ** Math.min(round, 32)))
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => Date.now(), sleep }

/** A check's state in a message: "name: passed", "name: not yet (why)". */
export function describeLook(name: string, look: Look | undefined): string {
  if (look?.ready) return `${name}: passed`
  const state = look?.fatal ? 'failed' : look ? 'not yet' : 'not looked at yet'
  const detail = look?.fatal ?? look?.detail ?? ''
  if (!detail) return `${name}: ${state}`
  if (!detail.includes('\n')) return `${name}: ${state} (${detail})`
  return `${name}: ${state}\n${detail.replace(/^/gm, '    ')}`
}

/** The status one of these looks read, if any did. */
function newest(looks: readonly (Look | undefined)[]): Look['status'] {
  return looks.find(l => l?.status)?.status
}

/**
 * Ready when every check is. Checks not yet met are looked at together, once
 * each per look; a met one is not looked at again. Fails as soon as one does.
 */
export function all(...checks: readonly ReadinessCheck[]): ReadinessCheck {
  if (checks.length === 1 && checks[0]) return checks[0]
  const last = new Map<ReadinessCheck, Look>()
  return {
    name: checks.map(c => c.name).join(' and ') || 'nothing',
    async look(context: LookContext): Promise<Look> {
      const pending = checks.filter(c => !last.get(c)?.ready)
      await Promise.all(pending.map(async c => last.set(c, await c.look(context))))
      const looks = checks.map(c => last.get(c))
      const fatal = checks.find(c => last.get(c)?.fatal)
      return {
        ready: looks.every(l => l?.ready),
        fatal: fatal ? last.get(fatal)?.fatal : undefined,
        cheap: looks.every(l => l?.ready || l?.cheap),
        status: newest(pending.map(c => last.get(c))),
        detail: checks.map(c => describeLook(c.name, last.get(c))).join('\n')
      }
    }
  }
}

/**
 * Ready when one check is. Those that have not failed are looked at together;
 * the wait fails only when every one has.
 */
export function any(...checks: readonly ReadinessCheck[]): ReadinessCheck {
  if (checks.length === 1 && checks[0]) return checks[0]
  const last = new Map<ReadinessCheck, Look>()
  return {
    name: checks.map(c => c.name).join(' or '),
    async look(context: LookContext): Promise<Look> {
      const live = checks.filter(c => !last.get(c)?.fatal)
      await Promise.all(live.map(async c => last.set(c, await c.look(context))))
      const looks = checks.map(c => last.get(c))
      return {
        ready: looks.some(l => l?.ready),
        fatal: looks.every(l => l?.fatal)
          ? checks.map(c => `${c.name}: ${last.get(c)?.fatal}`).join('; ')
          : undefined,
        cheap: looks.every(l => l?.fatal || l?.cheap),
        status: newest(live.map(c => last.get(c))),
        detail: checks.map(c => describeLook(c.name, last.get(c))).join('\n')
      }
    }
  }
}

/**
 * Ready when each check has passed after the one before it passed: a check is
 * first looked at once every earlier one is met, so its pass is a fresh one,
 * seen after theirs. When one passes, the next is looked at in the same look,
 * without a pause.
 */
export function inOrder(...checks: readonly ReadinessCheck[]): ReadinessCheck {
  if (checks.length === 1 && checks[0]) return checks[0]
  const last: (Look | undefined)[] = checks.map(() => undefined)
  let at = 0
  return {
    name: checks.map(c => c.name).join(', then '),
    async look(context: LookContext): Promise<Look> {
      let look: Look = { ready: true }
      let status: Look['status']
      while (at < checks.length) {
        const check = checks[at] as ReadinessCheck
        look = await check.look(context)
        last[at] = look
        status = look.status ?? status
        if (!look.ready || look.fatal) break
        at++
      }
      return {
        ready: at >= checks.length,
        fatal: look.fatal,
        cheap: look.ready || look.cheap,
        status,
        detail: checks
          .map((c, i) =>
            i > at ? `${c.name}: waiting for the check before` : describeLook(c.name, last[i])
          )
          .join('\n')
      }
    }
  }
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
