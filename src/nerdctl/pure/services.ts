// Pure parts of a service environment: the start order its depends-on lists
// give (checked for unknown keys and cycles before anything starts), and the
// names its containers get.
import { invalidValue } from '../base/errors.js'
import type { EnvironmentSpec } from '../base/types.js'
import { checkNetworkName, checkServiceKey } from './validate.js'
import { validateReadiness } from './readiness.js'
import { validateSpec } from './run-args.js'

/**
 * The services in waves: each wave depends only on earlier ones, so a wave
 * can start together. Throws on an unknown key, a service depending on
 * itself, or a cycle (named in the message), before anything starts.
 */
export function startWaves(
  services: Readonly<Record<string, { dependsOn?: readonly string[] | undefined }>>,
  field = 'services'
): string[][] {
  const keys = Object.keys(services)
  for (const key of keys) {
    for (const dep of services[key]?.dependsOn ?? []) {
      if (dep === key) throw invalidValue(field, `service "${key}" depends on itself`)
      if (!(dep in services))
        throw invalidValue(
          field,
          `service "${key}" depends on "${dep}", which is not a service here (services: ${keys.join(', ')})`
        )
    }
  }
  const waves: string[][] = []
  const placed = new Set<string>()
  while (placed.size < keys.length) {
    const wave = keys.filter(
      k => !placed.has(k) && (services[k]?.dependsOn ?? []).every(d => placed.has(d))
    )
    if (wave.length === 0) {
      const left = keys.filter(k => !placed.has(k))
      throw invalidValue(
        field,
        `depends-on has a cycle among: ${cycleOf(services, left).join(' -> ')}`
      )
    }
    for (const k of wave) placed.add(k)
    waves.push(wave)
  }
  return waves
}

/** One cycle among `left` (all of which wait on each other), for the message. */
function cycleOf(
  services: Readonly<Record<string, { dependsOn?: readonly string[] | undefined }>>,
  left: string[]
): string[] {
  const path: string[] = []
  let k = left[0] as string
  while (!path.includes(k)) {
    path.push(k)
    k = (services[k]?.dependsOn ?? []).find(d => left.includes(d)) ?? k
  }
  return [...path.slice(path.indexOf(k)), k]
}

/** The container name of a service: unique per environment, ending in its key. */
export function serviceContainerName(network: string, key: string): string {
  return `${network}-${key}`
}

/** Checks a whole environment before anything runs. */
export function validateEnvironment(spec: EnvironmentSpec): string[][] {
  checkNetworkName(spec.network)
  const networks = [spec.network, ...(spec.networks ?? []).map(n => n.name)]
  for (const n of networks) checkNetworkName(n)
  for (const [key, service] of Object.entries(spec.services)) {
    checkServiceKey(key)
    validateSpec({
      ...service.container,
      name: service.name ?? serviceContainerName(spec.network, key),
      hostname: key
    })
    if (service.readiness) validateReadiness(service.readiness)
    for (const n of service.networks ?? [])
      if (!networks.includes(n))
        throw invalidValue(
          'services',
          `service "${key}" joins network "${n}", which the environment does not have (networks: ${networks.join(', ')})`
        )
    for (const [dep, condition] of Object.entries(service.conditions ?? {})) {
      if (!(service.dependsOn ?? []).includes(dep))
        throw invalidValue(
          'services',
          `service "${key}" has a condition on "${dep}", which is not in its depends-on list`
        )
      if (condition === 'completed' && !spec.services[dep]?.oneShot)
        throw invalidValue(
          'services',
          `service "${key}" waits for "${dep}" to complete, but "${dep}" is not a one-shot service: mark it oneShot`
        )
    }
  }
  if (Object.keys(spec.services).length === 0)
    throw invalidValue('services', 'an environment needs at least one service')
  return startWaves(spec.services)
}
