// The public API of the library: `import { Container, imageBuild } from 'nerdctl-action'`.
export {
  NerdctlError,
  isNerdctlError,
  isNoSuchContainer,
  nerdctlSaid,
  type NerdctlErrorKind,
  type NerdctlErrorDetails
} from './errors.js'
export {
  Nerdctl,
  configure,
  getDefaultClient,
  execNerdctl,
  registryOf,
  silentLogger,
  DEFAULT_TIMEOUT_MS,
  type CommandResult,
  type ExecOptions,
  type GlobalOptions,
  type Logger
} from './client.js'
export type { Runner, RunSpec, RunResult as ProcessResult } from './runner.js'
export { Container } from './container.js'
export {
  run,
  runSpec,
  create,
  exec,
  copy,
  stop,
  remove,
  list,
  logs,
  inspect,
  stats,
  healthcheck,
  exportContainer,
  type CallOptions,
  type ContainerExecOptions,
  type LogsOptions,
  type RunOptions,
  type RunResult
} from './containers.js'
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
  imageSave,
  imageLoad,
  login,
  logout,
  type BuildOptions,
  type BuildResult,
  type ImageDetails,
  type LoginOptions,
  type PushResult
} from './images.js'
export {
  waitForHealthy,
  type Duration,
  type HealthCheck,
  type HealthProbe,
  type WaitOptions
} from './health.js'
export { atomicOutput, removePartials } from './files.js'
export {
  runArgs,
  validateSpec,
  validateHealthCheck,
  healthCheckArgs,
  type ContainerSpec
} from './run-args.js'
export {
  parseSize,
  parseDuration,
  formatDuration,
  parseContainerInspect,
  type ContainerStatus,
  type ContainerSummary,
  type HealthState,
  type Image,
  type PortBinding,
  type ResourceUsage
} from './parse.js'
