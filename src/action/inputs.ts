// Reads and validates every input into one typed plan before any command runs.
// A bad value fails the step with the input's name, the value (never a
// secret) and the form expected. The action layer builds no argv: the plan
// holds library specs, and the library's own validators check them here, so
// "invalid" is decided once, in one place, for the action and the library alike.
import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import { Input } from './constants.js'
import { shellWords } from './shell-words.js'
import {
  NerdctlError,
  parseDuration,
  validateSpec,
  healthCheckArgs,
  type ContainerSpec,
  type GlobalOptions,
  type HealthCheck
} from '../nerdctl/index.js'

export type ShowLogs = 'on-failure' | 'always' | 'never'

export interface CopySpec {
  from: string
  to: string
  /** Which side is in the container: 'from' copies out of it, 'to' into it. */
  containerSide: 'from' | 'to'
}

export interface BuildPlan {
  context: string
  file: string | undefined
  buildArgs: [string, string][]
  labels: [string, string][]
  target: string | undefined
  platforms: string[]
  noCache: boolean
}

export interface RunPlan {
  /** The spec with this step's owner label; name always set. */
  spec: ContainerSpec
  /** Whether the name was generated (the user gave none). */
  generatedName: boolean
  wait: boolean
  waitTimeoutMs: number
}

export interface Inputs {
  tool: Pick<
    GlobalOptions,
    | 'binary'
    | 'namespace'
    | 'address'
    | 'snapshotter'
    | 'buildkitHost'
    | 'insecureRegistries'
    | 'sudo'
    | 'timeoutMs'
  >
  login: { registry: string; username: string; password: string } | undefined
  logout: boolean
  pull: string[]
  build: BuildPlan | undefined
  tags: string[]
  push: boolean
  save: string | undefined
  run: RunPlan | undefined
  exec: string[]
  copy: CopySpec[]
  commit: string | undefined
  export: string | undefined
  /** A script to run: its source and the name errors show. */
  script: { source: string; filename: string } | undefined
  cleanup: boolean
  showLogs: ShowLogs
  summary: boolean
}

/** A bad input: the step fails with this message before anything runs. */
export class InputError extends Error {
  constructor(input: string, message: string) {
    super(`Input "${input}": ${message}`)
    this.name = 'InputError'
  }
}

/** Reads an input the way the runner passes it (INPUT_NAME, spaces as _). */
export type InputReader = (name: string) => string

export const readFromEnvironment: InputReader = name => core.getInput(name)

function show(value: string): string {
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value)
}

class Reader {
  constructor(private readonly read: InputReader) {}

  text(name: string): string {
    return this.read(name).trim()
  }

  optional(name: string): string | undefined {
    return this.text(name) || undefined
  }

  /** Like core.getBooleanInput, but an empty value takes the default. */
  bool(name: string, dflt: boolean): boolean {
    const v = this.text(name)
    if (v === '') return dflt
    if (['true', 'True', 'TRUE'].includes(v)) return true
    if (['false', 'False', 'FALSE'].includes(v)) return false
    throw new InputError(name, `${show(v)} is not a boolean: use true or false`)
  }

  /** Newline-separated list; blank lines and surrounding spaces dropped. */
  lines(name: string): string[] {
    return this.read(name)
      .split(/\r?\n/)
      .map(l => l.trim())
      .filter(l => l !== '')
  }

  /** Newline- or comma-separated list (tags, platforms, as in docker/build-push-action). */
  csv(name: string): string[] {
    return this.lines(name)
      .flatMap(l => l.split(','))
      .map(s => s.trim())
      .filter(s => s !== '')
  }

  /** KEY=VALUE lines; the value may contain "=". */
  pairs(name: string): [string, string][] {
    return this.lines(name).map(line => {
      const eq = line.indexOf('=')
      if (eq <= 0) throw new InputError(name, `line ${show(line)} is not KEY=VALUE`)
      return [line.slice(0, eq).trim(), line.slice(eq + 1)]
    })
  }

  duration(name: string, dflt?: string): number | undefined {
    const v = this.text(name) || dflt
    if (v === undefined || v === '') return undefined
    try {
      return parseDuration(v)
    } catch {
      throw new InputError(
        name,
        `${show(v)} is not a duration: use a Go duration such as 30s, 1m30s or 500ms`
      )
    }
  }

  positiveInt(name: string): number | undefined {
    const v = this.text(name)
    if (v === '') return undefined
    if (!/^\d+$/.test(v) || Number(v) < 1)
      throw new InputError(name, `${show(v)} is not a whole number of at least 1`)
    return Number(v)
  }
}

/** Re-raises a validation error (the library's, the shell splitter's) as an error about one input. */
function asInput<T>(name: string, f: () => T): T {
  try {
    return f()
  } catch (e: unknown) {
    if (e instanceof InputError) throw e
    if (e instanceof Error) throw new InputError(name, e.message)
    throw e
  }
}

const COPY_LINE = /^(.+?)\s+->\s+(.+)$/
const CONTAINER_SIDE = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*)?:(\/.*)$/

function parseCopy(line: string): CopySpec {
  const m = COPY_LINE.exec(line)
  if (!m) {
    throw new InputError(
      Input.Copy,
      `line ${show(line)} is not "SOURCE -> DEST": write ":/path/in/container -> path/on/runner" or "path/on/runner -> :/path/in/container"`
    )
  }
  const [from, to] = [(m[1] as string).trim(), (m[2] as string).trim()]
  const fromC = CONTAINER_SIDE.test(from)
  const toC = CONTAINER_SIDE.test(to)
  if (fromC === toC) {
    throw new InputError(
      Input.Copy,
      `line ${show(line)} needs exactly one container side, written ":/path" (this step's container) or "name:/path"`
    )
  }
  return { from, to, containerSide: fromC ? 'from' : 'to' }
}

/** A container name unique to this run and step, when the user gives none. */
function generatedName(): string {
  const run = process.env.GITHUB_RUN_ID ?? 'local'
  return `nerdctl-action-${run}-${randomBytes(3).toString('hex')}`
}

export function getInputs(read: InputReader = readFromEnvironment): Inputs {
  const r = new Reader(read)

  const timeoutMs = r.duration(Input.Timeout, '10m')
  const insecure = r.csv(Input.InsecureRegistries)
  const tool: Inputs['tool'] = {
    binary: r.optional(Input.Nerdctl) ?? 'nerdctl',
    namespace: r.optional(Input.Namespace),
    address: r.optional(Input.Address),
    snapshotter: r.optional(Input.Snapshotter),
    buildkitHost: r.optional(Input.BuildkitHost),
    insecureRegistries: insecure.length > 0 ? insecure : undefined,
    sudo: r.bool(Input.Sudo, false),
    timeoutMs
  }

  // ---- registry ----
  const registry = r.text(Input.Registry)
  const username = r.text(Input.Username)
  // The password is never trimmed, shown or echoed; it is masked at once.
  const password = read(Input.Password)
  if (password) core.setSecret(password)
  if (!!username !== !!password) {
    throw new InputError(
      username ? Input.Password : Input.Username,
      `set both "username" and "password" to log in, or neither`
    )
  }
  if (registry && !username) {
    throw new InputError(
      Input.Registry,
      `${show(registry)} is set but "username" and "password" are not: set them to log in, or remove "registry"`
    )
  }
  const login = username ? { registry, username, password } : undefined

  // ---- images ----
  const tags = r.csv(Input.Tags)
  const context = r.optional(Input.Context)
  const build: BuildPlan | undefined = context
    ? {
        context,
        file: r.optional(Input.File),
        buildArgs: r.pairs(Input.BuildArgs),
        labels: r.pairs(Input.Labels),
        target: r.optional(Input.Target),
        platforms: r.csv(Input.Platforms),
        noCache: r.bool(Input.NoCache, false)
      }
    : undefined
  if (!context) {
    for (const name of [Input.File, Input.BuildArgs, Input.Labels, Input.Target, Input.Platforms]) {
      if (r.text(name))
        throw new InputError(
          name,
          `is a build option, but "context" is not set: set "context" to build`
        )
    }
    if (r.bool(Input.NoCache, false)) {
      throw new InputError(
        Input.NoCache,
        'is a build option, but "context" is not set: set "context" to build'
      )
    }
  }
  if (build && tags.length === 0) {
    throw new InputError(
      Input.Tags,
      `"context" is set but no tags are: name the image, e.g. "127.0.0.1:5000/app:1.0"`
    )
  }
  const push = r.bool(Input.Push, false)
  if (push && tags.length === 0)
    throw new InputError(
      Input.Push,
      'is true but "tags" is empty: list the images to push in "tags"'
    )
  const save = r.optional(Input.Save)
  if (save && tags.length === 0)
    throw new InputError(
      Input.Save,
      'is set but "tags" is empty: list the images to save in "tags"'
    )
  const pull = r.lines(Input.Pull)

  // ---- run ----
  const image = r.optional(Input.Image)
  const runFlag = r.bool(Input.Run, false)
  if (runFlag && !image && tags.length === 0) {
    throw new InputError(
      Input.Run,
      'is true but neither "image" nor "tags" is set: say which image to run'
    )
  }
  const runImage = image ?? (runFlag ? tags[0] : undefined)
  const runOnly = [
    Input.Name,
    Input.Command,
    Input.Ports,
    Input.Volumes,
    Input.Env,
    Input.Network,
    Input.NetworkAliases,
    Input.Cpus,
    Input.Memory,
    Input.MemorySwap,
    Input.CpuShares,
    Input.Restart,
    Input.HealthCmd,
    Input.HealthInterval,
    Input.HealthTimeout,
    Input.HealthRetries,
    Input.HealthStartPeriod,
    Input.Exec,
    Input.Copy,
    Input.Commit,
    Input.Export
  ]
  let run: RunPlan | undefined
  if (runImage) {
    const detach = r.bool(Input.Detach, true)
    const healthCmd = read(Input.HealthCmd)
    let healthCheck: HealthCheck | undefined
    if (healthCmd.trim()) {
      healthCheck = {
        cmd: healthCmd.replace(/\s+$/, ''),
        interval: r.optional(Input.HealthInterval),
        timeout: r.optional(Input.HealthTimeout),
        retries: r.positiveInt(Input.HealthRetries),
        startPeriod: r.optional(Input.HealthStartPeriod)
      }
      const hc = healthCheck
      for (const [name, value] of [
        [Input.HealthInterval, hc.interval],
        [Input.HealthTimeout, hc.timeout],
        [Input.HealthStartPeriod, hc.startPeriod]
      ] as const) {
        if (value !== undefined) r.duration(name)
      }
      asInput(Input.HealthCmd, () => healthCheckArgs(hc))
    } else {
      for (const name of [
        Input.HealthInterval,
        Input.HealthTimeout,
        Input.HealthRetries,
        Input.HealthStartPeriod
      ]) {
        if (r.text(name))
          throw new InputError(name, 'is set but "health-cmd" is not: set "health-cmd" too')
      }
    }
    const waitText = r.text(Input.Wait)
    // Waiting needs a running container: a foreground run has exited by then.
    const wait = r.bool(Input.Wait, healthCheck !== undefined && detach)
    if (wait && !healthCheck) {
      throw new InputError(
        Input.Wait,
        `is ${waitText} but "health-cmd" is not set: a container without a health check can never become healthy`
      )
    }
    if (!detach && (wait || r.lines(Input.Exec).length > 0)) {
      throw new InputError(
        Input.Detach,
        `is false, so the container has exited before "${wait ? Input.Wait : Input.Exec}" could run: keep detach true`
      )
    }
    const userName = r.optional(Input.Name)
    const commandLine = r.text(Input.Command)
    const command = commandLine ? asInput(Input.Command, () => shellWords(commandLine)) : undefined
    const spec: ContainerSpec = {
      image: runImage,
      name: userName ?? generatedName(),
      command,
      ports: r.lines(Input.Ports),
      volumes: r.lines(Input.Volumes),
      env: r.pairs(Input.Env),
      labels: [],
      network: r.optional(Input.Network),
      networkAliases: r.csv(Input.NetworkAliases),
      cpuLimit: r.optional(Input.Cpus),
      memoryLimit: r.optional(Input.Memory),
      memorySwapLimit: r.optional(Input.MemorySwap),
      cpuShares: r.optional(Input.CpuShares),
      restartPolicy: r.optional(Input.Restart),
      healthCheck,
      detach
    }
    validateRunSpec(spec)
    run = {
      spec,
      generatedName: userName === undefined,
      wait,
      waitTimeoutMs: r.duration(Input.WaitTimeout, '2m') as number
    }
  } else {
    for (const name of runOnly) {
      if (r.text(name))
        throw new InputError(
          name,
          'needs a container: set "image" (or "run: true" with "tags") to start one'
        )
    }
    // Booleans whose default means "nothing to do" count only when turned on.
    for (const [name, dflt] of [
      [Input.Detach, true],
      [Input.Wait, false]
    ] as const) {
      if (r.bool(name, dflt) !== dflt) {
        throw new InputError(
          name,
          'needs a container: set "image" (or "run: true" with "tags") to start one'
        )
      }
    }
  }

  const showLogs = r.text(Input.ShowLogs) || 'on-failure'
  if (showLogs !== 'on-failure' && showLogs !== 'always' && showLogs !== 'never') {
    throw new InputError(
      Input.ShowLogs,
      `${show(showLogs)} is not one of on-failure, always, never`
    )
  }

  const scriptText = read(Input.Script)
  const scriptFile = r.optional(Input.ScriptFile)
  if (scriptText.trim() && scriptFile) {
    throw new InputError(
      Input.ScriptFile,
      'is set and so is "script": give the script in one of them'
    )
  }
  let script: Inputs['script']
  if (scriptFile) {
    const path = resolvePath(scriptFile)
    let source: string
    try {
      source = readFileSync(path, 'utf8')
    } catch (e: unknown) {
      throw new InputError(
        Input.ScriptFile,
        `cannot read ${show(scriptFile)}: ${e instanceof Error ? e.message : String(e)}`
      )
    }
    script = { source: source.replace(/^#!.*\n/, '\n'), filename: path }
  } else if (scriptText.trim()) {
    script = { source: scriptText, filename: 'script' }
  }

  return {
    tool,
    login,
    logout: r.bool(Input.Logout, true),
    pull,
    build,
    tags,
    push,
    save,
    run,
    exec: r.lines(Input.Exec),
    copy: r.lines(Input.Copy).map(parseCopy),
    commit: r.optional(Input.Commit),
    export: r.optional(Input.Export),
    script,
    cleanup: r.bool(Input.Cleanup, true),
    showLogs,
    summary: r.bool(Input.Summary, true)
  }
}

/** Which input holds each field of the library's container spec. */
const INPUT_OF_FIELD: Partial<Record<keyof ContainerSpec, string>> = {
  image: Input.Image,
  name: Input.Name,
  command: Input.Command,
  ports: Input.Ports,
  volumes: Input.Volumes,
  env: Input.Env,
  network: Input.Network,
  networkAliases: Input.NetworkAliases,
  cpuLimit: Input.Cpus,
  memoryLimit: Input.Memory,
  memorySwapLimit: Input.MemorySwap,
  cpuShares: Input.CpuShares,
  restartPolicy: Input.Restart,
  healthCheck: Input.HealthCmd
}

/** The library's spec validation, reported against the input that holds the bad value. */
function validateRunSpec(spec: ContainerSpec): void {
  try {
    validateSpec(spec)
  } catch (e: unknown) {
    if (!(e instanceof NerdctlError)) throw e
    const field = e.field as keyof ContainerSpec | undefined
    throw new InputError((field && INPUT_OF_FIELD[field]) ?? Input.Image, e.message)
  }
}
