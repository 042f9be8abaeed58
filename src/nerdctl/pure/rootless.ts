// What differs when nerdctl runs rootless (a user's own containerd inside
// rootlesskit, no root, no sudo), as rules over a container's spec and the
// host's facts: which requests cannot work there, each with the reason and the
// fix, so they are refused before anything runs instead of failing half-way
// (or, for resource limits, being dropped with a warning). Pure: the facts come
// from ops/rootless.ts.
import type { ContainerSpec, ReadinessSpec } from '../base/types.js'

/** What the host says about rootless containers; read by ops/rootless.ts. */
export interface RootlessHostFacts {
  /** /sys/fs/cgroup is cgroup v2 (unified). */
  cgroupV2: boolean
  /** systemd is the init system (`/run/systemd/system`). */
  systemd: boolean
  /** The cgroup manager set for nerdctl (the client's option, else nerdctl.toml); undefined: nerdctl's default. */
  cgroupManager: string | undefined
  /** net.ipv4.ip_unprivileged_port_start: the lowest port a user may bind. */
  unprivilegedPortStart: number
}

/**
 * The cgroup manager rootless nerdctl uses: as nerdctl's defaults
 * (pkg/defaults/cgroup_linux.go) decide, "systemd" on cgroup v2 with systemd,
 * "none" otherwise, unless one is set.
 */
export function rootlessCgroupManager(facts: RootlessHostFacts): string {
  if (facts.cgroupManager) return facts.cgroupManager
  return facts.cgroupV2 && facts.systemd ? 'systemd' : 'none'
}

/** Whether resource limits take effect for rootless containers on this host. */
export function rootlessLimitsApply(facts: RootlessHostFacts): boolean {
  return rootlessCgroupManager(facts) !== 'none'
}

/** nerdctl run flags that ask for a cgroup limit (or a cgroup); long names, and the short -m and -c. */
const LIMIT_FLAGS = new Set([
  'cpus',
  'cpu-quota',
  'cpu-period',
  'cpu-shares',
  'cpuset-cpus',
  'cpuset-mems',
  'cpu-rt-period',
  'cpu-rt-runtime',
  'memory',
  'memory-reservation',
  'memory-swap',
  'memory-swappiness',
  'kernel-memory',
  'oom-kill-disable',
  'pids-limit',
  'blkio-weight',
  'blkio-weight-device',
  'device-read-bps',
  'device-write-bps',
  'device-read-iops',
  'device-write-iops',
  'cgroup-parent'
])
const SHORT_LIMIT_FLAGS = new Set(['m', 'c'])

/** The limit flags among extra nerdctl flags, as the user wrote them (`--memory`, `-m`). */
export function limitFlagsIn(extraArgs: readonly string[]): string[] {
  const out: string[] = []
  for (const arg of extraArgs) {
    if (arg === '--') break
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0] ?? ''
      if (LIMIT_FLAGS.has(name)) out.push(`--${name}`)
    } else if (arg.startsWith('-') && arg.length >= 2 && SHORT_LIMIT_FLAGS.has(arg[1] as string)) {
      out.push(arg.slice(0, 2))
    }
  }
  return out
}

/** The limits a spec asks for: its fields by option name, then the flags among its extra args. */
export function limitsOf(spec: ContainerSpec): string[] {
  const fields: [string, string | undefined][] = [
    ['cpuLimit', spec.cpuLimit],
    ['memoryLimit', spec.memoryLimit],
    ['memorySwapLimit', spec.memorySwapLimit],
    ['cpuShares', spec.cpuShares]
  ]
  return [
    ...fields.filter(([, v]) => v !== undefined && v !== '').map(([k]) => k),
    ...limitFlagsIn(spec.extraArgs ?? [])
  ]
}

/** One `-p` value: the lowest host port it binds (0: nerdctl picks one) and the container port. */
export interface PublishedPort {
  hostPort: number
  containerPort: number
  protocol: string
}

/**
 * Reads `[ip:][hostPort[-end]:]containerPort[-end][/proto]`, as nerdctl's
 * `-p` takes it (an IPv6 address in brackets); undefined when it is not one.
 */
export function parsePublish(value: string): PublishedPort | undefined {
  const [body = '', protocol = 'tcp', ...more] = value.split('/')
  if (more.length > 0) return undefined
  let rest = body
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']:')
    if (end < 0) return undefined
    rest = rest.slice(end + 2)
  }
  const parts = rest.split(':')
  if (parts.length > 3) return undefined
  const container = parts[parts.length - 1] ?? ''
  const host = parts.length >= 2 ? (parts[parts.length - 2] ?? '') : ''
  if (!/^\d+(-\d+)?$/.test(container) || !/^(\d+(-\d+)?)?$/.test(host)) return undefined
  return {
    hostPort: Number.parseInt(host || '0', 10),
    containerPort: Number.parseInt(container, 10),
    protocol
  }
}

/**
 * A `-p` value that leaves the host port to nerdctl (`80`, `127.0.0.1::80`),
 * with `hostPort` filled in; undefined for any other (a host port given, a
 * range, not a `-p` value). Rootless nerdctl cannot pick a host port itself.
 */
export function withHostPort(value: string, hostPort: number): string | undefined {
  const parsed = parsePublish(value)
  const [body = '', protocol] = value.split('/')
  if (!parsed || parsed.hostPort !== 0 || body.includes('-')) return undefined
  const suffix = protocol === undefined ? '' : `/${protocol}`
  const cut = body.lastIndexOf(':')
  // `80` -> `PORT:80`; `IP::80` -> `IP:PORT:80`.
  if (cut < 0) return `${hostPort}:${body}${suffix}`
  const before = body.slice(0, cut)
  const ip = before.endsWith(':') ? before.slice(0, -1) : before
  return `${ip ? `${ip}:` : ''}${hostPort}:${body.slice(cut + 1)}${suffix}`
}

/** The host address a `-p` value binds (`127.0.0.1`, `::1`), '' for every address. */
export function publishHost(value: string): string {
  const body = value.split('/')[0] ?? ''
  if (body.startsWith('[')) return body.slice(1, body.indexOf(']'))
  const parts = body.split(':')
  return parts.length === 3 ? (parts[0] ?? '') : ''
}

/** The container TCP ports a spec publishes on the host. */
export function publishedPortsOf(spec: Pick<ContainerSpec, 'ports'>): number[] {
  return (spec.ports ?? [])
    .map(parsePublish)
    .filter((p): p is PublishedPort => p !== undefined && p.protocol === 'tcp')
    .map(p => p.containerPort)
}

/** A request rootless nerdctl cannot carry out here, with why and the fix. */
export interface RootlessProblem {
  /** What it is about: `limits`, `ports`, `readiness`. */
  topic: 'limits' | 'ports' | 'readiness'
  message: string
}

/** Why `nerdctl` is rootless, for the start of every message. */
const ROOTLESS =
  'nerdctl runs rootless here (the runner user is not root and has its own containerd)'

/** The limits problem, or undefined. */
function limitsProblem(spec: ContainerSpec, facts: RootlessHostFacts): RootlessProblem | undefined {
  const limits = limitsOf(spec)
  if (limits.length === 0 || rootlessLimitsApply(facts)) return undefined
  const host = facts.cgroupV2 ? 'cgroup v2 without systemd' : 'cgroup v1'
  return {
    topic: 'limits',
    message:
      `${limits.join(', ')}: ${ROOTLESS} and this host has ${host}, so nerdctl's cgroup manager is "none" ` +
      'and it would drop every resource limit with a warning. Remove the limits, or run on a cgroup v2 host ' +
      'with systemd that delegates the cpu, memory and pids controllers to the user (https://rootlesscontaine.rs/getting-started/common/cgroup2/).'
  }
}

/** The published ports below the host's unprivileged start, as problems. */
function portProblems(spec: ContainerSpec, facts: RootlessHostFacts): RootlessProblem[] {
  const start = facts.unprivilegedPortStart
  return (spec.ports ?? [])
    .filter(p => {
      const port = parsePublish(p)
      return port !== undefined && port.hostPort > 0 && port.hostPort < start
    })
    .map(p => ({
      topic: 'ports' as const,
      message:
        `${p}: ${ROOTLESS}, and binding host port ${parsePublish(p)?.hostPort} needs ` +
        `net.ipv4.ip_unprivileged_port_start at most that port (it is ${start}). Publish a host port of ${start} or more ` +
        '(e.g. 8080:80), or have the administrator lower net.ipv4.ip_unprivileged_port_start (sysctl).'
    }))
}

/**
 * The ports a readiness wait needs reached from the runner that the spec does
 * not publish: rootless containers' own addresses live in rootlesskit's
 * network namespace, which the runner cannot reach.
 */
function readinessProblems(spec: ContainerSpec, readiness: ReadinessSpec): RootlessProblem[] {
  const published = new Set(publishedPortsOf(spec))
  const needed = [...(readiness.ports ?? []), ...(readiness.http ? [readiness.http.port] : [])]
  return [...new Set(needed)]
    .filter(p => !published.has(p))
    .map(p => ({
      topic: 'readiness' as const,
      message:
        `port ${p} is checked from the runner but not published: ${ROOTLESS}, and its containers' addresses ` +
        `are inside rootlesskit's network namespace, which the runner cannot reach. Publish it (e.g. 127.0.0.1::${p}) ` +
        'or check it with exec from inside the container.'
    }))
}

/** Everything in a container's spec (and its readiness wait) that cannot work rootless here. */
export function rootlessProblems(
  spec: ContainerSpec,
  readiness: ReadinessSpec | undefined,
  facts: RootlessHostFacts
): RootlessProblem[] {
  const limits = limitsProblem(spec, facts)
  return [
    ...(limits ? [limits] : []),
    ...portProblems(spec, facts),
    ...(readiness ? readinessProblems(spec, readiness) : [])
  ]
}

/** Why `nerdctl stats` cannot sample rootless containers here, or undefined when it can. */
export function rootlessStatsProblem(facts: RootlessHostFacts): string | undefined {
  if (facts.cgroupV2) return undefined
  return (
    `${ROOTLESS} and this host has cgroup v1: nerdctl reads rootless containers' resource use from cgroup v2 only ` +
    '("stats requires cgroup v2 for rootless containers"). Leave stats off, or run on a cgroup v2 host.'
  )
}
