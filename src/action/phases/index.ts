// The phases of the main step, in the order they run. Each one looks in the
// plan for work of its own and does nothing without it; the first that fails
// stops the rest, and the closing phases run after, whatever happened.
import { build } from './build.js'
import type { Phase } from './context.js'
import { commit } from './commit.js'
import { copy } from './copy.js'
import { diskBudget } from '../disk-budget.js'
import { exec } from './exec.js'
import { exportFilesystem } from './export.js'
import { finalState, startStats } from './final-state.js'
import { login } from './login.js'
import { logs } from './logs.js'
import { merge } from './merge.js'
import { pull } from './pull.js'
import { push } from './push.js'
import { run } from './run.js'
import { save } from './save.js'
import { services } from './services.js'
import { tags } from './tags.js'
import { wait } from './wait.js'

/**
 * The user's script, loaded only when the plan has one: the script runner and
 * the @actions/core API it hands the script stay out of every other step's
 * start-up (ncc puts this dynamic import in a chunk of its own).
 */
const script: Phase = async step => {
  if (!step.plan.behaviour.script) return
  const { script: runUserScript } = await import('./script.js')
  await runUserScript(step)
}

export type { Phase, StepContext } from './context.js'

export const PHASES: readonly Phase[] = [
  // First: the step's own work gets the space a prune frees.
  diskBudget,
  login,
  pull,
  tags,
  build,
  push,
  merge,
  save,
  services,
  run,
  wait,
  startStats,
  exec,
  copy,
  commit,
  exportFilesystem,
  script
]

/** After the phases, failed or not: they only report. */
export const CLOSING_PHASES: readonly Phase[] = [finalState, logs]
