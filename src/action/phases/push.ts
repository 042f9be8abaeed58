// Pushes every tag, in order; the first tag's digest is the digest output:
// what the registry serves for that tag, as nerdctl reported pushing it. An
// image built for several platforms is pushed whole (every platform, and its
// index is the digest), not reduced to the runner's platform; so is one with
// attestations, which sit in its index beside the image.
import * as core from '../workflow.js'
import { imagePush } from '../../nerdctl/index.js'
import { Output } from '../constants.js'
import { pushedWhole, streamed, type Phase } from './context.js'

export const push: Phase = async step => {
  const { push, tags } = step.plan.images
  if (!push) return
  await step.report.phase('push', async () => {
    for (const tag of tags) {
      const pushed = await imagePush(tag, undefined, {
        ...streamed(step),
        allPlatforms: pushedWhole(step.plan)
      })
      // The first tag names the image the step built.
      if (tag === tags[0]) {
        if (pushed.digest) step.report.set(Output.Digest, pushed.digest)
        else core.warning(`nerdctl printed no digest for ${tag}: the digest output is not set`)
      }
      step.report.note(tag)
    }
  })
}
