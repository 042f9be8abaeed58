// The container's resource sample and its final state.
//
// `nerdctl stats --no-stream` samples for about a second before it answers,
// so it runs only when the stats input asks for it, and then alongside the
// after-start phases (started once the container is up and healthy, awaited
// at the end) rather than as one more second at the end of the step.
//
// The closing phase reads status and health with one inspect, or none when
// the wait phase read them and no phase has run since; a failure here is only
// a warning.
import * as core from '../workflow.js'
import { inspect, stats, type ContainerStatus } from '../../nerdctl/index.js'
import { Output } from '../constants.js'
import type { Phase, StepContext } from './context.js'
import { errorMessage } from '../../nerdctl/index.js'

/** Starts the sample (no log group of its own: other phases' groups run meanwhile). */
export const startStats: Phase = async step => {
  const id = step.container?.containerId
  if (!step.plan.afterStart.stats || !id) return
  step.statsSample = stats(id, step.call)
  // Awaited by finalState; until then a failure must not count as unhandled.
  step.statsSample.catch(() => undefined)
}

async function currentStatus(step: StepContext, id: string): Promise<ContainerStatus> {
  const last = step.lastStatus
  if (last && last.phases === step.report.phases.length && last.status.id === id) return last.status
  return inspect(id, step.call)
}

export const finalState: Phase = async step => {
  const id = step.container?.containerId
  if (!id) return
  const { report } = step
  try {
    const status = await currentStatus(step, id)
    report.set(Output.Status, status.state)
    report.set(Output.Health, status.healthStatus)
    // A foreground run has set it already, from the run itself.
    if (!status.running && !report.outputs[Output.ExitCode] && status.state === 'exited') {
      report.set(Output.ExitCode, status.exitCode)
    }
  } catch (e: unknown) {
    core.warning(`could not read the final state of ${id}: ${errorMessage(e)}`)
  }
  const sample = step.statsSample
  if (!sample) return
  try {
    await report.phase('stats', async () => {
      const usage = await sample
      report.set(Output.Stats, JSON.stringify(usage))
      report.note(
        `cpu ${usage.cpuUsage}, memory ${usage.memoryUsage} / ${usage.memoryLimit}, pids ${usage.pids}`
      )
    })
  } catch (e: unknown) {
    core.warning(`could not read the resource use of ${id}: ${errorMessage(e)}`)
  }
}
