// The public API of the library: `import { Container, imageBuild } from 'nerdctl-action'`.
// The top floor: it re-exports; nothing below imports it.
export type {
  BuildMetadata,
  BuildNetwork,
  BuildSecret,
  BuildSpec,
  CommandResult,
  ContainerSpec,
  ContainerStatus,
  ContainerSummary,
  Duration,
  HealthCheck,
  HealthProbe,
  HealthState,
  Image,
  ImageDetails,
  PortBinding,
  PullPolicy,
  ResourceUsage,
  RestartPolicy
} from './base/types.js'
export { DEFAULT_TIMEOUT_MS } from './base/defaults.js'
export {
  NerdctlError,
  isNerdctlError,
  isNoSuchContainer,
  nerdctlSaid,
  type NerdctlErrorKind,
  type NerdctlErrorDetails
} from './base/errors.js'
export { errorMessage, formatArgv, quoteArg, showValue } from './base/text.js'

export { hintFor } from './pure/hints.js'
export {
  checkContainerName,
  checkImageReference,
  checkRegistryHost,
  expandOwnPath,
  isContainerSide,
  isImageReference,
  registryOf,
  splitContainerPath
} from './pure/validate.js'
export { parseSize, parseDuration, formatDuration, durationMs } from './pure/units.js'
export { parseContainerInspect } from './pure/inspect.js'
export { runArgs, validateSpec, validateHealthCheck, healthCheckArgs } from './pure/run-args.js'
export { buildArgs, exporterOf, type Exporter } from './pure/build-args.js'
export { buildSteps, type BuildStep } from './pure/command-output.js'

export {
  Nerdctl,
  configure,
  getDefaultClient,
  execNerdctl,
  silentLogger,
  type ExecOptions,
  type GlobalOptions,
  type Logger
} from './exec/client.js'
export type { CallOptions } from './exec/call.js'
export type { Runner, RunSpec, ProcessResult } from './exec/runner.js'

export { atomicOutput, removePartials } from './ops/files.js'
export { run, runSpec, create, type RunOptions, type RunResult } from './ops/run.js'
export {
  exec,
  copy,
  stop,
  remove,
  list,
  inspect,
  stats,
  healthcheck,
  exportContainer,
  type ContainerExecOptions
} from './ops/containers.js'
export { logs, logsText, logTail, type LogsOptions } from './ops/logs.js'
export {
  images,
  imageInspect,
  imageExists,
  imagePull,
  imageTag,
  imagePush,
  imageRemove,
  imageCommit,
  imageBuild,
  buildMetadata,
  imageSave,
  imageLoad,
  type BuildOptions,
  type BuildResult,
  type PushResult
} from './ops/images.js'
export { login, logout, type LoginOptions } from './ops/registry.js'
export { waitForHealthy, type WaitOptions } from './ops/health.js'

export { Container } from './builder/container.js'
