// `nerdctl inspect` of a container, as a ContainerStatus.
import type { ContainerStatus, HealthCheck, HealthState, PortBinding } from '../base/types.js'
import { arr, bool, isObject, jsonError, num, obj, parseJsonArray, str } from './json.js'
import type { JsonObject } from './json.js'
import { formatDuration } from './units.js'

function labelsOf(config: JsonObject | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  const labels = obj(config, 'Labels')
  for (const [k, v] of Object.entries(labels ?? {})) if (typeof v === 'string') out[k] = v
  return out
}

// nerdctl keeps the health check in a label, durations in nanoseconds; the
// Docker-compatible Config.Healthcheck stays null.
function healthCheckOf(labels: Record<string, string>): HealthCheck | undefined {
  const raw = labels['nerdctl/healthcheck']
  if (!raw) return undefined
  let hc: unknown
  try {
    hc = JSON.parse(raw)
  } catch (e: unknown) {
    throw jsonError('the health check label', raw, e)
  }
  if (!isObject(hc)) return undefined
  const test = arr(hc, 'Test').filter((t): t is string => typeof t === 'string')
  if (test.length === 0 || test[0] === 'NONE') return undefined
  const cmd =
    test[0] === 'CMD-SHELL'
      ? test.slice(1).join(' ')
      : test.slice(test[0] === 'CMD' ? 1 : 0).join(' ')
  // Go duration text, as users write it: nerdctl keeps nanoseconds.
  const ns = (key: string): string | undefined => {
    const v = num(hc, key)
    return v ? formatDuration(v / 1e6) : undefined
  }
  return {
    cmd,
    interval: ns('Interval'),
    timeout: ns('Timeout'),
    retries: num(hc, 'Retries'),
    startPeriod: ns('StartPeriod')
  }
}

/** One container of `nerdctl inspect` output as a ContainerStatus. */
export function toContainerStatus(c: JsonObject): ContainerStatus {
  const state = obj(c, 'State')
  const config = obj(c, 'Config')
  const labels = labelsOf(config)
  const healthJson = obj(state, 'Health')
  const health: HealthState | undefined = healthJson && {
    status: str(healthJson, 'Status'),
    failingStreak: num(healthJson, 'FailingStreak') ?? 0,
    log: arr(healthJson, 'Log')
      .filter(isObject)
      .map(p => ({
        start: str(p, 'Start'),
        end: str(p, 'End'),
        exitCode: num(p, 'ExitCode') ?? -1,
        output: str(p, 'Output')
      }))
  }
  const healthCheck = healthCheckOf(labels)
  // A container created but never started has an empty status.
  const stateName = str(state, 'Status') || 'created'
  const exitCode = num(state, 'ExitCode') ?? 0
  const healthStatus = health?.status || (healthCheck ? 'starting' : 'none')
  const ports: PortBinding[] = []
  for (const [containerPort, bindings] of Object.entries(
    obj(obj(c, 'NetworkSettings'), 'Ports') ?? {}
  )) {
    for (const b of Array.isArray(bindings) ? bindings : []) {
      if (isObject(b))
        ports.push({ containerPort, hostIp: str(b, 'HostIp'), hostPort: str(b, 'HostPort') })
    }
  }
  let status = stateName === 'exited' ? `exited (${exitCode})` : stateName
  if (healthStatus !== 'none' && stateName === 'running') status += ` (${healthStatus})`
  return {
    id: str(c, 'Id'),
    name: str(c, 'Name').replace(/^\//, ''),
    image: str(c, 'Image'),
    state: stateName,
    status,
    running: bool(state, 'Running'),
    paused: bool(state, 'Paused'),
    restarting: bool(state, 'Restarting'),
    exitCode,
    pid: num(state, 'Pid') ?? 0,
    error: str(state, 'Error'),
    created: str(c, 'Created'),
    started: str(state, 'StartedAt'),
    finished: str(state, 'FinishedAt'),
    restartCount: num(c, 'RestartCount') ?? 0,
    healthStatus,
    health,
    healthCheck,
    labels,
    ports,
    ipAddress: str(obj(c, 'NetworkSettings'), 'IPAddress')
  }
}

/** `nerdctl inspect` of one container. */
export function parseContainerInspect(text: string): ContainerStatus {
  const [first] = parseJsonArray(text, 'container inspect output')
  if (!first) throw jsonError('container inspect output', text)
  return toContainerStatus(first)
}
