// Builds the image under every tag; its ID and digest become outputs.
import { imageBuild, images } from '../../nerdctl/index.js'
import { Output } from '../constants.js'
import { streamed, type Phase } from './context.js'

export const build: Phase = async step => {
  const { build: b, tags } = step.plan.images
  if (!b) return
  // The plan refuses a build without tags.
  const [first, ...more] = tags as [string, ...string[]]
  await step.report.phase('build', async () => {
    const result = await imageBuild(first, b.context, {
      ...streamed(step),
      file: b.file,
      tags: more,
      buildArgs: b.buildArgs,
      labels: b.labels,
      target: b.target,
      platforms: b.platforms,
      noCache: b.noCache
    })
    step.report.set(Output.ImageId, result.imageId)
    const [built] = await images({ ...step.call, reference: first })
    if (built?.digest) step.report.set(Output.Digest, built.digest)
    step.report.note(`${tags.join(', ')} (${result.imageId.slice(0, 19)})`)
  })
}
