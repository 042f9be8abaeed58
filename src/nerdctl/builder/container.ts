// Container: the fluent builder (the names of the Rust module this library
// replaces: withPort, withEnv, build, ...) plus the operations on the
// container it made. Builder methods change the configuration and return
// `this`; operations are async and throw NerdctlError.
import { NerdctlError, isNoSuchContainer } from '../base/errors.js'
import { tail } from '../base/text.js'
import type {
  CommandResult,
  ContainerSpec,
  ContainerStatus,
  Duration,
  HealthCheck,
  ReadinessSpec,
  ReadyResult,
  ResourceUsage
} from '../base/types.js'
import { nerdctl, type CallOptions } from '../exec/call.js'
import { expandOwnPath } from '../pure/validate.js'
import * as containers from '../ops/containers.js'
import type { ContainerExecOptions } from '../ops/containers.js'
import { imageCommit, imageExists, imagePull } from '../ops/images.js'
import { logs, logTail, type LogsOptions } from '../ops/logs.js'
import { runSpec, create, type RunResult } from '../ops/run.js'
import type { WaitOptions } from '../ops/health.js'
import { waitFor, waitForHealthy, type ReadinessOptions } from '../ops/readiness.js'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
type Config = Mutable<Omit<ContainerSpec, 'image' | 'name'>>

function emptyConfig(): Config {
  return { ports: [], volumes: [], env: [], labels: [], networkAliases: [], detach: true }
}

export class Container {
  readonly name: string
  image: string | undefined
  /** Set once the container exists (after build, start or find). */
  containerId: string | undefined
  /** Exit code and output of a foreground build (`withDetach(false)`). */
  runResult: RunResult | undefined
  private config: Config = emptyConfig()
  private replaceExisting = false
  private callOptions: CallOptions

  constructor(name: string, image?: string, options: CallOptions = {}) {
    this.name = name
    this.image = image
    this.callOptions = options
  }

  static fromImage(name: string, image: string, options: CallOptions = {}): Container {
    return new Container(name, image, options)
  }

  /**
   * A container from a whole spec at once (what the action's run phase uses):
   * the same as calling each builder method with the spec's fields.
   */
  static fromSpec(spec: ContainerSpec & { name: string }, options: CallOptions = {}): Container {
    const c = new Container(spec.name, spec.image, options)
    const config: Partial<ContainerSpec> = { ...spec }
    delete config.name
    delete config.image
    c.config = { ...emptyConfig(), ...config }
    return c
  }

  /** Attaches to an existing container by name or ID. */
  static async find(nameOrId: string, options: CallOptions = {}): Promise<Container> {
    const status = await containers.inspect(nameOrId, options)
    const c = new Container(status.name, status.image, options)
    c.containerId = status.id
    return c
  }

  /** The options (client, timeout, signal) every operation of this container uses. */
  withCallOptions(options: CallOptions): this {
    this.callOptions = { ...this.callOptions, ...options }
    return this
  }

  // ---- builder ----------------------------------------------------------------------
  withImage(image: string): this {
    this.image = image
    return this
  }
  withPort(port: string): this {
    this.config.ports = [...(this.config.ports ?? []), port]
    return this
  }
  withPorts(ports: readonly string[]): this {
    for (const p of ports) this.withPort(p)
    return this
  }
  withVolume(volume: string): this {
    this.config.volumes = [...(this.config.volumes ?? []), volume]
    return this
  }
  withVolumes(volumes: readonly string[]): this {
    for (const v of volumes) this.withVolume(v)
    return this
  }
  withEnv(key: string, value: string): this {
    this.config.env = [...(this.config.env ?? []), [key, value]]
    return this
  }
  /** A Map or an object keeps its insertion order; so does `-e`. */
  withEnvs(
    env:
      | Readonly<Record<string, string>>
      | ReadonlyMap<string, string>
      | readonly (readonly [string, string])[]
  ): this {
    const entries = Array.isArray(env)
      ? env
      : env instanceof Map
        ? [...env.entries()]
        : Object.entries(env)
    for (const [k, v] of entries as Iterable<readonly [string, string]>) this.withEnv(k, v)
    return this
  }
  withNetwork(network: string): this {
    this.config.network = network
    return this
  }
  withNetworkAlias(alias: string): this {
    this.config.networkAliases = [...(this.config.networkAliases ?? []), alias]
    return this
  }
  withNetworkAliases(aliases: readonly string[]): this {
    for (const a of aliases) this.withNetworkAlias(a)
    return this
  }
  withCpuLimit(cpus: string): this {
    this.config.cpuLimit = cpus
    return this
  }
  withMemoryLimit(memory: string): this {
    this.config.memoryLimit = memory
    return this
  }
  withMemorySwapLimit(memorySwap: string): this {
    this.config.memorySwapLimit = memorySwap
    return this
  }
  withCpuShares(shares: string): this {
    this.config.cpuShares = shares
    return this
  }
  withRestartPolicy(policy: string): this {
    this.config.restartPolicy = policy
    return this
  }
  /** A shell command, run inside the container by /bin/sh -c; may be multi-line. */
  withHealthCheck(cmd: string): this {
    this.config.healthCheck = { cmd }
    return this
  }
  withHealthCheckOptions(
    cmd: string,
    interval?: Duration,
    timeout?: Duration,
    retries?: number,
    startPeriod?: Duration
  ): this {
    const hc: HealthCheck = { cmd, interval, timeout, retries, startPeriod }
    this.config.healthCheck = hc
    return this
  }
  withSnapshotter(snapshotter: string): this {
    this.config.snapshotter = snapshotter
    return this
  }
  /** Default true. false: build() runs to completion and keeps exit code and output. */
  withDetach(detach: boolean): this {
    this.config.detach = detach
    return this
  }
  /** Command and arguments after the image. */
  withCommand(command: readonly string[] | string): this {
    this.config.command = typeof command === 'string' ? ['/bin/sh', '-c', command] : [...command]
    return this
  }
  withEntrypoint(entrypoint: string | readonly string[]): this {
    this.config.entrypoint = typeof entrypoint === 'string' ? entrypoint : [...entrypoint]
    return this
  }
  withLabel(key: string, value: string): this {
    this.config.labels = [...(this.config.labels ?? []), [key, value]]
    return this
  }
  withLabels(
    labels: Readonly<Record<string, string>> | readonly (readonly [string, string])[]
  ): this {
    const entries = Array.isArray(labels) ? labels : Object.entries(labels)
    for (const [k, v] of entries as Iterable<readonly [string, string]>) this.withLabel(k, v)
    return this
  }
  withWorkdir(dir: string): this {
    this.config.workdir = dir
    return this
  }
  withUser(user: string): this {
    this.config.user = user
    return this
  }
  /**
   * Clears the configuration (name and image stay) and, as the Rust module's
   * reset did, replaces an existing container of the same name at the next build(). The
   * removal happens then, not now, so nothing is removed unless a build follows.
   */
  reset(): this {
    this.config = emptyConfig()
    this.containerId = undefined
    this.runResult = undefined
    this.replaceExisting = true
    return this
  }

  /** The spec build() runs. */
  spec(): ContainerSpec {
    if (!this.image) {
      throw new NerdctlError(
        'Other',
        `container ${this.name} has no image: use Container.fromImage(name, image) or withImage(image)`
      )
    }
    return { ...this.config, name: this.name, image: this.image }
  }

  // ---- operations -------------------------------------------------------------------
  private get ref(): string {
    return this.containerId ?? this.name
  }

  /**
   * Runs the container (`nerdctl run`) with every option, detached by default.
   * Called build() after the Rust module's builder, where the container was
   * "built" from its configuration. Detached, the ID is stored; in the
   * foreground (`withDetach(false)`), exit code and output are kept in
   * `runResult` and the ID is the one nerdctl wrote for this run (never
   * looked up by name: a name another container has makes the run fail,
   * and that container is not this one).
   */
  async build(): Promise<this> {
    const spec = this.spec()
    if (this.replaceExisting) {
      await containers
        .remove(this.name, { ...this.callOptions, force: true })
        .catch((e: unknown) => {
          if (!isNoSuchContainer(e)) throw e
        })
      this.replaceExisting = false
    }
    const result = await runSpec(spec, this.callOptions)
    this.containerId = result.containerId
    this.runResult = spec.detach === false ? result : undefined
    return this
  }

  /**
   * Makes sure the container runs: creates it (pulling its image if missing)
   * when it does not exist, starts it when it is stopped, then checks it is
   * running; if not, the error carries its status, exit code and last logs.
   */
  async start(): Promise<this> {
    let status = await containers.inspect(this.ref, this.callOptions).catch((e: unknown) => {
      if (isNoSuchContainer(e)) return undefined
      throw e
    })
    if (!status) {
      const spec = this.spec()
      if (!(await imageExists(spec.image, this.callOptions)))
        await imagePull(spec.image, this.callOptions)
      this.containerId = await create({ ...spec, pull: 'never' }, this.callOptions)
    } else {
      this.containerId = status.id
    }
    if (!status?.running) await nerdctl(['start', this.ref], this.callOptions)
    status = await containers.inspect(this.ref, this.callOptions)
    if (!status.running) {
      const lastLogs = await logTail(this.ref, undefined, this.callOptions)
      throw new NerdctlError(
        'Other',
        `container ${this.name} did not stay running: it is ${status.status}, exit code ${status.exitCode}` +
          (status.error ? ` (${status.error})` : '') +
          `\nLast log lines:\n${tail(lastLogs) || '(no output)'}`,
        { containerStatus: status, logs: lastLogs }
      )
    }
    return this
  }

  async stop(options: { timeSeconds?: number } = {}): Promise<this> {
    await containers.stop(this.ref, { ...this.callOptions, ...options })
    return this
  }

  /** Removes the container; `force` (default true) also removes it while running. */
  async remove(options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    await containers.remove(this.ref, {
      ...this.callOptions,
      force: options.force ?? true,
      volumes: options.volumes
    })
    this.containerId = undefined
  }

  /** A string runs via /bin/sh -c inside the container; an array runs as argv. */
  exec(
    command: string | readonly string[],
    options: ContainerExecOptions = {}
  ): Promise<CommandResult> {
    return containers.exec(this.ref, command, { ...this.callOptions, ...options })
  }

  /** `container:/path` or a host path on either side; `:/path` alone means this container. */
  copy(source: string, dest: string): Promise<void> {
    return containers.copy(
      expandOwnPath(source, this.ref),
      expandOwnPath(dest, this.ref),
      this.callOptions
    )
  }

  status(): Promise<ContainerStatus> {
    return containers.inspect(this.ref, this.callOptions)
  }

  /** none, starting, healthy or unhealthy. */
  async healthStatus(): Promise<string> {
    return (await this.status()).healthStatus
  }

  logs(options: Omit<LogsOptions, keyof CallOptions> = {}): Promise<CommandResult> {
    return logs(this.ref, { ...this.callOptions, ...options })
  }

  resources(): Promise<ResourceUsage> {
    return containers.stats(this.ref, this.callOptions)
  }

  /** Commits the container to a new image; returns the image ID. */
  commit(imageName: string): Promise<string> {
    return imageCommit(this.ref, imageName, this.callOptions)
  }

  /** Writes the container's filesystem to a tarball, atomically. */
  export(path: string): Promise<void> {
    return containers.exportContainer(this.ref, path, this.callOptions)
  }

  waitForHealthy(options: WaitOptions = {}): Promise<ContainerStatus> {
    return waitForHealthy(this.ref, { ...this.callOptions, ...options })
  }

  /**
   * Waits until the container is ready by every check given (health, TCP
   * ports, HTTP, a log line, a command), polled at most 250 ms apart; fails
   * fast, with its last logs, when it exits.
   */
  waitFor(spec: ReadinessSpec = {}, options: ReadinessOptions = {}): Promise<ReadyResult> {
    return waitFor(this.ref, spec, { ...this.callOptions, ...options })
  }
}
