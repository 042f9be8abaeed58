// What the main step leaves for the post step, which runs later in another
// process: the only module that calls core.saveState and core.getState. Each
// fact has a typed save and read; lists and options travel as JSON, and a
// value that does not read back is a warning, never a failed cleanup.
import * as core from './workflow.js'
import { State } from './constants.js'
import type { DiskPlan, NerdctlPlan } from './inputs/plan.js'

type StateName = (typeof State)[keyof typeof State]

const isStringList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every(s => typeof s === 'string')
const isOptions = (v: unknown): v is NerdctlPlan =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** What the post step needs to check the disk budget again. */
export interface SavedDisk {
  plan: DiskPlan
  /** containerd's root, as main found it. */
  root: string
}

const isSavedDisk = (v: unknown): v is SavedDisk =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as SavedDisk).root === 'string' &&
  typeof (v as SavedDisk).plan === 'object' &&
  (v as SavedDisk).plan !== null

export class StepState {
  /** From now on this bundle runs as the post step, however main ends. */
  markPost(): void {
    core.saveState(State.IsPost, 'true')
  }

  isPost(): boolean {
    return core.getState(State.IsPost) === 'true'
  }

  /** The value of the owner label of every container the step creates. */
  saveToken(token: string): void {
    core.saveState(State.Token, token)
  }

  /** Undefined when main stopped before creating anything. */
  token(): string | undefined {
    return core.getState(State.Token) || undefined
  }

  saveNerdctl(options: NerdctlPlan): void {
    this.saveJson(State.Nerdctl, options)
  }

  nerdctl(): NerdctlPlan {
    return this.json(State.Nerdctl, {}, isOptions)
  }

  saveCleanup(cleanup: boolean): void {
    core.saveState(State.Cleanup, String(cleanup))
  }

  /** Only an explicit false keeps the containers. */
  cleanup(): boolean {
    return core.getState(State.Cleanup) !== 'false'
  }

  saveScratch(dir: string): void {
    core.saveState(State.TempDir, dir)
  }

  scratch(): string | undefined {
    return core.getState(State.TempDir) || undefined
  }

  private readonly partialNames: string[] = []

  /**
   * A temporary name an output write is about to make: saved before it is
   * made, so the post step removes it after a crash, and only what is saved.
   */
  recordPartial(path: string): void {
    this.partialNames.push(path)
    this.saveJson(State.Partials, this.partialNames)
  }

  partials(): string[] {
    return this.json(State.Partials, [], isStringList)
  }

  saveContainers(ids: readonly string[]): void {
    this.saveJson(State.Containers, ids)
  }

  containers(): string[] {
    return this.json(State.Containers, [], isStringList)
  }

  /** The networks the step created; the post step removes them after the containers. */
  saveNetworks(names: readonly string[]): void {
    this.saveJson(State.Networks, names)
  }

  networks(): string[] {
    return this.json(State.Networks, [], isStringList)
  }

  /** The named volumes the step may have created; the post step removes its own after the containers. */
  recordVolume(name: string): void {
    if (!this.volumeNames.includes(name)) this.volumeNames.push(name)
    this.saveJson(State.Volumes, this.volumeNames)
  }

  private readonly volumeNames: string[] = []

  /** A script may make volumes through the library: the post step looks for them too. */
  markVolumesPossible(): void {
    this.saveJson(State.Volumes, this.volumeNames)
  }

  /** Whether main created, or a script may have created, a volume: only then does the post step list them. */
  mayHaveVolumes(): boolean {
    return core.getState(State.Volumes) !== ''
  }

  /** Main ended with every container it made in `containers` (see State.Complete). */
  saveComplete(): void {
    core.saveState(State.Complete, 'true')
  }

  complete(): boolean {
    return core.getState(State.Complete) === 'true'
  }

  /** The registries to log out of in the post step: 'docker.io' for Docker Hub. */
  saveLogouts(registries: readonly string[]): void {
    if (registries.length > 0) this.saveJson(State.LogoutRegistries, registries)
  }

  logouts(): string[] {
    return this.json(State.LogoutRegistries, [], isStringList)
  }

  /** The step's own Docker config directory: a path, never what is in it. */
  saveDockerConfig(dir: string): void {
    core.saveState(State.DockerConfig, dir)
  }

  dockerConfig(): string | undefined {
    return core.getState(State.DockerConfig) || undefined
  }

  /** The disk budget, for the post step to check again. */
  saveDisk(disk: SavedDisk): void {
    this.saveJson(State.Disk, disk)
  }

  disk(): SavedDisk | undefined {
    return this.json<SavedDisk | undefined>(State.Disk, undefined, isSavedDisk)
  }

  private saveJson(name: StateName, value: unknown): void {
    core.saveState(name, JSON.stringify(value))
  }

  private json<T>(name: StateName, fallback: T, valid: (v: unknown) => v is T): T {
    const raw = core.getState(name)
    if (!raw) return fallback
    try {
      const value: unknown = JSON.parse(raw)
      if (valid(value)) return value
    } catch {
      // Reported below, as a value of the wrong shape is.
    }
    core.warning(`post step: saved state "${name}" is unreadable; skipping what it described`)
    return fallback
  }
}
