// Networks: create one (labelled, so its owner finds it again), remove it,
// list networks by label. A service environment lives on a network of its own.
import { invalidValue, isNerdctlError } from '../base/errors.js'
import type { NetworkSummary } from '../base/types.js'
import { clientOf, nerdctl, type CallOptions } from '../exec/call.js'
import { parseJsonArray, parseJsonLines } from '../pure/json.js'
import { networkSubnets, pickSubnet, toNetworkSummary } from '../pure/listings.js'
import { CONTAINER_NAME, checkNetworkName } from '../pure/validate.js'

export interface NetworkCreateOptions extends CallOptions {
  /** Besides the client's own labels, which every network gets first, as containers do. */
  labels?: readonly (readonly [string, string])[]
  /** `10.4.200.0/24`; default nerdctl's pick. */
  subnet?: string
}

/** `nerdctl network create` of a bridge network; returns its ID. */
export async function networkCreate(
  name: string,
  options: NetworkCreateOptions = {}
): Promise<string> {
  checkNetworkName(name)
  const args = ['network', 'create']
  const labels = [...(clientOf(options).options.labels ?? []), ...(options.labels ?? [])]
  for (const [k, v] of labels) args.push('--label', `${k}=${v}`)
  if (options.subnet) {
    if (!/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(options.subnet))
      throw invalidValue(
        'subnet',
        `subnet ${JSON.stringify(options.subnet)} is not CIDR, e.g. 10.4.200.0/24`
      )
    args.push('--subnet', options.subnet)
  }
  args.push(name)
  const { stdout } = await nerdctl(args, options)
  return stdout.trim()
}

/** `nerdctl network rm`. */
export async function networkRemove(name: string, options: CallOptions = {}): Promise<void> {
  checkNetworkName(name)
  await nerdctl(['network', 'rm', name], options)
}

/** `nerdctl network ls`, narrowed by `label=KEY[=VALUE]` filters. */
export async function networkList(
  options: CallOptions & { filters?: readonly string[] } = {}
): Promise<NetworkSummary[]> {
  const args = ['network', 'ls', '--format', '{{json .}}']
  for (const f of options.filters ?? []) args.push('--filter', f)
  const { stdout } = await nerdctl(args, options)
  return parseJsonLines(stdout, 'network ls output').map(toNetworkSummary)
}

/** The subnets of every network nerdctl knows, by network name. */
export async function allSubnets(options: CallOptions = {}): Promise<Map<string, string[]>> {
  const names = (await networkList(options)).map(n => n.name).filter(n => CONTAINER_NAME.test(n))
  if (names.length === 0) return new Map()
  const { stdout } = await nerdctl(['network', 'inspect', ...names], options, {
    allowFailure: true
  })
  return networkSubnets(parseJsonArray(stdout.trim() || '[]', 'network inspect output'))
}

/**
 * Creates a network on a subnet no other network has, even when other steps
 * create networks at the same moment: nerdctl alone gives concurrent creates
 * the same subnet, and then traffic goes to the wrong containers. Picks a free
 * subnet at random, creates, checks nobody else took it, and retries if so.
 */
export async function networkCreateIsolated(
  name: string,
  options: NetworkCreateOptions = {}
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const before = await allSubnets(options)
    const subnet = pickSubnet(new Set([...before.values()].flat()), Math.random())
    if (!subnet) return networkCreate(name, options)
    let id: string
    try {
      id = await networkCreate(name, { ...options, subnet })
    } catch (e: unknown) {
      // Another step took the subnet between the listing and this create,
      // and nerdctl saw it: pick again.
      if (
        attempt < 4 &&
        isNerdctlError(e, 'CommandFailed') &&
        /overlaps with other/i.test(e.stderr)
      )
        continue
      throw e
    }
    const after = await allSubnets(options)
    const clash = [...after.entries()].some(([n, s]) => n !== name && s.includes(subnet))
    if (!clash || attempt >= 4) return id
    await networkRemove(name, options)
  }
}
