// The plan: every input of the step, read and checked, as typed sections in
// the order of action.yml. Each section is made by the module of the same
// name in this folder; the phases read nothing else. User scripts get it as
// `inputs` (without the password), so a field renamed here is renamed for them.
import type {
  BuildNetwork,
  BuildSecret,
  ContainerSpec,
  DiskBudget,
  GlobalOptions,
  MergeSource,
  ServiceSpec
} from '../../nerdctl/index.js'

/** How every nerdctl call of the step is made: the client's global options. */
export type NerdctlPlan = Pick<
  GlobalOptions,
  | 'binary'
  | 'namespace'
  | 'address'
  | 'snapshotter'
  | 'buildkitHost'
  | 'insecureRegistries'
  | 'sudo'
  | 'rootless'
  | 'timeoutMs'
  | 'hostRoots'
>

export interface Login {
  /** '' is Docker Hub. */
  registry: string
  username: string
  password: string
}

export interface RegistryPlan {
  /** The login of the registry/username/password inputs. */
  login: Login | undefined
  /** The logins of the `registries` input, in its order. */
  registries: Login[]
  /**
   * Log out again in the post step (only after a login). While true the
   * logins go to a Docker config of the step's own.
   */
  logout: boolean
  pull: string[]
  /** Tries again of a login, pull, push or save after a transient failure. */
  retry: { retries: number; delayMs: number }
}

/** Every login of the step: the single-registry inputs first, then `registries`. */
export function loginsOf(plan: RegistryPlan): Login[] {
  return [...(plan.login ? [plan.login] : []), ...plan.registries]
}

/** What `nerdctl build` gets besides the tags. */
export interface BuildPlan {
  context: string
  file: string | undefined
  buildArgs: [string, string][]
  labels: [string, string][]
  target: string | undefined
  platforms: string[]
  noCache: boolean
  cacheFrom: string[]
  cacheTo: string[]
  /** Values are masked as soon as they are read; never saved or shown. */
  secrets: BuildSecret[]
  ssh: string[]
  allow: string[]
  attest: string[]
  sbom: boolean | string | undefined
  provenance: boolean | string | undefined
  annotations: string[]
  /** At most one exporter: nerdctl build takes one --output. */
  output: string | undefined
  buildContexts: [string, string][]
  network: BuildNetwork | undefined
  addHosts: string[]
  pull: boolean
}

export interface ImagesPlan {
  /** The images the step builds, pushes and saves; the first is the one it runs. */
  tags: string[]
  /** Absent when "context" is not set: the tags then name images that exist. */
  build: BuildPlan | undefined
  push: boolean
  save: string | undefined
  /**
   * The build pushes itself to the first tag's repository by digest (no tag)
   * and writes a digests file: one leg of a matrix merged later.
   */
  pushByDigest: boolean
  /** Absent unless "merge" is set: builds pushed by digest to merge under the tags. */
  merge: MergePlan | undefined
}

export interface MergePlan {
  /** One per build, in the order given (directories expanded, files sorted). */
  sources: MergeSource[]
  /** Index-level annotations ("annotations" lines). */
  annotations: string[]
}

export interface RunPlan {
  /** What the container is made from; without the owner label, which the client adds. */
  spec: ContainerSpec & { name: string }
  /** Whether the name was generated (the user gave none). */
  generatedName: boolean
}

export interface CopySpec {
  from: string
  to: string
  /** Which side is in the container: 'from' copies out of it, 'to' into it. */
  containerSide: 'from' | 'to'
}

/** What happens to the started container; all empty when none is started. */
export interface AfterStartPlan {
  /** Wait until the health check passes. */
  wait: boolean
  /** Wait until clients can connect (published ports, then health), not for health alone. */
  waitForClients: boolean
  /** The default when there is no container to wait for. */
  waitTimeoutMs: number
  exec: string[]
  copy: CopySpec[]
  commit: string | undefined
  export: string | undefined
  /** Sample the container's resource use (nerdctl stats) while the after-start phases run. */
  stats: boolean
}

export type ShowLogs = 'on-failure' | 'always' | 'never'

export interface BehaviourPlan {
  /** A script to run: its source and the name errors show. */
  script: { source: string; filename: string } | undefined
  cleanup: boolean
  showLogs: ShowLogs
  summary: boolean
}

/** One service of the services input. */
export interface ServiceDefinition {
  spec: ServiceSpec
  /** Registry login for its image (the password never leaves the plan). */
  credentials: { username: string; password: string } | undefined
}

export interface ServicesPlan {
  /** By key, in the order written. Empty: no services. */
  services: Record<string, ServiceDefinition>
  /** Remove what steps of killed jobs left behind before starting. */
  reap: boolean
}

/** The disk budget of persistent runners: empty `budget` means off. */
export interface DiskPlan {
  budget: DiskBudget | undefined
  /** Images created or pulled, and cache used, longer ago than this may go. */
  pruneUntilMs: number
  /** The local BuildKit's cache is first pruned down to this; undefined leaves it. */
  buildCacheKeepBytes: number | undefined
  dryRun: boolean
}

export interface Inputs {
  nerdctl: NerdctlPlan
  registry: RegistryPlan
  images: ImagesPlan
  /** Absent when the step starts no container. */
  run: RunPlan | undefined
  afterStart: AfterStartPlan
  behaviour: BehaviourPlan
  services: ServicesPlan
  disk: DiskPlan
}
