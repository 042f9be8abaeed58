// Every input, output and state name of the action, in one place. action.yml
// must declare exactly these (a unit test checks it).

export const Input = {
  Nerdctl: 'nerdctl',
  Namespace: 'namespace',
  Address: 'address',
  Snapshotter: 'snapshotter',
  BuildkitHost: 'buildkit-host',
  InsecureRegistries: 'insecure-registries',
  Sudo: 'sudo',
  Timeout: 'timeout',
  HostPaths: 'host-paths',
  Registry: 'registry',
  Username: 'username',
  Password: 'password',
  Registries: 'registries',
  Logout: 'logout',
  Retries: 'retries',
  RetryDelay: 'retry-delay',
  Pull: 'pull',
  Context: 'context',
  File: 'file',
  Tags: 'tags',
  BuildArgs: 'build-args',
  Labels: 'labels',
  Target: 'target',
  Platforms: 'platforms',
  NoCache: 'no-cache',
  CacheFrom: 'cache-from',
  CacheTo: 'cache-to',
  Secrets: 'secrets',
  SecretFiles: 'secret-files',
  SecretEnvs: 'secret-envs',
  Ssh: 'ssh',
  Allow: 'allow',
  Attests: 'attests',
  Sbom: 'sbom',
  Provenance: 'provenance',
  Annotations: 'annotations',
  Outputs: 'outputs',
  BuildContexts: 'build-contexts',
  BuildNetwork: 'build-network',
  AddHosts: 'add-hosts',
  BuildPull: 'build-pull',
  Push: 'push',
  PushByDigest: 'push-by-digest',
  Merge: 'merge',
  Save: 'save',
  Image: 'image',
  Run: 'run',
  Name: 'name',
  Command: 'command',
  Ports: 'ports',
  Volumes: 'volumes',
  Env: 'env',
  Network: 'network',
  NetworkAliases: 'network-aliases',
  Cpus: 'cpus',
  Memory: 'memory',
  MemorySwap: 'memory-swap',
  CpuShares: 'cpu-shares',
  Restart: 'restart',
  Detach: 'detach',
  HealthCmd: 'health-cmd',
  HealthInterval: 'health-interval',
  HealthTimeout: 'health-timeout',
  HealthRetries: 'health-retries',
  HealthStartPeriod: 'health-start-period',
  Wait: 'wait',
  WaitForClients: 'wait-for-clients',
  WaitTimeout: 'wait-timeout',
  Exec: 'exec',
  Copy: 'copy',
  Commit: 'commit',
  Export: 'export',
  Stats: 'stats',
  Script: 'script',
  ScriptFile: 'script-file',
  Cleanup: 'cleanup',
  ShowLogs: 'show-logs',
  Summary: 'summary',
  Services: 'services',
  Reap: 'reap',
  // Persistent runners: the disk budget (inputs/disk.ts, disk-budget.ts).
  DiskBudget: 'disk-budget',
  PruneUntil: 'prune-until',
  BuildCacheKeep: 'build-cache-keep',
  PruneDryRun: 'prune-dry-run'
} as const

export const Output = {
  ImageId: 'image-id',
  Digest: 'digest',
  DigestsFile: 'digests-file',
  Tags: 'tags',
  ContainerId: 'container-id',
  ContainerName: 'container-name',
  Status: 'status',
  Health: 'health',
  ExitCode: 'exit-code',
  ExportPath: 'export-path',
  SavePath: 'save-path',
  Stats: 'stats',
  Result: 'result',
  Metadata: 'metadata',
  Services: 'services'
} as const

/**
 * Post-step state (read and written by state.ts only). Never secrets:
 * container IDs, the cleanup label, paths. The strings are what main writes
 * and post reads back, and what tests and the local step runner look at, so
 * they stay as they are when the names on the left change.
 */
export const State = {
  IsPost: 'isPost',
  /** Value of the label on every container this step creates. */
  Token: 'token',
  /** JSON list of the IDs of containers this step started. */
  Containers: 'containers',
  /** The client's global options (the plan's nerdctl section), JSON. */
  Nerdctl: 'tool',
  /** JSON list of the registries to log out of in the post step ('docker.io' for Docker Hub). */
  LogoutRegistries: 'logoutRegistries',
  /** The step's own Docker config directory (DOCKER_CONFIG of its calls), when it has one. */
  DockerConfig: 'dockerConfig',
  /** The step's scratch directory (TMPDIR of its nerdctl calls), removed by the post step. */
  TempDir: 'tempDir',
  /**
   * JSON list of the temporary files and directories the step's output
   * writes made beside their targets, recorded before each was made: the
   * post step removes these (left by a killed writer) and nothing else.
   */
  Partials: 'partials',
  Cleanup: 'cleanup',
  /** JSON list of the networks this step created (removed after its containers). */
  Networks: 'networks',
  /**
   * JSON list of the named volumes main set out to create (saved before each
   * create): with it, the post step lists the step's volumes by label.
   */
  Volumes: 'volumes',
  /**
   * 'true' once main has ended with every container it made saved under
   * Containers (no script ran, no phase failed): the post step then need
   * not list the step's containers by label.
   */
  Complete: 'complete',
  /** The disk budget (the plan's disk section and containerd's root), JSON: the post step checks it again. */
  Disk: 'disk'
} as const

/** Label on every container the action creates; its value is the step's token. */
export const OWNER_LABEL = 'io.github.nerdctl-action.step'

/**
 * Label on every container and network the step makes (unless `cleanup:
 * false` keeps them on purpose): the job that made them, as the PID
 * namespace, PID, start time and user of the runner process of the job (the
 * step's parent). A later step removes what carries a marker whose process
 * is certainly gone.
 */
export const JOB_LABEL = 'io.github.nerdctl-action.job'

/**
 * Longest a logout of main may take. It has its own limit, not the job's
 * cancel signal: a cancelled job still removes the credentials it made.
 */
export const LOGOUT_TIMEOUT_MS = 30 * 1000

/** Longest any nerdctl call of the post step may take: cleanup never hangs a job. */
export const POST_CALL_TIMEOUT_MS = 2 * 60 * 1000

/** How many containers the post step removes at once. */
export const REMOVE_CONCURRENCY = 4

/**
 * Inputs that carry secrets. Once read, they are removed from this process's
 * environment (INPUT_*), which every nerdctl process would otherwise inherit:
 * passwords, build secrets by value, the services YAML (credentials, env) and
 * the container's env, whose values reach nerdctl only through its env file.
 */
export const SECRET_INPUTS: readonly string[] = [
  Input.Password,
  Input.Registries,
  Input.Services,
  Input.Secrets,
  Input.Env
]

/**
 * Label that keeps an image, container, network or volume from any prune of
 * the disk budget (`io.github.nerdctl-action.keep=true`).
 */
export const KEEP_LABEL = ['io.github.nerdctl-action.keep', 'true'] as const

/** prune-until when not given: images and cache untouched for a day may go. */
export const DEFAULT_PRUNE_UNTIL = '24h'

/**
 * Where containerd keeps its store, for runners whose containerd does not
 * use /var/lib/containerd and whose /etc/containerd/config.toml does not say
 * (a rootless or second containerd): set in the runner's environment (.env).
 */
export const CONTAINERD_ROOT_ENV = 'NERDCTL_ACTION_CONTAINERD_ROOT'

/**
 * The machine-wide prune lock: a directory under /run/lock (every runner
 * instance and user of the machine sees it; RUNNER_TEMP is one instance's).
 */
export const PRUNE_LOCK_DIR = '/run/lock/nerdctl-action-prune'

/** How long a step waits for another's prune before it goes on without pruning. */
export const PRUNE_LOCK_WAIT_MS = 15 * 1000
