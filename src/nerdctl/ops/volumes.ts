// Named volumes: create one (labelled with the client's labels, so its owner
// finds it again and a later job reaps it when the owner was killed), look one
// up, list volumes by label, remove one. nerdctl would create a named volume
// implicitly at `run`, without labels, and then nobody ever removes it.
import { NerdctlError } from '../base/errors.js'
import { clientOf, nerdctl, type CallOptions } from '../exec/call.js'
import { parseJsonArray, parseJsonLines } from '../pure/json.js'
import { parseLabelList } from '../pure/listings.js'
import { checkNetworkName } from '../pure/validate.js'

export interface VolumeSummary {
  name: string
  labels: Record<string, string>
}

export function checkVolumeName(name: string): void {
  checkNetworkName(name, 'volume name', 'volume')
}

/**
 * The named volume a `-v`/`volumes` entry (`NAME:/path[:opts]`) refers to, or
 * undefined for a host path (`/x`, `./x`, `~/x`) or an anonymous volume (`/path`).
 */
export function namedVolumeOf(entry: string): string | undefined {
  const colon = entry.indexOf(':')
  if (colon <= 0) return undefined
  const source = entry.slice(0, colon)
  return /^[/.~]/.test(source) ? undefined : source
}

function labelsOf(value: unknown): Record<string, string> {
  if (typeof value === 'string') return parseLabelList(value)
  if (typeof value !== 'object' || value === null) return {}
  const labels: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') labels[k] = v
  return labels
}

/**
 * `nerdctl volume create` with the client's labels and any given. Creating a
 * name that exists succeeds and keeps the old volume's labels: a caller that
 * must know whether it made the volume inspects it afterwards.
 */
export async function volumeCreate(
  name: string,
  options: CallOptions & { labels?: readonly (readonly [string, string])[] } = {}
): Promise<void> {
  checkVolumeName(name)
  const args = ['volume', 'create']
  const labels = [...(clientOf(options).options.labels ?? []), ...(options.labels ?? [])]
  for (const [k, v] of labels) args.push('--label', `${k}=${v}`)
  args.push(name)
  await nerdctl(args, options)
}

/** `nerdctl volume inspect`: the volume, or undefined when there is none of that name. */
export async function volumeInspect(
  name: string,
  options: CallOptions = {}
): Promise<VolumeSummary | undefined> {
  checkVolumeName(name)
  const r = await nerdctl(['volume', 'inspect', name], options, { allowFailure: true })
  if (r.exitCode !== 0) {
    if (/not found|no such volume|does not exist/i.test(r.stderr)) return undefined
    throw new NerdctlError('CommandFailed', `volume inspect ${name} failed`, r)
  }
  const [v] = parseJsonArray(r.stdout.trim() || '[]', 'volume inspect output')
  if (!v) return undefined
  return { name: typeof v.Name === 'string' ? v.Name : name, labels: labelsOf(v.Labels) }
}

/** `nerdctl volume ls`, narrowed by `label=KEY[=VALUE]` filters. */
export async function volumeList(
  options: CallOptions & { filters?: readonly string[] } = {}
): Promise<VolumeSummary[]> {
  const args = ['volume', 'ls', '--format', '{{json .}}']
  for (const f of options.filters ?? []) args.push('--filter', f)
  const { stdout } = await nerdctl(args, options)
  return parseJsonLines(stdout, 'volume ls output').map(v => ({
    name: typeof v.Name === 'string' ? v.Name : '',
    labels: labelsOf(v.Labels)
  }))
}

/** `nerdctl volume rm` (fails while a container uses it). */
export async function volumeRemove(name: string, options: CallOptions = {}): Promise<void> {
  checkVolumeName(name)
  await nerdctl(['volume', 'rm', name], options)
}
