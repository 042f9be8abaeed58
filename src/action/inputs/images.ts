// The images section: what to build (only when "context" is set), the tags
// that name it, and whether to push and save them.
import * as core from '../workflow.js'
import {
  NerdctlError,
  buildArgs,
  exporterOf,
  type BuildNetwork,
  type BuildSecret
} from '../../nerdctl/index.js'
import { Input } from '../constants.js'
import type { BuildPlan, ImagesPlan } from './plan.js'
import { checkImageReference, pushByDigestOutput, repositoryOf } from '../../nerdctl/index.js'
import { readMerge } from './merge.js'
import { InputError, asInput, parseList, show, type ListOptions, type Reader } from './reader.js'
import {
  attributePaths,
  isRemoteContext,
  ociLayoutPath,
  sshKeyPaths,
  type HostPaths
} from '../host-paths.js'
import { join } from 'node:path'

/** Build options, which mean nothing without "context". */
const BUILD_ONLY = [
  Input.File,
  Input.BuildArgs,
  Input.Labels,
  Input.Target,
  Input.Platforms,
  Input.CacheFrom,
  Input.CacheTo,
  Input.Secrets,
  Input.SecretFiles,
  Input.SecretEnvs,
  Input.Ssh,
  Input.Allow,
  Input.Attests,
  Input.Sbom,
  Input.Provenance,
  Input.Annotations,
  Input.Outputs,
  Input.BuildContexts,
  Input.BuildNetwork,
  Input.AddHosts
]

/**
 * How each list input is read: build-push-action's options for it (its
 * src/context.ts: `ignoreComma` for KEY=VALUE and attribute lists, `quote:
 * false` for outputs), and ours beside them (`keepSpaces`, `secret` for
 * secret values). `__tests__/unit/list-inputs.test.ts` holds this table to
 * build-push-action's and runs its documented examples through both readings.
 */
export const LIST_INPUTS = {
  [Input.Tags]: {},
  [Input.Platforms]: {},
  [Input.AddHosts]: {},
  [Input.Allow]: {},
  [Input.Ssh]: {},
  [Input.SecretEnvs]: {},
  [Input.BuildArgs]: { ignoreComma: true },
  [Input.Labels]: { ignoreComma: true },
  [Input.BuildContexts]: { ignoreComma: true },
  [Input.Annotations]: { ignoreComma: true },
  [Input.Attests]: { ignoreComma: true },
  [Input.CacheFrom]: { ignoreComma: true },
  [Input.CacheTo]: { ignoreComma: true },
  [Input.SecretFiles]: { ignoreComma: true },
  [Input.Secrets]: { ignoreComma: true, keepSpaces: true, secret: true },
  [Input.Outputs]: { ignoreComma: true, noQuote: true }
} as const satisfies Record<string, ListOptions>

/**
 * `secrets`: `id=value` entries as build-push-action reads them (a quoted
 * entry keeps commas and line breaks; values are not trimmed). Each value is
 * masked before anything else can print it; a bad entry is reported by its
 * number, never its text.
 */
function readSecretValues(r: Reader): BuildSecret[] {
  const entries = parseList(Input.Secrets, r.raw(Input.Secrets), LIST_INPUTS[Input.Secrets])
  return entries.map((entry, i) => {
    const eq = entry.indexOf('=')
    const value = eq > 0 ? entry.slice(eq + 1) : ''
    if (value) core.setSecret(value)
    if (eq <= 0 || !value)
      throw new InputError(Input.Secrets, `entry ${i + 1} is not id=value (the value is not shown)`)
    return { id: entry.slice(0, eq).trim(), value }
  })
}

function readSecrets(r: Reader): BuildSecret[] {
  const files = r.listPairs(Input.SecretFiles).map(([id, file]) => ({ id, file: file.trim() }))
  const envs = r.list(Input.SecretEnvs, LIST_INPUTS[Input.SecretEnvs]).map(entry => {
    const eq = entry.indexOf('=')
    if (eq <= 0) throw new InputError(Input.SecretEnvs, `${show(entry)} is not id=ENVVAR`)
    const id = entry.slice(0, eq).trim()
    const env = entry.slice(eq + 1).trim()
    const value = process.env[env]
    if (value === undefined || value === '')
      throw new InputError(
        Input.SecretEnvs,
        `secret ${show(id)}: environment variable ${show(env)} is not set in this step`
      )
    // The runner's variable may not be a masked secret yet.
    core.setSecret(value)
    return { id, env }
  })
  return [...readSecretValues(r), ...files, ...envs]
}

/** true/false, or BuildKit's attributes (`mode=max`, `generator=IMAGE`). */
function attestation(r: Reader, name: string): boolean | string | undefined {
  const v = r.text(name)
  if (v === '') return undefined
  if (['true', 'false'].includes(v.toLowerCase())) return v.toLowerCase() === 'true'
  return v
}

function readNetwork(r: Reader): BuildNetwork | undefined {
  const v = r.optional(Input.BuildNetwork)
  if (v === undefined) return undefined
  if (v !== 'default' && v !== 'none' && v !== 'host')
    throw new InputError(
      Input.BuildNetwork,
      `${show(v)} is not a build network: nerdctl build takes default, none or host`
    )
  return v
}

/** Checks a build or named context on this machine; a remote one is not a host path. */
function checkContext(paths: HostPaths, input: string, value: string): void {
  const layout = ociLayoutPath(value)
  if (layout !== undefined) paths.check(input, layout, 'read')
  else if (!isRemoteContext(value)) paths.check(input, value, 'read')
}

/** Checks every host path of an attribute list (`type=local,src=DIR`) for `use`. */
function checkAttributePaths(
  paths: HostPaths,
  input: string,
  entries: readonly string[],
  use: 'read' | 'write'
): void {
  for (const entry of entries)
    for (const path of attributePaths(entry, ['src', 'dest'])) paths.check(input, path, use)
}

/**
 * Every host path the build reads or writes leads inside the allowed
 * directories (host-paths.ts). The values go on as given: nerdctl and
 * BuildKit resolve them as the check did (`..` folded, from the workspace).
 */
function checkBuildPaths(plan: BuildPlan, paths: HostPaths): void {
  checkContext(paths, Input.Context, plan.context)
  if (plan.file !== undefined) paths.check(Input.File, plan.file, 'read')
  // nerdctl's default Dockerfile is read from the context.
  else if (!isRemoteContext(plan.context))
    paths.check(Input.File, join(plan.context, 'Dockerfile'), 'read')
  for (const s of plan.secrets) if ('file' in s) paths.check(Input.SecretFiles, s.file, 'read')
  for (const [, value] of plan.buildContexts) checkContext(paths, Input.BuildContexts, value.trim())
  checkAttributePaths(paths, Input.CacheFrom, plan.cacheFrom, 'read')
  checkAttributePaths(paths, Input.CacheTo, plan.cacheTo, 'write')
  if (plan.output) checkAttributePaths(paths, Input.Outputs, [plan.output], 'write')
  for (const line of plan.ssh)
    for (const key of sshKeyPaths(line)) paths.check(Input.Ssh, key, 'read')
}

function readBuild(r: Reader, context: string, paths: HostPaths): BuildPlan {
  const outputs = r.list(Input.Outputs, LIST_INPUTS[Input.Outputs])
  if (outputs.length > 1)
    throw new InputError(
      Input.Outputs,
      `lists ${outputs.length} exporters, but nerdctl build takes one --output: keep one`
    )
  const plan: BuildPlan = {
    context,
    file: r.optional(Input.File),
    buildArgs: r.listPairs(Input.BuildArgs),
    labels: r.listPairs(Input.Labels),
    target: r.optional(Input.Target),
    platforms: r.list(Input.Platforms, LIST_INPUTS[Input.Platforms]),
    noCache: r.bool(Input.NoCache, false),
    cacheFrom: r.list(Input.CacheFrom, LIST_INPUTS[Input.CacheFrom]),
    cacheTo: r.list(Input.CacheTo, LIST_INPUTS[Input.CacheTo]),
    secrets: readSecrets(r),
    ssh: r.list(Input.Ssh, LIST_INPUTS[Input.Ssh]),
    allow: r.list(Input.Allow, LIST_INPUTS[Input.Allow]),
    attest: r.list(Input.Attests, LIST_INPUTS[Input.Attests]),
    sbom: attestation(r, Input.Sbom),
    provenance: attestation(r, Input.Provenance),
    annotations: r.list(Input.Annotations, LIST_INPUTS[Input.Annotations]),
    output: outputs[0],
    buildContexts: r.listPairs(Input.BuildContexts),
    network: readNetwork(r),
    addHosts: r.list(Input.AddHosts, LIST_INPUTS[Input.AddHosts]),
    pull: r.bool(Input.BuildPull, false)
  }
  checkWithLibrary(plan)
  checkBuildPaths(plan, paths)
  return plan
}

/** The input each field of the library's BuildSpec comes from. */
const INPUT_OF_FIELD: Record<string, string> = {
  cacheFrom: Input.CacheFrom,
  cacheTo: Input.CacheTo,
  secrets: Input.Secrets,
  ssh: Input.Ssh,
  attest: Input.Attests,
  sbom: Input.Sbom,
  provenance: Input.Provenance,
  allow: Input.Allow,
  output: Input.Outputs,
  annotations: Input.Annotations,
  buildContexts: Input.BuildContexts,
  network: Input.BuildNetwork,
  addHosts: Input.AddHosts
}

/**
 * Every value the library checks is checked now, before anything runs, and
 * the error names the input it came from. The argv made here is thrown away.
 */
function checkWithLibrary(plan: BuildPlan): void {
  try {
    buildArgs('x', plan.context, { ...plan, tags: [] }, undefined, undefined, {
      secretDir: '/'
    })
  } catch (e: unknown) {
    if (!(e instanceof NerdctlError) || !e.field || !INPUT_OF_FIELD[e.field]) throw e
    const input = INPUT_OF_FIELD[e.field] as string
    // A secret's id is in secrets, secret-files or secret-envs: say all three.
    throw new InputError(
      e.field === 'secrets' ? `${Input.Secrets}/${Input.SecretFiles}/${Input.SecretEnvs}` : input,
      e.message
    )
  }
}

/** Whether the build leaves an image in the store to push, save or run. */
export function buildStoresImage(build: BuildPlan | undefined): boolean {
  return !build || exporterOf({ output: build.output }).storesImage
}

/**
 * push-by-digest: the build pushes itself, untagged, to the first tag's
 * repository, for one platform (the digests file names it). Returns the
 * build with that output.
 */
function byDigest(r: Reader, build: BuildPlan | undefined, tags: readonly string[]): BuildPlan {
  const why = (m: string): InputError => new InputError(Input.PushByDigest, m)
  if (!build)
    throw why('is true but "context" is not set: push-by-digest pushes the image it builds')
  if (build.output)
    throw why('sets the build\'s output itself (BuildKit pushes by digest): remove "outputs"')
  if (build.platforms.length !== 1)
    throw why(
      `needs "platforms" to name the one platform this runner builds (e.g. linux/amd64), not ${build.platforms.length === 0 ? 'none' : build.platforms.join(', ')}: each platform is a leg of its own, merged later with "merge"`
    )
  if (tags.length === 0)
    throw why('needs "tags": the image is pushed by digest to the first tag\'s repository')
  if (r.optional(Input.Save)) throw why('leaves no image in the store for "save": remove "save"')
  const repository = repositoryOf(tags[0] as string)
  return { ...build, output: pushByDigestOutput(repository) }
}

export function readImages(r: Reader, paths: HostPaths): ImagesPlan {
  const tags = r.list(Input.Tags, LIST_INPUTS[Input.Tags])
  for (const t of tags) asInput(Input.Tags, () => checkImageReference(t, 'tag', 'tags'))
  const context = r.optional(Input.Context)
  const pushByDigest = r.bool(Input.PushByDigest, false)
  const merge = readMerge(r, paths)
  if (merge) {
    if (context)
      throw new InputError(
        Input.Merge,
        'merges builds pushed earlier, but "context" is set too: build with push-by-digest in the matrix jobs and merge in a job that needs them'
      )
    if (pushByDigest)
      throw new InputError(Input.Merge, 'and "push-by-digest" are two different jobs: keep one')
    if (tags.length === 0)
      throw new InputError(
        Input.Merge,
        'is set but "tags" is empty: list the tags the merged index gets'
      )
    r.refuseIfSet('is not part of a merge: remove it', [Input.Save])
  }
  const built = context ? readBuild(r, context, paths) : undefined
  const build = pushByDigest ? byDigest(r, built, tags) : built
  if (!build) {
    r.refuseIfSet(
      'is a build option, but "context" is not set: set "context" to build',
      // A merge puts "annotations" on its index.
      merge ? BUILD_ONLY.filter(n => n !== Input.Annotations) : BUILD_ONLY,
      [
        [Input.NoCache, false],
        [Input.BuildPull, false]
      ]
    )
  } else if (tags.length === 0 && buildStoresImage(build)) {
    throw new InputError(
      Input.Tags,
      `"context" is set but no tags are: name the image, e.g. "127.0.0.1:5000/app:1.0"`
    )
  }
  // push-by-digest is the push; a merge pushes the index.
  const push = r.bool(Input.Push, false) && !pushByDigest && !merge
  const stored = buildStoresImage(build)
  if (!stored && (push || r.optional(Input.Save)))
    throw new InputError(
      push ? Input.Push : Input.Save,
      `needs the built image in the store, but "outputs" sends it elsewhere: remove one of them`
    )
  if (push && tags.length === 0)
    throw new InputError(
      Input.Push,
      'is true but "tags" is empty: list the images to push in "tags"'
    )
  const save = r.optional(Input.Save)
  if (save && tags.length === 0)
    throw new InputError(
      Input.Save,
      'is set but "tags" is empty: list the images to save in "tags"'
    )
  return {
    tags,
    build,
    push,
    save: save && paths.check(Input.Save, save, 'write'),
    pushByDigest,
    merge
  }
}
