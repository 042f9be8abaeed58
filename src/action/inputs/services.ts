// The services section: a YAML map from service key to a definition in the
// shape of GitHub's `jobs.<id>.services.<key>` (image, env, ports, volumes,
// options, command, entrypoint, credentials), plus our additions (health-*,
// wait, depends-on, memory, cpus, user, workdir, labels), read into the
// library's ServiceSpec. Everything is checked here, before anything runs:
// unknown keys, bad values, depends-on cycles, and `options` that would
// break the step's own bookkeeping.
import * as core from '../workflow.js'
import {
  checkServiceKey,
  parseDuration,
  startWaves,
  validateHealthCheck,
  validateReadiness,
  validateSpec,
  type HealthCheck,
  type HttpCheck,
  type LogCheck,
  type ReadinessSpec,
  type ServiceSpec
} from '../../nerdctl/index.js'
import { Input } from '../constants.js'
import { parseRunOptions, type RunOption } from '../run-options.js'
import { shellWords } from '../shell-words.js'
import type { ServiceDefinition, ServicesPlan } from './plan.js'
import { InputError, asInput, durationOverMaximum, type Reader } from './reader.js'
import type { HostPaths } from '../host-paths.js'
import { checkVolumes } from './run.js'
import { parseYaml } from './yaml.js'

const KEYS = [
  'image',
  'env',
  'ports',
  'volumes',
  'options',
  'command',
  'entrypoint',
  'credentials',
  'health-cmd',
  'health-interval',
  'health-timeout',
  'health-retries',
  'health-start-period',
  'wait',
  'depends-on',
  'memory',
  'cpus',
  'user',
  'workdir',
  'labels'
] as const
const WAIT_KEYS = ['health', 'clients', 'port', 'ports', 'http', 'log', 'exec', 'timeout'] as const

/**
 * `nerdctl run` flags that `options` may not hold, by long name (each is
 * refused however it is spelled: `-h`, `-hdb`, `--hostname=db`). The step
 * names each container, runs it detached on its own network with the key as
 * host name, finds what it made by its io.github.nerdctl-action.* labels, and
 * removes it itself; these would undo one of those, hang the step on a
 * terminal, or leave files the post step does not know about.
 */
const REFUSED_FLAGS: Readonly<Record<string, string>> = {
  name: 'the step names each container (NETWORK-KEY) so two jobs never collide',
  network: 'every service joins the step network, where the others reach it by its key',
  net: 'every service joins the step network, where the others reach it by its key',
  hostname: 'the host name is the service key, which is how the others reach it',
  rm: 'the post step removes the services; a container gone early loses its logs',
  detach: 'services always run detached',
  interactive: 'services get no standard input',
  tty: 'services get no terminal',
  attach: 'services run detached; read their logs instead',
  cidfile: 'the container ID is in the "services" output',
  pidfile: 'the step does not track files it did not write',
  'label-file':
    'the step\'s io.github.nerdctl-action.* labels are how it finds what it made, and a file could set them: give labels with "labels"',
  help: 'it prints help instead of starting the service'
}

/** Labels the step sets itself and finds its containers by. */
const OWN_LABEL = /^\s*io\.github\.nerdctl-action\./i

type Json = unknown
type Obj = Record<string, Json>

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

function fail(where: string, message: string): never {
  throw new InputError(Input.Services, `${where}: ${message}`)
}

/** A scalar as text: YAML gives numbers and booleans for `5432` and `true`. */
function scalar(v: Json, where: string): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return fail(where, `expected a string or number, got ${Array.isArray(v) ? 'a list' : typeof v}`)
}

function list(v: Json, where: string): string[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) return fail(where, 'expected a list')
  return v.map((x, i) => scalar(x, `${where}[${i}]`))
}

function pairs(v: Json, where: string): [string, string][] {
  if (v === undefined || v === null) return []
  if (!isObj(v)) return fail(where, 'expected a map of NAME: value')
  return Object.entries(v).map(([k, x]) => [k, x === null ? '' : scalar(x, `${where}.${k}`)])
}

function duration(v: Json, where: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined
  const text = scalar(v, where)
  let ms: number
  try {
    ms = parseDuration(text)
  } catch {
    return fail(
      where,
      `${JSON.stringify(text)} is not a duration: use a Go duration such as 30s, 1m30s or 500ms`
    )
  }
  const over = durationOverMaximum(ms)
  return over ? fail(where, `${JSON.stringify(text)} ${over}`) : ms
}

function positiveInt(v: Json, where: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined
  const n = Number(scalar(v, where))
  if (!Number.isInteger(n) || n < 1)
    return fail(where, `${JSON.stringify(v)} is not a whole number of at least 1`)
  return n
}

/**
 * The `options` string split like a shell, then read as nerdctl's flag parser
 * reads it (see run-options.ts), refusing flags that break the step (see
 * REFUSED_FLAGS), global flags, and labels in the step's own namespace.
 */
export function serviceOptions(text: string, where: string): string[] {
  const words = asInput(Input.Services, () => shellWords(text))
  let flags: RunOption[]
  try {
    flags = parseRunOptions(words)
  } catch (e: unknown) {
    return fail(where, e instanceof Error ? e.message : String(e))
  }
  for (const f of flags) {
    const spelled =
      f.word === `--${f.name}` || f.word.startsWith(`--${f.name}=`) ? '' : ` (--${f.name})`
    const flag = `${JSON.stringify(f.word)}${spelled}`
    if (f.global)
      fail(
        where,
        `${flag} is a nerdctl global flag: it would change which containerd, namespace or state nerdctl uses for this one container; the step's nerdctl settings come from its inputs and environment`
      )
    const why = REFUSED_FLAGS[f.name]
    if (why) fail(where, `${flag} is not allowed: ${why}`)
    if (f.name === 'label' && OWN_LABEL.test(f.value))
      fail(
        where,
        `${flag}: label ${JSON.stringify(f.value)} is not allowed: io.github.nerdctl-action.* labels are how the step finds what it made`
      )
  }
  return words
}

function readHttp(v: Json, where: string): HttpCheck {
  // "8080/health" or "8080": port, then the path.
  if (typeof v === 'string' || typeof v === 'number') {
    const m = /^(\d{1,5})(\/\S*)?$/.exec(String(v))
    if (!m) return fail(where, `${JSON.stringify(v)} is not PORT[/PATH], e.g. "8080/health"`)
    return { port: Number(m[1]), path: m[2] ?? '/' }
  }
  if (!isObj(v)) return fail(where, 'expected PORT[/PATH] or a map of port, path, status, body')
  for (const k of Object.keys(v))
    if (!['port', 'path', 'status', 'body'].includes(k))
      fail(where, `unknown key "${k}": use port, path, status and body`)
  const port = positiveInt(v.port, `${where}.port`)
  if (port === undefined) return fail(where, 'needs a port')
  const check: HttpCheck = {
    port,
    path: v.path === undefined ? '/' : scalar(v.path, `${where}.path`)
  }
  const status = positiveInt(v.status, `${where}.status`)
  if (status !== undefined) check.status = status
  if (v.body !== undefined) check.body = scalar(v.body, `${where}.body`)
  return check
}

function readLog(v: Json, where: string): LogCheck {
  if (typeof v === 'string') return { pattern: v }
  if (!isObj(v)) return fail(where, 'expected a regular expression or a map of pattern and times')
  for (const k of Object.keys(v))
    if (!['pattern', 'times'].includes(k)) fail(where, `unknown key "${k}": use pattern and times`)
  return {
    pattern: scalar(v.pattern, `${where}.pattern`),
    times: positiveInt(v.times, `${where}.times`)
  }
}

function readWait(v: Json, where: string): ReadinessSpec {
  if (v === undefined || v === null) return {}
  if (!isObj(v)) return fail(where, `expected a map of ${WAIT_KEYS.join(', ')}`)
  for (const k of Object.keys(v))
    if (!(WAIT_KEYS as readonly string[]).includes(k))
      fail(where, `unknown key "${k}": use ${WAIT_KEYS.join(', ')}`)
  const spec: ReadinessSpec = {}
  if (v.health !== undefined) {
    if (typeof v.health !== 'boolean') fail(`${where}.health`, 'expected true or false')
    spec.health = v.health
  }
  if (v.clients !== undefined) {
    if (typeof v.clients !== 'boolean')
      fail(
        `${where}.clients`,
        'expected true (ready for clients, the default) or false (the checks given alone)'
      )
    spec.clients = v.clients
  }
  const ports = [
    ...(v.port !== undefined ? [v.port] : []),
    ...(Array.isArray(v.ports) ? v.ports : v.ports !== undefined ? [v.ports] : [])
  ]
  if (ports.length > 0)
    spec.ports = ports.map((p, i) => positiveInt(p, `${where}.ports[${i}]`) as number)
  if (v.http !== undefined) spec.http = readHttp(v.http, `${where}.http`)
  if (v.log !== undefined) spec.log = readLog(v.log, `${where}.log`)
  if (v.exec !== undefined)
    spec.exec = Array.isArray(v.exec)
      ? list(v.exec, `${where}.exec`)
      : scalar(v.exec, `${where}.exec`)
  const timeout = duration(v.timeout, `${where}.timeout`)
  if (timeout !== undefined) spec.timeoutMs = timeout
  asInput(Input.Services, () => validateReadiness(spec, where))
  return spec
}

function readHealth(def: Obj, where: string): HealthCheck | undefined {
  const cmd = def['health-cmd']
  const options = [
    'health-interval',
    'health-timeout',
    'health-retries',
    'health-start-period'
  ] as const
  if (cmd === undefined || cmd === null || cmd === '') {
    for (const o of options)
      if (def[o] !== undefined)
        fail(`${where}.${o}`, 'is set but health-cmd is not: set health-cmd too')
    return undefined
  }
  const hc: HealthCheck = {
    cmd: scalar(cmd, `${where}.health-cmd`).replace(/\s+$/, ''),
    interval: duration(def['health-interval'], `${where}.health-interval`),
    timeout: duration(def['health-timeout'], `${where}.health-timeout`),
    retries: positiveInt(def['health-retries'], `${where}.health-retries`),
    startPeriod: duration(def['health-start-period'], `${where}.health-start-period`)
  }
  asInput(Input.Services, () => validateHealthCheck(hc))
  return hc
}

function readCredentials(v: Json, where: string): ServiceDefinition['credentials'] {
  if (v === undefined || v === null) return undefined
  if (!isObj(v)) return fail(where, 'expected a map of username and password')
  for (const k of Object.keys(v))
    if (!['username', 'password'].includes(k))
      fail(where, `unknown key "${k}": use username and password`)
  const username = v.username === undefined ? '' : scalar(v.username, `${where}.username`)
  // Masked already, as soon as the YAML was parsed (maskPasswords).
  const password = v.password === undefined ? '' : scalar(v.password, `${where}.password`)
  // An empty pair is what `${{ secrets.X }}` gives on a fork: no login, as GitHub does.
  if (!username && !password) return undefined
  if (!username || !password) return fail(where, 'needs both username and password')
  return { username, password }
}

function readService(key: string, def: Json): ServiceDefinition {
  const where = `service "${key}"`
  asInput(Input.Services, () => checkServiceKey(key))
  if (!isObj(def)) return fail(where, 'expected a map with at least "image"')
  for (const k of Object.keys(def))
    if (!(KEYS as readonly string[]).includes(k))
      fail(where, `unknown key "${k}" (known: ${KEYS.join(', ')})`)
  if (def.image === undefined || def.image === null || def.image === '')
    fail(where, 'needs an "image"')
  const image = scalar(def.image, `${where}.image`)
  const command = def.command
  const entrypoint = def.entrypoint
  const labels = pairs(def.labels, `${where}.labels`)
  for (const [k] of labels)
    if (k.startsWith('io.github.nerdctl-action.'))
      fail(
        `${where}.labels`,
        `"${k}" is not allowed: io.github.nerdctl-action.* labels are how the step finds what it made`
      )
  const container: ServiceSpec['container'] = {
    image,
    env: pairs(def.env, `${where}.env`),
    ports: list(def.ports, `${where}.ports`),
    volumes: list(def.volumes, `${where}.volumes`),
    labels,
    command:
      command === undefined || command === null
        ? undefined
        : Array.isArray(command)
          ? list(command, `${where}.command`)
          : asInput(Input.Services, () => shellWords(scalar(command, `${where}.command`))),
    entrypoint:
      entrypoint === undefined || entrypoint === null
        ? undefined
        : Array.isArray(entrypoint)
          ? list(entrypoint, `${where}.entrypoint`)
          : scalar(entrypoint, `${where}.entrypoint`),
    memoryLimit: def.memory === undefined ? undefined : scalar(def.memory, `${where}.memory`),
    cpuLimit: def.cpus === undefined ? undefined : scalar(def.cpus, `${where}.cpus`),
    user: def.user === undefined ? undefined : scalar(def.user, `${where}.user`),
    workdir: def.workdir === undefined ? undefined : scalar(def.workdir, `${where}.workdir`),
    healthCheck: readHealth(def, where),
    extraArgs:
      def.options === undefined || def.options === null
        ? []
        : serviceOptions(scalar(def.options, `${where}.options`), `${where}.options`)
  }
  asInput(Input.Services, () => {
    try {
      validateSpec({ ...container, name: `x-${key}`, hostname: key })
    } catch (e: unknown) {
      throw new Error(`${where}: ${e instanceof Error ? e.message : String(e)}`)
    }
  })
  const dependsOn =
    typeof def['depends-on'] === 'string'
      ? [def['depends-on']]
      : list(def['depends-on'], `${where}.depends-on`)
  return {
    spec: { container, readiness: readWait(def.wait, `${where}.wait`), dependsOn },
    credentials: readCredentials(def.credentials, `${where}.credentials`)
  }
}

/**
 * Masks every service's `credentials.password` as soon as the YAML is
 * parsed, before any service is checked: a mistake anywhere may fail the
 * step with a message, and a password must be a mask by then.
 */
function maskPasswords(doc: Json): void {
  if (!isObj(doc)) return
  for (const def of Object.values(doc)) {
    const credentials = isObj(def) ? def.credentials : undefined
    const password = isObj(credentials) ? credentials.password : undefined
    if (typeof password === 'string' || typeof password === 'number') {
      if (String(password)) core.setSecret(String(password))
    }
  }
}

/** The services input, parsed and checked; an empty input is no services. */
export function parseServices(text: string): Record<string, ServiceDefinition> {
  if (!text.trim()) return {}
  let doc: Json
  try {
    doc = parseYaml(text) as Json
  } catch (e: unknown) {
    // Where and what kind of mistake, never the text (see parseYaml).
    throw new InputError(Input.Services, e instanceof Error ? e.message : 'not valid YAML')
  }
  maskPasswords(doc)
  if (doc === null || doc === undefined) return {}
  if (!isObj(doc))
    return fail(
      'top level',
      'expected a map from service key to its definition, as under jobs.<id>.services'
    )
  const services: Record<string, ServiceDefinition> = {}
  for (const [key, def] of Object.entries(doc)) services[key] = readService(key, def)
  asInput(Input.Services, () =>
    startWaves(Object.fromEntries(Object.entries(services).map(([k, s]) => [k, s.spec])))
  )
  return services
}

export function readServices(r: Reader, paths: HostPaths): ServicesPlan {
  const services = parseServices(r.raw(Input.Services))
  for (const s of Object.values(services))
    checkVolumes(paths, Input.Services, s.spec.container.volumes ?? [])
  return { services, reap: r.bool(Input.Reap, true) }
}
