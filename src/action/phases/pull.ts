// Pulls the listed images, each in its own log group and summary row.
import { imagePull } from '../../nerdctl/index.js'
import { pinnedImage } from '../signing.js'
import { streamed, type Phase } from './context.js'

export const pull: Phase = async step => {
  for (const image of step.plan.registry.pull) {
    await step.report.phase(`pull ${image}`, async () => {
      // The digest verified (verify: cosign), never the tag again.
      const ref = pinnedImage(step, image)
      await imagePull(ref, streamed(step))
      step.report.note(ref)
    })
  }
}
