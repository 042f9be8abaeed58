// The library's data types, one home each. Everything else imports them from
// here; this file imports nothing, so any floor can use it.

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
