// Image operations: list, inspect, pull, tag, push, remove, commit, build,
// save and load.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NerdctlError, invalidValue, isNerdctlError } from '../base/errors.js'
import type {
  BuildMetadata,
  BuildSecret,
  BuildSpec,
  CommandResult,
  Image,
  ImageDetails
} from '../base/types.js'
import { clientOf, nerdctl, tool, type CallOptions } from '../exec/call.js'
import type { Nerdctl } from '../exec/client.js'
import { rootlessLimitsApply } from '../pure/rootless.js'
import { buildArgs, exporterOf, secretFile } from '../pure/build-args.js'
import { buildSteps, pushedDigest, type BuildStep } from '../pure/command-output.js'
import { parseJsonArray, parseJsonLines } from '../pure/json.js'
import { toBuildMetadata, toImage, toImageDetails } from '../pure/listings.js'
import { checkContainerRef, checkImageReference, registryOf } from '../pure/validate.js'
import { withoutDebugLines } from '../pure/registry-errors.js'
import { archiveMembers, atomicOutput, unpackOutput, outputGuard } from './files.js'
import { retries, withRetry, type RetryCallOptions } from './retry.js'
import { imageVerify, type CosignCallOptions, type VerifiedImage } from './cosign.js'
import type { VerifySpec } from '../pure/cosign.js'
import { rootlessHostFacts } from './rootless.js'

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

/**
 * `nerdctl pull`, tried again on a transient registry failure (`retry`).
 * With `verify`, the image's cosign signature is verified first and the
 * verified digest (`repo@digest`) is what is pulled, never the tag again.
 */
export async function imagePull(
  image: string,
  options: RetryCallOptions & {
    platform?: string
    quiet?: boolean
    verify?: VerifySpec & Pick<CosignCallOptions, 'cosign'>
  } = {}
): Promise<CommandResult & { verified?: VerifiedImage }> {
  checkImageReference(image)
  const verified = options.verify
    ? await imageVerify(image, { ...options, ...options.verify })
    : undefined
  const ref = verified?.pinned ?? image
  const args = ['pull']
  if (options.platform) args.push('--platform', options.platform)
  if (options.quiet) args.push('--quiet')
  const result = await registryCall(`pull ${ref}`, [...args, ref], registryOf(ref), options)
  return verified ? { ...result, verified } : result
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
  /**
   * What the registry now serves for the reference (its Docker-Content-Digest:
   * the index or manifest pushed), as nerdctl reported it; undefined if it did not.
   */
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
  let result: Awaited<ReturnType<typeof registryCall>>
  try {
    result = await registryCall(
      `push ${reference}`,
      [...args, reference],
      registryOf(reference),
      options
    )
  } catch (e) {
    // nerdctl tags a single-platform copy for the push and deletes it when the
    // push returns; a push killed midway (time limit, cancelled step) never
    // returns, and the copy would stay in the store for good.
    if (!options.allPlatforms && (isNerdctlError(e, 'Timeout') || isNerdctlError(e, 'Cancelled'))) {
      await removeReducedCopy(reference, options)
    }
    throw e
  }
  // Progress lines are read from their start: stderr's last line may lack its newline.
  return { ...result, reference, digest: pushedDigest(`${result.stderr}\n${result.stdout}`) }
}

/** The name nerdctl gives its single-platform copy of REFERENCE during a push. */
function reducedCopyName(reference: string): string {
  const lastPart = reference.slice(reference.lastIndexOf('/') + 1)
  return `${lastPart.includes(':') ? reference : `${reference}:latest`}-tmp-reduced-platform`
}

async function removeReducedCopy(reference: string, options: CallOptions): Promise<void> {
  const name = reducedCopyName(reference)
  // Not the call's own signal: it has fired. A short bounded call of its own,
  // best effort: the push's error is what the caller must see.
  const own = { client: options.client, timeoutMs: 15_000 }
  if (await imageExists(name, own).catch(() => false))
    await imageRemove(name, own).catch(() => undefined)
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
/**
 * Whether nerdctl can pause a container for a commit: not rootless without
 * cgroups (cgroup v1, or v2 without systemd), where runc has no freezer
 * ("cannot toggle freezer: cgroups not configured for container"); there the
 * commit copies the running container as `--pause=false` does.
 */
function canFreeze(client: Nerdctl): boolean {
  if (!client.rootless || rootlessLimitsApply(rootlessHostFacts(client))) return true
  client.logger.info('commit: not pausing the container (rootless without cgroups: no freezer)')
  return false
}

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
  if ((options.pause ?? canFreeze(clientOf(options))) === false) args.push('--pause=false')
  checkContainerRef(container)
  const { stdout } = await nerdctl([...args, container, imageName], options, { longRunning: true })
  return stdout.trim().split('\n').pop() ?? ''
}

export type BuildOptions = CallOptions &
  BuildSpec & {
    /**
     * Read the built image's descriptor for `metadata` (one `image inspect`).
     * Default true; false leaves `metadata` unset, for a caller that reads it
     * with `buildMetadata` alongside other work.
     */
    readMetadata?: boolean
  }

export interface BuildResult extends CommandResult {
  /**
   * The built image's ID as `nerdctl images` shows it (the digest of its
   * manifest or index, as BuildKit reports it); empty for a local or tar output.
   */
  imageId: string
  tags: string[]
  /** buildx's `--metadata-file` fields; absent when no image is in the store. */
  metadata?: BuildMetadata | undefined
  /**
   * The Dockerfile's instructions after FROM and whether BuildKit took each
   * from the cache, read from its plain progress (nerdctl prints it on
   * stderr; of a very long log only the kept tail is read).
   */
  steps: BuildStep[]
}

/**
 * `nerdctl build -t TAG CONTEXT` through BuildKit. Secrets given by value are
 * written (mode 0600) into a private directory under the temporary directory
 * and removed when the build ends; secrets from the environment reach only
 * the nerdctl process. Every secret value is redacted from logs and errors.
 * An output `dest` is written beside its target and renamed into place, by
 * this process (BuildKit streams it), so it belongs to the caller's user.
 */
export async function imageBuild(
  tag: string,
  contextPath: string,
  options: BuildOptions = {}
): Promise<BuildResult> {
  const buildkitHost = clientOf(options).options.buildkitHost
  const exporter = exporterOf(options)
  const { env, values } = secretEnvironment(options.secrets ?? [])
  // Checked before anything is written: a bad spec fails with no file made.
  buildArgs(tag, contextPath, options, undefined, options.buildkitHost ?? buildkitHost, {
    secretDir: '/',
    toStdout: exporter.dest !== undefined
  })
  const dir = await mkdtemp(join(tmpdir(), 'nerdctl-build-'))
  try {
    const iid = exporter.hasImageId ? join(dir, 'iid') : undefined
    for (const [i, s] of (options.secrets ?? []).entries()) {
      if ('value' in s) await writeFile(secretFile(dir, i), s.value, { mode: 0o600, flag: 'wx' })
    }
    // An output with a dest is streamed (dest=-) into a file this process
    // writes, and a local one comes as a tar that it unpacks: what the build
    // writes on this machine is the user's, even when nerdctl runs through sudo.
    const run = async (stdoutFile?: string): Promise<{ args: string[]; result: CommandResult }> => {
      const args = buildArgs(tag, contextPath, options, iid, options.buildkitHost ?? buildkitHost, {
        secretDir: dir,
        toStdout: stdoutFile !== undefined
      })
      const result = await nerdctl(args, options, {
        longRunning: true,
        secrets: values,
        ...(stdoutFile !== undefined ? { stdoutFile } : {}),
        // quietEnv: through sudo, --preserve-env would put each value in sudo's log.
        ...(Object.keys(env).length > 0 ? { quietEnv: env } : {})
      })
      return { args, result }
    }
    let ran: { args: string[]; result: CommandResult } | undefined
    if (exporter.dest && exporter.type === 'local') {
      const archive = join(dir, 'output.tar')
      ran = await run(archive)
      await unpackOutput(
        exporter.dest,
        archive,
        { contents: true, ...outputGuard(options) },
        options
      )
    } else if (exporter.dest) {
      await atomicOutput(exporter.dest, outputGuard(options), async tmp => {
        ran = await run(tmp)
      })
    } else {
      ran = await run()
    }
    const { args, result } = ran as { args: string[]; result: CommandResult }
    const tags = [tag, ...(options.tags ?? [])].filter(t => t)
    const steps = buildSteps(`${result.stderr}\n${result.stdout}`)
    if (!iid) return { ...result, imageId: '', tags, steps }
    const imageId = (await readIidFile(iid, options)).trim()
    if (!/^sha256:[0-9a-f]{64}$/.test(imageId)) {
      throw new NerdctlError(
        'Other',
        `nerdctl build succeeded but wrote no image ID (iidfile ${imageId ? `held "${imageId}"` : 'missing'}): ` +
          'the build may have produced no image; check its output above',
        { args, stdout: result.stdout, stderr: result.stderr }
      )
    }
    // An image pushed by BuildKit itself (type=registry) is not in the store to
    // describe. The descriptor is read quietly: it is not build progress.
    const metadata =
      exporter.storesImage && options.readMetadata !== false
        ? await buildMetadata(tags, { ...options, stream: false })
        : undefined
    return { ...result, imageId, tags, metadata, steps }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * The image ID nerdctl wrote, or '' when it wrote none. Through sudo the file
 * is root's, with nerdctl's 0644 less the caller's umask: under a umask such
 * as 027 the caller may not read it, and reads it through sudo instead.
 */
async function readIidFile(path: string, options: CallOptions): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code !== 'EACCES' || !clientOf(options).options.sudo) return ''
  }
  const { stdout } = await tool(['cat', '--', path], options, { privileged: true })
  return stdout
}

/** The variables that secrets from the environment need, and every secret value. */
function secretEnvironment(secrets: readonly BuildSecret[]): {
  env: Record<string, string>
  values: string[]
} {
  const env: Record<string, string> = {}
  const values: string[] = []
  for (const s of secrets) {
    if ('value' in s) values.push(s.value)
    else if ('env' in s) {
      const v = process.env[s.env]
      if (v === undefined)
        throw invalidValue('secrets', `secret ${s.id}: environment variable ${s.env} is not set`)
      // Given to nerdctl explicitly so that sudo, which resets the environment,
      // keeps it (as a quiet variable: sudo logs what --preserve-env names).
      env[s.env] = v
      values.push(v)
    }
  }
  return { env, values }
}

/**
 * buildx's metadata for an image in the store, read back from containerd:
 * nerdctl asks BuildKit for a metadata file but deletes it once it has taken
 * the digest, so the same fields are rebuilt from the image's descriptor.
 */
export async function buildMetadata(
  tags: readonly string[],
  options: CallOptions = {}
): Promise<BuildMetadata | undefined> {
  const [first] = tags
  if (!first) return undefined
  const { stdout } = await nerdctl(['image', 'inspect', '--mode=native', first], options)
  const [entry] = parseJsonArray(stdout, 'image inspect output')
  return toBuildMetadata(entry, tags)
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
  // Streamed into a file this process creates: it is the user's, even when
  // nerdctl runs through sudo.
  const save = async (call: RetryCallOptions): Promise<void> => {
    await atomicOutput(path, outputGuard(options), async tmp => {
      await nerdctl([...args, ...list], call, { longRunning: true, stdoutFile: tmp })
      // Checked before the archive takes its name: seen under load, a save
      // that exited 0 had written an archive cut short (no index.json).
      const { names, whole } = await archiveMembers(tmp)
      if (!whole || !names.has('index.json'))
        throw new NerdctlError(
          'CommandFailed',
          `nerdctl save ${list.join(' ')} exited 0 but wrote an archive that is ${whole ? 'without index.json' : 'cut short'}; nothing was written to ${path}`
        )
    })
  }
  await withRetry(`save ${list.join(' ')}`, options, async call => {
    try {
      await save(call)
    } catch (e: unknown) {
      // Once more for a cut archive (nothing replaced the target); any other failure is the caller's.
      if (!(e instanceof NerdctlError && /exited 0 but wrote an archive/.test(e.message))) throw e
      await save(call)
    }
  })
}

/**
 * `nerdctl load`: images from a tarball. Returns nerdctl's report. containerd
 * also keeps each archive's index under a name `import@sha256:…`; those this
 * load created are removed, so a load leaves only the images it names.
 */
export async function imageLoad(path: string, options: CallOptions = {}): Promise<CommandResult> {
  // Filtered here, not with `--filter reference=`: nerdctl fails that filter
  // outright ("invalid reference format") once the store holds a
  // `<none>@sha256:…` name, which an untagged `nerdctl build` leaves.
  const importNames = async (): Promise<Set<string>> =>
    new Set((await images(options)).map(i => i.name).filter(n => n.startsWith('import@sha256:')))
  const before = await importNames()
  const result = await nerdctl(['load', '--input', path], options, { longRunning: true })
  for (const name of await importNames()) {
    if (!before.has(name) && name.startsWith('import@sha256:')) await imageRemove(name, options)
  }
  return result
}
