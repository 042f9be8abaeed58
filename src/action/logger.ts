// The library's log lines, sent to the job log through @actions/core; and how
// a failure of any kind becomes a line of it.
import * as core from '@actions/core'
import type { Logger } from '../nerdctl/index.js'

export const coreLogger: Logger = {
  debug: m => core.debug(m),
  info: m => core.info(m),
  warning: m => core.warning(m)
}

/** The message of whatever was thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
