// Health checks: the HealthCheck type, its `nerdctl run` flags, and
// waitForHealthy, which returns as soon as a container is healthy.
//
// A health command is a shell snippet run by nerdctl as `/bin/sh -c CMD` INSIDE
// the container (Docker's CMD-SHELL). A multi-line script is passed the same
// way, newlines and all: argv never goes through a host shell, so it reaches
// the container intact. (The original wrote multi-line checks to a file on the
// host, where the container could not see it.)
//
// Probes: nerdctl runs them on a timer only with systemd as PID 1; elsewhere
// nothing probes unless someone runs `nerdctl container healthcheck`. The
// waiter therefore drives the recorded probes itself at the container's
// interval, so `unhealthy` keeps its meaning (retries x interval after the
// start period). To not make anyone wait a whole interval for a service that is
// already up, it also runs the same command through `nerdctl exec` every few
// hundred milliseconds; those quick checks are not recorded and cannot make the
// container unhealthy, and as soon as one passes a recorded probe follows.
import { NerdctlError, tail } from './errors.js'
import { clientOf, execOptionsOf, inspect, logTail, type CallOptions } from './containers.js'
import { durationMs, type ContainerStatus } from './parse.js'

/**
 * A length of time: a Go duration as users write it (`30s`, `1m30s`) or a
 * number of milliseconds, for callers that parsed it already (the action
 * parses each input once, where it reads it).
 */
export type Duration = string | number

export interface HealthCheck {
  /** Shell command (may be multi-line) run inside the container by /bin/sh -c. */
  cmd: string
  /** Time between probes (`30s`). */
  interval?: Duration | undefined
  /** Time one probe may take. */
  timeout?: Duration | undefined
  /** Consecutive failures before `unhealthy`. */
  retries?: number | undefined
  /** Time during which failures do not count. */
  startPeriod?: Duration | undefined
}

export const DEFAULT_HEALTH_INTERVAL_MS = 30_000
export const DEFAULT_HEALTH_TIMEOUT_MS = 30_000

/** One recorded probe, as nerdctl keeps the last five. */
export interface HealthProbe {
  start: string
  end: string
  exitCode: number
  output: string
}

/** Formats the last probes for an error message. */
export function describeProbes(probes: readonly HealthProbe[]): string {
  if (probes.length === 0) return 'no probe has run'
  return probes
    .slice(-3)
    .map(
      p => `  exit ${p.exitCode} at ${p.end || p.start}: ${tail(p.output, 500) || '(no output)'}`
    )
    .join('\n')
}

export interface WaitOptions extends CallOptions {
  /** Give up after this long. Default 2 minutes. */
  timeoutMs?: number
  /** Longest pause between quick checks. Default 1 s; the first ones come faster. */
  pollMs?: number
  /** Lines of the container's logs to put in an error. Default 50. */
  logLines?: number
  /** Called on each state change, for progress lines. */
  onStatus?: (status: ContainerStatus) => void
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise(resolve => {
    const t = setTimeout(done, Math.max(0, ms))
    function done(): void {
      clearTimeout(t)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })

/**
 * Waits until a container is healthy and returns its status. Fails fast, with
 * the last probe outputs and the tail of its logs, when it turns unhealthy or
 * stops running; fails with kind `Timeout` when the time is up.
 */
export async function waitForHealthy(
  container: string | { containerId: string | undefined; name: string },
  options: WaitOptions = {}
): Promise<ContainerStatus> {
  const ref = typeof container === 'string' ? container : (container.containerId ?? container.name)
  const timeoutMs = options.timeoutMs ?? 120_000
  const call: CallOptions = { client: options.client, signal: options.signal }
  const started = Date.now()
  const deadline = started + timeoutMs
  let status = await inspect(ref, call)
  const hc = status.healthCheck
  if (!hc) {
    throw new NerdctlError(
      'Other',
      `container ${status.name} has no health check, so it can never become healthy: create it with one (withHealthCheck, or the health-cmd input)`,
      { containerStatus: status }
    )
  }
  const intervalMs = hc.interval ? durationMs(hc.interval) : DEFAULT_HEALTH_INTERVAL_MS
  const probeTimeoutMs = hc.timeout ? durationMs(hc.timeout) : DEFAULT_HEALTH_TIMEOUT_MS
  // Recorded probes keep Docker's rhythm: the first one interval after start.
  const startedAt = Date.parse(status.started)
  let nextRecorded = (Number.isNaN(startedAt) ? started : startedAt) + intervalMs
  let pause = 100
  let last = ''

  const fail = async (kind: 'Other' | 'Timeout', why: string): Promise<never> => {
    const logs = await logTail(ref, options.logLines ?? 50, call)
    throw new NerdctlError(
      kind,
      `${why}\nLast health probes:\n${describeProbes(status.health?.log ?? [])}\nLast log lines of ${status.name}:\n${logs || '(no output)'}`,
      { containerStatus: status, logs }
    )
  }
  const recordProbe = async (): Promise<void> => {
    // A failing probe exits non-zero; its result is read from inspect next.
    await clientOf(call).exec(
      ['container', 'healthcheck', ref],
      execOptionsOf(call, { allowFailure: true, timeoutMs: probeTimeoutMs + 10_000 })
    )
    nextRecorded = Date.now() + intervalMs
  }

  for (;;) {
    if (options.signal?.aborted) {
      throw new NerdctlError(
        'Cancelled',
        `waiting for ${status.name} to become healthy was cancelled`,
        { containerStatus: status }
      )
    }
    if (status.status !== last) {
      last = status.status
      options.onStatus?.(status)
    }
    if (status.healthStatus === 'healthy') return status
    if (status.healthStatus === 'unhealthy') {
      await fail(
        'Other',
        `container ${status.name} is unhealthy after ${status.health?.failingStreak ?? 0} failed probe(s) of: ${hc.cmd}`
      )
    }
    if (!status.running) {
      await fail(
        'Other',
        `container ${status.name} is ${status.status}, not running, so it cannot become healthy`
      )
    }
    const now = Date.now()
    if (now >= deadline) {
      await fail(
        'Timeout',
        `container ${status.name} did not become healthy within ${timeoutMs} ms (health: ${status.healthStatus})`
      )
    }
    if (now >= nextRecorded) {
      await recordProbe()
    } else {
      // A quick check that is not recorded: the same command, the same shell.
      const quick = await clientOf(call)
        .exec(
          ['exec', ref, '/bin/sh', '-c', hc.cmd],
          execOptionsOf(call, {
            allowFailure: true,
            timeoutMs: Math.min(probeTimeoutMs, Math.max(1000, deadline - now))
          })
        )
        .catch(() => undefined)
      if (quick?.exitCode === 0) await recordProbe()
      else {
        await sleep(
          Math.min(pause, nextRecorded - Date.now(), deadline - Date.now()),
          options.signal
        )
        pause = Math.min(pause * 2, options.pollMs ?? 1000)
      }
    }
    status = await inspect(ref, call)
  }
}
