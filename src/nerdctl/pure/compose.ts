// Compose environments, without I/O: the typed model of what `nerdctl compose
// config` prints (compose-go's merged, interpolated and normalised model, so
// merging, profiles, env files and `${VAR}` are the reference
// implementation's, not ours), checked key by key, and the environment it
// stands for: the same EnvironmentSpec the services input starts, so every
// Compose service is started and waited for by the same code.
//
// What this refuses, by name, instead of dropping: every service key this
// does not carry over (nerdctl's own `compose up` drops many with a warning),
// `container_name` (a fixed name defeats per-job projects: two jobs would
// collide), network aliases and IP addresses (nerdctl has none), external
// networks, secrets and configs.
import { invalidValue } from '../base/errors.js'
import { showValue } from '../base/text.js'
import type {
  DependencyCondition,
  EnvironmentSpec,
  HealthCheck,
  ServiceSpec
} from '../base/types.js'
import { checkImageReference, checkServiceKey } from './validate.js'

/** The label keys Docker Compose puts on what it makes, so users' tools recognise ours. */
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project'
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service'
export const COMPOSE_NETWORK_LABEL = 'com.docker.compose.network'
export const COMPOSE_VOLUME_LABEL = 'com.docker.compose.volume'

/** A Compose project name as compose-go accepts it (lower case, so it is also a network name prefix). */
const PROJECT = /^[a-z0-9][a-z0-9_-]{1,62}$/
const PROFILE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

export function checkComposeProject(value: string): void {
  if (!PROJECT.test(value))
    throw invalidValue(
      'project',
      `Compose project name ${showValue(value)} is invalid: use 2 to 63 lower-case letters, digits, "-" and "_", starting with a letter or digit`
    )
}

export function checkComposeProfile(value: string): void {
  if (!PROFILE.test(value))
    throw invalidValue(
      'profiles',
      `Compose profile ${showValue(value)} is invalid: use letters, digits, "_", "." and "-", starting with a letter or digit`
    )
}

export interface ComposePort {
  hostIp?: string | undefined
  /** A fixed host port (or range) as written; undefined lets nerdctl pick a free one. */
  published?: string | undefined
  target: number
  protocol: string
}

export interface ComposeMount {
  type: 'volume' | 'bind'
  /** A volume's key in the file, or a bind's absolute host path; undefined for an anonymous volume. */
  source?: string | undefined
  target: string
  readOnly: boolean
}

export interface ComposeDependency {
  key: string
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully'
  required: boolean
}

export interface ComposeBuild {
  context: string
  dockerfile?: string | undefined
  args: [string, string][]
  target?: string | undefined
}

export interface ComposeService {
  key: string
  image?: string | undefined
  build?: ComposeBuild | undefined
  command?: string[] | undefined
  entrypoint?: string[] | undefined
  /** Variables with a value; a name given without one and unset where nerdctl ran is left out, as Compose does. */
  environment: [string, string][]
  ports: ComposePort[]
  volumes: ComposeMount[]
  tmpfs: string[]
  /** Keys of the file's networks, in the order written. */
  networks: string[]
  dependsOn: ComposeDependency[]
  /** undefined: none (none given, `disable: true` or `NONE`). */
  healthCheck?: HealthCheck | undefined
  restart?: string | undefined
  labels: [string, string][]
  workdir?: string | undefined
  user?: string | undefined
  pullPolicy?: string | undefined
}

export interface ComposeResource {
  /** The name it gets: `<project>_<key>` unless the file names it. */
  name: string
  external: boolean
  labels: [string, string][]
}

export interface ComposeModel {
  name: string
  services: Record<string, ComposeService>
  networks: Record<string, ComposeResource>
  volumes: Record<string, ComposeResource>
}

type Doc = Record<string, unknown>
const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A refusal naming the file, the service and the key, as every Compose message does. */
function refuse(where: string, key: string, why: string): Error {
  return invalidValue('composeFile', `${where}: key "${key}": ${why}`)
}

const SERVICE_KEYS = new Set([
  'image',
  'build',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'ports',
  'expose',
  'volumes',
  'tmpfs',
  'networks',
  'depends_on',
  'healthcheck',
  'restart',
  'labels',
  'working_dir',
  'user',
  'profiles',
  'pull_policy'
])

/** Why a service key is refused, where a reason helps more than "not supported". */
const REFUSED_BECAUSE: Record<string, string> = {
  container_name:
    'a fixed container name defeats per-job projects (two jobs with this file would collide on it); remove it: other services reach this one by its service name',
  hostname: 'the service name is the host name the others reach it by; remove it',
  deploy: 'replicas and resources of deploy are not supported; remove it',
  secrets:
    'secrets are not supported; pass the value through environment (it never reaches a command line)',
  configs: 'configs are not supported; mount a file with volumes instead',
  extends: 'extends should have been resolved by compose config'
}

const TOP_KEYS = new Set(['name', 'services', 'networks', 'volumes'])

function str(v: unknown, where: string, key: string): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  throw refuse(where, key, `expected a string, got ${JSON.stringify(v)}`)
}

function strings(v: unknown, where: string, key: string): string[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) throw refuse(where, key, 'expected a list')
  return v.map(x => str(x, where, key))
}

function pairs(v: unknown, where: string, key: string): [string, string][] {
  if (v === undefined || v === null) return []
  if (!isDoc(v)) throw refuse(where, key, 'expected a mapping')
  return Object.entries(v)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([k, value]) => [k, str(value, where, `${key}.${k}`)])
}

function onlyKeys(v: Doc, allowed: readonly string[], where: string, key: string): void {
  for (const [k, value] of Object.entries(v)) {
    if (allowed.includes(k)) continue
    // compose config prints empty option blocks (`bind: {}`, `volume: {}`).
    if (isDoc(value) && Object.keys(value).length === 0) continue
    throw refuse(where, `${key}.${k}`, 'not supported by this action; remove it')
  }
}

/** A shell word that /bin/sh reads back as exactly `w`. */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`
}

function healthOf(v: unknown, where: string): HealthCheck | undefined {
  if (v === undefined || v === null) return undefined
  if (!isDoc(v)) throw refuse(where, 'healthcheck', 'expected a mapping')
  // start_interval only asks for quicker probes while starting: the readiness
  // loop probes on its own short schedule anyway.
  onlyKeys(
    v,
    ['test', 'interval', 'timeout', 'retries', 'start_period', 'start_interval', 'disable'],
    where,
    'healthcheck'
  )
  if (v.disable === true) return undefined
  const test = strings(v.test, where, 'healthcheck.test')
  const [kind, ...rest] = test
  let cmd: string
  if (kind === 'NONE' || test.length === 0) return undefined
  if (kind === 'CMD-SHELL') cmd = rest.join(' ')
  else if (kind === 'CMD') cmd = rest.map(shellWord).join(' ')
  else
    throw refuse(
      where,
      'healthcheck.test',
      `expected CMD, CMD-SHELL or NONE first, got ${showValue(kind ?? '')}`
    )
  const hc: HealthCheck = { cmd }
  if (v.interval !== undefined) hc.interval = str(v.interval, where, 'healthcheck.interval')
  if (v.timeout !== undefined) hc.timeout = str(v.timeout, where, 'healthcheck.timeout')
  if (v.start_period !== undefined)
    hc.startPeriod = str(v.start_period, where, 'healthcheck.start_period')
  if (v.retries !== undefined) hc.retries = Number(v.retries)
  return hc
}

function portsOf(v: unknown, where: string): ComposePort[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) throw refuse(where, 'ports', 'expected a list')
  return v.map((p: unknown) => {
    if (!isDoc(p)) throw refuse(where, 'ports', `expected a mapping, got ${JSON.stringify(p)}`)
    onlyKeys(
      p,
      ['mode', 'target', 'published', 'host_ip', 'protocol', 'name', 'app_protocol'],
      where,
      'ports'
    )
    if (p.mode !== undefined && p.mode !== 'ingress' && p.mode !== 'host')
      throw refuse(where, 'ports.mode', `mode ${JSON.stringify(p.mode)} is not supported`)
    const target = Number(p.target)
    if (!Number.isInteger(target) || target < 1 || target > 65535)
      throw refuse(where, 'ports.target', `container port ${JSON.stringify(p.target)} is invalid`)
    const published =
      p.published === undefined || p.published === null || p.published === ''
        ? undefined
        : str(p.published, where, 'ports.published')
    if (published !== undefined && !/^\d{1,5}(-\d{1,5})?$/.test(published))
      throw refuse(where, 'ports.published', `host port ${showValue(published)} is invalid`)
    const protocol = p.protocol === undefined ? 'tcp' : str(p.protocol, where, 'ports.protocol')
    if (!['tcp', 'udp', 'sctp'].includes(protocol))
      throw refuse(where, 'ports.protocol', `protocol ${showValue(protocol)} is invalid`)
    const hostIp = p.host_ip === undefined ? undefined : str(p.host_ip, where, 'ports.host_ip')
    return { hostIp, published, target, protocol }
  })
}

function mountsOf(v: unknown, where: string): ComposeMount[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) throw refuse(where, 'volumes', 'expected a list')
  return v.map((m: unknown) => {
    if (!isDoc(m)) throw refuse(where, 'volumes', `expected a mapping, got ${JSON.stringify(m)}`)
    onlyKeys(m, ['type', 'source', 'target', 'read_only'], where, 'volumes')
    const type = str(m.type, where, 'volumes.type')
    if (type !== 'volume' && type !== 'bind')
      throw refuse(
        where,
        'volumes.type',
        `mount type ${showValue(type)} is not supported (volume and bind are)`
      )
    const target = str(m.target, where, 'volumes.target')
    if (!target.startsWith('/') || target.includes(':'))
      throw refuse(
        where,
        'volumes.target',
        `container path ${showValue(target)} must be absolute, without ":"`
      )
    const source = m.source === undefined ? undefined : str(m.source, where, 'volumes.source')
    if (source?.includes(':'))
      throw refuse(where, 'volumes.source', `source ${showValue(source)} must not contain ":"`)
    if (type === 'bind' && !source?.startsWith('/'))
      throw refuse(where, 'volumes.source', `bind source ${showValue(source ?? '')} must be a path`)
    return { type, source, target, readOnly: m.read_only === true }
  })
}

function dependsOnOf(v: unknown, where: string): ComposeDependency[] {
  if (v === undefined || v === null) return []
  if (!isDoc(v)) throw refuse(where, 'depends_on', 'expected a mapping')
  return Object.entries(v).map(([key, d]) => {
    const at = `depends_on.${key}`
    if (!isDoc(d)) throw refuse(where, at, 'expected a mapping')
    // restart: true asks Compose to restart this service when the dependency
    // is restarted by a later Compose command; a step brings it up once.
    onlyKeys(d, ['condition', 'required', 'restart'], where, at)
    const condition = d.condition ?? 'service_started'
    if (
      condition !== 'service_started' &&
      condition !== 'service_healthy' &&
      condition !== 'service_completed_successfully'
    )
      throw refuse(
        where,
        `${at}.condition`,
        `condition ${JSON.stringify(condition)} is unknown: use service_started, service_healthy or service_completed_successfully`
      )
    return { key, condition, required: d.required !== false }
  })
}

function buildOf(v: unknown, where: string): ComposeBuild | undefined {
  if (v === undefined || v === null) return undefined
  if (!isDoc(v)) throw refuse(where, 'build', 'expected a mapping')
  onlyKeys(v, ['context', 'dockerfile', 'args', 'target'], where, 'build')
  return {
    context: str(v.context, where, 'build.context'),
    dockerfile:
      v.dockerfile === undefined ? undefined : str(v.dockerfile, where, 'build.dockerfile'),
    args: pairs(v.args, where, 'build.args'),
    target: v.target === undefined ? undefined : str(v.target, where, 'build.target')
  }
}

function serviceOf(key: string, v: unknown): ComposeService {
  const where = `service "${key}"`
  if (!isDoc(v)) throw invalidValue('composeFile', `${where}: expected a mapping`)
  checkServiceKey(key, 'composeFile')
  for (const k of Object.keys(v)) {
    if (SERVICE_KEYS.has(k)) continue
    throw refuse(
      where,
      k,
      REFUSED_BECAUSE[k] ??
        'not supported by this action (nerdctl compose would drop or change it); remove it'
    )
  }
  const networks = v.networks
  const networkKeys: string[] = []
  if (networks !== undefined && networks !== null) {
    if (!isDoc(networks)) throw refuse(where, 'networks', 'expected a mapping')
    for (const [n, opts] of Object.entries(networks)) {
      if (opts !== null && !(isDoc(opts) && Object.keys(opts).length === 0))
        throw refuse(
          where,
          `networks.${n}`,
          'aliases, addresses and other per-network options are not supported (nerdctl has no network aliases); other services reach this one by its service name'
        )
      networkKeys.push(n)
    }
  }
  const image = v.image === undefined ? undefined : str(v.image, where, 'image')
  if (image !== undefined) {
    try {
      checkImageReference(image)
    } catch (e: unknown) {
      throw refuse(where, 'image', e instanceof Error ? e.message : String(e))
    }
  }
  const restart = v.restart === undefined ? undefined : str(v.restart, where, 'restart')
  if (restart !== undefined && !/^(no|always|unless-stopped|on-failure(:\d+)?)$/.test(restart))
    throw refuse(where, 'restart', `policy ${showValue(restart)} is invalid`)
  const pullPolicy =
    v.pull_policy === undefined ? undefined : str(v.pull_policy, where, 'pull_policy')
  if (
    pullPolicy !== undefined &&
    !['always', 'missing', 'never', 'if_not_present', 'build'].includes(pullPolicy)
  )
    throw refuse(
      where,
      'pull_policy',
      `policy ${showValue(pullPolicy)} is not supported (always, missing, never, build)`
    )
  const tmpfs = typeof v.tmpfs === 'string' ? [v.tmpfs] : strings(v.tmpfs, where, 'tmpfs')
  for (const t of tmpfs)
    if (!/^\/[^\s:]*$/.test(t))
      throw refuse(where, 'tmpfs', `${showValue(t)} must be an absolute container path`)
  return {
    key,
    image,
    build: buildOf(v.build, where),
    command:
      v.command === undefined || v.command === null
        ? undefined
        : strings(v.command, where, 'command'),
    entrypoint:
      v.entrypoint === undefined || v.entrypoint === null
        ? undefined
        : strings(v.entrypoint, where, 'entrypoint'),
    environment: pairs(v.environment, where, 'environment'),
    ports: portsOf(v.ports, where),
    volumes: mountsOf(v.volumes, where),
    tmpfs,
    networks: networkKeys,
    dependsOn: dependsOnOf(v.depends_on, where),
    healthCheck: healthOf(v.healthcheck, where),
    restart,
    labels: pairs(v.labels, where, 'labels'),
    workdir: v.working_dir === undefined ? undefined : str(v.working_dir, where, 'working_dir'),
    user: v.user === undefined ? undefined : str(v.user, where, 'user'),
    pullPolicy
  }
}

function resourcesOf(
  v: unknown,
  kind: 'networks' | 'volumes',
  project: string
): Record<string, ComposeResource> {
  const out: Record<string, ComposeResource> = {}
  if (v === undefined || v === null) return out
  if (!isDoc(v)) throw invalidValue('composeFile', `${kind}: expected a mapping`)
  for (const [key, r] of Object.entries(v)) {
    const where = `${kind === 'networks' ? 'network' : 'volume'} "${key}"`
    const d = r ?? {}
    if (!isDoc(d)) throw invalidValue('composeFile', `${where}: expected a mapping`)
    onlyKeys(d, ['name', 'external', 'labels', 'driver'], where, kind)
    if (d.driver !== undefined && d.driver !== (kind === 'networks' ? 'bridge' : 'local'))
      throw refuse(where, 'driver', `driver ${JSON.stringify(d.driver)} is not supported`)
    const external = d.external === true
    if (external && kind === 'networks')
      throw refuse(
        where,
        'external',
        'joining a network the step does not own is not supported: let the project make its own (remove external)'
      )
    out[key] = {
      name: d.name === undefined ? `${project}_${key}` : str(d.name, where, 'name'),
      external,
      labels: pairs(d.labels, where, 'labels')
    }
  }
  return out
}

/** The typed model of `nerdctl compose config` output (parsed YAML), checked key by key. */
export function composeModel(doc: unknown): ComposeModel {
  if (!isDoc(doc)) throw invalidValue('composeFile', 'the Compose model is not a mapping')
  for (const k of Object.keys(doc))
    if (!TOP_KEYS.has(k))
      throw invalidValue(
        'composeFile',
        `top-level key "${k}": ${REFUSED_BECAUSE[k] ?? 'not supported by this action; remove it'}`
      )
  const name = str(doc.name, 'the Compose model', 'name')
  checkComposeProject(name)
  if (!isDoc(doc.services) || Object.keys(doc.services).length === 0)
    throw invalidValue('composeFile', 'the Compose file has no services (with the profiles given)')
  const services: Record<string, ComposeService> = {}
  for (const [key, s] of Object.entries(doc.services)) services[key] = serviceOf(key, s)
  return {
    name,
    services,
    networks: resourcesOf(doc.networks, 'networks', name),
    volumes: resourcesOf(doc.volumes, 'volumes', name)
  }
}

export interface ComposePlanOptions {
  /** Bring up only these services and what they depend on; default all. */
  select?: readonly string[] | undefined
  /** Build services that have `build:` (default false: they need an image). */
  build?: boolean | undefined
  /** Labels for every container, network and volume (besides the Compose ones and the client's). */
  labels?: readonly (readonly [string, string])[] | undefined
  /** Time each service may take to be ready (or a one-shot to complete); default the readiness default. */
  timeoutMs?: number | undefined
}

/** A fixed host port a service publishes: checked free before anything starts. */
export interface ComposeHostPort {
  key: string
  hostIp: string | undefined
  port: number
  /** The container port it maps to. */
  target: number
  protocol: string
}

/** An image to build for a service before anything starts. */
export interface ComposeImageBuild {
  key: string
  image: string
  build: ComposeBuild
}

export interface ComposePlan {
  project: string
  /** The project's default network: `<project>_default`. */
  network: string
  spec: EnvironmentSpec
  /** The services to start, in start waves (each depends only on earlier ones). */
  keys: string[]
  /** Every image a service runs, by service key: pulled or built before anything starts. */
  images: Record<string, string>
  builds: ComposeImageBuild[]
  hostPorts: ComposeHostPort[]
  /** Bind mounts' host paths by service key, for the caller's host-path policy. */
  binds: { key: string; source: string; readOnly: boolean }[]
}

/** The services `select` names and everything they depend on (required or present). */
function selection(model: ComposeModel, select: readonly string[] | undefined): string[] {
  const all = Object.keys(model.services)
  if (!select || select.length === 0) return all
  const chosen = new Set<string>()
  const visit = (key: string): void => {
    if (chosen.has(key)) return
    const s = model.services[key]
    if (!s)
      throw invalidValue(
        'services',
        `service ${showValue(key)} is not in the Compose file (with the profiles given): services are ${all.join(', ')}`
      )
    chosen.add(key)
    for (const d of s.dependsOn) if (d.required || d.key in model.services) visit(d.key)
  }
  for (const k of select) visit(k)
  return all.filter(k => chosen.has(k))
}

const CONDITION: Record<ComposeDependency['condition'], DependencyCondition> = {
  service_started: 'started',
  service_healthy: 'ready',
  service_completed_successfully: 'completed'
}

/**
 * The environment a Compose model stands for: one EnvironmentSpec (the
 * project's networks and volumes, each service's container with Compose's
 * labels and `<project>-<service>-1` as its name), the images to pull or
 * build first, and the fixed host ports to check. Refuses, naming the
 * service and the key, whatever cannot start as written.
 */
export function composePlan(model: ComposeModel, options: ComposePlanOptions = {}): ComposePlan {
  const project = model.name
  const keys = selection(model, options.select)
  const projectLabel: [string, string] = [COMPOSE_PROJECT_LABEL, project]
  const defaultNetwork = model.networks.default?.name ?? `${project}_default`
  const netName = (key: string): string => model.networks[key]?.name ?? `${project}_${key}`
  // Completion is asked of a service by a dependant anywhere in the file (one
  // left out by the selection too): that makes it a one-shot.
  const oneShots = new Set<string>()
  for (const s of Object.values(model.services))
    for (const d of s.dependsOn)
      if (d.condition === 'service_completed_successfully') oneShots.add(d.key)
  const services: Record<string, ServiceSpec> = {}
  const images: Record<string, string> = {}
  const builds: ComposeImageBuild[] = []
  const hostPorts: ComposeHostPort[] = []
  const binds: { key: string; source: string; readOnly: boolean }[] = []
  const usedNetworks = new Set<string>()
  const usedVolumes = new Set<string>()
  for (const key of keys) {
    const s = model.services[key] as ComposeService
    const where = `service "${key}"`
    let image = s.image
    if (s.build && options.build) {
      image ??= `${project}-${key}`
      builds.push({ key, image, build: s.build })
    } else if (!image)
      throw invalidValue(
        'build',
        `${where} has only build: and no image, and building is off: turn building on, or give it an image`
      )
    images[key] = image
    const dependsOn: string[] = []
    const conditions: Record<string, DependencyCondition> = {}
    for (const d of s.dependsOn) {
      if (!keys.includes(d.key)) {
        // Only a dependency that is not required may be absent (its profile is off).
        if (d.required)
          throw refuse(
            where,
            `depends_on.${d.key}`,
            `service "${d.key}" is not in the Compose file`
          )
        continue
      }
      const dep = model.services[d.key] as ComposeService
      if (d.condition === 'service_healthy' && !dep.healthCheck)
        throw refuse(
          where,
          `depends_on.${d.key}.condition`,
          `service_healthy needs a healthcheck on "${d.key}", which has none: give it one, or use service_started`
        )
      if (d.condition === 'service_healthy' && oneShots.has(d.key))
        throw refuse(
          where,
          `depends_on.${d.key}.condition`,
          `"${d.key}" must complete for another service, so it cannot also be waited on as healthy`
        )
      dependsOn.push(d.key)
      conditions[d.key] = CONDITION[d.condition]
    }
    const oneShot = oneShots.has(key)
    if (oneShot && (s.restart === 'always' || s.restart === 'unless-stopped'))
      throw refuse(
        where,
        'restart',
        `a service others wait on to complete (service_completed_successfully) never completes with restart ${s.restart}: use "no" or on-failure`
      )
    const networks = (s.networks.length > 0 ? s.networks : ['default']).map(n => {
      if (n !== 'default' && !model.networks[n])
        throw refuse(where, `networks.${n}`, `network "${n}" is not defined under networks`)
      usedNetworks.add(n)
      return n === 'default' ? defaultNetwork : netName(n)
    })
    const volumes: string[] = []
    for (const m of s.volumes) {
      const ro = m.readOnly ? ':ro' : ''
      if (m.type === 'bind') {
        binds.push({ key, source: m.source as string, readOnly: m.readOnly })
        volumes.push(`${m.source as string}:${m.target}${ro}`)
      } else if (m.source === undefined) volumes.push(m.target)
      else {
        const v = model.volumes[m.source]
        if (!v) throw refuse(where, 'volumes', `volume "${m.source}" is not defined under volumes`)
        if (!v.external) usedVolumes.add(m.source)
        volumes.push(`${v.name}:${m.target}${ro}`)
      }
    }
    const ports = s.ports.map(p => {
      if (p.published !== undefined && !p.published.includes('-'))
        hostPorts.push({
          key,
          hostIp: p.hostIp,
          port: Number(p.published),
          target: p.target,
          protocol: p.protocol
        })
      const host =
        p.published === undefined
          ? p.hostIp
            ? `${p.hostIp}::`
            : ''
          : `${p.hostIp ? `${p.hostIp}:` : ''}${p.published}:`
      return `${host}${p.target}/${p.protocol}`
    })
    const extraArgs = s.tmpfs.flatMap(t => ['--tmpfs', t])
    const pull =
      s.pullPolicy === 'always' ? 'always' : s.pullPolicy === 'never' ? 'never' : undefined
    services[key] = {
      name: `${project}-${key}-1`,
      networks,
      dependsOn,
      conditions,
      oneShot,
      readiness: options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
      container: {
        image,
        command: s.command,
        entrypoint: s.entrypoint,
        env: s.environment,
        ports,
        volumes,
        labels: [...s.labels, [COMPOSE_SERVICE_LABEL, key]],
        restartPolicy: s.restart,
        healthCheck: s.healthCheck,
        workdir: s.workdir,
        user: s.user,
        pull: builds.some(b => b.key === key) ? 'never' : pull,
        extraArgs
      }
    }
  }
  const labels = [...(options.labels ?? []), projectLabel]
  const resource =
    (labelKey: string, all: Record<string, ComposeResource>) =>
    (key: string): { name: string; labels: [string, string][] } => ({
      name: (all[key] as ComposeResource).name,
      labels: [...(all[key] as ComposeResource).labels, [labelKey, key]]
    })
  return {
    project,
    network: defaultNetwork,
    keys,
    spec: {
      network: defaultNetwork,
      labels,
      services,
      networks: [...usedNetworks]
        .filter(n => n !== 'default')
        .map(resource(COMPOSE_NETWORK_LABEL, model.networks)),
      volumes: [...usedVolumes].map(resource(COMPOSE_VOLUME_LABEL, model.volumes))
    },
    images,
    builds,
    hostPorts,
    binds
  }
}

/**
 * The host ports that `nerdctl ps` lines show published
 * (`0.0.0.0:5432->5432/tcp, 127.0.0.1:8000-8001->80-81/tcp`), ranges expanded.
 */
export function publishedHostPorts(texts: readonly string[]): { port: number; protocol: string }[] {
  const out: { port: number; protocol: string }[] = []
  for (const text of texts)
    for (const m of text.matchAll(/:(\d+)(?:-(\d+))?->[\d-]+\/(\w+)/g)) {
      const from = Number(m[1])
      const to = m[2] === undefined ? from : Number(m[2])
      for (let p = from; p <= to && p - from < 65536; p++)
        out.push({ port: p, protocol: m[3] ?? 'tcp' })
    }
  return out
}

/** The options a short volume entry (`SOURCE:TARGET:OPTIONS`) may end with, as Compose reads them. */
const VOLUME_MODES = new Set([
  'ro',
  'rw',
  'z',
  'Z',
  'nocopy',
  'shared',
  'slave',
  'private',
  'rshared',
  'rslave',
  'rprivate',
  'cached',
  'delegated',
  'consistent'
])

/**
 * Checks the options of short volume entries in one Compose file as written.
 * compose config drops an option it does not know (`data:/x:zz` prints as
 * `data:/x`), so a typo like `:r0` would mount read-write without a word:
 * the files themselves are read for this one check. Entries with `${...}`
 * are left to interpolation.
 */
export function checkShortVolumes(doc: unknown, file: string): void {
  if (!isDoc(doc) || !isDoc(doc.services)) return
  for (const [key, s] of Object.entries(doc.services)) {
    if (!isDoc(s) || !Array.isArray(s.volumes)) continue
    for (const v of s.volumes) {
      if (typeof v !== 'string' || v.includes('$')) continue
      const parts = v.split(':')
      if (parts.length < 3) continue
      const unknown = (parts[parts.length - 1] ?? '').split(',').filter(m => !VOLUME_MODES.has(m))
      if (unknown.length > 0)
        throw invalidValue(
          'composeFile',
          `${file}: service "${key}": key "volumes": ${showValue(v)} ends in an unknown option ${showValue(unknown.join(','))}: use ro or rw (compose config would drop it silently)`
        )
    }
  }
}
