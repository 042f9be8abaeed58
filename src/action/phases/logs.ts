// Closing phase: the container's last log lines, in their own group, when
// show-logs asks for them (by default only after a failure).
import * as core from '../workflow.js'
import { logs as containerLogs } from '../../nerdctl/index.js'
import type { Phase } from './context.js'
import { errorMessage } from '../../nerdctl/index.js'

export const logs: Phase = async step => {
  const container = step.container
  const id = container?.containerId
  const { showLogs } = step.plan.behaviour
  const wanted = showLogs === 'always' || (showLogs === 'on-failure' && step.failed)
  if (!container || !id || !wanted) return
  await core.group(`logs of ${container.name}`, async () => {
    try {
      const r = await containerLogs(id, { ...step.call, tail: 500, maxBytes: 1024 * 1024 })
      const text = [r.stdout.trimEnd(), r.stderr.trimEnd()].filter(Boolean).join('\n')
      // The container's own lines: shown, never obeyed as workflow commands.
      if (text) core.output(text)
      else core.info('(no output)')
    } catch (e: unknown) {
      core.warning(`could not read the logs of ${container.name}: ${errorMessage(e)}`)
    }
  })
}
