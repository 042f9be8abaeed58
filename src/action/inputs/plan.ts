// The plan: every input of the step, read and checked, as typed sections in
// the order of action.yml. Each section is made by the module of the same
// name in this folder; the phases read nothing else. User scripts get it as
// `inputs` (without the password), so a field renamed here is renamed for them.
import type { ContainerSpec, GlobalOptions } from '../../nerdctl/index.js'

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
  | 'timeoutMs'
>

export interface Login {
  /** '' is Docker Hub. */
  registry: string
  username: string
  password: string
}

export interface RegistryPlan {
  login: Login | undefined
  /** Log out again in the post step (only after a login). */
  logout: boolean
  pull: string[]
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
}

export interface ImagesPlan {
  /** The images the step builds, pushes and saves; the first is the one it runs. */
  tags: string[]
  /** Absent when "context" is not set: the tags then name images that exist. */
  build: BuildPlan | undefined
  push: boolean
  save: string | undefined
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

export interface Inputs {
  nerdctl: NerdctlPlan
  registry: RegistryPlan
  images: ImagesPlan
  /** Absent when the step starts no container. */
  run: RunPlan | undefined
  afterStart: AfterStartPlan
  behaviour: BehaviourPlan
}
