// Starting containers: `nerdctl run` (detached or in the foreground) and
// `nerdctl create`, from a ContainerSpec. Every container gets the client's
// labels first, which is how an owner finds what it made.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commandFailed, type Nerdctl } from '../exec/client.js'
import { clientOf, nerdctl, tool, type CallOptions } from '../exec/call.js'
import { FOREGROUND_OUTPUT_BYTES } from '../base/defaults.js'
import { invalidValue } from '../base/errors.js'
import type { CommandResult, ContainerSpec } from '../base/types.js'
import { containerIdOf } from '../pure/command-output.js'
import { runArgs, validateSpec } from '../pure/run-args.js'
import { registryOf } from '../pure/validate.js'
import { rootlessProblems } from '../pure/rootless.js'
import { inspect } from './containers.js'
import { rootlessHostFacts, withRootlessHostPorts } from './rootless.js'
import { prepareEnv, type PreparedEnv } from './env-file.js'

export interface RunResult extends CommandResult {
  /**
   * The container's ID. A foreground run's comes from the ID file nerdctl
   * wrote for this run (`--cidfile`), and only while that container exists:
   * never from a name, which another container may hold.
   */
  containerId: string | undefined
}

export type RunOptions = CallOptions &
  Omit<ContainerSpec, 'image' | 'name' | 'detach' | 'ports' | 'snapshotter'>

/**
 * `nerdctl run`. Detached by default: the ID comes back at once. With
 * `detach = false` it runs to completion and its exit code and output come
 * back instead; a non-zero exit is a result, not an error.
 */
export async function run(
  image: string,
  name?: string,
  detach = true,
  ports?: readonly string[],
  snapshotter?: string,
  options: RunOptions = {}
): Promise<RunResult> {
  return runSpec({ ...options, image, name, detach, ports, snapshotter }, options)
}

/**
 * `nerdctl run` of a full spec (what Container.build uses). The env reaches
 * nerdctl through a private env file, removed when nerdctl returns (for a
 * foreground run, when the program ends), and never on its command line.
 */
export async function runSpec(given: ContainerSpec, options: CallOptions = {}): Promise<RunResult> {
  const spec = await rootlessSpec(given, clientOf(options))
  const env = await prepareSpecEnv(spec, clientOf(options))
  try {
    return await runPrepared(spec, env, options)
  } finally {
    await env.remove()
  }
}

async function runPrepared(
  spec: ContainerSpec,
  env: PreparedEnv,
  options: CallOptions
): Promise<RunResult> {
  const labelled = withClientLabels(spec, clientOf(options))
  if (spec.detach !== false) {
    const args = runArgs(labelled, 'run', env.args)
    // A run may pull its image (long work); the registry matters for `insecureRegistries`.
    const result = await nerdctl(args, options, {
      registry: registryOf(spec.image),
      longRunning: true,
      ...env.exec
    })
    return { ...result, containerId: containerIdOf(result, args) }
  }
  // A foreground run's output is the program's, so its ID comes from a file:
  // nerdctl writes the ID it picked before it makes the container, in a
  // directory of this run's own (a fresh file: nerdctl refuses one that exists).
  // The spec was checked by prepareSpecEnv, before this directory is made.
  const dir = await mkdtemp(join(tmpdir(), 'nerdctl-run-'))
  try {
    const cidfile = join(dir, 'cid')
    // Last, so that it is the --cidfile nerdctl reads whatever extraArgs hold.
    const args = runArgs(
      { ...labelled, extraArgs: [...(labelled.extraArgs ?? []), '--cidfile', cidfile] },
      'run',
      env.args
    )
    const result = await nerdctl(args, options, {
      allowFailure: true,
      registry: registryOf(spec.image),
      longRunning: true,
      ...env.exec,
      maxOutputBytes: FOREGROUND_OUTPUT_BYTES
    })
    // With --rm the container is gone once the run ends, and its ID with it.
    const id = spec.autoRemove ? undefined : await ownContainer(cidfile, options)
    // nerdctl's own failure (no image, bad flag, a name another container
    // has) exits 1 like a program may. The container of this run tells them
    // apart for certain: it exists if the program ran. Only with --rm is
    // nerdctl's fatal line the sign (a program could print such a line too).
    const nerdctlFailed =
      result.exitCode !== 0 &&
      (spec.autoRemove ? /level=fatal msg=.*\s*$/.test(result.stderr) : id === undefined)
    if (nerdctlFailed) throw commandFailed(args, result.exitCode, result.stderr, result.stdout)
    return { ...result, containerId: id }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * The ID in a run's cidfile, if a container of that ID exists. nerdctl writes
 * the file before it makes the container, so an ID alone proves nothing: a
 * run refused for a taken name leaves one behind. Through sudo the file is
 * root's and, under a umask such as 027, read through sudo.
 */
async function ownContainer(cidfile: string, options: CallOptions): Promise<string | undefined> {
  let text: string
  try {
    text = await readFile(cidfile, 'utf8')
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code !== 'EACCES' || !clientOf(options).options.sudo)
      return undefined
    text = (await tool(['cat', '--', cidfile], options, { privileged: true })).stdout
  }
  const id = text.trim()
  if (!/^[0-9a-f]{64}$/.test(id)) return undefined
  const status = await inspect(id, options).catch(() => undefined)
  return status?.id === id ? id : undefined
}

/**
 * The spec as a rootless nerdctl can run it: refused, before nerdctl runs, for
 * what it cannot do here (limits it would drop with a warning on cgroup v1,
 * host ports the user may not bind), and with host ports picked where the
 * spec leaves them to nerdctl, which rootless cannot pick them.
 */
async function rootlessSpec(spec: ContainerSpec, client: Nerdctl): Promise<ContainerSpec> {
  if (!client.rootless) return spec
  const [first] = rootlessProblems(spec, undefined, rootlessHostFacts(client))
  if (first) throw invalidValue(first.topic, first.message)
  return withRootlessHostPorts(spec)
}

function withClientLabels(spec: ContainerSpec, client: Nerdctl): ContainerSpec {
  const own = client.options.labels ?? []
  return own.length === 0 ? spec : { ...spec, labels: [...own, ...(spec.labels ?? [])] }
}

/** `nerdctl create` of a spec: the container exists, stopped. Returns its ID. */
export async function create(given: ContainerSpec, options: CallOptions = {}): Promise<string> {
  const spec = await rootlessSpec(given, clientOf(options))
  const env = await prepareSpecEnv(spec, clientOf(options))
  try {
    const args = runArgs(withClientLabels(spec, clientOf(options)), 'create', env.args)
    const result = await nerdctl(args, options, {
      registry: registryOf(spec.image),
      longRunning: true,
      ...env.exec
    })
    return containerIdOf(result, args)
  } finally {
    await env.remove()
  }
}

/** The spec checked first, so a bad one writes no env file. */
async function prepareSpecEnv(spec: ContainerSpec, client: Nerdctl): Promise<PreparedEnv> {
  validateSpec(spec)
  return prepareEnv(spec.env, client)
}
