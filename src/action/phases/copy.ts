// Copies files between the runner and a container; ":/path" is this step's
// container, "name:/path" another one.
import { copy as copyFiles } from '../../nerdctl/index.js'
import { startedContainer, withStatusAlongside, type Phase } from './context.js'

export const copy: Phase = async step => {
  const lines = step.plan.afterStart.copy
  if (lines.length === 0) return
  const { id } = startedContainer(step)
  const side = (p: string): string => (p.startsWith(':') ? `${id}${p}` : p)
  await withStatusAlongside(step, id, 'copy', async () => {
    for (const c of lines) {
      await copyFiles(side(c.from), side(c.to), step.call)
      step.report.note(`${c.from} -> ${c.to}`)
    }
  })
}
