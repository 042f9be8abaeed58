// Commits the container's filesystem as a new image.
import { imageCommit } from '../../nerdctl/index.js'
import { startedContainer, type Phase } from './context.js'

export const commit: Phase = async step => {
  const image = step.plan.afterStart.commit
  if (!image) return
  const { id } = startedContainer(step)
  await step.report.phase('commit', async () => {
    const imageId = await imageCommit(id, image, step.call)
    step.report.note(`${image} (${imageId.slice(0, 19)})`)
  })
}
