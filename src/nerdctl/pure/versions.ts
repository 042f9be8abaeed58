// Which versions of nerdctl, containerd and BuildKit the library supports, and
// which feature needs which: the one table every part of the project reads
// (the action's version check, `requireFeatures` for the library's users, the
// README's Requirements section). The feature gates follow docker/actions-toolkit,
// which asks `versionSatisfies` before it uses what a Buildx release added:
// here a step that needs a newer tool than the runner has fails by the
// feature's name before anything runs, instead of deep inside a call.
import { NerdctlError } from '../base/errors.js'
import { parseJsonArray } from './json.js'

export type Tool = 'nerdctl' | 'containerd' | 'buildkit'

/** What the runner has; a tool whose version could not be read is absent. */
export type ToolVersions = Partial<Record<Tool, string>>

/**
 * The oldest versions supported at all. nerdctl 2.0 is the line whose output
 * formats and flags the parsers and argv builders follow (the project is
 * recorded and tested against 2.3.5); containerd 1.7 is the oldest that
 * nerdctl 2 releases name as compatible, and tag/save/load need it; BuildKit
 * 0.13 is what nerdctl 2.0 builds against (checked only for builds).
 */
export const MINIMUM_VERSIONS: Readonly<Record<Tool, string>> = {
  nerdctl: '2.0.0',
  containerd: '1.7.0',
  buildkit: '0.13.0'
}

/**
 * Features that need more than MINIMUM_VERSIONS, by the name a message uses.
 * Add a row when a feature needs a newer tool; the lead wires each caller to
 * its row with `requireFeatures(client, ['name'])`.
 */
export const FEATURES = {
  /** `nerdctl build` (BuildKit through buildctl). */
  build: { buildkit: '0.13.0' },
  /** `--health-*` flags on run and create (and Compose health checks). */
  'health-check': { nerdctl: '2.1.3' },
  /** `nerdctl manifest create/annotate/push` (merging platform images, push by digest). */
  manifest: { nerdctl: '2.1.0' },
  /** Signing and verification (cosign by digest; pulls and runs by `repo@digest`). */
  sign: { nerdctl: '2.0.0' },
  /** Compose environments (`nerdctl compose config`, compose-go's model). */
  compose: { nerdctl: '2.0.0' }
} as const satisfies Record<string, Partial<Record<Tool, string>>>

export type Feature = keyof typeof FEATURES

export const TOOL_NAMES: Readonly<Record<Tool, string>> = {
  nerdctl: 'nerdctl',
  containerd: 'containerd',
  buildkit: 'BuildKit'
}

/** The numbers of a version (`v2.3.5`, `1.7.22+unknown`, `2.1.0-rc.1`); undefined when none. */
export function versionNumbers(version: string): [number, number, number] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version.trim())
  if (!m) return undefined
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)]
}

/** Whether `version` is at least `minimum`; a pre-release counts as its release. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const a = versionNumbers(version)
  const b = versionNumbers(minimum)
  if (!a || !b) return false
  for (let i = 0; i < 3; i++)
    if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) > (b[i] as number)
  return true
}

/**
 * Versions from `nerdctl version --format '{{json .}}'`: the client's own,
 * containerd's (the server's component), and buildctl's, the BuildKit client
 * nerdctl finds (what `nerdctl build` runs). nerdctl 1.x prints the same shape.
 */
export function parseVersionOutput(text: string): ToolVersions {
  const [doc] = parseJsonArray(`[${text.trim()}]`, 'nerdctl version')
  const out: ToolVersions = {}
  const obj = (v: unknown): Record<string, unknown> | undefined =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined
  const components = (v: unknown): [string, string][] =>
    (Array.isArray(v) ? v : []).flatMap(c => {
      const o = obj(c)
      return typeof o?.Name === 'string' && typeof o.Version === 'string'
        ? [[o.Name, o.Version]]
        : []
    })
  const client = obj(doc?.Client)
  if (typeof client?.Version === 'string' && client.Version) out.nerdctl = client.Version
  for (const [name, version] of components(client?.Components))
    if (name === 'buildctl') out.buildkit = version
  for (const [name, version] of components(obj(doc?.Server)?.Components))
    if (name === 'containerd') out.containerd = version
  return out
}

/** The tools a check looks at, with the version each needs: the minimums, raised by each feature. */
export function requirements(features: readonly Feature[]): [Tool, string, Feature | undefined][] {
  const need: [Tool, string, Feature | undefined][] = [
    ['nerdctl', MINIMUM_VERSIONS.nerdctl, undefined],
    ['containerd', MINIMUM_VERSIONS.containerd, undefined]
  ]
  for (const feature of features) {
    const row: Partial<Record<Tool, string>> = FEATURES[feature]
    for (const tool of Object.keys(row) as Tool[]) need.push([tool, row[tool] as string, feature])
  }
  return need
}

/**
 * What the runner's versions cannot do, one sentence each with the fix:
 * empty when they suffice. A tool whose version is unknown (containerd not
 * reachable, no buildctl) is not judged here: the call that needs it fails
 * with its own message.
 */
export function versionProblems(versions: ToolVersions, features: readonly Feature[]): string[] {
  const problems: string[] = []
  for (const [tool, minimum, feature] of requirements(features)) {
    const have = versions[tool]
    if (have === undefined || versionAtLeast(have, minimum)) continue
    const name = TOOL_NAMES[tool]
    problems.push(
      feature
        ? `${feature} needs ${name} ${minimum} or newer, but this runner has ${name} ${have}: upgrade ${name}, or do without ${feature}`
        : `${name} ${have} is older than ${minimum}, the oldest this action and library support: upgrade ${name} to ${minimum} or newer`
    )
  }
  return [...new Set(problems)]
}

/** The error a failed check raises: every problem, one per line. */
export function versionError(problems: readonly string[]): NerdctlError {
  return new NerdctlError(
    'Other',
    problems.length === 1
      ? (problems[0] as string)
      : `this runner's tools are too old:\n${problems.map(p => `- ${p}`).join('\n')}`,
    { field: 'versions' }
  )
}
