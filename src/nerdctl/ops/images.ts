// Image operations: list, inspect, pull, tag, push, remove, commit, build,
// save and load.
import { readFile, rm, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NerdctlError } from '../base/errors.js'
import type { BuildSpec, CommandResult, Image, ImageDetails } from '../base/types.js'
import { clientOf, nerdctl, type CallOptions } from '../exec/call.js'
import { buildArgs } from '../pure/build-args.js'
import { pushedDigest } from '../pure/command-output.js'
import { parseJsonArray, parseJsonLines } from '../pure/json.js'
import { toImage, toImageDetails } from '../pure/listings.js'
import { checkContainerRef, checkImageReference, registryOf } from '../pure/validate.js'
import { withoutDebugLines } from '../pure/registry-errors.js'
import { atomicOutput } from './files.js'
import { retries, withRetry, type RetryCallOptions } from './retry.js'

/** `nerdctl images`, parsed. */
export async function images(
  options: CallOptions & { all?: boolean; filters?: readonly string[]; reference?: string } = {}
): Promise<Image[]> {
  const args = ['images', '--no-trunc', '--format', '{{json .}}']
  if (options.all) args.push('--all')
  for (const f of options.filters ?? []) args.push('--filter', f)
  if (options.reference) {
    checkImageReference(options.reference)
    args.push(options.reference)
  }
  const { stdout } = await nerdctl(args, options)
  return parseJsonLines(stdout, 'images output').map(toImage)
}

/** `nerdctl image inspect` of one image. */
export async function imageInspect(
  image: string,
  options: CallOptions = {}
): Promise<ImageDetails> {
  checkImageReference(image)
  const { stdout } = await nerdctl(['image', 'inspect', image], options)
  const [i] = parseJsonArray(stdout, 'image inspect output')
  if (!i)
    throw new NerdctlError(
      'JsonParseError',
      `nerdctl image inspect printed no image for ${image}`,
      { text: stdout }
    )
  return toImageDetails(i)
}

/** Whether an image is in the local store. */
export async function imageExists(image: string, options: CallOptions = {}): Promise<boolean> {
  checkImageReference(image)
  const r = await nerdctl(['image', 'inspect', image], options, { allowFailure: true })
  return r.exitCode === 0
}

/** `nerdctl pull`, tried again on a transient registry failure (`retry`). */
export async function imagePull(
  image: string,
  options: RetryCallOptions & { platform?: string; quiet?: boolean } = {}
): Promise<CommandResult> {
  checkImageReference(image)
  const args = ['pull']
  if (options.platform) args.push('--platform', options.platform)
  if (options.quiet) args.push('--quiet')
  return registryCall(`pull ${image}`, [...args, image], registryOf(image), options)
}

/**
 * A long registry call with retries. With retries on it runs with --debug,
 * whose lines carry the registry's Retry-After; they are kept out of the
 * streamed log and of the result.
 */
async function registryCall(
  operation: string,
  args: readonly string[],
  registry: string,
  options: RetryCallOptions
): Promise<CommandResult> {
  const debug = retries(options) > 0
  const result = await withRetry(operation, options, call =>
    nerdctl(args, call, { registry, longRunning: true, debug })
  )
  return debug ? { ...result, stderr: withoutDebugLines(result.stderr) } : result
}

/** `nerdctl tag SOURCE TARGET`. */
export async function imageTag(
  image: string,
  newName: string,
  options: CallOptions = {}
): Promise<void> {
  checkImageReference(image, 'source image')
  checkImageReference(newName, 'new image name')
  await nerdctl(['tag', image, newName], options)
}

export interface PushResult extends CommandResult {
  /** The reference that was pushed. */
  reference: string
  /** Digest of the manifest the registry now has, when nerdctl reported it. */
  digest: string | undefined
}

/**
 * `nerdctl push IMAGE`. With a destination, pushes the image under that name:
 * it tags it, pushes, and removes the tag it made (a name the caller already
 * had is kept), the two-argument form of the Rust module this library
 * replaces (nerdctl itself takes exactly one reference).
 */
export async function imagePush(
  image: string,
  destination?: string,
  options: RetryCallOptions & { platform?: string; allPlatforms?: boolean } = {}
): Promise<PushResult> {
  checkImageReference(image)
  if (destination === undefined || destination === image) return pushOne(image, options)
  checkImageReference(destination, 'destination')
  const hadName = await imageExists(destination, options)
  await imageTag(image, destination, options)
  try {
    return await pushOne(destination, options)
  } finally {
    if (!hadName) await imageRemove(destination, options).catch(() => undefined)
  }
}

async function pushOne(
  reference: string,
  options: RetryCallOptions & { platform?: string; allPlatforms?: boolean }
): Promise<PushResult> {
  const args = ['push']
  if (options.platform) args.push('--platform', options.platform)
  if (options.allPlatforms) args.push('--all-platforms')
  const result = await registryCall(
    `push ${reference}`,
    [...args, reference],
    registryOf(reference),
    options
  )
  return { ...result, reference, digest: pushedDigest(result.stderr + result.stdout) }
}

/** `nerdctl rmi`. */
export async function imageRemove(
  image: string,
  options: CallOptions & { force?: boolean } = {}
): Promise<void> {
  const args = ['rmi']
  if (options.force) args.push('--force')
  checkImageReference(image)
  await nerdctl([...args, image], options)
}

/** `nerdctl commit CONTAINER IMAGE`: the container's changes as a new image. */
export async function imageCommit(
  container: string,
  imageName: string,
  options: CallOptions & {
    message?: string
    author?: string
    changes?: readonly string[]
    pause?: boolean
  } = {}
): Promise<string> {
  checkImageReference(imageName, 'image name')
  const args = ['commit']
  if (options.message) args.push('--message', options.message)
  if (options.author) args.push('--author', options.author)
  for (const c of options.changes ?? []) args.push('--change', c)
  if (options.pause === false) args.push('--pause=false')
  checkContainerRef(container)
  const { stdout } = await nerdctl([...args, container, imageName], options, { longRunning: true })
  return stdout.trim().split('\n').pop() ?? ''
}

export type BuildOptions = CallOptions & BuildSpec

export interface BuildResult extends CommandResult {
  /** sha256:… of the built image's config, as `nerdctl images` shows it. */
  imageId: string
  tags: string[]
}

/** `nerdctl build -t TAG CONTEXT` through BuildKit; returns the image ID. */
export async function imageBuild(
  tag: string,
  contextPath: string,
  options: BuildOptions = {}
): Promise<BuildResult> {
  const buildkitHost = clientOf(options).options.buildkitHost
  const dir = await mkdtemp(join(tmpdir(), 'nerdctl-build-'))
  try {
    const iid = join(dir, 'iid')
    const args = buildArgs(tag, contextPath, options, iid, options.buildkitHost ?? buildkitHost)
    const result = await nerdctl(args, options, { longRunning: true })
    const imageId = (await readFile(iid, 'utf8').catch(() => '')).trim()
    if (!/^sha256:[0-9a-f]{64}$/.test(imageId)) {
      throw new NerdctlError(
        'Other',
        `nerdctl build succeeded but wrote no image ID (iidfile ${imageId ? `held "${imageId}"` : 'missing'}): ` +
          'the build may have produced no image (an --output of type local or tar); check its output above',
        { args, stdout: result.stdout, stderr: result.stderr }
      )
    }
    return { ...result, imageId, tags: [tag, ...(options.tags ?? [])] }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * `nerdctl save`: images into one tarball, written atomically. It fetches
 * from the registry what the store lacks (layers of a lazily pulled image),
 * so a transient registry failure is tried again (`retry`).
 */
export async function imageSave(
  imageNames: string | readonly string[],
  path: string,
  options: RetryCallOptions & { platform?: string; allPlatforms?: boolean } = {}
): Promise<void> {
  const list = typeof imageNames === 'string' ? [imageNames] : [...imageNames]
  if (list.length === 0) throw new NerdctlError('Other', 'save needs at least one image')
  for (const i of list) checkImageReference(i)
  const args = ['save']
  if (options.platform) args.push('--platform', options.platform)
  if (options.allPlatforms) args.push('--all-platforms')
  await withRetry(`save ${list.join(' ')}`, options, call =>
    atomicOutput(path, {}, tmp =>
      nerdctl([...args, '--output', tmp, ...list], call, { longRunning: true }).then(
        () => undefined
      )
    )
  )
}

/**
 * `nerdctl load`: images from a tarball. Returns nerdctl's report. containerd
 * also keeps each archive's index under a name `import@sha256:…`; those this
 * load created are removed, so a load leaves only the images it names.
 */
export async function imageLoad(path: string, options: CallOptions = {}): Promise<CommandResult> {
  const importNames = async (): Promise<Set<string>> =>
    new Set((await images({ ...options, filters: ['reference=import'] })).map(i => i.name))
  const before = await importNames()
  const result = await nerdctl(['load', '--input', path], options, { longRunning: true })
  for (const name of await importNames()) {
    if (!before.has(name) && name.startsWith('import@sha256:')) await imageRemove(name, options)
  }
  return result
}
