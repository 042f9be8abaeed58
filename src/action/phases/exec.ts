// Runs each exec line in the container, in order; the first that fails stops
// the step with its exit code and output.
import * as core from '../workflow.js'
import { EXEC_OUTPUT_BYTES } from '../../nerdctl/index.js'
import { startedContainer, type Phase } from './context.js'

export const exec: Phase = async step => {
  const commands = step.plan.afterStart.exec
  if (commands.length === 0) return
  const { container } = startedContainer(step)
  await step.report.phase('exec', async () => {
    for (const cmd of commands) {
      // The command echoed is text too: its words (a `##[…]` anywhere in a
      // line is a command to the runner) must not act on the runner.
      core.output(`$ ${cmd}`)
      const r = await container.exec(cmd, { allowFailure: true })
      // The command's output is the container's text, never commands to the runner.
      if (r.truncated) core.info(`(output cut: only its last ${EXEC_OUTPUT_BYTES} bytes were kept)`)
      if (r.stdout.trim()) core.output(r.stdout.trimEnd())
      if (r.stderr.trim()) core.output(r.stderr.trimEnd())
      if (r.exitCode !== 0) {
        throw new Error(
          `exec "${cmd}" exited with code ${r.exitCode}:\n${(r.stderr || r.stdout).trim()}`
        )
      }
    }
    step.report.note(`${commands.length} command(s)`)
  })
}
