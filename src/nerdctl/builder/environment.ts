// Environment: several services on a network of their own, started in
// dependency order and each waited for until ready, then torn down together.
//
// Names: the network is the environment's name, each container is
// `NETWORK-KEY` (unique while the network's name is), and each container's
// hostname is its key. nerdctl has no --network-alias, but it writes every
// container's hostname into the /etc/hosts of the others on the network, so
// the others reach a service by the key users wrote, while two environments
// on one machine, with the same keys, never collide.
import { DEFAULT_LOG_LINES, DEFAULT_WAIT_TIMEOUT_MS } from '../base/defaults.js'
import { NerdctlError, isNerdctlError, isNoSuchContainer, isNoSuchNetwork } from '../base/errors.js'
import { errorMessage } from '../base/text.js'
import type { ContainerStatus, EnvironmentSpec, ServiceInfo, ServiceSpec } from '../base/types.js'
import type { CallOptions } from '../exec/call.js'
import { serviceContainerName, validateEnvironment } from '../pure/services.js'
import { networkCreateIsolated, networkRemove } from '../ops/networks.js'
import { remove, waitExit } from '../ops/containers.js'
import { logTail } from '../ops/logs.js'
import { volumeCreate, volumeInspect, volumeRemove } from '../ops/volumes.js'
import type { ReadinessOptions } from '../ops/readiness.js'
import { Container } from './container.js'

export interface EnvironmentOptions extends Omit<CallOptions, 'stream'> {
  /** Leave what was started in place when a service fails (default: remove it all). */
  keepOnFailure?: boolean
  /** Called when a service's container has started, before it is ready. */
  onStarted?: (key: string, container: Container) => void
  /** Called when a service is ready. */
  onReady?: (service: ServiceInfo) => void
  readiness?: Pick<ReadinessOptions, 'logLines' | 'maxPollMs' | 'nerdctlProbes' | 'clock'>
}

/** Container port (`5432`, or `53/udp`) to the first host port bound to it. */
function portMap(status: ContainerStatus): Record<string, string> {
  const ports: Record<string, string> = {}
  for (const p of status.ports) {
    const key = p.containerPort.replace(/\/tcp$/, '')
    if (p.hostPort && !(key in ports)) ports[key] = p.hostPort
  }
  return ports
}

export class Environment {
  readonly network: string
  /** The service containers by key, as they start. */
  readonly containers = new Map<string, Container>()
  /** The services by key, as they become ready. */
  readonly services = new Map<string, ServiceInfo>()
  /** Networks and named volumes this environment created, which stop() removes. */
  private readonly networksCreated: string[] = []
  private readonly volumesCreated: string[] = []
  private readonly call: CallOptions

  private constructor(network: string, call: CallOptions) {
    this.network = network
    this.call = call
  }

  /**
   * Creates the network and starts every service: those whose dependencies
   * are ready start together, and each one starts as soon as everything it
   * depends on is ready, so the time taken is the longest chain, not the sum.
   * The first failure stops the other waits; then, unless `keepOnFailure`,
   * everything started is removed, and the error names the service.
   */
  static async start(
    spec: EnvironmentSpec,
    options: EnvironmentOptions = {}
  ): Promise<Environment> {
    validateEnvironment(spec)
    const abort = new AbortController()
    const onAbort = (): void => abort.abort()
    options.signal?.addEventListener('abort', onAbort, { once: true })
    const call: CallOptions = { client: options.client, signal: abort.signal }
    if (options.timeoutMs !== undefined) call.timeoutMs = options.timeoutMs
    const env = new Environment(spec.network, { ...call, signal: options.signal })
    try {
      // In order: an isolated create picks a subnet none of the others has.
      for (const net of [{ name: spec.network }, ...(spec.networks ?? [])]) {
        await networkCreateIsolated(net.name, {
          ...call,
          labels: [...(spec.labels ?? []), ...('labels' in net ? (net.labels ?? []) : [])]
        })
        env.networksCreated.push(net.name)
      }
      await env.createVolumes(spec, call)
      const ready = new Map<string, Promise<void>>()
      const started = new Map<string, Deferred>()
      const startedOf = (key: string): Deferred => {
        let d = started.get(key)
        if (!d) {
          d = deferred()
          started.set(key, d)
        }
        return d
      }
      env.launch = key => {
        let p = ready.get(key)
        if (!p) {
          const s = startedOf(key)
          p = env.startService(spec, key, call, abort.signal, options, s.resolve)
          // The first failure stops the waits of the others.
          p.catch((e: unknown) => {
            s.reject(e)
            abort.abort()
          })
          ready.set(key, p)
        }
        return p
      }
      env.started = key => {
        void env.launch(key)
        return startedOf(key).promise
      }
      for (const key of Object.keys(spec.services)) void env.launch(key)
      const results = await Promise.allSettled([...ready.values()])
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
      // A service skipped because another failed is not the cause; the first real error is.
      const cause = results
        .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
        .map(r => r.reason as unknown)
        .find(e => !(e instanceof SkippedError))
      if (failed && options.signal?.aborted)
        throw new NerdctlError('Cancelled', 'starting the services was cancelled')
      if (failed) throw cause ?? failed.reason
      return env
    } catch (e: unknown) {
      if (!options.keepOnFailure) await env.stop().catch(() => undefined)
      throw e
    } finally {
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  /** The named volumes the services mount: each missing one is created, labelled, and owned. */
  private async createVolumes(spec: EnvironmentSpec, call: CallOptions): Promise<void> {
    for (const v of spec.volumes ?? []) {
      if (await volumeInspect(v.name, call)) continue
      await volumeCreate(v.name, { ...call, labels: [...(spec.labels ?? []), ...(v.labels ?? [])] })
      this.volumesCreated.push(v.name)
    }
  }

  private async startService(
    spec: EnvironmentSpec,
    key: string,
    call: CallOptions,
    signal: AbortSignal,
    options: EnvironmentOptions,
    onStarted: () => void
  ): Promise<void> {
    const service = spec.services[key]
    if (!service) throw new Error(`no service ${key}`)
    // Every dependency is started (once) and waited for, as far as its
    // condition asks, before this one.
    const deps = service.dependsOn ?? []
    await Promise.all(
      deps.map(d => (service.conditions?.[d] === 'started' ? this.started(d) : this.launch(d)))
    ).catch((e: unknown) => {
      throw signal.aborted ? new SkippedError(key) : e
    })
    if (signal.aborted) throw new SkippedError(key)
    const name = service.name ?? serviceContainerName(spec.network, key)
    const [first, ...more] = service.networks ?? [spec.network]
    const container = Container.fromSpec(
      {
        ...service.container,
        labels: [...(spec.labels ?? []), ...(service.container.labels ?? [])],
        name,
        network: first,
        // nerdctl joins every --network given; the spec models one.
        extraArgs: [...(service.container.extraArgs ?? []), ...more.flatMap(n => ['--network', n])],
        hostname: key,
        detach: true
      },
      call
    )
    try {
      await container.build()
    } catch (e: unknown) {
      throw new NerdctlError('Other', `service ${key}: could not start: ${errorMessage(e)}`, {
        cause: e
      })
    }
    this.containers.set(key, container)
    onStarted()
    options.onStarted?.(key, container)
    try {
      const info = service.oneShot
        ? await this.completion(key, name, container, first ?? spec.network, service, call)
        : await this.readiness(key, name, container, first ?? spec.network, service, call, options)
      this.services.set(key, info)
      options.onReady?.(info)
    } catch (e: unknown) {
      if (signal.aborted && !(e instanceof NerdctlError && e.kind !== 'Cancelled'))
        throw new SkippedError(key)
      const inner = e instanceof NerdctlError ? e : undefined
      throw new NerdctlError(
        inner?.kind === 'Timeout' ? 'Timeout' : 'Other',
        `service ${key}: ${errorMessage(e)}`,
        { cause: e, containerStatus: inner?.containerStatus, logs: inner?.logs }
      )
    }
  }

  /** A long-running service: ready by its readiness spec (ready for clients by default). */
  private async readiness(
    key: string,
    name: string,
    container: Container,
    network: string,
    service: ServiceSpec,
    call: CallOptions,
    options: EnvironmentOptions
  ): Promise<ServiceInfo> {
    const r = await container.waitFor(service.readiness ?? {}, { ...call, ...options.readiness })
    return {
      key,
      id: r.status.id,
      name,
      ip: r.status.ipAddress,
      network,
      ports: portMap(r.status),
      health: r.status.healthStatus,
      readyMs: r.readyMs
    }
  }

  /** A one-shot: done when it exits 0; any other code fails, with its last logs. */
  private async completion(
    key: string,
    name: string,
    container: Container,
    network: string,
    service: ServiceSpec,
    call: CallOptions
  ): Promise<ServiceInfo> {
    const id = container.containerId ?? name
    const t0 = Date.now()
    const timeoutMs = service.readiness?.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS
    let code: number
    try {
      code = await waitExit(id, { ...call, timeoutMs })
    } catch (e: unknown) {
      if (isNerdctlError(e, 'Timeout'))
        throw new NerdctlError(
          'Timeout',
          `did not exit within ${timeoutMs} ms\n--- last logs ---\n${await logTail(id, DEFAULT_LOG_LINES, this.call)}`,
          { cause: e }
        )
      throw e
    }
    if (code !== 0) {
      const tail = await logTail(id, DEFAULT_LOG_LINES, this.call)
      throw new NerdctlError('Other', `exited with code ${code}\n--- last logs ---\n${tail}`, {
        logs: tail
      })
    }
    return {
      key,
      id,
      name,
      ip: '',
      network,
      ports: {},
      health: 'none',
      readyMs: Date.now() - t0,
      exitCode: code
    }
  }

  /** Set by start(): starts a service once (and its dependencies first) and waits until it is ready. */
  private launch: (key: string) => Promise<void> = () => Promise.resolve()
  /** Set by start(): launches a service and resolves once its container has started. */
  private started: (key: string) => Promise<void> = () => Promise.resolve()

  /** Removes every service container (running or not), then the network. Never throws for what is already gone. */
  async stop(): Promise<void> {
    const problems: string[] = []
    await Promise.all(
      [...this.containers.entries()].map(async ([key, c]) => {
        try {
          // By the ID it was started with, never the name, which another
          // container may hold. Not through the container's own options:
          // their signal is the one a failure aborted.
          if (c.containerId)
            await remove(c.containerId, { ...this.call, force: true, volumes: true })
        } catch (e: unknown) {
          if (!isNoSuchContainer(e)) problems.push(`service ${key}: ${errorMessage(e)}`)
        }
      })
    )
    this.containers.clear()
    for (const name of this.networksCreated.splice(0)) {
      try {
        await networkRemove(name, this.call)
      } catch (e: unknown) {
        if (!isNoSuchNetwork(e)) problems.push(`network ${name}: ${errorMessage(e)}`)
      }
    }
    for (const name of this.volumesCreated.splice(0)) {
      try {
        await volumeRemove(name, this.call)
      } catch (e: unknown) {
        problems.push(`volume ${name}: ${errorMessage(e)}`)
      }
    }
    if (problems.length > 0)
      throw new NerdctlError(
        'Other',
        `the environment was not removed whole:\n${problems.join('\n')}`
      )
  }
}

interface Deferred {
  promise: Promise<void>
  resolve: () => void
  reject: (e: unknown) => void
}

function deferred(): Deferred {
  let resolve: () => void = () => undefined
  let reject: (e: unknown) => void = () => undefined
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  // A dependant may never ask; its rejection must not go unhandled.
  promise.catch(() => undefined)
  return { promise, resolve, reject }
}

/** A service not started because another one failed first. */
class SkippedError extends Error {
  constructor(key: string) {
    super(`service ${key} was not started: another service failed first`)
  }
}

/** Starts an environment of services; see Environment.start. */
export function startServices(
  spec: EnvironmentSpec,
  options: EnvironmentOptions = {}
): Promise<Environment> {
  return Environment.start(spec, options)
}
