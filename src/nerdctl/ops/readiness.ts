// waitFor: returns as soon as a container is ready by every check asked of
// it: its health check, TCP ports, an HTTP answer, a log line, a command.
//
// Port and HTTP checks go from this machine to the container's address on its
// network (a bridge the host reaches directly), so the image needs no tool for
// them. Checks are polled on a short schedule (pure/readiness.ts): tens of
// milliseconds at first, never more than a quarter second apart, whatever the
// health check's interval. Each round also looks at the container's state, so
// one that exits fails the wait at once, with its last logs, state, exit code
// and the last output of every check that has not passed.
import { sleep } from '../base/sleep.js'
import { NerdctlError, isNerdctlError } from '../base/errors.js'
import {
  DEFAULT_LOG_LINES,
  DEFAULT_NET_PROBE_TIMEOUT_MS,
  DEFAULT_WAIT_TIMEOUT_MS
} from '../base/defaults.js'
import { errorMessage, tail } from '../base/text.js'
import type { ContainerStatus, ReadinessSpec, ReadyResult } from '../base/types.js'
import type { CallOptions } from '../exec/call.js'
import {
  MAX_POLL_MS,
  countMatches,
  pollDelay,
  readinessChecks,
  validateReadiness
} from '../pure/readiness.js'
import { checkContainerRef } from '../pure/validate.js'
import { exec, inspect } from './containers.js'
import { waitForHealthy } from './health.js'
import { logs, logsText, logTail } from './logs.js'
import { httpProbe, tcpProbe } from './net-probes.js'

export interface ReadinessOptions extends Omit<CallOptions, 'timeoutMs' | 'stream'> {
  /** Lines of the container's logs to put in an error. Default 50. */
  logLines?: number
  /** Longest pause between rounds of checks. Default 250 ms. */
  maxPollMs?: number
  /** Whether nerdctl records health probes on its own timer (see WaitOptions). */
  nerdctlProbes?: boolean
}

/** Longest a single port, HTTP or exec probe may take before it counts as a failure. */
const PROBE_TIMEOUT_MS = DEFAULT_NET_PROBE_TIMEOUT_MS
/** Logs read for a log check: the newest this many bytes. */
const LOG_CHECK_BYTES = 4 * 1024 * 1024

interface Check {
  name: string
  met: boolean
  /** The last failure, for the error message. */
  last: string
  run: (status: ContainerStatus) => Promise<string | undefined>
}

function describeChecks(checks: readonly Check[]): string {
  return checks
    .map(
      c => `  ${c.name}: ${c.met ? 'passed' : `not yet${c.last ? ` (${tail(c.last, 300)})` : ''}`}`
    )
    .join('\n')
}

/**
 * Waits until a container is ready by every check of `spec` and returns its
 * status and how long that took. With no check given it waits for health when
 * the container has a health check, else only for it to run. Fails fast when
 * it stops running or turns unhealthy; fails with kind `Timeout` when the time
 * is up. Every failure carries the last log lines and each check's last output.
 */
export async function waitFor(
  container: string,
  spec: ReadinessSpec = {},
  options: ReadinessOptions = {}
): Promise<ReadyResult> {
  checkContainerRef(container)
  validateReadiness(spec)
  const t0 = Date.now()
  const timeoutMs = spec.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS
  const deadline = t0 + timeoutMs
  const call: CallOptions = { client: options.client, signal: options.signal }
  let status = await inspect(container, call)
  const met: string[] = []
  const checks: Check[] = []
  for (const port of spec.ports ?? [])
    checks.push({
      name: `port ${port}`,
      met: false,
      last: '',
      run: s =>
        s.ipAddress ? tcpProbe(s.ipAddress, port) : Promise.resolve('the container has no address')
    })
  const http = spec.http
  if (http)
    checks.push({
      name: `http :${http.port}${http.path ?? '/'}`,
      met: false,
      last: '',
      run: s =>
        s.ipAddress ? httpProbe(s.ipAddress, http) : Promise.resolve('the container has no address')
    })
  const log = spec.log
  if (log) {
    const pattern = new RegExp(log.pattern)
    const times = log.times ?? 1
    checks.push({
      name: `log /${log.pattern}/${times > 1 ? ` x${times}` : ''}`,
      met: false,
      last: '',
      run: async () => {
        const n = countMatches(
          logsText(await logs(container, { ...call, maxBytes: LOG_CHECK_BYTES })),
          pattern
        )
        return n >= times ? undefined : `${n} of ${times} matching line(s) so far`
      }
    })
  }
  const command = spec.exec
  if (command !== undefined)
    checks.push({
      name: 'exec',
      met: false,
      last: '',
      run: async () => {
        const r = await exec(container, command, {
          ...call,
          timeoutMs: PROBE_TIMEOUT_MS * 5,
          allowFailure: true
        })
        return r.exitCode === 0
          ? undefined
          : `exit ${r.exitCode}: ${tail(`${r.stdout}${r.stderr}`.trim(), 300) || '(no output)'}`
      }
    })

  // Health runs on its own loop (it records probes on the check's interval);
  // this loop stops it as soon as anything else fails.
  const stopHealth = new AbortController()
  const onAbort = (): void => stopHealth.abort()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const wantHealth = spec.health ?? status.healthCheck !== undefined
  let healthy = !wantHealth
  let healthError: unknown
  const health = wantHealth
    ? waitForHealthy(container, {
        client: options.client,
        signal: stopHealth.signal,
        waitTimeoutMs: Math.max(1, deadline - Date.now()),
        pollMs: options.maxPollMs ?? MAX_POLL_MS,
        logLines: options.logLines,
        ...(options.nerdctlProbes !== undefined ? { nerdctlProbes: options.nerdctlProbes } : {})
      }).then(
        s => {
          healthy = true
          met.push('health')
          status = s
        },
        (e: unknown) => {
          healthError = e
        }
      )
    : Promise.resolve()

  const fail = async (kind: 'Other' | 'Timeout' | 'Cancelled', why: string): Promise<never> => {
    stopHealth.abort()
    await health
    const logTextTail = await logTail(container, options.logLines ?? DEFAULT_LOG_LINES, call)
    const all = wantHealth
      ? [{ name: 'health', met: healthy, last: '', run: async () => undefined }, ...checks]
      : checks
    throw new NerdctlError(
      kind,
      `container ${status.name} is not ready: ${why}\n` +
        `State: ${status.status}, exit code ${status.exitCode}${status.error ? ` (${status.error})` : ''}\n` +
        `Checks after ${Date.now() - t0} ms:\n${describeChecks(all)}\n` +
        `Last log lines of ${status.name}:\n${logTextTail || '(no output)'}`,
      { containerStatus: status, logs: logTextTail }
    )
  }

  try {
    for (let round = 0; ; round++) {
      const roundStart = Date.now()
      if (options.signal?.aborted) return await fail('Cancelled', 'the wait was cancelled')
      // The state is read while the checks run, so a round takes the longer of
      // the two, not their sum; the checks use the address found before.
      const known = status
      const [fresh] = await Promise.all([
        round === 0 ? Promise.resolve(known) : inspect(container, call),
        Promise.all(
          checks
            .filter(c => !c.met)
            .map(async c => {
              const why = await c.run(known).catch((e: unknown) => errorMessage(e))
              if (why === undefined) {
                c.met = true
                met.push(c.name)
              } else c.last = why
            })
        )
      ])
      status = fresh
      if (healthError !== undefined) {
        // waitForHealthy's own message has the probes and logs; keep it whole.
        if (isNerdctlError(healthError)) throw healthError
        return await fail('Other', `health: ${errorMessage(healthError)}`)
      }
      if (!status.running && !status.restarting && status.state !== 'restarting')
        return await fail('Other', `it is ${status.status}, not running`)
      if (healthy && checks.every(c => c.met)) return { status, readyMs: Date.now() - t0, met }
      if (Date.now() >= deadline)
        return await fail(
          'Timeout',
          `not ready within ${timeoutMs} ms (waiting for ${readinessChecks(spec, wantHealth).join(', ')})`
        )
      // The pause counts from the round's start: checks never more than the schedule's gap apart.
      const pause = pollDelay(round, options.maxPollMs) - (Date.now() - roundStart)
      await sleep(Math.min(pause, deadline - Date.now()), options.signal)
    }
  } finally {
    stopHealth.abort()
    options.signal?.removeEventListener('abort', onAbort)
  }
}
