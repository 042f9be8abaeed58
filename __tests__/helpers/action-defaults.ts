// The action's metadata as the tests see it: action.yml, parsed the way the
// local step runner (src/cli/step.ts) parses it.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { inputEnv as envOf, readActionYaml, type ActionYaml } from '../../src/cli/step.js'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export function actionYaml(): ActionYaml {
  return readActionYaml(join(ROOT, 'action.yml'))
}

export function inputDefaults(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, spec] of Object.entries(actionYaml().inputs)) out[name] = spec.default ?? ''
  return out
}

/** INPUT_* variables as the runner sets them. */
export function inputEnv(withInputs: Record<string, string>): Record<string, string> {
  return envOf(actionYaml(), withInputs)
}

/** The Node major the runner runs the bundle with: 24 for `runs.using: node24`. */
export function runnerNodeMajor(): number {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    runs: { using: string }
  }
  const m = /^node(\d+)$/.exec(action.runs.using)
  if (!m) throw new Error(`action.yml runs.using is ${action.runs.using}, not nodeNN`)
  return Number(m[1])
}
