// What every phase is given, and the one signature all phases share: the
// plan, the report its outputs go to, how it calls nerdctl, the state the post
// step needs, and the facts earlier phases leave for later ones.
import {
  inspect,
  type Container,
  type ContainerStatus,
  type Nerdctl,
  type ResourceUsage,
  type RetryCallOptions
} from '../../nerdctl/index.js'
import type { Inputs } from '../inputs/index.js'
import type { Report } from '../report.js'
import type { StepState } from '../state.js'

export interface StepContext {
  readonly plan: Inputs
  readonly report: Report
  /**
   * The step's client (its options, logger and owner label), the job's cancel
   * signal, and how registry calls retry (the functions that do not, ignore it).
   */
  readonly call: RetryCallOptions & { client: Nerdctl }
  readonly state: StepState
  /** Set by the run phase once the container has an ID. */
  container: Container | undefined
  /** The IDs of the step's service containers by key, as each starts. */
  readonly services: Map<string, string>
  /** Set by the orchestrator when a phase failed, before the closing phases run. */
  failed: boolean
  /**
   * The container's status as a phase last read it, and how many phases had
   * run then: while no phase has run since, it is still the current status
   * and the closing phase does not ask nerdctl again.
   */
  lastStatus?: { status: ContainerStatus; phases: number }
  /** The resource sample started after the wait, awaited by the closing phase (the stats input). */
  statsSample?: Promise<ResourceUsage>
  /**
   * Work a phase started that later phases do not need (reading the built
   * image's metadata): it runs alongside them and is awaited, failures
   * handled, before the closing phases.
   */
  readonly background: Promise<void>[]
}

/** A phase: finds in the plan whether it has anything to do, and if so does it in a log group. */
export type Phase = (step: StepContext) => Promise<void>

/** The container the run phase started, for the phases that act on it. */
export function startedContainer(step: StepContext): { container: Container; id: string } {
  const container = step.container
  // The plan lets after-start inputs through only with a container to start.
  if (!container?.containerId) throw new Error('no container was started')
  return { container, id: container.containerId }
}

/** A call whose output goes to the log line by line as it comes (pulls, builds, pushes). */
export function streamed(step: StepContext): RetryCallOptions {
  return { ...step.call, stream: true }
}

/**
 * Whether the step built for more than one platform: then push and save take
 * every platform (nerdctl's default is the runner's platform alone).
 */
export function multiPlatform(plan: Inputs): boolean {
  return (plan.images.build?.platforms.length ?? 0) > 1
}

/**
 * Whether push and save take the image whole: several platforms, or
 * attestations (provenance, SBOM), which live in the index beside the
 * platforms and which a reduced single-platform push would leave out.
 */
export function pushedWhole(plan: Inputs): boolean {
  const b = plan.images.build
  const attests = (v: boolean | string | undefined): boolean => v !== undefined && v !== false
  return (
    multiPlatform(plan) ||
    (!!b && (attests(b.sbom) || attests(b.provenance) || b.attest.length > 0))
  )
}

/**
 * Runs a phase that leaves the container as it is (export, copy) with one
 * inspect alongside it. When no phase runs after it, the closing phase takes
 * that status instead of asking again at the end of the step: one nerdctl call
 * fewer on the step's critical path. A failed read is simply not kept.
 */
export async function withStatusAlongside<T>(
  step: StepContext,
  id: string,
  name: string,
  fn: () => Promise<T>
): Promise<T> {
  const reading = inspect(id, step.call).catch(() => undefined)
  const result = await step.report.phase(name, fn)
  const status = await reading
  if (status) step.lastStatus = { status, phases: step.report.phases.length }
  return result
}
