// Starts the container from the plan's spec, whole, through the library. A
// detached container is left running for the phases after it; a foreground
// one has run to completion, and its exit code decides the step.
import { Container, images, type RunResult } from '../../nerdctl/index.js'
import { Output } from '../constants.js'
import { pinnedImage } from '../signing.js'
import { prepareVolumes } from '../volumes.js'
import { streamed, type Phase, type StepContext } from './context.js'

/** The ID `nerdctl images` shows for the image, as for a built one (which already set it). */
async function reportImageId(step: StepContext, image: string): Promise<void> {
  if (step.report.outputs[Output.ImageId]) return
  const [local] = await images({ ...step.call, reference: image }).catch(() => [])
  if (local) step.report.set(Output.ImageId, local.id)
}

function reportForeground(step: StepContext, name: string, fg: RunResult): void {
  // Its output went to the log line by line as it came (streamed).
  step.report.set(Output.ExitCode, fg.exitCode)
  step.report.note(`${name} exited with ${fg.exitCode}`)
  if (fg.exitCode !== 0) throw new Error(`container ${name} exited with code ${fg.exitCode}`)
}

export const run: Phase = async step => {
  const planned = step.plan.run?.spec
  if (!planned) return
  // With verify: cosign, the digest that verified (repo@digest), so a tag moved since cannot run.
  const spec = { ...planned, image: pinnedImage(step, planned.image) }
  step.report.set(Output.ContainerName, spec.name)
  // A foreground run's output streams to the log live; only its tail is kept.
  const container = Container.fromSpec(spec, spec.detach === false ? streamed(step) : step.call)
  await step.report.phase('run', async () => {
    await reportImageId(step, spec.image)
    await prepareVolumes(spec.volumes ?? [], step)
    await container.build()
    // Known before a foreground failure is thrown, so its state and logs are still shown.
    if (container.containerId) {
      step.container = container
      step.state.saveContainers([container.containerId])
      step.report.set(Output.ContainerId, container.containerId)
    }
    if (container.runResult) reportForeground(step, spec.name, container.runResult)
    else step.report.note(`${spec.name} (${container.containerId?.slice(0, 12)})`)
  })
}
