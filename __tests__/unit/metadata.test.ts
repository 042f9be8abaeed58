// action.yml, the constants module and the README agree: every input and
// output the code knows is declared, with a description, and documented.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { Input, Output } from '../../src/action/constants.js'
import { ROOT, actionYaml } from '../helpers/action-defaults.js'

test('action.yml declares exactly the inputs and outputs of constants.ts', () => {
  const a = actionYaml()
  expect(Object.keys(a.inputs).sort()).toEqual(Object.values(Input).sort())
  expect(Object.keys(a.outputs).sort()).toEqual(Object.values(Output).sort())
})

test('every input and output has a description, and no input is required', () => {
  const a = actionYaml()
  for (const [name, spec] of [...Object.entries(a.inputs), ...Object.entries(a.outputs)]) {
    expect([name, spec.description.length > 10]).toEqual([name, true])
  }
  for (const [name, spec] of Object.entries(a.inputs)) {
    expect([name, spec.required ?? false]).toEqual([name, false])
  }
})

test('no description holds an expression: runners (act) refuse ${{ }} in action.yml metadata', () => {
  const a = actionYaml()
  for (const [name, spec] of [...Object.entries(a.inputs), ...Object.entries(a.outputs)]) {
    expect([name, spec.description.includes('${{')]).toEqual([name, false])
  }
})

test('the README tables are generated from action.yml (npm run docs)', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'readme-tables.js'), '--check'], {
    encoding: 'utf8'
  })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
})

test('the action runs on node24 with main and post in one bundle, post always', () => {
  const a = actionYaml() as unknown as { runs: Record<string, string> }
  expect(a.runs).toEqual({
    using: 'node24',
    main: 'dist/index.js',
    post: 'dist/index.js',
    'post-if': 'always()'
  })
})
