// The public API of the library: `import { Container, imageBuild } from 'nerdctl-action'`.
// The top floor: it re-exports what users, the action, its scripts and the
// CLI use, and nothing else; nothing below imports it. Tests reach the rest
// by its module path.
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
  EnvironmentSpec,
  HealthCheck,
  HttpCheck,
  HealthProbe,
  HealthState,
  Image,
  ImageDetails,
  LogCheck,
  NetworkSummary,
  PortBinding,
  PullPolicy,
  ReadinessSpec,
  ReadyResult,
  ResourceUsage,
  RestartPolicy,
  ServiceInfo,
  ServiceSpec,
  DependencyCondition,
  EnvironmentResource,
  DigestsFile,
  ImageIndex,
  ManifestDescriptor,
  ManifestDocument,
  ManifestPlatform,
  ManifestPushResult,
  MergeResult
} from './base/types.js'
export {
  DEFAULT_TIMEOUT_MS,
  DEFAULT_RETRIES,
  DEFAULT_RETRY_DELAY_MS,
  EXEC_OUTPUT_BYTES,
  MAX_DURATION_MS,
  MAX_RETRY_DELAY_MS
} from './base/defaults.js'
export {
  NerdctlError,
  isNerdctlError,
  isNoSuchContainer,
  isNoSuchNetwork,
  type NerdctlErrorKind,
  type NerdctlErrorDetails
} from './base/errors.js'
export { errorMessage, formatArgv, showValue } from './base/text.js'

export { hintFor } from './pure/hints.js'
export {
  classifyRegistryFailure,
  parseRetryAfter,
  backoffDelay,
  type RegistryFailure
} from './pure/registry-errors.js'
export {
  checkContainerName,
  checkImageReference,
  checkNetworkName,
  checkServiceKey,
  checkRegistryHost,
  isContainerSide,
  isImageReference,
  registryOf,
  splitContainerPath
} from './pure/validate.js'
export { parseSize, parseDuration, formatDuration } from './pure/units.js'
export { parseContainerInspect } from './pure/inspect.js'
export { runArgs, validateSpec, validateHealthCheck } from './pure/run-args.js'
export { validateReadiness } from './pure/readiness.js'
export { startWaves, validateEnvironment } from './pure/services.js'
export { buildArgs, exporterOf, splitAttributeList, type Exporter } from './pure/build-args.js'
export { buildSteps, type BuildStep } from './pure/command-output.js'
export {
  FEATURES,
  MINIMUM_VERSIONS,
  parseVersionOutput,
  versionAtLeast,
  versionProblems,
  type Feature,
  type Tool,
  type ToolVersions
} from './pure/versions.js'

export {
  Nerdctl,
  configure,
  execNerdctl,
  silentLogger,
  type ExecOptions,
  type GlobalOptions,
  type Logger
} from './exec/client.js'
export type { CallOptions } from './exec/call.js'
export type { Runner, RunSpec, ProcessResult } from './exec/runner.js'
export { findProgram, systemProgram } from './exec/programs.js'

export { removeRecordedPartials, removeTree } from './ops/files.js'
export { resolveHostPath, rootHolding, type ResolvedHostPath } from './ops/host-paths.js'
export {
  withRetry,
  type RetryOptions,
  type RetryCallOptions,
  type RetryEvent
} from './ops/retry.js'
export { run, runSpec, create, type RunOptions, type RunResult } from './ops/run.js'
export {
  cosignProgram,
  imageSign,
  imageVerify,
  VerificationError,
  type CosignCallOptions,
  type SignedImage,
  type VerifiedImage
} from './ops/cosign.js'
export {
  pinnedReference,
  signatureReference,
  type SignSpec,
  type SigningKey,
  type VerifyFailure,
  type VerifySpec
} from './pure/cosign.js'
export type { VerifyOption } from './ops/run.js'
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
export { logs, type LogsOptions } from './ops/logs.js'
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
export { type WaitOptions } from './ops/health.js'
export { waitFor, waitForHealthy, type ReadinessOptions } from './ops/readiness.js'
export { randomHex } from './ops/random.js'
export {
  networkCreate,
  networkRemove,
  networkList,
  type NetworkCreateOptions
} from './ops/networks.js'
export {
  volumeCreate,
  volumeInspect,
  volumeList,
  volumeRemove,
  namedVolumeOf,
  checkVolumeName,
  type VolumeSummary
} from './ops/volumes.js'

export {
  cachedToolVersions,
  checkMinimumVersions,
  explainFailure,
  readToolVersions,
  requireFeatures,
  toolVersions,
  type VersionOptions
} from './ops/versions.js'
export {
  limitsOf,
  parsePublish,
  rootlessCgroupManager,
  rootlessLimitsApply,
  rootlessProblems,
  rootlessStatsProblem,
  type RootlessHostFacts,
  type RootlessProblem
} from './pure/rootless.js'
export { rootlessHostFacts, rootlessStateDir } from './ops/rootless.js'
export {
  manifestCreate,
  manifestAnnotate,
  manifestPush,
  manifestInspect,
  manifestInspectVerbose,
  manifestRemove,
  mergeDigests,
  type ManifestOptions,
  type ManifestAnnotation,
  type MergeSource,
  type MergeOptions
} from './ops/manifest.js'
export {
  digestsFileName,
  formatDigestsFile,
  parseDigestsFile,
  pushByDigestOutput,
  repositoryOf,
  splitDigestReference,
  indexAnnotations
} from './pure/manifest.js'

export { Container } from './builder/container.js'
export { Environment, startServices, type EnvironmentOptions } from './builder/environment.js'
// Disk: the store's use, the budget, and a prune that removes only what a policy lets go.
export {
  parseBudget,
  budgetBytes,
  overBudgetBy,
  formatBytes,
  keptBecause,
  prunePlan,
  biggest,
  type PruneStage
} from './pure/disk.js'
export type {
  DiskBudget,
  DiskUsage,
  FilesystemUsage,
  KeptReason,
  PrunePolicy,
  PruneResult,
  StoreItem,
  StoreItemKind,
  UsageTotal
} from './base/types.js'
export { machineLock, type MachineLock } from './exec/lock.js'
export { diskUsage, prune, storeFilesystem, localBuildkit, type DiskOptions } from './ops/disk.js'
export {
  COMPOSE_NETWORK_LABEL,
  COMPOSE_PROJECT_LABEL,
  COMPOSE_SERVICE_LABEL,
  COMPOSE_VOLUME_LABEL,
  checkComposeProfile,
  checkComposeProject,
  composeModel,
  composePlan,
  publishedHostPorts,
  type ComposeBuild,
  type ComposeDependency,
  type ComposeHostPort,
  type ComposeImageBuild,
  type ComposeModel,
  type ComposeMount,
  type ComposePlan,
  type ComposePlanOptions,
  type ComposePort,
  type ComposeResource,
  type ComposeService
} from './pure/compose.js'
export {
  checkComposeHostPorts,
  composeBuilds,
  composeConfig,
  composeImage,
  type ComposeConfigOptions
} from './ops/compose.js'
export { waitExit } from './ops/containers.js'
export { Compose, type ComposeUpOptions } from './builder/compose.js'
