// Saves every tag into one tarball on the runner (written beside it, then
// renamed), with every platform of a multi-platform build.
import { resolve } from 'node:path'
import { imageSave } from '../../nerdctl/index.js'
import { Output } from '../constants.js'
import { pushedWhole, type Phase } from './context.js'

export const save: Phase = async step => {
  const { save, tags } = step.plan.images
  if (!save) return
  const path = resolve(save)
  await step.report.phase('save', async () => {
    await imageSave(tags, path, { ...step.call, allPlatforms: pushedWhole(step.plan) })
    step.report.set(Output.SavePath, path)
    step.report.note(path)
  })
}
