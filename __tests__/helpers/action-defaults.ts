// The inputs of action.yml with their defaults, as the runner passes them:
// tests feed the action exactly what a workflow with no `with:` would.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

interface ActionYaml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
}

export function actionYaml(): ActionYaml {
  return parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml
}

export function inputDefaults(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, spec] of Object.entries(actionYaml().inputs)) out[name] = spec.default ?? ''
  return out
}

/** INPUT_* variables as the runner sets them (name upper-cased, spaces to _). */
export function inputEnv(withInputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries({ ...inputDefaults(), ...withInputs })) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  return env
}
