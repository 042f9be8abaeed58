// The action's metadata as the tests see it: action.yml, parsed the way the
// local step runner (src/cli/step.ts) parses it.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
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
