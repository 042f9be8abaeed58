// StepState: what main saves is what post reads back, typed; a saved value
// that does not read back is a warning and the fallback, never an exception.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { State } from '../../src/action/constants.js'
import { StepState } from '../../src/action/state.js'
import { readFileCommands } from '../../src/cli/step.js'
import { captureOutput, type Captured } from '../helpers/capture-output.js'

let dir = ''
let stdout: Captured
const saved: Record<string, string | undefined> = {}
const STATE_VARS = Object.values(State).map(name => `STATE_${name}`)

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'state-test-'))
  for (const name of ['GITHUB_STATE', ...STATE_VARS]) saved[name] = process.env[name]
  for (const name of STATE_VARS) delete process.env[name]
  process.env.GITHUB_STATE = join(dir, 'state')
  writeFileSync(process.env.GITHUB_STATE, '')
  stdout = captureOutput()
})

afterEach(() => {
  stdout.restore()
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  rmSync(dir, { recursive: true, force: true })
})

/** Hands what main saved to post, the way the runner does: as STATE_* variables. */
function runPostStep(): StepState {
  for (const [name, value] of Object.entries(readFileCommands(join(dir, 'state'))))
    process.env[`STATE_${name}`] = value
  return new StepState()
}

const warnings = (): string[] =>
  stdout
    .text()
    .split('\n')
    .filter(l => l.startsWith('::warning::'))

test('every fact main saves reads back in post, with its type', () => {
  const main = new StepState()
  const nerdctl = { binary: '/usr/bin/nerdctl', namespace: 'ci', sudo: true, timeoutMs: 90_000 }
  main.markPost()
  main.saveToken('0123456789abcdef')
  main.saveNerdctl(nerdctl)
  main.saveCleanup(false)
  main.saveScratch('/tmp/scratch-1')
  main.recordPartial('/out/.images.tar.partial-0123abcd')
  main.recordPartial('/out/.fs.tar.partial-4567cdef')
  main.saveContainers(['c0ffee'])
  main.saveLogouts(['reg.lan:5000', 'docker.io'])
  main.saveDockerConfig('/tmp/scratch-1/docker-config')

  const post = runPostStep()
  expect(post.isPost()).toBe(true)
  expect(post.token()).toBe('0123456789abcdef')
  expect(post.nerdctl()).toEqual(nerdctl)
  expect(post.cleanup()).toBe(false)
  expect(post.scratch()).toBe('/tmp/scratch-1')
  expect(post.partials()).toEqual([
    '/out/.images.tar.partial-0123abcd',
    '/out/.fs.tar.partial-4567cdef'
  ])
  expect(post.containers()).toEqual(['c0ffee'])
  expect(post.logouts()).toEqual(['reg.lan:5000', 'docker.io'])
  expect(post.dockerConfig()).toBe('/tmp/scratch-1/docker-config')
  expect(warnings()).toEqual([])
})

test('the names on disk are the State strings', () => {
  const main = new StepState()
  main.saveToken('t')
  main.saveNerdctl({ binary: 'nerdctl' })
  main.saveContainers(['a'])
  expect(readFileCommands(join(dir, 'state'))).toEqual({
    [State.Token]: 't',
    tool: JSON.stringify({ binary: 'nerdctl' }),
    [State.Containers]: JSON.stringify(['a'])
  })
})

test('nothing saved: no token, the defaults, no warning', () => {
  const post = runPostStep()
  expect(post.isPost()).toBe(false)
  expect(post.token()).toBeUndefined()
  expect(post.nerdctl()).toEqual({})
  expect(post.cleanup()).toBe(true)
  expect(post.scratch()).toBeUndefined()
  expect(post.partials()).toEqual([])
  expect(post.containers()).toEqual([])
  expect(post.logouts()).toEqual([])
  expect(post.dockerConfig()).toBeUndefined()
  expect(warnings()).toEqual([])
})

test('no partial file made: nothing is saved for them', () => {
  new StepState().saveToken('t')
  expect(readFileCommands(join(dir, 'state'))).toEqual({ [State.Token]: 't' })
})

test.each<[string, string, string, (s: StepState) => unknown, unknown]>([
  ['containers, not JSON', State.Containers, '["c0ffee"', s => s.containers(), []],
  ['containers, not a list of strings', State.Containers, '[1, 2]', s => s.containers(), []],
  ['partials, an object', State.Partials, '{"a": 1}', s => s.partials(), []],
  ['nerdctl options, a list', State.Nerdctl, '["nerdctl"]', s => s.nerdctl(), {}]
])('unreadable %s: a warning and the fallback', (_what, name, raw, read, fallback) => {
  process.env[`STATE_${name}`] = raw
  expect(read(new StepState())).toEqual(fallback)
  expect(warnings()).toEqual([
    `::warning::post step: saved state "${name}" is unreadable; skipping what it described`
  ])
})
