// The health check as a readiness check (see ops/readiness.ts for the loop
// that drives it, and waitForHealthy).
//
// A health command is a shell snippet run by nerdctl as `/bin/sh -c CMD` INSIDE
// the container (Docker's CMD-SHELL). A multi-line script is passed the same
// way, newlines and all: argv never goes through a host shell, so it reaches
// the container intact.
//
// Probes: nerdctl runs them on a timer only with systemd as PID 1; elsewhere
// nothing probes unless someone runs `nerdctl container healthcheck`. The
// check therefore drives the recorded probes itself at the container's
// interval, so `unhealthy` keeps its meaning (retries x interval after the
// start period). To not make anyone wait a whole interval for a service that is
// already up, each look in between runs the same command through `nerdctl
// exec`: a quick check, not recorded, which cannot make the container
// unhealthy; as soon as one passes a recorded probe follows, so the container's
// own status says healthy. Every quick check's exit code and output is kept
// for the message of a wait that ends without ready.
//
// A `fresh` check (the health pass that follows the ports in the client rule)
// needs a pass from a probe it ran itself: a status already healthy, from a
// probe run before the ports accepted, does not count. Its first look, which
// comes right after a port started to accept, runs the recorded probe at once
// (one nerdctl call instead of a quick check and then a probe) when one more
// failure cannot make the container unhealthy.
import { readFile, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import {
  DEFAULT_HEALTH_INTERVAL_MS,
  DEFAULT_HEALTH_RETRIES,
  DEFAULT_HEALTH_TIMEOUT_MS
} from '../base/defaults.js'
import { errorMessage, tail } from '../base/text.js'
import type {
  Clock,
  ContainerStatus,
  HealthCheck,
  HealthProbe,
  Look,
  LookContext,
  ReadinessCheck
} from '../base/types.js'
import type { CallOptions } from '../exec/call.js'
import type { Nerdctl } from '../exec/client.js'
import { probesOnNerdctlTimer } from '../pure/health-timer.js'
import { durationMs } from '../pure/units.js'
import { exec, healthcheck, inspect } from './containers.js'

export interface WaitOptions extends Omit<CallOptions, 'timeoutMs'> {
  /**
   * Give up after this long, in all. Default 2 minutes. (Each nerdctl call
   * inside has its own, shorter limit: the client's control-call timeout.)
   */
  waitTimeoutMs?: number
  /**
   * Ready for clients (default true): every published TCP port accepts a
   * connection, and the health check passes after that. `false` waits for
   * the health check alone.
   */
  clients?: boolean
  /**
   * Whether nerdctl records probes on its own timer (systemd is PID 1 and the
   * config allows it), so the waiter must not record more on its schedule.
   * Default: found out from this machine (see `nerdctlRunsProbes`).
   */
  nerdctlProbes?: boolean
  /** Longest pause between two looks. Default 200 ms (base/defaults.ts). */
  pollMs?: number
  /** Lines of the container's logs to put in an error. Default 50. */
  logLines?: number
  /** Called on each state change, for progress lines. */
  onStatus?: (status: ContainerStatus) => void
  /** Where the time comes from; default the machine's clock. */
  clock?: Clock
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

/**
 * Whether nerdctl runs health probes on systemd timers here: it does when
 * systemd is PID 1 (`/run/systemd/system` exists), nerdctl runs as root (not
 * rootless), and its config does not set `disable_hc_systemd`.
 */
export async function nerdctlRunsProbes(client: Nerdctl): Promise<boolean> {
  const rootless = client.rootless
  const config =
    client.options.env?.NERDCTL_TOML ??
    process.env.NERDCTL_TOML ??
    (rootless ? join(homedir(), '.config/nerdctl/nerdctl.toml') : '/etc/nerdctl/nerdctl.toml')
  return probesOnNerdctlTimer({
    systemdIsInit: await stat('/run/systemd/system').then(
      s => s.isDirectory(),
      () => false
    ),
    rootless,
    config: await readFile(config, 'utf8').catch(() => '')
  })
}

export interface HealthCheckOptions {
  /** The container (ID or name). */
  ref: string
  hc: HealthCheck
  call: CallOptions
  /** nerdctl records probes on its own timer: the check records none on its schedule. */
  ownTimer: boolean
  /** Only a pass of a probe this check ran counts (see the head of this file). */
  fresh?: boolean
}

/** The last quick check, for messages. */
interface QuickResult {
  exitCode: number | null
  output: string
}

/** The health check of a container as a readiness check. */
export function healthCheck(o: HealthCheckOptions): ReadinessCheck {
  const { ref, hc, call, ownTimer } = o
  const intervalMs = hc.interval ? durationMs(hc.interval) : DEFAULT_HEALTH_INTERVAL_MS
  const probeTimeoutMs = hc.timeout ? durationMs(hc.timeout) : DEFAULT_HEALTH_TIMEOUT_MS
  const retries = hc.retries ?? DEFAULT_HEALTH_RETRIES
  let nextRecorded: number | undefined
  let looks = 0
  let quickRuns = 0
  let quickFails = 0
  let lastQuick: QuickResult | undefined

  const describe = (status: ContainerStatus): string => {
    const lines: string[] = []
    if (lastQuick)
      lines.push(
        `quick checks (nerdctl exec of the health command): ${quickRuns} run, ${quickFails} failed; the last: exit ${lastQuick.exitCode ?? 'none'}: ${tail(lastQuick.output, 300) || '(no output)'}`
      )
    lines.push(`recorded probes:\n${describeProbes(status.health?.log ?? [])}`)
    return lines.join('\n')
  }
  const unhealthy = (status: ContainerStatus): string =>
    `container ${status.name} is unhealthy after ${status.health?.failingStreak ?? 0} failed probe(s) of: ${hc.cmd}`

  /** A recorded probe, then what the status it left says. */
  const recorded = async (context: LookContext): Promise<Look> => {
    const remaining = Math.max(1, context.deadline - context.clock.now())
    await healthcheck(ref, {
      ...call,
      signal: context.signal,
      // A probe that hangs ends with the wait, never past it.
      timeoutMs: Math.min(probeTimeoutMs + 10_000, remaining),
      allowFailure: true
    }).catch(() => undefined)
    nextRecorded = context.clock.now() + intervalMs
    const status = await inspect(ref, call)
    if (status.healthStatus === 'healthy') return { ready: true, status }
    if (status.healthStatus === 'unhealthy')
      return { ready: false, fatal: unhealthy(status), detail: describe(status), status }
    return { ready: false, detail: describe(status), status }
  }

  /** The health command through `nerdctl exec`: recorded nowhere but here. */
  const quick = async (context: LookContext): Promise<boolean> => {
    const remaining = Math.max(1, context.deadline - context.clock.now())
    quickRuns++
    try {
      const r = await exec(ref, ['/bin/sh', '-c', hc.cmd], {
        ...call,
        signal: context.signal,
        timeoutMs: Math.min(probeTimeoutMs, remaining),
        allowFailure: true
      })
      lastQuick = { exitCode: r.exitCode, output: `${r.stdout}${r.stderr}`.trim() }
    } catch (e: unknown) {
      lastQuick = { exitCode: null, output: errorMessage(e) }
    }
    if (lastQuick.exitCode !== 0) quickFails++
    return lastQuick.exitCode === 0
  }

  return {
    name: o.fresh ? 'health (again)' : 'health',
    async look(context: LookContext): Promise<Look> {
      const status = context.status
      const first = looks++ === 0
      if (status.healthStatus === 'unhealthy')
        return { ready: false, fatal: unhealthy(status), detail: describe(status) }
      if (!o.fresh && status.healthStatus === 'healthy') return { ready: true }
      if (nextRecorded === undefined) {
        // Recorded probes keep Docker's rhythm: the first one interval after start.
        const started = Date.parse(status.started)
        nextRecorded = (Number.isNaN(started) ? context.clock.now() : started) + intervalMs
      }
      const safe = (status.health?.failingStreak ?? 0) + 1 < retries
      // With nerdctl's own timer, recording on ours too would count failures
      // twice as fast as the user's interval and retries say.
      if ((first && o.fresh && safe) || (!ownTimer && context.clock.now() >= nextRecorded))
        return recorded(context)
      if (!(await quick(context))) return { ready: false, detail: describe(status) }
      // A quick pass on a container already recorded healthy is a fresh pass.
      if (status.healthStatus === 'healthy') return { ready: true }
      return recorded(context)
    }
  }
}
