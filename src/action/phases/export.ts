// Exports the container's filesystem as a tarball on the runner (written
// beside it, then renamed).
import { resolve } from 'node:path'
import { exportContainer } from '../../nerdctl/index.js'
import { Output } from '../constants.js'
import { startedContainer, withStatusAlongside, type Phase } from './context.js'

export const exportFilesystem: Phase = async step => {
  const target = step.plan.afterStart.export
  if (!target) return
  const { id } = startedContainer(step)
  const path = resolve(target)
  await withStatusAlongside(step, id, 'export', async () => {
    await exportContainer(id, path, step.call)
    step.report.set(Output.ExportPath, path)
    step.report.note(path)
  })
}
