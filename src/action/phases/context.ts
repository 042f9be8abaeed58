// What every phase is given, and the one signature all phases share: the
// plan, the report its outputs go to, how it calls nerdctl, the state the post
// step needs, and the facts earlier phases leave for later ones.
import type {
  CallOptions,
  Container,
  ContainerStatus,
  Nerdctl,
  ResourceUsage
} from '../../nerdctl/index.js'
import type { Inputs } from '../inputs/index.js'
import type { Report } from '../report.js'
import type { StepState } from '../state.js'

export interface StepContext {
  readonly plan: Inputs
  readonly report: Report
  /** The step's client (its options, logger and owner label) and the job's cancel signal. */
  readonly call: CallOptions & { client: Nerdctl }
  readonly state: StepState
  /** Set by the run phase once the container has an ID. */
  container: Container | undefined
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
export function streamed(step: StepContext): CallOptions {
  return { ...step.call, stream: true }
}

/**
 * Whether the step built for more than one platform: then push and save take
 * every platform (nerdctl's default is the runner's platform alone).
 */
export function multiPlatform(plan: Inputs): boolean {
  return (plan.images.build?.platforms.length ?? 0) > 1
}
