// What the step did, as it happens: each output is set the moment it is known
// (so a later failure keeps the earlier outputs), each phase's result and time
// is kept for the job summary and the `metadata` output.
import * as core from './workflow.js'
import { Output } from './constants.js'

export interface PhaseRecord {
  name: string
  ok: boolean
  ms: number
  detail: string
  /** Retries of registry calls in this phase, when there were any. */
  retries?: number
}

type OutputName = (typeof Output)[keyof typeof Output]

/** A row of the services table in the job summary. */
export interface ServiceRow {
  key: string
  ok: boolean
  detail: string
  readyMs: number | undefined
}

export class Report {
  readonly phases: PhaseRecord[] = []
  readonly services: ServiceRow[] = []
  /** Longer texts for the summary (a failed service's logs), after the tables. */
  readonly sections: { title: string; text: string }[] = []
  readonly outputs: Partial<Record<OutputName, string>> = {}
  /** Registry calls tried again after a transient failure, in all phases. */
  retries = 0
  private current: PhaseRecord | undefined
  private build: Record<string, unknown> = {}
  /** Sections of `metadata` a phase adds under a key of its own (`disk`). */
  private extras: Record<string, unknown> = {}

  /** One more retry of a registry call, in the running phase. */
  countRetry(): void {
    this.retries++
    if (this.current) this.current.retries = (this.current.retries ?? 0) + 1
  }

  set(name: OutputName, value: string | number | undefined): void {
    if (value === undefined) return
    const v = String(value)
    this.outputs[name] = v
    core.setOutput(name, v)
  }

  /** Adds a line to the running phase's entry in the summary. */
  note(detail: string): void {
    if (this.current)
      this.current.detail = this.current.detail ? `${this.current.detail}; ${detail}` : detail
  }

  section(title: string, text: string): void {
    this.sections.push({ title, text })
  }

  /** Runs one phase in a log group and records how it went. */
  async phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const record: PhaseRecord = { name, ok: false, ms: 0, detail: '' }
    this.phases.push(record)
    this.current = record
    const t0 = Date.now()
    try {
      const result = await core.group(name, fn)
      record.ok = true
      return result
    } catch (e: unknown) {
      record.detail = record.detail ? `${record.detail}; failed` : 'failed'
      throw e
    } finally {
      record.ms = Date.now() - t0
      this.current = undefined
    }
  }

  /**
   * The build's fields under the names of buildx's `--metadata-file`
   * (`containerimage.digest`, …), merged into the `metadata` output at its
   * top level so steps written for build-push-action read them unchanged.
   */
  buildMetadata(fields: object): void {
    this.build = { ...this.build, ...fields }
  }

  /** A key of `metadata` of a phase's own (the disk budget's figures). */
  extra(key: string, value: unknown): void {
    this.extras[key] = value
  }

  /** The `metadata` output: every output known, the build's buildx fields, and the phases. */
  metadata(): string {
    const known: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(this.outputs)) {
      if (k === Output.Metadata) continue
      known[k] =
        (k === Output.Stats || k === Output.Services) && v
          ? JSON.parse(v)
          : k === Output.Tags && v
            ? v.split('\n')
            : v
    }
    return JSON.stringify({
      ...this.build,
      ...known,
      ...this.extras,
      retries: this.retries,
      phases: this.phases
    })
  }
}
