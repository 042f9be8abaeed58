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
}

type OutputName = (typeof Output)[keyof typeof Output]

export class Report {
  readonly phases: PhaseRecord[] = []
  readonly outputs: Partial<Record<OutputName, string>> = {}
  private current: PhaseRecord | undefined

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

  /** The `metadata` output: every output known, plus the phases. */
  metadata(): string {
    const known: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(this.outputs)) {
      if (k === Output.Metadata) continue
      known[k] =
        k === Output.Stats && v ? JSON.parse(v) : k === Output.Tags && v ? v.split('\n') : v
    }
    return JSON.stringify({ ...known, phases: this.phases })
  }
}
