// The library's shared data types (specs, statuses, results) that more than
// one floor uses; this file imports nothing, so any floor can use it. The
// options of a single operation are declared beside it (RunOptions in
// ops/run.ts, BuildOptions in ops/images.ts, ...).

/**
 * A length of time: a Go duration as users write it (`30s`, `1m30s`) or a
 * number of milliseconds, for callers that parsed it already (the action
 * parses each input once, where it reads it).
 */
export type Duration = string | number

/** What a nerdctl call printed and how it ended. */
export interface CommandResult {
  stdout: string
  stderr: string
  exitCode: number
  /**
   * Set when the process printed more than the call keeps in memory (its
   * `maxOutputBytes`, 1 MiB of stderr): stdout and stderr hold the tail.
   */
  truncated?: boolean
}

export interface HealthCheck {
  /** Shell command (may be multi-line) run inside the container by /bin/sh -c. */
  cmd: string
  /** Time between probes (`30s`). */
  interval?: Duration | undefined
  /** Time one probe may take. */
  timeout?: Duration | undefined
  /** Consecutive failures before `unhealthy`. */
  retries?: number | undefined
  /** Time during which failures do not count. */
  startPeriod?: Duration | undefined
}

/** One recorded probe, as nerdctl keeps the last five. */
export interface HealthProbe {
  start: string
  end: string
  exitCode: number
  output: string
}

export interface HealthState {
  /** `starting`, `healthy` or `unhealthy`. */
  status: string
  failingStreak: number
  /** The last probes nerdctl kept (up to five), oldest first. */
  log: HealthProbe[]
}

export type RestartPolicy =
  'no' | 'always' | 'unless-stopped' | 'on-failure' | `on-failure:${number}`
export type PullPolicy = 'missing' | 'always' | 'never'

/** Everything `nerdctl run` / `create` is told about one container. */
export interface ContainerSpec {
  image: string
  name?: string | undefined
  /** Command and arguments after the image. */
  command?: readonly string[] | undefined
  /** Replaces the image's entrypoint; an array's first element is the executable. */
  entrypoint?: string | readonly string[] | undefined
  ports?: readonly string[] | undefined
  volumes?: readonly string[] | undefined
  /** In order; a later entry for the same key wins inside the container. */
  env?: readonly (readonly [string, string])[] | undefined
  labels?: readonly (readonly [string, string])[] | undefined
  network?: string | undefined
  /** At most one: nerdctl has no aliases, so it becomes the hostname, which peers resolve. */
  networkAliases?: readonly string[] | undefined
  cpuLimit?: string | undefined
  memoryLimit?: string | undefined
  memorySwapLimit?: string | undefined
  cpuShares?: string | undefined
  restartPolicy?: string | undefined
  healthCheck?: HealthCheck | undefined
  snapshotter?: string | undefined
  /** Default true: `run -d` returns the container ID at once. */
  detach?: boolean | undefined
  workdir?: string | undefined
  user?: string | undefined
  hostname?: string | undefined
  pull?: PullPolicy | undefined
  /** Remove the container when it exits (`--rm`). */
  autoRemove?: boolean | undefined
  /** Flags nerdctl has and this spec does not model, placed before the image. */
  extraArgs?: readonly string[] | undefined
}

export interface PortBinding {
  containerPort: string
  hostIp: string
  hostPort: string
}

/** A container as `nerdctl inspect` describes it. */
export interface ContainerStatus {
  id: string
  name: string
  image: string
  /** created, running, paused, restarting, exited, dead. */
  state: string
  /** A line for people: "running", "exited (3)", "running (healthy)". */
  status: string
  running: boolean
  paused: boolean
  restarting: boolean
  exitCode: number
  pid: number
  error: string
  created: string
  started: string
  finished: string
  restartCount: number
  /** none (no check), starting, healthy or unhealthy. */
  healthStatus: string
  health: HealthState | undefined
  /** The health check the container was created with, if any (durations as Go text). */
  healthCheck: HealthCheck | undefined
  labels: Record<string, string>
  ports: PortBinding[]
  ipAddress: string
}

/** One line of `nerdctl ps`. */
export interface ContainerSummary {
  id: string
  name: string
  image: string
  command: string
  created: string
  /** "Up", "Up (healthy)", "Exited (3) 2 seconds ago", "Created". */
  status: string
  ports: string
  platform: string
}

/** One sample of `nerdctl stats`. */
export interface ResourceUsage {
  id: string
  name: string
  /** As nerdctl printed them. */
  cpuUsage: string
  memoryUsage: string
  memoryLimit: string
  memoryPercentage: string
  networkInput: string
  networkOutput: string
  blockInput: string
  blockOutput: string
  pids: string
  /** Parsed. */
  cpuPercent: number
  memoryUsageBytes: number
  /** null when there is no limit (nerdctl shows 8EiB, past what a JSON number holds exactly). */
  memoryLimitBytes: number | null
  memoryPercent: number
  networkInputBytes: number
  networkOutputBytes: number
  blockInputBytes: number
  blockOutputBytes: number
  pidCount: number
}

/** One line of `nerdctl images`. */
export interface Image {
  id: string
  repository: string
  tag: string
  /** repository:tag, or the ID for an untagged image. */
  name: string
  digest: string
  size: string
  sizeBytes: number
  blobSize: string
  created: string
  platform: string
}

/** One image as `nerdctl image inspect` describes it. */
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

/** What `nerdctl build` is told besides the first tag and the context. */
export interface BuildSpec {
  /** Dockerfile path (`--file`). */
  file?: string | undefined
  /** More names for the image, besides the first tag. */
  tags?: readonly string[] | undefined
  buildArgs?: readonly (readonly [string, string])[] | undefined
  labels?: readonly (readonly [string, string])[] | undefined
  target?: string | undefined
  platforms?: readonly string[] | undefined
  noCache?: boolean | undefined
  /** Always try to pull newer base images. */
  pull?: boolean | undefined
  /** BuildKit address; default the client's `buildkitHost`. */
  buildkitHost?: string | undefined
  /** Cache sources (`--cache-from`), e.g. `type=registry,ref=HOST/app:cache`. */
  cacheFrom?: readonly string[] | undefined
  /** Cache destinations (`--cache-to`), e.g. `type=registry,ref=HOST/app:cache,mode=max`. */
  cacheTo?: readonly string[] | undefined
  /** Secrets the Dockerfile mounts with `RUN --mount=type=secret,id=ID`. */
  secrets?: readonly BuildSecret[] | undefined
  /** SSH agent sockets or keys (`--ssh`): `default` or `ID=PATH[,PATH]`. */
  ssh?: readonly string[] | undefined
  /**
   * Extra entitlements for RUN steps (`--allow`): `network.host`,
   * `security.insecure`; BuildKit must be started allowing them.
   */
  allow?: readonly string[] | undefined
  /** Attestations (`--attest`), e.g. `type=sbom,generator=IMAGE`. */
  attest?: readonly string[] | undefined
  /** SBOM attestation: true, false, or BuildKit's attributes (`generator=IMAGE`). */
  sbom?: boolean | string | undefined
  /** Provenance attestation: true, false, or attributes (`mode=max`). */
  provenance?: boolean | string | undefined
  /**
   * OCI annotations, `KEY=VALUE`, optionally prefixed by where they go as
   * buildx writes them (`index:`, `manifest:`, `manifest-descriptor:`,
   * `index-descriptor:`, with an optional `[PLATFORM]`). nerdctl has no
   * annotation flag: they become attributes of the exporter (`--output`).
   */
  annotations?: readonly string[] | undefined
  /**
   * One exporter (`--output`), e.g. `type=local,dest=DIR` or
   * `type=tar,dest=FILE`; a `dest` is written atomically. Default: the image
   * in containerd's store.
   */
  output?: string | undefined
  /** Named build contexts (`--build-context NAME=VALUE`). */
  buildContexts?: readonly (readonly [string, string])[] | undefined
  /** Network of `RUN` steps (`--network`). */
  network?: BuildNetwork | undefined
  /** Extra `/etc/hosts` entries of `RUN` steps, `HOST:IP` (`--add-host`). */
  addHosts?: readonly string[] | undefined
}

export type BuildNetwork = 'default' | 'none' | 'host'

/**
 * A secret for a build, from exactly one source. A value is written to a
 * file readable only by its owner in the build's private temporary directory
 * and removed after the build; an `env` names a variable of this process,
 * handed only to the nerdctl process; a `file` is read by BuildKit's client.
 */
export type BuildSecret =
  { id: string; value: string } | { id: string; file: string } | { id: string; env: string }

/** What buildx's `--metadata-file` holds, under its names. */
export interface BuildMetadata {
  'containerimage.digest': string
  'containerimage.config.digest'?: string
  'containerimage.descriptor': {
    mediaType: string
    digest: string
    size: number
    annotations?: Record<string, string>
  }
  'image.name': string
}

/** One line of `nerdctl network ls`, labels parsed. */
export interface NetworkSummary {
  id: string
  name: string
  labels: Record<string, string>
}

/** An HTTP readiness check: the runner requests `http://ADDRESS:port{path}`. */
export interface HttpCheck {
  /** Container port (the request goes to the container's address, not a published port). */
  port: number
  /** Default `/`. */
  path?: string | undefined
  /** The status to expect; default any 2xx. */
  status?: number | undefined
  /** A substring the body must contain. */
  body?: string | undefined
}

/** A log readiness check: a regular expression that must match N lines of the logs. */
export interface LogCheck {
  /** A JavaScript regular expression (no flags), matched line by line. */
  pattern: string
  /** How many lines must match; default 1. */
  times?: number | undefined
}

/**
 * When a container counts as ready. Every check given must hold, and by
 * default the container must also be ready for clients: every TCP port it
 * publishes (and every port named in `ports`) accepts a connection from this
 * machine, through the published address and at the container's own address
 * on its network, and after that its health check (when it has one) passes.
 * With nothing to wait on, it is ready once it runs. Checks are polled on one
 * short schedule, independent of the health check's interval.
 */
export interface ReadinessSpec {
  /** The container's health check must pass (default: when it has one). */
  health?: boolean | undefined
  /**
   * Ready for clients (default true): published and named TCP ports accept,
   * and only after that does the health check's pass count. `false` waits for
   * the checks given alone (with none: health alone), never on a published port.
   */
  clients?: boolean | undefined
  /** Container ports that must accept a TCP connection from the runner. */
  ports?: readonly number[] | undefined
  http?: HttpCheck | undefined
  log?: LogCheck | undefined
  /** A command run in the container that must exit 0: a shell string or argv. */
  exec?: string | readonly string[] | undefined
  /** Give up after this long; default 2 minutes. */
  timeoutMs?: number | undefined
}

/** Where readiness waits get the time, so tests can run a two-minute wait without sleeping. */
export interface Clock {
  now(): number
  /** Resolves after `ms`, or at once when `signal` aborts (it never throws). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** What one readiness check saw in one look. */
export interface Look {
  ready: boolean
  /** The wait cannot succeed any more (e.g. the container is unhealthy): why. */
  fatal?: string | undefined
  /** Its last output (and exit code), for the message when the wait ends without ready. */
  detail?: string | undefined
  /** The next look is only a connection from this machine: it may come on the fast schedule. */
  cheap?: boolean | undefined
  /** A status of the container read during this look, newer than the round's. */
  status?: ContainerStatus | undefined
}

/** What a readiness check is given for one look. */
export interface LookContext {
  /** The container's status, read in the round before (or at the start). */
  status: ContainerStatus
  /** When the wait gives up (clock time): a look never runs past it. */
  deadline: number
  /** Aborted when the wait ends: a look in progress stops. */
  signal: AbortSignal
  clock: Clock
  /**
   * Hands the wait a task that outlives this look (a log follower): the wait
   * aborts `signal` and awaits every kept task before it returns, so nothing
   * runs on unobserved.
   */
  keep(task: Promise<unknown>): void
}

/**
 * One readiness check as a value with one method: `look` tells whether the
 * container is ready by it now. A check is never looked at twice at once.
 */
export interface ReadinessCheck {
  readonly name: string
  look(context: LookContext): Promise<Look>
}

/** What a container looked like when it became ready. */
export interface ReadyResult {
  status: ContainerStatus
  /** From the start of the wait to the check that found every condition true. */
  readyMs: number
  /** The checks that held, in the order they were first met. */
  met: string[]
}

/** One service of an environment: a container, when it is ready, what it waits for. */
export interface ServiceSpec {
  /** The container; the environment sets its name, network and hostname. */
  container: Omit<ContainerSpec, 'name' | 'network' | 'hostname' | 'networkAliases' | 'detach'>
  readiness?: ReadinessSpec | undefined
  /** Keys of services that must be ready before this one starts. */
  dependsOn?: readonly string[] | undefined
  /**
   * How far each `dependsOn` service must be before this one starts:
   * `started` (its container runs), `ready` (the default: ready by its
   * readiness spec) or `completed` (a one-shot that exited 0).
   */
  conditions?: Readonly<Record<string, DependencyCondition>> | undefined
  /**
   * A one-shot (a migration): it is done when it exits with code 0, instead
   * of ready while it runs; any other exit code fails the environment, and
   * nothing that waits on it starts.
   */
  oneShot?: boolean | undefined
  /** The container's name; default `NETWORK-KEY`. */
  name?: string | undefined
  /** The environment's networks it joins, the first one first; default the environment's network. */
  networks?: readonly string[] | undefined
}

export type DependencyCondition = 'started' | 'ready' | 'completed'

/** A network or named volume an environment creates (unless it exists) and removes with it. */
export interface EnvironmentResource {
  name: string
  labels?: readonly (readonly [string, string])[] | undefined
}

/** Several services on a network of their own, each reachable by its key. */
export interface EnvironmentSpec {
  /** The network to create; its name prefixes every container's name. */
  network: string
  /** Labels for the network and every container (besides the client's). */
  labels?: readonly (readonly [string, string])[] | undefined
  /** By key: the host name the others reach it by. */
  services: Readonly<Record<string, ServiceSpec>>
  /** More networks to create (isolated, like `network`), which services name in `networks`. */
  networks?: readonly EnvironmentResource[] | undefined
  /**
   * Named volumes the services mount: each one missing is created with the
   * labels and removed with the environment; one that exists is used as it is.
   */
  volumes?: readonly EnvironmentResource[] | undefined
}

/** A started service. */
export interface ServiceInfo {
  key: string
  id: string
  /** The container's name (unique per environment); `key` is its host name. */
  name: string
  ip: string
  network: string
  /** Container port (without `/tcp`) to host port, for published ports. */
  ports: Record<string, string>
  /** none, healthy, ... as inspect says when it became ready. */
  health: string
  readyMs: number
  /** For a one-shot service: the code it exited with (0). */
  exitCode?: number | undefined
}

// ---- Disk: the store's use, and what a prune may remove (ops/disk.ts) ----

/** What one statfs says of the filesystem holding a path. */
export interface FilesystemUsage {
  path: string
  sizeBytes: number
  usedBytes: number
  /** What an unprivileged writer may still use (df's "Avail"). */
  availableBytes: number
}

/** The most a filesystem may have in use: a size, or a percentage of what it holds (as df counts). */
export type DiskBudget = { bytes: number } | { percent: number }

export type StoreItemKind = 'build-cache' | 'image' | 'container' | 'network' | 'volume'

/** One thing in the store that takes space (or, a network, a name). */
export interface StoreItem {
  kind: StoreItemKind
  /** What removal names: an image's names joined by "," (each removed), a container ID, a network, volume or cache record. */
  ref: string
  /** What people read. */
  name: string
  sizeBytes: number
  /**
   * When it was last put to use, ms since the epoch (NaN unknown): an image's
   * newest record in containerd (created, pulled or tagged), a cache record's
   * last use, a container's or volume's creation.
   */
  time: number
  labels: Record<string, string>
  /** Used now: an image a container (running or stopped) was made from, a mounted volume, a cache record in use. */
  inUse: boolean
  /** A container that runs (or is paused or restarting). */
  running?: boolean
  /** The containers (IDs) that mount a volume. */
  usedBy?: string[]
}

/** Count and bytes of one kind of item. */
export interface UsageTotal {
  count: number
  bytes: number
}

/** The store's use: containerd's (images, containers, volumes) and the local BuildKit's. */
export interface DiskUsage {
  filesystem: FilesystemUsage | undefined
  images: UsageTotal
  containers: UsageTotal
  volumes: UsageTotal
  /** Undefined when no local BuildKit was asked (none, or a remote one). */
  buildCache: UsageTotal | undefined
  items: StoreItem[]
}

/** What a prune may remove, and when it stops. */
export interface PrunePolicy {
  /** Images not created or pulled, and cache not used, for this long may go. */
  olderThanMs: number
  /** The local BuildKit's cache is first pruned down to this size, oldest first; unset leaves it. */
  buildCacheKeepBytes?: number | undefined
  /** A label (KEY=VALUE) that keeps anything carrying it. */
  keepLabel: readonly [string, string]
  /**
   * Whether whoever made a container, network or volume is certainly gone
   * (its labels say who): only then may it go. Images are judged by use and age.
   */
  creatorGone: (labels: Readonly<Record<string, string>>) => boolean
  /** Report what would go and remove nothing. */
  dryRun?: boolean | undefined
  /**
   * Stop as soon as the filesystem holding `path` is within `budget`
   * (checked between removals). Unset: remove everything eligible.
   */
  budget?: { path: string; budget: DiskBudget } | undefined
  /** Prune the cache of this local BuildKit (`unix://` address); unset leaves build cache alone. */
  buildkitAddress?: string | undefined
  /** The clock, ms since the epoch (tests give their own). */
  now?: number | undefined
}

/** Why an item may not go (for the report of what stayed). */
export type KeptReason =
  'keep-label' | 'in-use' | 'running' | 'too-recent' | 'creator-alive' | 'not-ours'

/** What a prune did (or, in a dry run, would have done). */
export interface PruneResult {
  dryRun: boolean
  before: DiskUsage
  /** Measured again after removal; in a dry run, `before` less what would go. */
  after: DiskUsage
  /** In the order removed. */
  removed: StoreItem[]
  /** Removals that failed (an item taken into use meanwhile), with nerdctl's reason. */
  failed: { item: StoreItem; reason: string }[]
  /** Whether usage ended within the budget (true when there was none). */
  withinBudget: boolean
}

// ---- manifests and indexes (merging builds pushed by digest) -------------------

export interface ManifestPlatform {
  os: string
  architecture: string
  variant?: string
}

/** An OCI descriptor of a manifest in an index; other fields are kept as given. */
export interface ManifestDescriptor {
  mediaType: string
  digest: string
  size: number
  platform?: ManifestPlatform
  annotations?: Record<string, string>
  [field: string]: unknown
}

export interface ImageIndex {
  schemaVersion: 2
  mediaType: string
  manifests: ManifestDescriptor[]
  annotations?: Record<string, string>
}

/** A manifest or index as a registry serves it. */
export type ManifestDocument =
  | {
      kind: 'index'
      mediaType: string
      manifests: ManifestDescriptor[]
      annotations?: Record<string, string>
    }
  | { kind: 'manifest'; mediaType: string; configDigest: string; layers: number }

/** What a build pushed by digest leaves for the merge: one per platform. */
export interface DigestsFile {
  /** The repository it was pushed to, without tag. */
  repository: string
  /** What the registry serves for it (an index when the build has attestations). */
  digest: string
  /** The platform it was built for, os/arch[/variant]. */
  platform: string
}

/** What `nerdctl manifest push` reported. */
export interface ManifestPushResult {
  /** The manifests it pushed into the list's repository first. */
  entries: { reference: string; digest: string }[]
  /** The list's digest, as the registry serves it; undefined if nerdctl printed none. */
  digest: string | undefined
}

/** What a merge pushed: every tag names one index, whose digest is `digest`. */
export interface MergeResult {
  /** Each tag, as pushed, in order. */
  references: string[]
  /** The index's digest, as the registry serves it for every tag. */
  digest: string
  index: ImageIndex
}
