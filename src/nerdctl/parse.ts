// Pure parsers of what nerdctl prints: its JSON (inspect arrays, and one JSON
// object per line from `--format '{{json .}}'`), human sizes and Go durations.
// Nothing here runs a command; every function is driven in the unit tests by
// output recorded from the real binary. Tables are never parsed.
import { NerdctlError } from './errors.js'
import type { HealthCheck, HealthProbe } from './health.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

function jsonError(what: string, text: string, cause?: unknown): NerdctlError {
  return new NerdctlError(
    'JsonParseError',
    `could not read ${what} from nerdctl's output: ${snippet(text)}`,
    {
      text,
      cause
    }
  )
}

function snippet(text: string): string {
  const t = text.trim()
  return t.length > 300 ? `${t.slice(0, 300)}…` : t || '(empty output)'
}

/** Parses `nerdctl inspect` output: a JSON array of objects. */
export function parseJsonArray(text: string, what = 'inspect output'): JsonObject[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e: unknown) {
    throw jsonError(what, text, e)
  }
  if (!Array.isArray(value) || !value.every(isObject)) throw jsonError(what, text)
  return value
}

/** Parses `--format '{{json .}}'` output: one JSON object per non-empty line. */
export function parseJsonLines(text: string, what = 'JSON lines'): JsonObject[] {
  const out: JsonObject[] = []
  for (const line of text.split('\n')) {
    const l = line.trim()
    if (!l) continue
    let value: unknown
    try {
      value = JSON.parse(l)
    } catch (e: unknown) {
      throw jsonError(what, l, e)
    }
    if (!isObject(value)) throw jsonError(what, l)
    out.push(value)
  }
  return out
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

// ---- typed field access: nerdctl's JSON is read through these, so a field of an
// unexpected type becomes a clear error or a default instead of `undefined` flowing on.
export function str(o: JsonObject | undefined, key: string): string {
  const v = o?.[key]
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''
}

export function num(o: JsonObject | undefined, key: string): number | undefined {
  const v = o?.[key]
  return typeof v === 'number' ? v : undefined
}

export function bool(o: JsonObject | undefined, key: string): boolean {
  return o?.[key] === true
}

export function obj(o: JsonObject | undefined, key: string): JsonObject | undefined {
  const v = o?.[key]
  return isObject(v) ? v : undefined
}

export function arr(o: JsonObject | undefined, key: string): Json[] {
  const v = o?.[key]
  return Array.isArray(v) ? v : []
}

// ---- sizes -------------------------------------------------------------------------
const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  eb: 1e18,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  pib: 1024 ** 5,
  // `stats` shows an unlimited container's memory limit as 8EiB.
  eib: 1024 ** 6
}

/**
 * Human sizes as nerdctl prints them to bytes: decimal units ("12kB", "1.5 MB",
 * from go-units HumanSize, used by `images`) and binary units ("1.5MiB", from
 * BytesSize, used by `stats`). A bare number is bytes.
 */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i.exec(text)
  const unit = m ? SIZE_UNITS[(m[2] ?? '').toLowerCase() || 'b'] : undefined
  if (!m || unit === undefined) {
    throw new NerdctlError(
      'ConversionError',
      `"${text}" is not a size: expected a number with a unit such as 512B, 12kB, 1.5MiB or 2GB`,
      { text }
    )
  }
  return Math.round(Number(m[1]) * unit)
}

/** "used / limit" pairs of `stats` ("1.2MiB / 3.9GiB", "0B / 0B") to bytes. */
export function parseSizePair(text: string): [number, number] {
  const parts = text.split('/')
  if (parts.length !== 2) {
    throw new NerdctlError(
      'ConversionError',
      `"${text}" is not a pair of sizes like "1.2MiB / 3.9GiB"`,
      {
        text
      }
    )
  }
  return [parseSize(parts[0] as string), parseSize(parts[1] as string)]
}

/** "12.34%" to 12.34; "--" (no data yet) to 0. */
export function parsePercent(text: string): number {
  const t = text.trim()
  if (t === '--' || t === '') return 0
  const m = /^(-?\d+(?:\.\d+)?)\s*%$/.exec(t)
  if (!m) {
    throw new NerdctlError('ConversionError', `"${text}" is not a percentage like "12.5%"`, {
      text
    })
  }
  return Number(m[1])
}

// ---- durations ---------------------------------------------------------------------
const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000
}

/** Go durations ("1m30s", "500ms", "1.5h", "0") to milliseconds. */
export function parseDuration(text: string): number {
  const t = text.trim()
  if (t === '0') return 0
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/gy
  let total = 0
  let matched = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(t)) !== null) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number)
    matched = re.lastIndex
  }
  if (t === '' || matched !== t.length) {
    throw new NerdctlError(
      'ConversionError',
      `"${text}" is not a duration: expected a Go duration such as 500ms, 30s, 1m30s or 2h`,
      { text }
    )
  }
  return total
}

/** A Duration (Go duration text, or milliseconds) in milliseconds. */
export function durationMs(d: string | number): number {
  return typeof d === 'number' ? d : parseDuration(d)
}

/** Milliseconds back to a Go duration nerdctl accepts ("90000" -> "1m30s"). */
export function formatDuration(ms: number): string {
  // Whole nanoseconds, Go's resolution, so "250us" survives the round trip.
  let rest = Math.round(ms * 1e6)
  if (rest <= 0) return '0s'
  const units: [string, number][] = [
    ['h', 3_600e9],
    ['m', 60e9],
    ['s', 1e9],
    ['ms', 1e6],
    ['us', 1e3],
    ['ns', 1]
  ]
  let out = ''
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size)
    if (n > 0) out += `${n}${unit}`
    rest -= n * size
  }
  return out
}

// ---- typed results -------------------------------------------------------------------

export interface HealthState {
  /** `starting`, `healthy` or `unhealthy`. */
  status: string
  failingStreak: number
  /** The last probes nerdctl kept (up to five), oldest first. */
  log: HealthProbe[]
}

export interface PortBinding {
  containerPort: string
  hostIp: string
  hostPort: string
}

export interface ContainerStatus {
  id: string
  name: string
  image: string
  /** created, running, paused, restarting, exited, dead. */
  state: string
  /** A line for people: "running", "exited (3)", "running (healthy)". */
  status: string
  running: boolean
  paused: boolean
  restarting: boolean
  exitCode: number
  pid: number
  error: string
  created: string
  started: string
  finished: string
  restartCount: number
  /** none (no check), starting, healthy or unhealthy. */
  healthStatus: string
  health: HealthState | undefined
  /** The health check the container was created with, if any. */
  healthCheck: HealthCheck | undefined
  labels: Record<string, string>
  ports: PortBinding[]
  ipAddress: string
}

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

export interface ResourceUsage {
  id: string
  name: string
  /** As nerdctl printed them. */
  cpuUsage: string
  memoryUsage: string
  memoryLimit: string
  memoryPercentage: string
  networkInput: string
  networkOutput: string
  blockInput: string
  blockOutput: string
  pids: string
  /** Parsed. */
  cpuPercent: number
  memoryUsageBytes: number
  memoryLimitBytes: number
  memoryPercent: number
  networkInputBytes: number
  networkOutputBytes: number
  blockInputBytes: number
  blockOutputBytes: number
  pidCount: number
}

/** One line of `nerdctl stats --no-stream --format '{{json .}}'`. */
export function toResourceUsage(s: JsonObject): ResourceUsage {
  const split = (key: string): [string, string] => {
    const [a = '', b = ''] = str(s, key)
      .split('/')
      .map(x => x.trim())
    return [a, b]
  }
  const [memUsed, memLimit] = split('MemUsage')
  const [netIn, netOut] = split('NetIO')
  const [blockIn, blockOut] = split('BlockIO')
  const pids = str(s, 'PIDs')
  const size = (t: string): number => (t === '' || t === '--' ? 0 : parseSize(t))
  return {
    id: str(s, 'ID'),
    name: str(s, 'Name'),
    cpuUsage: str(s, 'CPUPerc'),
    memoryUsage: memUsed,
    memoryLimit: memLimit,
    memoryPercentage: str(s, 'MemPerc'),
    networkInput: netIn,
    networkOutput: netOut,
    blockInput: blockIn,
    blockOutput: blockOut,
    pids,
    cpuPercent: parsePercent(str(s, 'CPUPerc')),
    memoryUsageBytes: size(memUsed),
    memoryLimitBytes: size(memLimit),
    memoryPercent: parsePercent(str(s, 'MemPerc')),
    networkInputBytes: size(netIn),
    networkOutputBytes: size(netOut),
    blockInputBytes: size(blockIn),
    blockOutputBytes: size(blockOut),
    pidCount: /^\d+$/.test(pids) ? Number(pids) : 0
  }
}

export interface Image {
  id: string
  repository: string
  tag: string
  /** repository:tag, or the ID for an untagged image. */
  name: string
  digest: string
  size: string
  sizeBytes: number
  blobSize: string
  created: string
  platform: string
}

/** One line of `nerdctl images --format '{{json .}}'`. */
export function toImage(i: JsonObject): Image {
  const size = str(i, 'Size')
  return {
    id: str(i, 'ID'),
    repository: str(i, 'Repository'),
    tag: str(i, 'Tag'),
    name: str(i, 'Name'),
    digest: str(i, 'Digest'),
    size,
    sizeBytes: size ? parseSize(size) : 0,
    blobSize: str(i, 'BlobSize'),
    created: str(i, 'CreatedAt'),
    platform: str(i, 'Platform')
  }
}

export interface ContainerSummary {
  id: string
  name: string
  image: string
  command: string
  created: string
  /** "Up", "Up (healthy)", "Exited (3) 2 seconds ago", "Created". */
  status: string
  ports: string
  platform: string
}

/** One line of `nerdctl ps --format '{{json .}}'`. */
export function toContainerSummary(c: JsonObject): ContainerSummary {
  return {
    id: str(c, 'ID'),
    name: str(c, 'Names'),
    image: str(c, 'Image'),
    command: str(c, 'Command'),
    created: str(c, 'CreatedAt'),
    status: str(c, 'Status'),
    ports: str(c, 'Ports'),
    platform: str(c, 'Platform')
  }
}
