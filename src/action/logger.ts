// The library's log lines, sent to the job log through the runner's log commands.
import * as core from './workflow.js'
import type { Logger } from '../nerdctl/index.js'

export const coreLogger: Logger = {
  debug: m => core.debug(m),
  info: m => core.info(m),
  warning: m => core.warning(m),
  // What a container, a build or a probe printed reaches the log as text only.
  output: t => core.output(t)
}
