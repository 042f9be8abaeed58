// waitFor and waitForHealthy: one loop drives one readiness check, made of
// small checks (health, port, http, log, exec; ops/health.ts and
// ops/strategies.ts) composed by all/any/inOrder (pure/readiness.ts).
//
// Ready for clients (the default): every TCP port the container publishes,
// and every port named in the spec, accepts a connection from this machine
// through each address it is published on and at the container's own address
// on its network, and AFTER that the health check (when there is one) passes.
// A health check can pass before a client can connect: the official
// PostgreSQL and MariaDB images initialise through a temporary server on the
// unix socket only, which `pg_isready` calls accepting, then restart; the
// port accepts only once the real server listens, and the health check that
// follows says that server is past its start-up. `clients: false` waits for
// the checks given alone (with none: health alone).
//
// The loop: each round looks at the check once (its parts together, never
// one part twice at once) while it reads the container's state, then pauses
// on the one poll schedule (base/defaults.ts): growing from tens of
// milliseconds to a fifth of a second, or PORT_WATCH_MS while what is left to
// look at is only connections from this machine. A container that stops
// running, or a check that can no longer pass (unhealthy), ends the wait at
// once. Time comes from a Clock, so tests run long waits without sleeping.
// Every task a check starts (a log follower) is stopped and awaited before
// the wait returns.
import { NerdctlError } from '../base/errors.js'
import { DEFAULT_LOG_LINES, DEFAULT_WAIT_TIMEOUT_MS, PORT_WATCH_MS } from '../base/defaults.js'
import type {
  Clock,
  ContainerStatus,
  Look,
  LookContext,
  ReadinessCheck,
  ReadinessSpec,
  ReadyResult
} from '../base/types.js'
import { clientOf, type CallOptions } from '../exec/call.js'
import {
  MAX_POLL_MS,
  all,
  describeLook,
  inOrder,
  pollDelay,
  systemClock,
  validateReadiness
} from '../pure/readiness.js'
import { checkContainerRef } from '../pure/validate.js'
import { inspect } from './containers.js'
import { healthCheck, nerdctlRunsProbes, type WaitOptions } from './health.js'
import { logTail } from './logs.js'
import { execCheck, httpCheck, logCheck, portCheck, publishedTcpPorts } from './strategies.js'

export interface ReadinessOptions extends Omit<CallOptions, 'timeoutMs' | 'stream'> {
  /** Lines of the container's logs to put in an error. Default 50. */
  logLines?: number
  /** Longest pause between rounds of checks. Default 200 ms. */
  maxPollMs?: number
  /** Whether nerdctl records health probes on its own timer (see WaitOptions). */
  nerdctlProbes?: boolean
  /** Where the time comes from; default the machine's clock. */
  clock?: Clock
  /** Called on each state change, for progress lines. */
  onStatus?: (status: ContainerStatus) => void
}

/** The check a spec stands for, on a container in `status`, and the names of its parts. */
export async function readinessCheck(
  container: string,
  spec: ReadinessSpec,
  status: ContainerStatus,
  options: ReadinessOptions = {}
): Promise<{ check: ReadinessCheck; parts: string[] }> {
  const call: CallOptions = { client: options.client, signal: options.signal }
  const hc = status.healthCheck
  const wantHealth = spec.health ?? hc !== undefined
  if (wantHealth && !hc)
    throw new NerdctlError(
      'Other',
      `container ${status.name} has no health check, so it can never become healthy: create it with one (withHealthCheck, or the health-cmd input)`,
      { containerStatus: status }
    )
  const clients = spec.clients ?? true
  const named = spec.ports ?? []
  const ports = clients ? [...new Set([...publishedTcpPorts(status), ...named])] : [...named]
  const rootless = clientOf(options).rootless
  const portChecks = ports.map(p => portCheck(status, p, named.includes(p), rootless))
  const ownTimer = hc
    ? (options.nerdctlProbes ?? (await nerdctlRunsProbes(clientOf(options))))
    : false
  const health = (fresh: boolean): ReadinessCheck[] =>
    hc && wantHealth ? [healthCheck({ ref: container, hc, call, ownTimer, fresh })] : []
  const parts: ReadinessCheck[] =
    clients && portChecks.length > 0 && wantHealth
      ? [inOrder(all(...portChecks), ...health(true))]
      : [...health(false), ...portChecks]
  const extra: ReadinessCheck[] = []
  if (spec.http) extra.push(httpCheck(spec.http, rootless))
  if (spec.log)
    extra.push(logCheck(container, new RegExp(spec.log.pattern), spec.log.times ?? 1, call))
  if (spec.exec !== undefined) extra.push(execCheck(container, spec.exec, call))
  const names = [
    ...(wantHealth ? ['health'] : []),
    ...ports.map(p => `port ${p}`),
    ...extra.map(c => c.name)
  ]
  return { check: all(...parts, ...extra), parts: names }
}

/** Runs `check` on `container` until it is ready, fails, or time is up. */
async function drive(
  container: string,
  check: ReadinessCheck,
  parts: readonly string[],
  first: ContainerStatus,
  timeoutMs: number,
  options: ReadinessOptions
): Promise<ReadyResult> {
  const clock = options.clock ?? systemClock
  const call: CallOptions = { client: options.client, signal: options.signal }
  const t0 = clock.now()
  const deadline = t0 + timeoutMs
  const stop = new AbortController()
  const onAbort = (): void => stop.abort()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const kept: Promise<unknown>[] = []
  const context = (status: ContainerStatus): LookContext => ({
    status,
    deadline,
    signal: stop.signal,
    clock,
    keep: task => kept.push(task.catch(() => undefined))
  })
  let status = first
  let look: Look | undefined
  let shown = ''
  let slowRounds = 0
  let rounds = 0
  let inspected = t0

  const fail = async (kind: 'Other' | 'Timeout' | 'Cancelled', why: string): Promise<never> => {
    stop.abort()
    await Promise.all(kept)
    const logs = await logTail(container, options.logLines ?? DEFAULT_LOG_LINES, call)
    throw new NerdctlError(
      kind,
      `${why}\n` +
        `State: ${status.status}, exit code ${status.exitCode}${status.error ? ` (${status.error})` : ''}\n` +
        `Checks after ${clock.now() - t0} ms:\n${describeLook(check.name, look)}\n` +
        `Last log lines of ${status.name}:\n${logs || '(no output)'}`,
      { containerStatus: status, logs }
    )
  }

  try {
    for (;;) {
      if (options.signal?.aborted)
        return await fail(
          'Cancelled',
          `container ${status.name} is not ready: the wait was cancelled`
        )
      if (status.status !== shown) {
        shown = status.status
        options.onStatus?.(status)
      }
      // A container its restart policy is restarting comes back: not a failure yet.
      if (!status.running && !status.restarting && status.state !== 'restarting')
        return await fail(
          'Other',
          `container ${status.name} is not ready: it is ${status.status}, not running`
        )
      // Time is up after a pause: the last look (not one cut short by the deadline) says why.
      if (look && clock.now() >= deadline)
        return await fail(
          'Timeout',
          `container ${status.name} is not ready: not ready within ${timeoutMs} ms (waiting for ${parts.join(', ')})`
        )
      const roundStart = clock.now()
      // The state is read while the check looks, so a round takes the longer of
      // the two, not their sum; on the fast schedule, only as often as on the slow one.
      const readState = roundStart - inspected >= pollDelay(rounds++, options.maxPollMs)
      const [fresh, seen] = await Promise.all([
        readState ? inspect(container, call) : Promise.resolve(status),
        check.look(context(status))
      ])
      if (readState) inspected = roundStart
      look = seen
      status = seen.status ?? fresh
      if (seen.fatal) return await fail('Other', seen.fatal)
      if (seen.ready) return { status, readyMs: clock.now() - t0, met: [...parts] }
      // The pause counts from the round's start: looks never more than the schedule's gap apart.
      const gap = seen.cheap ? PORT_WATCH_MS : pollDelay(slowRounds++, options.maxPollMs)
      const pause = Math.min(gap - (clock.now() - roundStart), deadline - clock.now())
      if (pause > 0) await clock.sleep(pause, stop.signal)
    }
  } finally {
    stop.abort()
    options.signal?.removeEventListener('abort', onAbort)
    await Promise.all(kept)
  }
}

/**
 * Waits until a container is ready by every check of `spec`, and ready for
 * clients unless `spec.clients` is false (see the head of this file), and
 * returns its status and how long that took. With no check given it waits for
 * health when the container has a health check, else only for it to run (and
 * its published ports to accept). Fails fast when it stops running or turns
 * unhealthy; fails with kind `Timeout` when the time is up. Every failure
 * carries the last log lines and each check's last output and exit code.
 */
export async function waitFor(
  container: string,
  spec: ReadinessSpec = {},
  options: ReadinessOptions = {}
): Promise<ReadyResult> {
  checkContainerRef(container)
  validateReadiness(spec)
  const clock = options.clock ?? systemClock
  const t0 = clock.now()
  const status = await inspect(container, { client: options.client, signal: options.signal })
  const { check, parts } = await readinessCheck(container, spec, status, options)
  const timeoutMs = (spec.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS) - (clock.now() - t0)
  const r = await drive(container, check, parts, status, Math.max(1, timeoutMs), options)
  return { ...r, readyMs: clock.now() - t0 }
}

/**
 * Waits until a container is healthy and ready for clients (every TCP port it
 * publishes accepts, and its health check passes after that), and returns its
 * status. `clients: false` waits for the health check alone. Fails fast, with
 * the last probe outputs, the last quick check and the tail of its logs, when
 * it turns unhealthy or stops running; fails with kind `Timeout` when the time
 * is up.
 */
export async function waitForHealthy(
  container: string | { containerId: string | undefined; name: string },
  options: WaitOptions = {}
): Promise<ContainerStatus> {
  const ref = typeof container === 'string' ? container : (container.containerId ?? container.name)
  const r = await waitFor(
    ref,
    {
      health: true,
      clients: options.clients ?? true,
      timeoutMs: options.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS
    },
    {
      client: options.client,
      signal: options.signal,
      logLines: options.logLines,
      maxPollMs: options.pollMs ?? MAX_POLL_MS,
      nerdctlProbes: options.nerdctlProbes,
      clock: options.clock,
      onStatus: options.onStatus
    }
  )
  return r.status
}
