// Closing phase: the container's status, health and (while it runs) resource
// use, read whatever happened before; a failure here is only a warning.
import * as core from '../workflow.js'
import { inspect, stats } from '../../nerdctl/index.js'
import { Output } from '../constants.js'
import type { Phase, StepContext } from './context.js'
import { errorMessage } from '../../nerdctl/index.js'

async function reportStats(step: StepContext, id: string): Promise<void> {
  await step.report.phase('stats', async () => {
    const usage = await stats(id, step.call)
    step.report.set(Output.Stats, JSON.stringify(usage))
    step.report.note(
      `cpu ${usage.cpuUsage}, memory ${usage.memoryUsage} / ${usage.memoryLimit}, pids ${usage.pids}`
    )
  })
}

export const finalState: Phase = async step => {
  const id = step.container?.containerId
  if (!id) return
  const { report } = step
  try {
    const status = await inspect(id, step.call)
    report.set(Output.Status, status.state)
    report.set(Output.Health, status.healthStatus)
    // A foreground run has set it already, from the run itself.
    if (!status.running && !report.outputs[Output.ExitCode] && status.state === 'exited') {
      report.set(Output.ExitCode, status.exitCode)
    }
    if (status.running) await reportStats(step, id)
  } catch (e: unknown) {
    core.warning(`could not read the final state of ${id}: ${errorMessage(e)}`)
  }
}
