// The run section: the container to start, as the library's ContainerSpec
// (health check included, its durations in milliseconds), or none when
// neither "image" nor "run: true" asks for one. The library's validators
// decide what is valid; this module only says which input a fault is in.
import {
  NerdctlError,
  checkVolumeName,
  errorMessage,
  namedVolumeOf,
  validateHealthCheck,
  validateSpec,
  type ContainerSpec,
  type HealthCheck,
  randomHex
} from '../../nerdctl/index.js'
import { Input } from '../constants.js'
import { shellWords } from '../shell-words.js'
import type { ImagesPlan, RunPlan } from './plan.js'
import { InputError, asInput, type Reader } from './reader.js'
import { volumeSource, type HostPaths } from '../host-paths.js'

/** Why an input that acts on the container fails when no container is started. */
export const NEEDS_CONTAINER =
  'needs a container: set "image" (or "run: true" with "tags") to start one'

const RUN_ONLY = [
  Input.Name,
  Input.Command,
  Input.Ports,
  Input.Volumes,
  Input.Env,
  Input.Network,
  Input.NetworkAliases,
  Input.Cpus,
  Input.Memory,
  Input.MemorySwap,
  Input.CpuShares,
  Input.Restart,
  Input.HealthCmd,
  Input.HealthInterval,
  Input.HealthTimeout,
  Input.HealthRetries,
  Input.HealthStartPeriod
]

const HEALTH_OPTIONS = [
  Input.HealthInterval,
  Input.HealthTimeout,
  Input.HealthRetries,
  Input.HealthStartPeriod
]

/** Which input holds each field of the library's container spec. */
const INPUT_OF_FIELD: Partial<Record<keyof ContainerSpec, string>> = {
  image: Input.Image,
  name: Input.Name,
  command: Input.Command,
  ports: Input.Ports,
  volumes: Input.Volumes,
  env: Input.Env,
  network: Input.Network,
  networkAliases: Input.NetworkAliases,
  cpuLimit: Input.Cpus,
  memoryLimit: Input.Memory,
  memorySwapLimit: Input.MemorySwap,
  cpuShares: Input.CpuShares,
  restartPolicy: Input.Restart,
  healthCheck: Input.HealthCmd
}

/** "image", or with "run: true" the first tag (what the step built). */
function imageToRun(r: Reader, images: ImagesPlan): string | undefined {
  const image = r.optional(Input.Image)
  const runFlag = r.bool(Input.Run, false)
  if (runFlag && !image && images.tags.length === 0) {
    throw new InputError(
      Input.Run,
      'is true but neither "image" nor "tags" is set: say which image to run'
    )
  }
  return image ?? (runFlag ? images.tags[0] : undefined)
}

/** The health check, or undefined when "health-cmd" is empty. */
function readHealthCheck(r: Reader): HealthCheck | undefined {
  const cmd = r.raw(Input.HealthCmd)
  if (!cmd.trim()) {
    r.refuseIfSet('is set but "health-cmd" is not: set "health-cmd" too', HEALTH_OPTIONS)
    return undefined
  }
  const healthCheck: HealthCheck = {
    // A YAML block scalar ends in a newline that is not part of the command.
    cmd: cmd.replace(/\s+$/, ''),
    interval: r.duration(Input.HealthInterval),
    timeout: r.duration(Input.HealthTimeout),
    retries: r.positiveInt(Input.HealthRetries),
    startPeriod: r.duration(Input.HealthStartPeriod)
  }
  asInput(Input.HealthCmd, () => validateHealthCheck(healthCheck))
  return healthCheck
}

/** A container name unique to this run and step, when the user gives none. */
function generatedName(): string {
  const run = process.env.GITHUB_RUN_ID ?? 'local'
  return `nerdctl-action-${run}-${randomHex(3)}`
}

/** The library's spec validation, reported against the input that holds the bad value. */
function validateRunSpec(spec: ContainerSpec): void {
  try {
    validateSpec(spec)
  } catch (e: unknown) {
    if (!(e instanceof NerdctlError)) throw e
    const field = e.field as keyof ContainerSpec | undefined
    throw new InputError((field && INPUT_OF_FIELD[field]) ?? Input.Image, e.message)
  }
}

/** Bind-mount sources lead inside the allowed directories (host-paths.ts). */
export function checkVolumes(paths: HostPaths, input: string, volumes: readonly string[]): void {
  for (const v of volumes) {
    const bind = volumeSource(v)
    if (bind) paths.check(input, bind.source, bind.readOnly ? 'mount-ro' : 'mount')
    // The step creates a named volume itself (labelled): a bad name fails here, before any command.
    const named = namedVolumeOf(v)
    if (named === undefined) continue
    try {
      checkVolumeName(named)
    } catch (e: unknown) {
      throw new InputError(
        input,
        `volume ${JSON.stringify(v)}: ${errorMessage(e)}; a host path starts with /, ./ or ~/`
      )
    }
  }
}

export function readRun(r: Reader, images: ImagesPlan, paths: HostPaths): RunPlan | undefined {
  const image = imageToRun(r, images)
  if (!image) {
    r.refuseIfSet(NEEDS_CONTAINER, RUN_ONLY, [[Input.Detach, true]])
    return undefined
  }
  const detach = r.bool(Input.Detach, true)
  const healthCheck = readHealthCheck(r)
  const userName = r.optional(Input.Name)
  const commandLine = r.text(Input.Command)
  const spec: RunPlan['spec'] = {
    image,
    name: userName ?? generatedName(),
    command: commandLine ? asInput(Input.Command, () => shellWords(commandLine)) : undefined,
    ports: r.lines(Input.Ports),
    volumes: r.lines(Input.Volumes),
    env: r.pairs(Input.Env),
    labels: [],
    network: r.optional(Input.Network),
    networkAliases: r.csv(Input.NetworkAliases),
    cpuLimit: r.optional(Input.Cpus),
    memoryLimit: r.optional(Input.Memory),
    memorySwapLimit: r.optional(Input.MemorySwap),
    cpuShares: r.optional(Input.CpuShares),
    restartPolicy: r.optional(Input.Restart),
    healthCheck,
    detach
  }
  validateRunSpec(spec)
  checkVolumes(paths, Input.Volumes, spec.volumes ?? [])
  return { spec, generatedName: userName === undefined }
}
