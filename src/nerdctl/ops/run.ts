// Starting containers: `nerdctl run` (detached or in the foreground) and
// `nerdctl create`, from a ContainerSpec. Every container gets the client's
// labels first, which is how an owner finds what it made.
import { commandFailed, type Nerdctl } from '../exec/client.js'
import { clientOf, nerdctl, type CallOptions } from '../exec/call.js'
import { FOREGROUND_OUTPUT_BYTES } from '../base/defaults.js'
import type { CommandResult, ContainerSpec } from '../base/types.js'
import { containerIdOf } from '../pure/command-output.js'
import { runArgs } from '../pure/run-args.js'
import { registryOf } from '../pure/validate.js'
import { inspect } from './containers.js'

export interface RunResult extends CommandResult {
  /** The container's ID; for a foreground run, looked up by name when it has one. */
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

/** `nerdctl run` of a full spec (what Container.build uses). */
export async function runSpec(spec: ContainerSpec, options: CallOptions = {}): Promise<RunResult> {
  const args = runArgs(withClientLabels(spec, clientOf(options)))
  const foreground = spec.detach === false
  // A run may pull its image (long work); the registry matters for `insecureRegistries`.
  const result = await nerdctl(args, options, {
    allowFailure: foreground,
    registry: registryOf(spec.image),
    longRunning: true,
    ...(foreground ? { maxOutputBytes: FOREGROUND_OUTPUT_BYTES } : {})
  })
  if (!foreground) return { ...result, containerId: containerIdOf(result, args) }
  // A foreground run's output is the program's; its ID can only be looked up.
  let containerId: string | undefined
  if (spec.name && !spec.autoRemove) {
    containerId = (await inspect(spec.name, options).catch(() => undefined))?.id
  }
  // nerdctl's own failure (no image, bad flag) exits 1 like a program may. A
  // named container tells them apart for certain: it exists if the program
  // ran. Only without one is nerdctl's fatal line the sign (a program could
  // print such a line too).
  const named = !!spec.name && !spec.autoRemove
  const nerdctlFailed =
    result.exitCode !== 0 &&
    (named ? containerId === undefined : /level=fatal msg=.*\s*$/.test(result.stderr))
  if (nerdctlFailed) throw commandFailed(args, result.exitCode, result.stderr, result.stdout)
  return { ...result, containerId }
}

function withClientLabels(spec: ContainerSpec, client: Nerdctl): ContainerSpec {
  const own = client.options.labels ?? []
  return own.length === 0 ? spec : { ...spec, labels: [...own, ...(spec.labels ?? [])] }
}

/** `nerdctl create` of a spec: the container exists, stopped. Returns its ID. */
export async function create(spec: ContainerSpec, options: CallOptions = {}): Promise<string> {
  const args = runArgs(withClientLabels(spec, clientOf(options)), 'create')
  const result = await nerdctl(args, options, {
    registry: registryOf(spec.image),
    longRunning: true
  })
  return containerIdOf(result, args)
}
