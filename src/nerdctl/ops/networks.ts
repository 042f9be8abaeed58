// Networks: create one (labelled, so its owner finds it again), remove it,
// list networks by label. A service environment lives on a network of its own.
import type { NetworkSummary } from '../base/types.js'
import { clientOf, nerdctl, type CallOptions } from '../exec/call.js'
import { parseJsonLines } from '../pure/json.js'
import { toNetworkSummary } from '../pure/listings.js'
import { checkNetworkName } from '../pure/validate.js'

export interface NetworkCreateOptions extends CallOptions {
  /** Besides the client's own labels, which every network gets first, as containers do. */
  labels?: readonly (readonly [string, string])[]
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
