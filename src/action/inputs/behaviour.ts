// The behaviour section: the user's script, and how the step ends (cleanup
// in the post step, logs, the job summary).
import { readFileSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import { Input } from '../constants.js'
import type { BehaviourPlan, ShowLogs } from './plan.js'
import { InputError, show, type Reader } from './reader.js'
import { errorMessage } from '../../nerdctl/index.js'

const SHOW_LOGS: readonly string[] = ['on-failure', 'always', 'never'] satisfies ShowLogs[]

function readShowLogs(r: Reader): ShowLogs {
  const showLogs = r.text(Input.ShowLogs) || 'on-failure'
  if (!SHOW_LOGS.includes(showLogs))
    throw new InputError(
      Input.ShowLogs,
      `${show(showLogs)} is not one of on-failure, always, never`
    )
  return showLogs as ShowLogs
}

function readScript(r: Reader): BehaviourPlan['script'] {
  const scriptText = r.raw(Input.Script)
  const scriptFile = r.optional(Input.ScriptFile)
  if (scriptText.trim() && scriptFile) {
    throw new InputError(
      Input.ScriptFile,
      'is set and so is "script": give the script in one of them'
    )
  }
  if (scriptFile) {
    const path = resolvePath(scriptFile)
    let source: string
    try {
      source = readFileSync(path, 'utf8')
    } catch (e: unknown) {
      throw new InputError(Input.ScriptFile, `cannot read ${show(scriptFile)}: ${errorMessage(e)}`)
    }
    // The shebang goes, its line stays, so errors name the file's own line numbers.
    return { source: source.replace(/^#!.*\n/, '\n'), filename: path }
  }
  return scriptText.trim() ? { source: scriptText, filename: 'script' } : undefined
}

export function readBehaviour(r: Reader): BehaviourPlan {
  const showLogs = readShowLogs(r)
  const script = readScript(r)
  return {
    script,
    cleanup: r.bool(Input.Cleanup, true),
    showLogs,
    summary: r.bool(Input.Summary, true)
  }
}
