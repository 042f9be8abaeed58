// Pure: a container spec in, the exact `nerdctl run`/`create` argv out. Kept
// apart from Container so every option can be proven by a table test without
// running anything. Order is the order given (env, ports, labels), so the same
// spec always gives the same argv.
import { invalidValue, type NerdctlError } from '../base/errors.js'
import type { ContainerSpec, HealthCheck } from '../base/types.js'
import { durationMs, formatDuration, parseDuration } from './units.js'
import { checkContainerName, checkImageReference } from './validate.js'

const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/
// [IP:[HOST_PORT]:]CONTAINER_PORT or HOST_PORT:CONTAINER_PORT; ports may be
// ranges. "127.0.0.1::5432" (an IP, any free host port) is valid, as in nerdctl.
const PORT =
  /^(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\]):(?:\d{1,5}(?:-\d{1,5})?)?:|\d{1,5}(?:-\d{1,5})?:)?\d{1,5}(?:-\d{1,5})?(?:\/(?:tcp|udp|sctp))?$/i
const ENV_KEY = /^[^=\s]+$/

function invalid(field: keyof ContainerSpec, message: string): NerdctlError {
  return invalidValue(field, message)
}

/** Checks a spec before anything runs; says what is wrong and what is expected. */
export function validateSpec(spec: ContainerSpec): void {
  checkImageReference(spec.image)
  if (spec.name !== undefined) checkContainerName(spec.name)
  for (const p of spec.ports ?? []) {
    // Every number in it must be a port (1-65535 for hosts, container ports too).
    const numbers = p.replace(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):/i, '').match(/\d+/g) ?? []
    if (!PORT.test(p) || numbers.some(n => Number(n) < 1 || Number(n) > 65535)) {
      throw invalid(
        'ports',
        `port "${p}" is invalid: expected [IP:][HOST_PORT:]CONTAINER_PORT[/PROTO], e.g. "8080:80" or "127.0.0.1:8080:80/tcp"`
      )
    }
  }
  for (const v of spec.volumes ?? []) {
    if (!v || v.startsWith(':') || v.split(':').length > 3) {
      throw invalid(
        'volumes',
        `volume "${v}" is invalid: expected SOURCE:TARGET[:OPTIONS] or a container path, e.g. "/data:/var/lib/data:ro"`
      )
    }
  }
  for (const [k] of spec.env ?? []) {
    if (!ENV_KEY.test(k))
      throw invalid(
        'env',
        `environment variable name "${k}" is invalid: it must be non-empty, without "=" or spaces`
      )
  }
  for (const [k] of spec.labels ?? []) {
    if (!ENV_KEY.test(k))
      throw invalid(
        'labels',
        `label key "${k}" is invalid: it must be non-empty, without "=" or spaces`
      )
  }
  const aliases = spec.networkAliases ?? []
  if (
    aliases.length > 1 ||
    (aliases.length === 1 && spec.hostname !== undefined && spec.hostname !== aliases[0])
  ) {
    throw invalid(
      'networkAliases',
      `network aliases ${JSON.stringify(aliases)} cannot all be had: nerdctl has no --network-alias; ` +
        'other containers on the network reach this one by its name and by its hostname, so give at most one alias (it becomes the hostname)'
    )
  }
  for (const alias of aliases) {
    if (!/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(alias)) {
      throw invalid(
        'networkAliases',
        `network alias "${alias}" is not a valid host name: use letters, digits, "-" and "."`
      )
    }
  }
  if (spec.restartPolicy !== undefined && !RESTART.test(spec.restartPolicy)) {
    throw invalid(
      'restartPolicy',
      `restart policy "${spec.restartPolicy}" is invalid: expected no, always, unless-stopped, on-failure or on-failure:N`
    )
  }
  if (
    spec.cpuLimit !== undefined &&
    !(/^\d+(\.\d+)?$/.test(spec.cpuLimit) && Number(spec.cpuLimit) > 0)
  ) {
    throw invalid(
      'cpuLimit',
      `CPU limit "${spec.cpuLimit}" is invalid: expected a positive number of CPUs such as 0.5 or 2`
    )
  }
  if (spec.cpuShares !== undefined && !/^\d+$/.test(spec.cpuShares)) {
    throw invalid(
      'cpuShares',
      `CPU shares "${spec.cpuShares}" is invalid: expected a whole number such as 512 or 1024`
    )
  }
  for (const [field, what, value] of [
    ['memoryLimit', 'memory limit', spec.memoryLimit],
    ['memorySwapLimit', 'memory+swap limit', spec.memorySwapLimit]
  ] as const) {
    // nerdctl reads these with go-units RAMInBytes: 512m, 512MB, 1GiB, 1.5g, at
    // most one space before the unit. Only the swap limit may be -1 (unlimited).
    const unlimited = field === 'memorySwapLimit' && value === '-1'
    if (value !== undefined && !unlimited && !/^\d+(\.\d+)? ?([kmgtp]i?b?|b)?$/i.test(value)) {
      throw invalid(
        field,
        `${what} "${value}" is invalid: expected a number with an optional unit b, k, m or g, e.g. 512m or 1g` +
          (field === 'memorySwapLimit' ? ', or -1 for unlimited swap' : '')
      )
    }
  }
  if (spec.healthCheck) validateHealthCheck(spec.healthCheck)
  if (spec.autoRemove && spec.restartPolicy && spec.restartPolicy !== 'no') {
    throw invalid(
      'autoRemove',
      `autoRemove (--rm) cannot be combined with restart policy "${spec.restartPolicy}": choose one`
    )
  }
}

/** The argv of `nerdctl run` (or `create`) for a spec, after validating it. */
export function runArgs(spec: ContainerSpec, subcommand: 'run' | 'create' = 'run'): string[] {
  validateSpec(spec)
  const a: string[] = []
  // --snapshotter is a global flag of nerdctl, so it goes before the subcommand.
  if (spec.snapshotter) a.push('--snapshotter', spec.snapshotter)
  a.push(subcommand)
  if (subcommand === 'run' && spec.detach !== false) a.push('-d')
  if (spec.name) a.push('--name', spec.name)
  if (spec.pull) a.push('--pull', spec.pull)
  if (spec.autoRemove) a.push('--rm')
  for (const p of spec.ports ?? []) a.push('-p', p)
  for (const v of spec.volumes ?? []) a.push('-v', v)
  for (const [k, v] of spec.env ?? []) a.push('-e', `${k}=${v}`)
  for (const [k, v] of spec.labels ?? []) a.push('--label', `${k}=${v}`)
  if (spec.network) a.push('--network', spec.network)
  if (spec.cpuLimit) a.push('--cpus', spec.cpuLimit)
  if (spec.memoryLimit) a.push('--memory', spec.memoryLimit)
  if (spec.memorySwapLimit) a.push('--memory-swap', spec.memorySwapLimit)
  if (spec.cpuShares) a.push('--cpu-shares', spec.cpuShares)
  if (spec.restartPolicy) a.push('--restart', spec.restartPolicy)
  if (spec.healthCheck) a.push(...healthCheckArgs(spec.healthCheck))
  if (spec.workdir) a.push('--workdir', spec.workdir)
  if (spec.user) a.push('--user', spec.user)
  // nerdctl has no --network-alias; it lists each container's hostname in the
  // /etc/hosts of the others on its network, so one alias is the hostname.
  const hostname = spec.hostname ?? spec.networkAliases?.[0]
  if (hostname) a.push('--hostname', hostname)
  let command = [...(spec.command ?? [])]
  if (spec.entrypoint !== undefined) {
    // nerdctl's --entrypoint takes one executable; the rest of an array
    // entrypoint goes before the command, as Docker's exec form does.
    const ep = typeof spec.entrypoint === 'string' ? [spec.entrypoint] : [...spec.entrypoint]
    if (ep.length === 0 || !ep[0])
      throw invalid('entrypoint', 'entrypoint is empty: give the executable to run, e.g. "/bin/sh"')
    a.push('--entrypoint', ep[0] as string)
    command = [...ep.slice(1), ...command]
  }
  a.push(...(spec.extraArgs ?? []))
  a.push(spec.image, ...command)
  return a
}

function checkDuration(what: string, value: string | number | undefined): void {
  if (value === undefined) return
  const ok = typeof value === 'number' ? Number.isFinite(value) && value >= 0 : isDuration(value)
  if (!ok) {
    throw invalidValue(
      'healthCheck',
      `health check ${what} "${value}" is invalid: expected a Go duration such as 500ms, 30s or 1m30s`
    )
  }
}

function isDuration(text: string): boolean {
  try {
    parseDuration(text)
    return true
  } catch {
    return false
  }
}

/** Checks a health check; says what is wrong and what is expected. */
export function validateHealthCheck(hc: HealthCheck): void {
  if (!hc.cmd.trim()) {
    throw invalidValue(
      'healthCheck',
      'health check command is empty: give a shell command such as "wget -q -O- http://localhost/ || exit 1"'
    )
  }
  checkDuration('interval', hc.interval)
  checkDuration('timeout', hc.timeout)
  checkDuration('start period', hc.startPeriod)
  if (hc.retries !== undefined && (!Number.isInteger(hc.retries) || hc.retries < 1)) {
    throw invalidValue(
      'healthCheck',
      `health check retries "${hc.retries}" is invalid: expected a whole number of at least 1`
    )
  }
}

/** The `nerdctl run` flags of a health check, after validating it. */
export function healthCheckArgs(hc: HealthCheck): string[] {
  validateHealthCheck(hc)
  const a = ['--health-cmd', hc.cmd]
  // Normalised ("1m30s") so nerdctl's Go parser reads exactly what we validated.
  if (hc.interval !== undefined && hc.interval !== '')
    a.push('--health-interval', formatDuration(durationMs(hc.interval)))
  if (hc.timeout !== undefined && hc.timeout !== '')
    a.push('--health-timeout', formatDuration(durationMs(hc.timeout)))
  if (hc.retries !== undefined) a.push('--health-retries', String(hc.retries))
  if (hc.startPeriod !== undefined && hc.startPeriod !== '')
    a.push('--health-start-period', formatDuration(durationMs(hc.startPeriod)))
  return a
}
