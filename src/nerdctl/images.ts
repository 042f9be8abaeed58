// Image functions: list, inspect, pull, tag, push, remove, commit, build,
// save, and registry login/logout. Registry passwords go to nerdctl on
// standard input only, never on argv.
import { readFile, rm, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NerdctlError } from './errors.js'
import { registryOf, type CommandResult } from './client.js'
import { clientOf, execOptionsOf, type CallOptions } from './containers.js'
import { atomicOutput } from './files.js'
import { parseJsonArray, parseJsonLines, str, arr, toImage, type Image } from './parse.js'

const REFERENCE = /^[a-z0-9]+(?:[._-][a-z0-9]+|[:.][0-9]+)*(?:[/:@.][a-zA-Z0-9._:@+-]+)*$/i

function checkReference(what: string, ref: string): void {
  if (!ref || /\s/.test(ref) || !REFERENCE.test(ref)) {
    throw new NerdctlError(
      'Other',
      `${what} "${ref}" is not an image reference: expected e.g. "busybox:stable", "127.0.0.1:5000/app:1.0" or "app@sha256:…"`
    )
  }
}

/** `nerdctl images`, parsed. */
export async function images(
  options: CallOptions & { all?: boolean; filters?: readonly string[]; reference?: string } = {}
): Promise<Image[]> {
  const args = ['images', '--no-trunc', '--format', '{{json .}}']
  if (options.all) args.push('--all')
  for (const f of options.filters ?? []) args.push('--filter', f)
  if (options.reference) args.push(options.reference)
  const { stdout } = await clientOf(options).exec(args, execOptionsOf(options))
  return parseJsonLines(stdout, 'images output').map(toImage)
}

export interface ImageDetails {
  /** The image ID: digest of its config, as Docker and nerdctl show it. */
  id: string
  repoTags: string[]
  repoDigests: string[]
  created: string
  architecture: string
  os: string
  size: number
}

/** `nerdctl image inspect` of one image. */
export async function imageInspect(
  image: string,
  options: CallOptions = {}
): Promise<ImageDetails> {
  const { stdout } = await clientOf(options).exec(
    ['image', 'inspect', image],
    execOptionsOf(options)
  )
  const [i] = parseJsonArray(stdout, 'image inspect output')
  if (!i)
    throw new NerdctlError(
      'JsonParseError',
      `nerdctl image inspect printed no image for ${image}`,
      { text: stdout }
    )
  const strings = (key: string): string[] =>
    arr(i, key).filter((v): v is string => typeof v === 'string')
  return {
    id: str(i, 'Id') || str(i, 'ID'),
    repoTags: strings('RepoTags'),
    repoDigests: strings('RepoDigests'),
    created: str(i, 'Created'),
    architecture: str(i, 'Architecture'),
    os: str(i, 'Os'),
    size: typeof i.Size === 'number' ? i.Size : 0
  }
}

/** Whether an image is in the local store. */
export async function imageExists(image: string, options: CallOptions = {}): Promise<boolean> {
  const r = await clientOf(options).exec(
    ['image', 'inspect', image],
    execOptionsOf(options, { allowFailure: true })
  )
  return r.exitCode === 0
}

/** `nerdctl pull`. */
export async function imagePull(
  image: string,
  options: CallOptions & { platform?: string; quiet?: boolean } = {}
): Promise<CommandResult> {
  checkReference('image', image)
  const args = ['pull']
  if (options.platform) args.push('--platform', options.platform)
  if (options.quiet) args.push('--quiet')
  return clientOf(options).exec(
    [...args, image],
    execOptionsOf(options, { registry: registryOf(image) })
  )
}

/** `nerdctl tag SOURCE TARGET`. */
export async function imageTag(
  image: string,
  newName: string,
  options: CallOptions = {}
): Promise<void> {
  checkReference('source image', image)
  checkReference('new image name', newName)
  await clientOf(options).exec(['tag', image, newName], execOptionsOf(options))
}

export interface PushResult extends CommandResult {
  /** The reference that was pushed. */
  reference: string
  /** Digest of the manifest the registry now has, when nerdctl reported it. */
  digest: string | undefined
}

/**
 * `nerdctl push IMAGE`. With a destination, tags the image as the destination
 * first and pushes that, so the original's two-argument form works (nerdctl
 * itself takes exactly one reference).
 */
export async function imagePush(
  image: string,
  destination?: string,
  options: CallOptions & { platform?: string; allPlatforms?: boolean } = {}
): Promise<PushResult> {
  checkReference('image', image)
  const reference = destination ?? image
  if (destination !== undefined && destination !== image)
    await imageTag(image, destination, options)
  const args = ['push']
  if (options.platform) args.push('--platform', options.platform)
  if (options.allPlatforms) args.push('--all-platforms')
  const result = await clientOf(options).exec(
    [...args, reference],
    execOptionsOf(options, { registry: registryOf(reference) })
  )
  return { ...result, reference, digest: pushedDigest(result.stderr + result.stdout) }
}

/** nerdctl names the manifest it pushes in its progress output. */
export function pushedDigest(output: string): string | undefined {
  const m =
    /reduced-platform image \([^,]*, (sha256:[0-9a-f]{64})\)/.exec(output) ??
    /(?:digest|manifest)[^\n]*?(sha256:[0-9a-f]{64})/i.exec(output)
  return m?.[1]
}

/** `nerdctl rmi`. */
export async function imageRemove(
  image: string,
  options: CallOptions & { force?: boolean } = {}
): Promise<void> {
  const args = ['rmi']
  if (options.force) args.push('--force')
  await clientOf(options).exec([...args, image], execOptionsOf(options))
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
  checkReference('image name', imageName)
  const args = ['commit']
  if (options.message) args.push('--message', options.message)
  if (options.author) args.push('--author', options.author)
  for (const c of options.changes ?? []) args.push('--change', c)
  if (options.pause === false) args.push('--pause=false')
  const { stdout } = await clientOf(options).exec(
    [...args, container, imageName],
    execOptionsOf(options)
  )
  return stdout.trim().split('\n').pop() ?? ''
}

export interface BuildOptions extends CallOptions {
  /** Dockerfile path (`--file`). */
  file?: string
  /** More names for the image, besides the first tag. */
  tags?: readonly string[]
  buildArgs?: readonly (readonly [string, string])[]
  labels?: readonly (readonly [string, string])[]
  target?: string
  platforms?: readonly string[]
  noCache?: boolean
  /** Always try to pull newer base images. */
  pull?: boolean
  /** BuildKit address; default the client's `buildkitHost`. */
  buildkitHost?: string
}

export interface BuildResult extends CommandResult {
  /** sha256:… of the built image's config, as `nerdctl images` shows it. */
  imageId: string
  tags: string[]
}

/** The `nerdctl build` argv (pure; the table tests check it). */
export function buildArgs(
  tag: string,
  contextPath: string,
  options: BuildOptions,
  iidFile: string,
  buildkitHost?: string
): string[] {
  const tags = [tag, ...(options.tags ?? [])].filter(t => t)
  if (tags.length === 0)
    throw new NerdctlError('Other', 'build needs at least one tag, e.g. "127.0.0.1:5000/app:1.0"')
  for (const t of tags) checkReference('tag', t)
  if (!contextPath)
    throw new NerdctlError('Other', 'build context is empty: give a directory such as "."')
  const a = ['build', '--progress', 'plain', '--iidfile', iidFile]
  if (buildkitHost) a.push('--buildkit-host', buildkitHost)
  for (const t of tags) a.push('--tag', t)
  if (options.file) a.push('--file', options.file)
  for (const [k, v] of options.buildArgs ?? []) a.push('--build-arg', `${k}=${v}`)
  for (const [k, v] of options.labels ?? []) a.push('--label', `${k}=${v}`)
  if (options.target) a.push('--target', options.target)
  if (options.platforms?.length) a.push('--platform', options.platforms.join(','))
  if (options.noCache) a.push('--no-cache')
  if (options.pull) a.push('--pull')
  a.push(contextPath)
  return a
}

/** `nerdctl build -t TAG CONTEXT` through BuildKit; returns the image ID. */
export async function imageBuild(
  tag: string,
  contextPath: string,
  options: BuildOptions = {}
): Promise<BuildResult> {
  const client = clientOf(options)
  const dir = await mkdtemp(join(tmpdir(), 'nerdctl-build-'))
  try {
    const iid = join(dir, 'iid')
    const args = buildArgs(
      tag,
      contextPath,
      options,
      iid,
      options.buildkitHost ?? client.options.buildkitHost
    )
    const result = await client.exec(args, execOptionsOf(options))
    const imageId = (await readFile(iid, 'utf8').catch(() => '')).trim()
    return { ...result, imageId, tags: [tag, ...(options.tags ?? [])] }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** `nerdctl save`: images into one tarball, written atomically. */
export async function imageSave(
  imageNames: string | readonly string[],
  path: string,
  options: CallOptions & { platform?: string; allPlatforms?: boolean } = {}
): Promise<void> {
  const list = typeof imageNames === 'string' ? [imageNames] : [...imageNames]
  if (list.length === 0) throw new NerdctlError('Other', 'save needs at least one image')
  for (const i of list) checkReference('image', i)
  const args = ['save']
  if (options.platform) args.push('--platform', options.platform)
  if (options.allPlatforms) args.push('--all-platforms')
  const client = clientOf(options)
  await atomicOutput(path, {}, tmp =>
    client.exec([...args, '--output', tmp, ...list], execOptionsOf(options)).then(() => undefined)
  )
}

/**
 * `nerdctl load`: images from a tarball. Returns nerdctl's report. containerd
 * also keeps each archive's index under a name `import@sha256:…`; those this
 * load created are removed, so a load leaves only the images it names.
 */
export async function imageLoad(path: string, options: CallOptions = {}): Promise<CommandResult> {
  const client = clientOf(options)
  const importNames = async (): Promise<Set<string>> =>
    new Set((await images({ ...options, filters: ['reference=import'] })).map(i => i.name))
  const before = await importNames()
  const result = await client.exec(['load', '--input', path], execOptionsOf(options))
  for (const name of await importNames()) {
    if (!before.has(name) && name.startsWith('import@sha256:')) await imageRemove(name, options)
  }
  return result
}

export interface LoginOptions extends CallOptions {
  /** Registry host; Docker Hub when empty. */
  registry?: string
  username: string
  password: string
}

/** `nerdctl login` with the password on standard input (`--password-stdin`). */
export async function login(options: LoginOptions): Promise<void> {
  if (!options.username) throw new NerdctlError('Other', 'login needs a username')
  if (!options.password) throw new NerdctlError('Other', 'login needs a password (or token)')
  const args = ['login', '--username', options.username, '--password-stdin']
  if (options.registry) args.push(options.registry)
  await clientOf(options).exec(
    args,
    execOptionsOf(options, {
      input: options.password,
      secrets: [options.password],
      registry: options.registry ?? 'docker.io'
    })
  )
}

/** `nerdctl logout`. */
export async function logout(registry?: string, options: CallOptions = {}): Promise<void> {
  await clientOf(options).exec(registry ? ['logout', registry] : ['logout'], execOptionsOf(options))
}
