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
import { formatDuration, parseDuration } from './parse.js'

export interface HealthCheck {
  /** Shell command (may be multi-line) run inside the container by /bin/sh -c. */
  cmd: string
  /** Go duration between probes (`30s`). */
  interval?: string | undefined
  /** Go duration one probe may take. */
  timeout?: string | undefined
  /** Consecutive failures before `unhealthy`. */
  retries?: number | undefined
  /** Go duration during which failures do not count. */
  startPeriod?: string | undefined
}

export const DEFAULT_HEALTH_INTERVAL_MS = 30_000
export const DEFAULT_HEALTH_TIMEOUT_MS = 30_000
export const DEFAULT_HEALTH_RETRIES = 3

function checkDuration(what: string, value: string | undefined): void {
  if (value === undefined) return
  try {
    parseDuration(value)
  } catch {
    throw new NerdctlError(
      'Other',
      `health check ${what} "${value}" is invalid: expected a Go duration such as 500ms, 30s or 1m30s`
    )
  }
}

/** The `nerdctl run` flags of a health check, after validating it. */
export function healthCheckArgs(hc: HealthCheck): string[] {
  if (!hc.cmd.trim()) {
    throw new NerdctlError(
      'Other',
      'health check command is empty: give a shell command such as "wget -q -O- http://localhost/ || exit 1"'
    )
  }
  checkDuration('interval', hc.interval)
  checkDuration('timeout', hc.timeout)
  checkDuration('start period', hc.startPeriod)
  if (hc.retries !== undefined && (!Number.isInteger(hc.retries) || hc.retries < 1)) {
    throw new NerdctlError(
      'Other',
      `health check retries "${hc.retries}" is invalid: expected a whole number of at least 1`
    )
  }
  const a = ['--health-cmd', hc.cmd]
  // Normalised ("1m30s") so nerdctl's Go parser reads exactly what we validated.
  if (hc.interval) a.push('--health-interval', formatDuration(parseDuration(hc.interval)))
  if (hc.timeout) a.push('--health-timeout', formatDuration(parseDuration(hc.timeout)))
  if (hc.retries !== undefined) a.push('--health-retries', String(hc.retries))
  if (hc.startPeriod) a.push('--health-start-period', formatDuration(parseDuration(hc.startPeriod)))
  return a
}

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
