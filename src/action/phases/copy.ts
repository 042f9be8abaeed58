// Copies files between the runner and one of the step's own containers:
// ":/path" (or the container's name) is the step's container, "KEY:/path" a
// service of the step. Every container side is sent to nerdctl by the ID the
// step got when it made that container, never by a name, which another job's
// container could carry.
import { copy as copyFiles } from '../../nerdctl/index.js'
import { copyContainerOf } from '../inputs/index.js'
import { startedContainer, withStatusAlongside, type Phase } from './context.js'

export const copy: Phase = async step => {
  const lines = step.plan.afterStart.copy
  if (lines.length === 0) return
  const { id } = startedContainer(step)
  const runName = step.plan.run?.spec.name
  const side = (p: string): string => {
    const name = copyContainerOf(p)
    if (name === undefined) return p
    const own = name === '' || name === runName ? id : step.services.get(name)
    // The plan only lets through the step's names; a service that never started has no ID.
    if (!own) throw new Error(`copy ${p}: service ${name} has no container of this step`)
    return `${own}${p.slice(name.length)}`
  }
  await withStatusAlongside(step, id, 'copy', async () => {
    for (const c of lines) {
      await copyFiles(side(c.from), side(c.to), step.call)
      step.report.note(`${c.from} -> ${c.to}`)
    }
  })
}
