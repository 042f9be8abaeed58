// Environment: several services on a network of their own, started in
// dependency order and each waited for until ready, then torn down together.
//
// Names: the network is the environment's name, each container is
// `NETWORK-KEY` (unique while the network's name is), and each container's
// hostname is its key. nerdctl has no --network-alias, but it writes every
// container's hostname into the /etc/hosts of the others on the network, so
// the others reach a service by the key users wrote, while two environments
// on one machine, with the same keys, never collide.
import { NerdctlError, isNoSuchContainer, isNoSuchNetwork } from '../base/errors.js'
import { errorMessage } from '../base/text.js'
import type { ContainerStatus, EnvironmentSpec, ServiceInfo } from '../base/types.js'
import type { CallOptions } from '../exec/call.js'
import { serviceContainerName, validateEnvironment } from '../pure/services.js'
import { networkCreateIsolated, networkRemove } from '../ops/networks.js'
import { remove } from '../ops/containers.js'
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
  private networkCreated = false
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
      await networkCreateIsolated(spec.network, { ...call, labels: spec.labels ?? [] })
      env.networkCreated = true
      const ready = new Map<string, Promise<void>>()
      env.launch = key => {
        let p = ready.get(key)
        if (!p) {
          p = env.startService(spec, key, call, abort.signal, options)
          // The first failure stops the waits of the others.
          p.catch(() => abort.abort())
          ready.set(key, p)
        }
        return p
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

  private async startService(
    spec: EnvironmentSpec,
    key: string,
    call: CallOptions,
    signal: AbortSignal,
    options: EnvironmentOptions
  ): Promise<void> {
    const service = spec.services[key]
    if (!service) throw new Error(`no service ${key}`)
    // Every dependency is started (once) and waited for before this one.
    const deps = service.dependsOn ?? []
    await Promise.all(deps.map(d => this.launch(d)))
    if (signal.aborted) throw new SkippedError(key)
    const name = serviceContainerName(spec.network, key)
    const container = Container.fromSpec(
      {
        ...service.container,
        labels: [...(spec.labels ?? []), ...(service.container.labels ?? [])],
        name,
        network: spec.network,
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
    options.onStarted?.(key, container)
    try {
      const r = await container.waitFor(service.readiness ?? {}, { ...call, ...options.readiness })
      const info: ServiceInfo = {
        key,
        id: r.status.id,
        name,
        ip: r.status.ipAddress,
        network: spec.network,
        ports: portMap(r.status),
        health: r.status.healthStatus,
        readyMs: r.readyMs
      }
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

  /** Set by start(): starts a service once (and its dependencies first) and waits until it is ready. */
  private launch: (key: string) => Promise<void> = () => Promise.resolve()

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
    if (this.networkCreated) {
      try {
        await networkRemove(this.network, this.call)
      } catch (e: unknown) {
        if (!isNoSuchNetwork(e)) problems.push(`network ${this.network}: ${errorMessage(e)}`)
      }
      this.networkCreated = false
    }
    if (problems.length > 0)
      throw new NerdctlError(
        'Other',
        `the environment was not removed whole:\n${problems.join('\n')}`
      )
  }
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
