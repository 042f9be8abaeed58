// The library's log lines, sent to the job log through @actions/core.
import * as core from '@actions/core'
import type { Logger } from '../nerdctl/index.js'

export const coreLogger: Logger = {
  debug: m => core.debug(m),
  info: m => core.info(m),
  warning: m => core.warning(m)
}
