// The tags output, set before anything is built, pushed or saved, so that a
// failure later still says which images the step was about.
import { Output } from '../constants.js'
import type { Phase } from './context.js'

export const tags: Phase = async step => {
  const { tags } = step.plan.images
  if (tags.length > 0) step.report.set(Output.Tags, tags.join('\n'))
}
