// Starts the services input's environment: removes what killed jobs left
// behind (reap), logs in for images that need credentials, creates the step's
// network, starts the services in depends-on order and waits until each is
// ready, then sets the `services` output and a summary row per service. The
// post step removes the containers (by the step's label) and the network.
import * as core from '../workflow.js'
import {
  errorMessage,
  inspect,
  isNoSuchContainer,
  isNoSuchNetwork,
  list,
  login,
  logout,
  networkList,
  networkRemove,
  registryOf,
  remove,
  startServices,
  type CallOptions,
  type ServiceInfo,
  randomHex,
  volumeList,
  volumeRemove
} from '../../nerdctl/index.js'
import { JOB_LABEL, LOGOUT_TIMEOUT_MS, OWNER_LABEL, Output } from '../constants.js'
import { markerAlive, systemProcView } from '../job-marker.js'
import type { ServiceDefinition } from '../inputs/index.js'
import type { Phase, StepContext } from './context.js'
import { prepareVolumes } from '../volumes.js'
import { pinVerified } from '../signing.js'

/** The step network's name: unique per step, so two jobs on one runner never collide. */
function networkName(): string {
  return `nerdctl-action-${process.env.GITHUB_RUN_ID ?? 'local'}-svc-${randomHex(3)}`
}

/**
 * Removes the containers (services, the single container, a script's),
 * networks and named volumes of this action whose job marker names a process that is certainly
 * gone, with their anonymous volumes. Only what carries both of the action's
 * labels is looked at; a marker that cannot be judged is left alone.
 */
export async function reapLeftovers(call: CallOptions): Promise<string[]> {
  const removed: string[] = []
  const view = systemProcView()
  const filters = [`label=${JOB_LABEL}`]
  // The three listings at once (reap runs beside the step's own start);
  // removal stays in order: a volume is free only once its container is gone.
  const [containers, networks, volumes] = await Promise.all([
    list(true, { ...call, filters }),
    networkList({ ...call, filters }),
    volumeList({ ...call, filters })
  ])
  /** Removes one leftover whose job is certainly gone; `gone` says a failure means it already went. */
  const reap = async (
    kind: string,
    name: string,
    labels: Readonly<Record<string, string>> | undefined,
    rm: () => Promise<unknown>,
    gone: (e: unknown) => boolean = () => false
  ): Promise<void> => {
    const marker = labels?.[JOB_LABEL]
    if (!marker || !labels[OWNER_LABEL] || markerAlive(marker, view)) return
    try {
      await rm()
      removed.push(`${kind} ${name}`)
      core.info(`reap: removed ${kind} ${name} (its job ${marker} no longer runs)`)
    } catch (e: unknown) {
      if (!gone(e)) core.warning(`reap: could not remove ${kind} ${name}: ${errorMessage(e)}`)
    }
  }
  for (const c of containers) {
    // Its labels as inspect reads them now; a container gone since is skipped.
    const status = await inspect(c.id, call).catch(() => undefined)
    if (!status) continue
    await reap(
      'container',
      status.name,
      status.labels,
      () => remove(c.id, { ...call, force: true, volumes: true }),
      isNoSuchContainer
    )
  }
  for (const n of networks)
    await reap('network', n.name, n.labels, () => networkRemove(n.name, call), isNoSuchNetwork)
  for (const v of volumes) await reap('volume', v.name, v.labels, () => volumeRemove(v.name, call))
  return removed
}

/** Logs in to each registry a service's credentials are for; returns those to log out of. */
async function logins(
  step: StepContext,
  defs: Record<string, ServiceDefinition>
): Promise<string[]> {
  const done = new Set<string>()
  for (const [key, def] of Object.entries(defs)) {
    if (!def.credentials) continue
    const registry = registryOf(def.spec.container.image)
    if (done.has(registry)) continue
    // The step's own login (the registry input) stays; a second one would replace it, and the logout end it.
    const own = step.plan.registry.login
    if (own && (own.registry || 'docker.io') === registry) {
      core.info(`${key}: using the step's login to ${registry}`)
      continue
    }
    // Into the step's own Docker config (main gives the step one whenever a
    // service has credentials), never the runner user's, which every job shares.
    await login({
      ...step.call,
      registry: registry === 'docker.io' ? undefined : registry,
      ...def.credentials
    })
    core.info(`${key}: logged in to ${registry} as ${def.credentials.username}`)
    done.add(registry)
  }
  return [...done]
}

/** One service of the `services` output, in the shape of `job.services.<key>`. */
function outputOf(s: ServiceInfo): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    ip: s.ip,
    network: s.network,
    ports: s.ports,
    health: s.health,
    'ready-ms': s.readyMs
  }
}

export const services: Phase = async step => {
  const defs = step.plan.services.services
  const keys = Object.keys(defs)
  if (keys.length === 0) return
  await step.report.phase('services', async () => {
    // Leftovers of killed jobs are looked for alongside this step's own start:
    // they carry other (dead) job markers, never this step's network or
    // containers, so nothing here waits for the look.
    const reaping = step.plan.services.reap
      ? reapLeftovers(step.call).catch((e: unknown) => {
          core.warning(`reap: could not look for leftovers: ${errorMessage(e)}`)
          return []
        })
      : Promise.resolve([])
    try {
      await startAll(step, defs, keys)
    } finally {
      const removed = await reaping
      if (removed.length > 0)
        step.report.note(`reaped ${removed.length} leftover(s) of killed jobs`)
    }
  })
}

/** The step's network and every service on it, ready; outputs and summary rows as they go. */
async function startAll(
  step: StepContext,
  defs: Record<string, ServiceDefinition>,
  keys: string[]
): Promise<void> {
  const network = networkName()
  // Saved before it exists: the post step removes it after any crash.
  step.state.saveNetworks([network])
  await prepareVolumes(
    keys.flatMap(k => (defs[k] as ServiceDefinition).spec.container.volumes ?? []),
    step
  )
  const registries = await logins(step, defs)
  const ready: Record<string, ServiceInfo> = {}
  const rows = new Map(
    keys.map(k => [
      k,
      { key: k, ok: false, detail: 'not started', readyMs: undefined as number | undefined }
    ])
  )
  try {
    // With verify: cosign, every service image is verified (after the logins
    // it may need) before any service starts, and runs as the digest verified.
    const specs = keys.map(k => (defs[k] as ServiceDefinition).spec)
    const images = await pinVerified(
      step,
      specs.map(s => s.container.image)
    )
    await startServices(
      {
        network,
        services: Object.fromEntries(
          keys.map((k, i) => {
            const spec = specs[i] as ServiceDefinition['spec']
            return [k, { ...spec, container: { ...spec.container, image: images[i] as string } }]
          })
        )
      },
      {
        ...step.call,
        // The post step removes everything, after the logs phase has shown them.
        keepOnFailure: true,
        onStarted: (key, container) => {
          if (container.containerId) step.services.set(key, container.containerId)
          core.info(`${key}: started ${container.name} (${container.containerId?.slice(0, 12)})`)
          const row = rows.get(key)
          if (row) row.detail = 'started, not ready'
        },
        onReady: s => {
          ready[s.key] = s
          core.info(
            `${s.key}: ready after ${s.readyMs} ms at ${s.ip}${Object.keys(s.ports).length ? `, ports ${JSON.stringify(s.ports)}` : ''}`
          )
          rows.set(s.key, {
            key: s.key,
            ok: true,
            detail: `${s.name} at ${s.ip}`,
            readyMs: s.readyMs
          })
        }
      }
    )
  } catch (e: unknown) {
    const message = errorMessage(e)
    const failedKey = /^service ([^:\s]+):/.exec(message)?.[1]
    const row = failedKey ? rows.get(failedKey) : undefined
    if (row) row.detail = message.split('\n')[0] ?? ''
    step.report.section(`service ${failedKey ?? ''} failed`.replace('  ', ' '), message)
    throw e
  } finally {
    step.report.services.push(...rows.values())
    step.report.set(
      Output.Services,
      JSON.stringify(Object.fromEntries(Object.entries(ready).map(([k, s]) => [k, outputOf(s)])))
    )
    // Not under the job's signal: when the job was cancelled that one is
    // aborted already, and the credentials must still go.
    const ownLimit = { ...step.call, signal: AbortSignal.timeout(LOGOUT_TIMEOUT_MS) }
    for (const registry of registries)
      await logout(registry === 'docker.io' ? undefined : registry, ownLimit).catch((e: unknown) =>
        core.warning(`logout from ${registry} failed: ${errorMessage(e)}`)
      )
  }
  step.report.note(`${keys.length} service(s) on ${network}`)
}
