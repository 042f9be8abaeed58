// Reading the runner's nerdctl, containerd and BuildKit versions and checking
// them against the table in pure/versions.ts, without a nerdctl call on every
// step: the versions are read once per nerdctl binary and kept in a cache
// file keyed by the binary's path, size, mtime and inode (a new binary, even
// at the same path, is read again); a caller without a cache reads them only
// when it needs a version-dependent feature or when a call failed in a way an
// old version explains (`explainFailure`).
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { NerdctlError } from '../base/errors.js'
import { clientOf, nerdctl, type CallOptions } from '../exec/call.js'
import type { Nerdctl } from '../exec/client.js'
import {
  parseVersionOutput,
  versionError,
  versionProblems,
  type Feature,
  type ToolVersions
} from '../pure/versions.js'
import { randomHex } from './random.js'

export interface VersionOptions extends CallOptions {
  /**
   * A directory that outlives the job, where versions read once are kept
   * (the action uses RUNNER_TOOL_CACHE); unset: nothing is kept, and the
   * versions are read each time a check needs them.
   */
  cacheDir?: string | undefined
}

const CACHE_FILE = 'nerdctl-action-versions.json'

/** The cache key of the client's binary, or undefined when it has no absolute path to stat. */
async function binaryKey(client: Nerdctl): Promise<string | undefined> {
  const path = client.options.binary
  if (!path || !isAbsolute(path)) return undefined
  try {
    const s = await stat(path)
    return `${path}\0${s.size}\0${s.mtimeMs}\0${s.ino}`
  } catch {
    return undefined
  }
}

async function readCache(dir: string): Promise<Record<string, ToolVersions>> {
  try {
    const doc: unknown = JSON.parse(await readFile(join(dir, CACHE_FILE), 'utf8'))
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc)
      ? (doc as Record<string, ToolVersions>)
      : {}
  } catch {
    return {}
  }
}

/** Keeps what was read; a cache that cannot be written only costs a later read. */
async function writeCache(dir: string, key: string, versions: ToolVersions): Promise<void> {
  try {
    await mkdir(dir, { recursive: true })
    // Only this binary's entry and the others' as they are: a file of many keys stays small.
    const all = { ...(await readCache(dir)), [key]: versions }
    const tmp = join(dir, `.${CACHE_FILE}.${randomHex(6)}`)
    await writeFile(tmp, JSON.stringify(all), { mode: 0o644 })
    // Renamed into place: a concurrent step reads the old file or the new, never half.
    await rename(tmp, join(dir, CACHE_FILE))
  } catch {
    // best effort
  }
}

/** The versions kept for the client's binary, without running anything; undefined when none are. */
export async function cachedToolVersions(
  options: VersionOptions = {}
): Promise<ToolVersions | undefined> {
  if (!options.cacheDir) return undefined
  const key = await binaryKey(clientOf(options))
  return key ? (await readCache(options.cacheDir))[key] : undefined
}

/**
 * The runner's versions from `nerdctl version` (one call), kept in the cache
 * when there is one. A server that does not answer leaves containerd out
 * (nerdctl still prints its own version); a nerdctl that prints nothing
 * readable fails.
 */
export async function readToolVersions(options: VersionOptions = {}): Promise<ToolVersions> {
  let text: string
  try {
    text = (await nerdctl(['version', '--format', '{{json .}}'], options)).stdout
  } catch (e: unknown) {
    // Without containerd, `version` fails after printing the client's part.
    if (!(e instanceof NerdctlError) || e.kind !== 'CommandFailed' || !e.stdout.trim()) throw e
    text = e.stdout
  }
  const versions = parseVersionOutput(text)
  const key = options.cacheDir ? await binaryKey(clientOf(options)) : undefined
  if (options.cacheDir && key && versions.nerdctl) await writeCache(options.cacheDir, key, versions)
  return versions
}

/** The cached versions, or read now. */
export async function toolVersions(options: VersionOptions = {}): Promise<ToolVersions> {
  return (await cachedToolVersions(options)) ?? readToolVersions(options)
}

/**
 * Fails, before anything runs, when the runner's tools are older than the
 * supported minimums or than what `features` need, naming each feature and
 * the version it needs; returns the versions otherwise. A cached reading that
 * fails is read again first (containerd may have been upgraded under the
 * same nerdctl binary).
 */
export async function requireFeatures(
  client: Nerdctl | undefined,
  features: readonly Feature[],
  options: VersionOptions = {}
): Promise<ToolVersions> {
  const call: VersionOptions = client ? { ...options, client } : options
  const cached = await cachedToolVersions(call)
  if (cached && versionProblems(cached, features).length === 0) return cached
  const versions = await readToolVersions(call)
  const problems = versionProblems(versions, features)
  if (problems.length > 0) throw versionError(problems)
  return versions
}

/**
 * The minimums alone, for a step that uses no version-dependent feature: with
 * a cache, the versions are read once per binary (the first step after nerdctl
 * was installed or upgraded) and kept, so every later step checks them with no
 * call; without one (or without an absolute binary path to key it by),
 * nothing is read here, and `explainFailure` names an old version when a call
 * fails the way one would.
 */
export async function checkMinimumVersions(options: VersionOptions = {}): Promise<void> {
  if (!options.cacheDir || !(await binaryKey(clientOf(options)))) return
  await requireFeatures(undefined, [], options)
}

/**
 * Whether a failure is one an older nerdctl explains: a flag, command or
 * config field it does not know. Timeouts, refused logins, missing images
 * and the rest are not.
 */
export function oldVersionMayExplain(e: unknown): boolean {
  if (!(e instanceof NerdctlError) || e.kind !== 'CommandFailed') return false
  return /unknown (?:shorthand )?flag|unknown command|flag provided but not defined|strict mode: fields in the document are missing|invalid argument ".*" for "--/i.test(
    e.stderr
  )
}

/**
 * After a failed call: the versions' error when old tools explain it (the
 * minimums, and `features`), else undefined. Reads the versions (one call)
 * only for a failure an old version explains; a reading that itself fails
 * explains nothing.
 */
export async function explainFailure(
  e: unknown,
  features: readonly Feature[],
  options: VersionOptions = {}
): Promise<NerdctlError | undefined> {
  if (!oldVersionMayExplain(e)) return undefined
  try {
    const problems = versionProblems(await readToolVersions(options), features)
    return problems.length > 0 ? versionError(problems) : undefined
  } catch {
    return undefined
  }
}
