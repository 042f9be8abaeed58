// waitForHealthy: returns as soon as a container is healthy.
//
// A health command is a shell snippet run by nerdctl as `/bin/sh -c CMD` INSIDE
// the container (Docker's CMD-SHELL). A multi-line script is passed the same
// way, newlines and all: argv never goes through a host shell, so it reaches
// the container intact.
//
// Probes: nerdctl runs them on a timer only with systemd as PID 1; elsewhere
// nothing probes unless someone runs `nerdctl container healthcheck`. The
// waiter therefore drives the recorded probes itself at the container's
// interval, so `unhealthy` keeps its meaning (retries x interval after the
// start period). To not make anyone wait a whole interval for a service that is
// already up, it also runs the same command through `nerdctl exec` every few
// hundred milliseconds; those quick checks are not recorded and cannot make the
// container unhealthy, and as soon as one passes a recorded probe follows.
//
// Pace: a quick check starts at most DEFAULT_HEALTH_POLL_MS after the start of
// the one before (sooner at first), or as soon as that one ends when it took
// longer: one at a time, so a slow container is never probed twice at once.
// The status is read while each check runs, not after it, so the read adds
// nothing to the time between an answer and the return.
//
// Ports: most services say they are up by listening. The waiter tries the
// container's published TCP ports on its bridge address every PORT_WATCH_MS,
// and the first time one accepts a connection it runs a recorded probe at
// once instead of a quick check and then a recorded one, which takes a whole
// nerdctl exec off the time between a service's first answer and the return.
// A check already running when the port opens is not waited for. That probe
// counts like any other, so it is run only when one more failure cannot make
// the container unhealthy; otherwise a quick check goes first.
import { readFile, stat } from 'node:fs/promises'
import { homedir, networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { NerdctlError } from '../base/errors.js'
import {
  DEFAULT_HEALTH_INTERVAL_MS,
  DEFAULT_HEALTH_POLL_MS,
  DEFAULT_HEALTH_RETRIES,
  DEFAULT_HEALTH_TIMEOUT_MS,
  HEALTH_FIRST_GAP_MS,
  PORT_WATCH_MS,
  DEFAULT_LOG_LINES,
  DEFAULT_WAIT_TIMEOUT_MS
} from '../base/defaults.js'
import { sleep } from '../base/sleep.js'
import { tail } from '../base/text.js'
import type { ContainerStatus, HealthCheck, HealthProbe } from '../base/types.js'
import { clientOf, type CallOptions } from '../exec/call.js'
import type { Nerdctl } from '../exec/client.js'
import { probesOnNerdctlTimer } from '../pure/health-timer.js'
import { onSubnet } from '../pure/listings.js'
import { durationMs } from '../pure/units.js'
import { exec, healthcheck, inspect } from './containers.js'
import { logTail } from './logs.js'
import { tcpProbe } from './net-probes.js'

export interface WaitOptions extends Omit<CallOptions, 'timeoutMs'> {
  /**
   * Give up after this long, in all. Default 2 minutes. (Each nerdctl call
   * inside has its own, shorter limit: the client's control-call timeout.)
   */
  waitTimeoutMs?: number
  /**
   * Whether nerdctl records probes on its own timer (systemd is PID 1 and the
   * config allows it), so the waiter must not record more on its schedule.
   * Default: found out from this machine (see `nerdctlRunsProbes`).
   */
  nerdctlProbes?: boolean
  /**
   * Longest time between the starts of two quick checks. Default 200 ms; the
   * first ones come faster. A check that takes longer is followed as soon as
   * it ends, never overlapped.
   */
  pollMs?: number
  /** Lines of the container's logs to put in an error. Default 50. */
  logLines?: number
  /** Called on each state change, for progress lines. */
  onStatus?: (status: ContainerStatus) => void
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
 * Runs a container's health command once. A recorded probe goes through
 * `nerdctl container healthcheck` and counts towards healthy/unhealthy; a
 * quick one runs the same command with `nerdctl exec` and counts for nothing.
 * Returns whether the command passed (a recorded probe's verdict is read
 * from inspect afterwards).
 */
async function probe(
  ref: string,
  hc: HealthCheck,
  kind: 'recorded' | 'quick',
  timeoutMs: number,
  call: CallOptions
): Promise<boolean> {
  const options = { ...call, timeoutMs, allowFailure: true }
  const r =
    kind === 'recorded'
      ? await healthcheck(ref, options)
      : await exec(ref, ['/bin/sh', '-c', hc.cmd], options).catch(() => undefined)
  return r?.exitCode === 0
}

/**
 * Whether nerdctl runs health probes on systemd timers here: it does when
 * systemd is PID 1 (`/run/systemd/system` exists), nerdctl runs as root (not
 * rootless), and its config does not set `disable_hc_systemd`.
 */
export async function nerdctlRunsProbes(client: Nerdctl): Promise<boolean> {
  const rootless = process.getuid?.() !== 0 && !client.options.sudo
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

/**
 * Whether this machine reaches an address directly, on the network of one of
 * its own interfaces (a container's bridge, loopback): the port watch never
 * sends anything through a gateway, off the machine.
 */
function reachedDirectly(ip: string): boolean {
  return Object.values(networkInterfaces()).some(list =>
    (list ?? []).some(i => i.family === 'IPv4' && onSubnet(ip, i.address, i.netmask))
  )
}

/**
 * Watches a container's published TCP ports on its own address: `opened` is
 * aborted, and `whenOpened` settles, the first time one of them accepts a
 * connection (a signal to end a pause, a promise to race a check). Nothing to
 * watch (no published TCP port, no address reached directly, e.g. the host's
 * network) never opens.
 */
function watchPorts(
  status: ContainerStatus,
  signal: AbortSignal | undefined
): { opened: AbortSignal; whenOpened: Promise<true>; stop: () => void } {
  const opened = new AbortController()
  const whenOpened = new Promise<true>(resolve =>
    opened.signal.addEventListener('abort', () => resolve(true), { once: true })
  )
  const stopped = new AbortController()
  const ports = [
    ...new Set(
      status.ports
        .filter(p => p.containerPort.endsWith('/tcp'))
        .map(p => Number.parseInt(p.containerPort, 10))
        .filter(n => n > 0 && n < 65536)
    )
  ]
  const host = status.ipAddress
  const halt = signal ? AbortSignal.any([signal, stopped.signal]) : stopped.signal
  if (host && ports.length > 0 && reachedDirectly(host)) {
    void (async () => {
      while (!halt.aborted) {
        const refused = await Promise.all(ports.map(p => tcpProbe(host, p, 500, halt)))
        if (!halt.aborted && refused.some(why => why === undefined)) {
          opened.abort()
          return
        }
        await sleep(PORT_WATCH_MS, halt)
      }
    })()
  }
  return { opened: opened.signal, whenOpened, stop: () => stopped.abort() }
}

type Verdict = 'healthy' | { kind: 'Other' | 'Timeout'; why: string } | undefined

/** What a status means for the wait: healthy, a failure to report, or keep waiting. */
function verdict(
  status: ContainerStatus,
  hc: HealthCheck,
  deadline: number,
  timeoutMs: number
): Verdict {
  if (status.healthStatus === 'healthy') return 'healthy'
  if (status.healthStatus === 'unhealthy') {
    const n = status.health?.failingStreak ?? 0
    return {
      kind: 'Other',
      why: `container ${status.name} is unhealthy after ${n} failed probe(s) of: ${hc.cmd}`
    }
  }
  // A container its restart policy is restarting comes back: not a failure yet.
  if (!status.running && !status.restarting && status.state !== 'restarting') {
    return {
      kind: 'Other',
      why: `container ${status.name} is ${status.status}, not running, so it cannot become healthy`
    }
  }
  if (Date.now() >= deadline) {
    return {
      kind: 'Timeout',
      why: `container ${status.name} did not become healthy within ${timeoutMs} ms (health: ${status.healthStatus})`
    }
  }
  return undefined
}

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
  const timeoutMs = options.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS
  const ownTimer = options.nerdctlProbes ?? (await nerdctlRunsProbes(clientOf(options)))
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
  let gap = HEALTH_FIRST_GAP_MS
  const maxGap = options.pollMs ?? DEFAULT_HEALTH_POLL_MS
  let last = ''

  /** A recorded probe, then the status it left. */
  const recordProbe = async (): Promise<ContainerStatus> => {
    await probe(ref, hc, 'recorded', probeTimeoutMs + 10_000, call)
    nextRecorded = Date.now() + intervalMs
    return inspect(ref, call)
  }
  const ports = watchPorts(status, options.signal)
  let portSeen = false
  /**
   * Whether the open port brings a recorded probe now: once per wait, and only
   * when one more failure cannot make the container unhealthy.
   */
  const portProbe = (current: ContainerStatus): boolean => {
    if (portSeen || !ports.opened.aborted) return false
    portSeen = true
    return (current.health?.failingStreak ?? 0) + 1 < (hc.retries ?? DEFAULT_HEALTH_RETRIES)
  }
  /** One round: a recorded probe when due, else a quick check (and the status meanwhile), else a pause. */
  const round = async (current: ContainerStatus): Promise<ContainerStatus> => {
    const begun = Date.now()
    // With nerdctl's own timer, recording on ours too would count failures
    // twice as fast as the user's interval and retries say.
    if (begun >= nextRecorded && !ownTimer) return recordProbe()
    if (portProbe(current)) return recordProbe()
    const quickTimeout = Math.min(probeTimeoutMs, Math.max(1000, deadline - begun))
    const checking = Promise.all([probe(ref, hc, 'quick', quickTimeout, call), inspect(ref, call)])
    // A port that opens while a check runs does not wait for that check,
    // which began before the service listened: the recorded probe starts at
    // once (the one moment a quick check and a probe may run together; the
    // check's result is then not needed).
    if (!portSeen && (await Promise.race([checking.then(() => false), ports.whenOpened]))) {
      checking.catch(() => undefined)
      if (portProbe(current)) return recordProbe()
    }
    const [passed, next] = await checking
    if (passed) return recordProbe()
    const untilRecorded = ownTimer ? Infinity : nextRecorded - Date.now()
    const untilNext = begun + gap - Date.now()
    // Until a port has opened, its opening ends the pause: that is worth a look now.
    const wake = portSeen ? undefined : ports.opened
    const pause = [options.signal, wake].filter((x): x is AbortSignal => x !== undefined)
    await sleep(
      Math.min(untilNext, untilRecorded, deadline - Date.now()),
      pause.length > 1 ? AbortSignal.any(pause) : pause[0]
    )
    gap = Math.min(gap * 1.5, maxGap)
    return next
  }

  try {
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
      const v = verdict(status, hc, deadline, timeoutMs)
      if (v === 'healthy') return status
      if (v) {
        const logs = await logTail(ref, options.logLines ?? DEFAULT_LOG_LINES, call)
        throw new NerdctlError(
          v.kind,
          `${v.why}\nLast health probes:\n${describeProbes(status.health?.log ?? [])}\nLast log lines of ${status.name}:\n${logs || '(no output)'}`,
          { containerStatus: status, logs }
        )
      }
      status = await round(status)
    }
  } finally {
    ports.stop()
  }
}
