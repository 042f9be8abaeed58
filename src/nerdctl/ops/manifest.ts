// Manifest lists: nerdctl's `manifest` commands, typed, and `mergeDigests`,
// which makes one index of builds pushed by digest on several runners.
//
// Why the merge does not use nerdctl's commands (nerdctl 2.3.5, recorded by
// scripts/record-manifest-fixtures.sh): `manifest create` refuses an index as
// an entry, and a build with provenance is one (image manifest + attestation
// manifest); given the children instead, the attestation manifests have no
// platform and `manifest push` refuses them until annotated `unknown/unknown`,
// and the index it then pushes has lost their `vnd.docker.reference.*`
// annotations; an entry from another repository is pushed without its blobs
// ("blob unknown to registry"). So the merge writes the index itself (pure:
// `mergeIndex`) and moves it with go-containerregistry's crane, pinned and
// built by scripts/crane.sh: `crane manifest` reads each entry, `crane copy`
// mounts an entry into another repository of the registry, `crane edit
// manifest` puts the index's exact bytes under each tag, and `crane digest`
// reads back what the registry serves. crane reads credentials from the
// DOCKER_CONFIG the client gives nerdctl (the step's own logins), never argv.
import { createHash } from 'node:crypto'
import { NerdctlError, invalidValue } from '../base/errors.js'
import { showValue } from '../base/text.js'
import type {
  ManifestDescriptor,
  ManifestDocument,
  ManifestPlatform,
  ManifestPushResult,
  MergeResult
} from '../base/types.js'
import { clientOf, nerdctl, tool, type CallOptions } from '../exec/call.js'
import { findProgram } from '../exec/programs.js'
import {
  indexAnnotations,
  indexBytes,
  mergeIndex,
  parseManifestCreate,
  parseManifestDocument,
  parseManifestInspectVerbose,
  parseManifestPush,
  parsePlatform,
  repositoryOf,
  splitDigestReference,
  type MergeInput
} from '../pure/manifest.js'
import { checkImageReference, registryOf } from '../pure/validate.js'

export interface ManifestOptions extends CallOptions {
  /** `--insecure`: plain HTTP or unverified TLS for this registry. */
  insecure?: boolean
}

const insecureFlag = (o: ManifestOptions): string[] => (o.insecure ? ['--insecure'] : [])

/** `nerdctl manifest create LIST MANIFEST…`: a local list; returns its name as nerdctl printed it. */
export async function manifestCreate(
  list: string,
  manifests: readonly string[],
  options: ManifestOptions & { amend?: boolean } = {}
): Promise<string> {
  checkImageReference(list, 'manifest list')
  if (manifests.length === 0)
    throw invalidValue('manifests', 'manifest create needs at least one manifest')
  for (const m of manifests) checkImageReference(m, 'manifest', 'manifests')
  const args = [
    'manifest',
    'create',
    ...(options.amend ? ['--amend'] : []),
    ...insecureFlag(options)
  ]
  const { stdout } = await nerdctl([...args, list, ...manifests], options, {
    registry: registryOf(list),
    longRunning: true
  })
  return parseManifestCreate(stdout) ?? list
}

export interface ManifestAnnotation {
  os?: string
  arch?: string
  variant?: string
  osVersion?: string
  osFeatures?: readonly string[]
}

/** `nerdctl manifest annotate LIST MANIFEST`: the platform fields of one entry. */
export async function manifestAnnotate(
  list: string,
  manifest: string,
  annotation: ManifestAnnotation,
  options: CallOptions = {}
): Promise<void> {
  checkImageReference(list, 'manifest list')
  checkImageReference(manifest, 'manifest', 'manifest')
  const args = ['manifest', 'annotate']
  const field = (flag: string, v: string | undefined): void => {
    if (v === undefined) return
    if (!v || /[\s=]/.test(v)) throw invalidValue(flag, `${showValue(v)} is not a ${flag} value`)
    args.push(`--${flag}`, v)
  }
  field('os', annotation.os)
  field('arch', annotation.arch)
  field('variant', annotation.variant)
  field('os-version', annotation.osVersion)
  for (const f of annotation.osFeatures ?? []) field('os-features', f)
  await nerdctl([...args, list, manifest], options)
}

/** `nerdctl manifest push LIST`: its entries, then the list; the list's digest. */
export async function manifestPush(
  list: string,
  options: ManifestOptions & { purge?: boolean } = {}
): Promise<ManifestPushResult> {
  checkImageReference(list, 'manifest list')
  const args = ['manifest', 'push', ...(options.purge ? ['--purge'] : []), ...insecureFlag(options)]
  const { stdout } = await nerdctl([...args, list], options, {
    registry: registryOf(list),
    longRunning: true
  })
  return parseManifestPush(stdout)
}

/** `nerdctl manifest inspect REF`: the manifest or index the registry serves. */
export async function manifestInspect(
  reference: string,
  options: ManifestOptions = {}
): Promise<ManifestDocument> {
  checkImageReference(reference, 'manifest')
  const { stdout } = await nerdctl(
    ['manifest', 'inspect', ...insecureFlag(options), reference],
    options,
    { registry: registryOf(reference) }
  )
  return parseManifestDocument(stdout, `manifest inspect of ${reference}`)
}

/** `nerdctl manifest inspect --verbose REF`: each manifest's descriptor (without annotations: nerdctl drops them). */
export async function manifestInspectVerbose(
  reference: string,
  options: ManifestOptions = {}
): Promise<{ ref: string; descriptor: ManifestDescriptor }[]> {
  checkImageReference(reference, 'manifest')
  const { stdout } = await nerdctl(
    ['manifest', 'inspect', '--verbose', ...insecureFlag(options), reference],
    options,
    { registry: registryOf(reference) }
  )
  return parseManifestInspectVerbose(stdout)
}

/** `nerdctl manifest rm LIST…`: local lists only. */
export async function manifestRemove(
  lists: readonly string[],
  options: CallOptions = {}
): Promise<void> {
  for (const l of lists) checkImageReference(l, 'manifest list')
  await nerdctl(['manifest', 'rm', ...lists], options)
}

/** One entry of a merge: a build pushed by digest. */
export interface MergeSource {
  /** `REPOSITORY@sha256:…`. */
  reference: string
  /** The platform it was built for (a digests file says); read from its config when absent and needed. */
  platform?: string | undefined
  /** Where it was named (a digests file's path), for messages. */
  origin?: string | undefined
}

export interface MergeOptions extends CallOptions {
  /** Index-level annotations: KEY=VALUE or index:KEY=VALUE lines, or a map. */
  annotations?: readonly string[] | Readonly<Record<string, string>>
  /** The crane binary; default `crane` on PATH. */
  crane?: string
}

/**
 * Makes one index of builds pushed by digest and pushes it under every tag:
 * each build's manifests (image and attestation) with their descriptors as
 * the build's index had them, and `annotations` on the index. Everything is
 * read and checked before anything is pushed: an entry the registry does not
 * have, two images of one platform, or names on different registries fail
 * naming the reference. Entries in another repository of the registry are
 * mounted into each tag's repository first. The digest is read back from the
 * registry for every tag.
 */
export async function mergeDigests(
  sources: readonly MergeSource[],
  tags: readonly string[],
  options: MergeOptions = {}
): Promise<MergeResult> {
  if (sources.length === 0)
    throw invalidValue('merge', 'nothing to merge: give at least one digest')
  if (tags.length === 0)
    throw invalidValue('tags', 'a merge needs at least one tag to push the index to')
  for (const t of tags) checkImageReference(t, 'tag', 'tags')
  const parsed = sources.map(s => ({ ...s, ...splitDigestReference(s.reference) }))
  for (const s of parsed) if (s.platform !== undefined) parsePlatform(s.platform)
  const annotations = Array.isArray(options.annotations)
    ? indexAnnotations(options.annotations as readonly string[])
    : { ...(options.annotations as Readonly<Record<string, string>> | undefined) }

  // One registry: crane mounts blobs between its repositories; across
  // registries every blob would be copied, which a merge does not do.
  const registries = new Map<string, string>()
  for (const r of [...parsed.map(s => s.reference), ...tags]) {
    const host = registryOf(r)
    if (!registries.has(host)) registries.set(host, r)
  }
  if (registries.size > 1) {
    const [a, b] = [...registries.values()]
    throw invalidValue(
      'merge',
      `${a} and ${b} are on different registries, and manifests cannot be cross-mounted between registries: push by digest to the registry of the tags`
    )
  }

  const crane = craneProgram(options)
  const run = (args: string[], extra: { input?: string; longRunning?: boolean } = {}) =>
    tool([crane, ...args, ...craneFlags(options, args.at(-1) ?? '')], options, {
      ...craneEnv(options),
      ...extra
    })

  const inputs: MergeInput[] = await Promise.all(
    parsed.map(async (s): Promise<MergeInput> => {
      const where = s.origin ? `${s.reference} (from ${s.origin})` : s.reference
      let body: string
      try {
        body = (await run(['manifest', s.reference])).stdout
      } catch (e: unknown) {
        throw missing(where, e)
      }
      if (sha256Of(body) !== s.digest)
        throw new NerdctlError(
          'Other',
          `${where}: the registry served a manifest whose digest is ${sha256Of(body)}`
        )
      const document = parseManifestDocument(body, `the manifest of ${where}`)
      let platform: ManifestPlatform | undefined
      if (document.kind === 'manifest') {
        platform =
          s.platform !== undefined ? parsePlatform(s.platform) : await configPlatform(s.reference)
      }
      return {
        reference: s.reference,
        origin: s.origin,
        document,
        size: Buffer.byteLength(body),
        platform
      }
    })
  )
  async function configPlatform(reference: string): Promise<ManifestPlatform | undefined> {
    const { stdout } = await run(['config', reference])
    try {
      const c = JSON.parse(stdout) as { os?: unknown; architecture?: unknown; variant?: unknown }
      if (typeof c.os !== 'string' || typeof c.architecture !== 'string') return undefined
      return {
        os: c.os,
        architecture: c.architecture,
        ...(typeof c.variant === 'string' && c.variant ? { variant: c.variant } : {})
      }
    } catch {
      return undefined
    }
  }

  const index = mergeIndex(inputs, annotations)
  const bytes = indexBytes(index)
  const digest = sha256Of(bytes)

  // Every tag's repository gets each entry it lacks, mounted from where it was pushed.
  const targetRepos = [...new Set(tags.map(repositoryOf))]
  for (const repo of targetRepos)
    for (const s of parsed)
      if (s.repository !== repo)
        await run(['copy', s.reference, `${repo}@${s.digest}`], { longRunning: true })

  const first = parsed[0]?.reference as string
  const references: string[] = []
  for (const tag of tags) {
    await run(['edit', 'manifest', first, '--tag', tag], { input: bytes, longRunning: true })
    references.push(tag)
  }
  for (const tag of tags) {
    const served = (await run(['digest', tag])).stdout.trim()
    if (served !== digest)
      throw new NerdctlError(
        'Other',
        `${tag}: the registry serves ${served || 'nothing'} after the merge, not the index pushed (${digest}): another push to the tag may have raced this one`
      )
  }
  return { references, digest, index }
}

const sha256Of = (bytes: string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`

function missing(where: string, e: unknown): Error {
  if (!(e instanceof NerdctlError)) return e as Error
  const said = `${e.stderr ?? ''}\n${e.message}`
  if (/MANIFEST_UNKNOWN|NAME_UNKNOWN|manifest unknown|not found/i.test(said))
    return invalidValue(
      'merge',
      `${where} is not in the registry: its build did not push it (or pushed it to another repository); nothing was pushed`
    )
  return new NerdctlError('Other', `could not read ${where} from the registry: ${e.message}`, {
    ...(e.stderr !== undefined ? { stderr: e.stderr } : {})
  })
}

/** The crane to run: the caller's, or the one on PATH. */
function craneProgram(options: MergeOptions): string {
  const found = findProgram(options.crane ?? 'crane')
  if (!found)
    throw new NerdctlError(
      'CommandExecutionFailed',
      `${options.crane ?? 'crane'} is not an executable on PATH: a merge needs go-containerregistry's crane (scripts/crane.sh installs v0.22.1 from the Go module proxy)`
    )
  return found
}

/** crane talks to loopback registries over plain HTTP by itself; others as the client allows. */
function craneFlags(options: MergeOptions, reference: string): string[] {
  const insecure = clientOf(options).options.insecureRegistries
  if (insecure === true) return ['--insecure']
  if (Array.isArray(insecure) && reference && insecure.includes(registryOf(reference)))
    return ['--insecure']
  return []
}

/** The client's DOCKER_CONFIG (the step's logins), the only credentials crane sees. */
function craneEnv(options: MergeOptions): { env?: Record<string, string> } {
  const dockerConfig = clientOf(options).options.env?.DOCKER_CONFIG
  return dockerConfig ? { env: { DOCKER_CONFIG: dockerConfig } } : {}
}
