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
  Registry: 'registry',
  Username: 'username',
  Password: 'password',
  Logout: 'logout',
  Pull: 'pull',
  Context: 'context',
  File: 'file',
  Tags: 'tags',
  BuildArgs: 'build-args',
  Labels: 'labels',
  Target: 'target',
  Platforms: 'platforms',
  NoCache: 'no-cache',
  Push: 'push',
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
  Summary: 'summary'
} as const

export const Output = {
  ImageId: 'image-id',
  Digest: 'digest',
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
  Metadata: 'metadata'
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
  /** Registry to log out of in the post step ('' = none). */
  LogoutRegistry: 'logoutRegistry',
  /** The step's scratch directory (TMPDIR of its nerdctl calls), removed by the post step. */
  TempDir: 'tempDir',
  /** JSON list of the runner paths the step writes; the post step removes partial files beside them. */
  Targets: 'targets',
  Cleanup: 'cleanup',
  /**
   * 'true' once main has ended with every container it made saved under
   * Containers (no script ran, no phase failed): the post step then need
   * not list the step's containers by label.
   */
  Complete: 'complete'
} as const

/** Label on every container the action creates; its value is the step's token. */
export const OWNER_LABEL = 'io.github.nerdctl-action.step'

/** Longest any nerdctl call of the post step may take: cleanup never hangs a job. */
export const POST_CALL_TIMEOUT_MS = 2 * 60 * 1000
