// The nerdctl-action command line, in-process: usage and exit codes, `script`
// on temporary files (scripts that never call nerdctl), `step` argument errors
// (caught before the bundle would run), and the step helpers inputEnv and
// readFileCommands.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli } from '../../src/cli/index.js'
import {
  STEP_NODE_ENV,
  inputEnv,
  readActionYaml,
  readFileCommands,
  stepNode,
  type ActionYaml
} from '../../src/cli/step.js'
import { ROOT } from '../helpers/action-defaults.js'
import { captureOutput, type Captured } from '../helpers/capture-output.js'

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g

let stdout: Captured
let stderr: Captured
const out = (): string => stdout.text().replace(ANSI, '')
const err = (): string => stderr.text().replace(ANSI, '')

beforeEach(() => {
  stdout = captureOutput(process.stdout)
  stderr = captureOutput(process.stderr)
})

afterEach(() => {
  stdout.restore()
  stderr.restore()
})

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-test-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

let n = 0
/** Writes a script to a new temp file and returns its path. */
async function script(source: string): Promise<string> {
  const path = join(dir, `script-${++n}.js`)
  await writeFile(path, source)
  return path
}

describe('usage', () => {
  test('--help prints the usage and returns 0', async () => {
    await expect(cli(['--help'])).resolves.toBe(0)
    expect(out()).toContain('Usage:')
    expect(out()).toContain('nerdctl-action script FILE')
    expect(out()).toContain('nerdctl-action step')
    expect(err()).toBe('')
  })

  test('-h and help are --help too', async () => {
    await expect(cli(['-h'])).resolves.toBe(0)
    expect(out()).toContain('Usage:')
    stdout.clear()
    await expect(cli(['help'])).resolves.toBe(0)
    expect(out()).toContain('Usage:')
  })

  test('no arguments prints the usage and returns 2', async () => {
    await expect(cli([])).resolves.toBe(2)
    expect(out() + err()).toContain('Usage:')
  })

  test("--version prints package.json's version", async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      version: string
    }
    await expect(cli(['--version'])).resolves.toBe(0)
    expect(out()).toBe(`${pkg.version}\n`)
  })

  test('an unknown command returns 2 and says which', async () => {
    await expect(cli(['frobnicate'])).resolves.toBe(2)
    expect(err()).toContain('unknown command "frobnicate"')
    expect(err()).toContain('Usage:')
    expect(out()).toBe('')
  })

  test('script --help prints the script usage', async () => {
    await expect(cli(['script', '--help'])).resolves.toBe(0)
    expect(out()).toContain('nerdctl-action script FILE')
    expect(out()).toContain('Runs FILE as the body of an async function')
    expect(out()).toContain('--input NAME=VALUE')
  })

  test('script -h, even after other arguments, prints the script usage', async () => {
    await expect(cli(['script', 'whatever.js', '-h'])).resolves.toBe(0)
    expect(out()).toContain('Runs FILE as the body of an async function')
  })

  test('step --help prints the step usage', async () => {
    await expect(cli(['step', '--help'])).resolves.toBe(0)
    expect(out()).toContain('nerdctl-action step')
    expect(out()).toContain("Runs the action's main step")
    expect(out()).toContain('--keep')
  })
})

describe('script: usage errors', () => {
  test('no FILE returns 2', async () => {
    await expect(cli(['script'])).resolves.toBe(2)
    expect(err()).toContain('script needs a FILE to run')
  })

  test('a missing file returns 2', async () => {
    const missing = join(dir, 'missing.js')
    await expect(cli(['script', missing])).resolves.toBe(2)
    expect(err()).toContain(`no such script file: ${missing}`)
  })

  test('two files return 2', async () => {
    const path = await script('return 1')
    await expect(cli(['script', path, 'other.js'])).resolves.toBe(2)
    expect(err()).toContain('script takes one FILE (got also "other.js")')
  })

  test('an unknown option returns 2', async () => {
    const path = await script('return 1')
    await expect(cli(['script', path, '--bogus'])).resolves.toBe(2)
    expect(err()).toContain('unknown option --bogus')
  })

  test('--keep is a step option, not a script one', async () => {
    const path = await script('return 1')
    await expect(cli(['script', path, '--keep'])).resolves.toBe(2)
    expect(err()).toContain('unknown option --keep')
  })

  test('--input without "=" returns 2', async () => {
    const path = await script('return 1')
    await expect(cli(['script', path, '--input', 'novalue'])).resolves.toBe(2)
    expect(err()).toContain('--input takes NAME=VALUE, not "novalue"')
  })

  test('--input=NAME without "=" returns 2', async () => {
    const path = await script('return 1')
    await expect(cli(['script', path, '--input=novalue'])).resolves.toBe(2)
    expect(err()).toContain('--input takes NAME=VALUE')
  })

  test('--input with an empty name returns 2', async () => {
    const path = await script('return 1')
    await expect(cli(['script', path, '--input', '=value'])).resolves.toBe(2)
    expect(err()).toContain('--input takes NAME=VALUE')
  })

  test('--input without a value returns 2', async () => {
    const path = await script('return 1')
    await expect(cli(['script', path, '--input'])).resolves.toBe(2)
    expect(err()).toContain('--input needs a value')
  })
})

describe('script: running', () => {
  test('prints an object result as JSON and returns 0', async () => {
    const path = await script('return { a: 1 }\n')
    await expect(cli(['script', path])).resolves.toBe(0)
    expect(out()).toBe('{"a":1}\n')
  })

  test('--input NAME=VALUE reaches inputs.NAME', async () => {
    const path = await script('return inputs.name')
    await expect(cli(['script', path, '--input', 'name=value'])).resolves.toBe(0)
    expect(out()).toBe('value\n')
  })

  test('--input=NAME=VALUE, -i, and values with "=" in them', async () => {
    const path = await script('return [inputs.a, inputs.b, inputs.c]')
    await expect(
      cli(['script', path, '--input=a=1', '-i', 'b=x=y', '--input', 'c='])
    ).resolves.toBe(0)
    expect(out()).toBe('["1","x=y",""]\n')
  })

  test('a string result is printed as it is', async () => {
    const path = await script("return 'plain text'")
    await expect(cli(['script', path])).resolves.toBe(0)
    expect(out()).toBe('plain text\n')
  })

  test('--json prints a string result as a JSON string', async () => {
    const path = await script("return 'plain text'")
    await expect(cli(['script', path, '--json'])).resolves.toBe(0)
    expect(out()).toBe('"plain text"\n')
  })

  test('no result prints nothing; with --json, null', async () => {
    const path = await script('const x = 1\nvoid x')
    await expect(cli(['script', path])).resolves.toBe(0)
    expect(out()).toBe('')
    await expect(cli(['script', path, '--json'])).resolves.toBe(0)
    expect(out()).toBe('null\n')
  })

  test('top-level await and the scope (core, nerdctl exports) without calling nerdctl', async () => {
    const path = await script(
      [
        'await new Promise(r => setTimeout(r, 1))',
        'return [typeof core.getInput, typeof nerdctl.configure, typeof nerdctl.NerdctlError]'
      ].join('\n')
    )
    await expect(cli(['script', path, '--verbose'])).resolves.toBe(0)
    expect(out()).toBe('["function","function","function"]\n')
  })

  test('a shebang script runs', async () => {
    const path = await script('#!/usr/bin/env nerdctl-action script\nreturn 3\n')
    await expect(cli(['script', path])).resolves.toBe(0)
    expect(out()).toBe('3\n')
  })

  test('a throwing script returns 1 and prints file:line:col: on stderr', async () => {
    const path = await script("const a = 1\n\nthrow new Error('script failed ' + a)\n")
    await expect(cli(['script', path])).resolves.toBe(1)
    expect(err()).toContain(`${path}:3:7: script failed 1`)
    expect(err()).toContain("  3 | throw new Error('script failed ' + a)")
    expect(out()).toBe('')
  })

  test('a syntax error returns 1 and prints file:line:col: SyntaxError on stderr', async () => {
    const path = await script('const a = 1\nconst = 2\n')
    await expect(cli(['script', path])).resolves.toBe(1)
    expect(err()).toContain(`${path}:2:7: SyntaxError: `)
  })

  test('a thrown non-Error returns 1 and is reported', async () => {
    const path = await script("throw 'text'")
    await expect(cli(['script', path])).resolves.toBe(1)
    expect(err()).toContain('threw "text"')
  })
})

describe('step: usage errors (nothing runs)', () => {
  test('an unknown input returns 2', async () => {
    await expect(cli(['step', '--input', 'no-such-input=1'])).resolves.toBe(2)
    expect(err()).toContain('unknown input')
    expect(err()).toContain('no-such-input')
  })

  test('an argument returns 2', async () => {
    await expect(cli(['step', 'extra-arg'])).resolves.toBe(2)
    expect(err()).toContain('step takes no arguments')
    expect(err()).toContain('extra-arg')
  })

  test('an unknown option returns 2', async () => {
    await expect(cli(['step', '--bogus'])).resolves.toBe(2)
    expect(err()).toContain('unknown option --bogus')
  })

  test('--with a missing file returns 2', async () => {
    const missing = join(dir, 'missing.yml')
    await expect(cli(['step', '--with', missing])).resolves.toBe(2)
    expect(err()).toContain(`cannot read ${missing}`)
  })

  test('--with a file that is not a mapping returns 2', async () => {
    const path = join(dir, 'list.yml')
    await writeFile(path, '- a\n- b\n')
    await expect(cli(['step', '--with', path])).resolves.toBe(2)
    expect(err()).toContain('must be a YAML mapping of inputs')
  })

  test('--with a step whose "with:" has an unknown input returns 2', async () => {
    const path = join(dir, 'step.yml')
    await writeFile(path, 'uses: ./\nwith:\n  not-an-input: 1\n')
    await expect(cli(['step', '--with', path])).resolves.toBe(2)
    expect(err()).toContain('unknown input')
    expect(err()).toContain('not-an-input')
  })

  test('--with without a file returns 2', async () => {
    await expect(cli(['step', '--with'])).resolves.toBe(2)
    expect(err()).toContain('--with needs a value')
  })
})

describe('inputEnv', () => {
  const action: ActionYaml = {
    inputs: {
      nerdctl: { description: 'binary', default: 'nerdctl' },
      'buildkit-host': { description: 'buildkit', default: '' },
      'my input': { description: 'with a space', default: 'x' },
      token: { description: 'no default', required: true }
    },
    outputs: {}
  }

  test('defaults from action.yml, INPUT_ and upper case', () => {
    expect(inputEnv(action, {})).toEqual({
      INPUT_NERDCTL: 'nerdctl',
      'INPUT_BUILDKIT-HOST': '',
      INPUT_MY_INPUT: 'x',
      INPUT_TOKEN: ''
    })
  })

  test('given inputs override the defaults', () => {
    const env = inputEnv(action, { nerdctl: '/opt/nerdctl', token: 's3cret', 'my input': '' })
    expect(env.INPUT_NERDCTL).toBe('/opt/nerdctl')
    expect(env.INPUT_TOKEN).toBe('s3cret')
    expect(env.INPUT_MY_INPUT).toBe('')
    expect(env['INPUT_BUILDKIT-HOST']).toBe('')
  })

  test('an unknown input throws, naming every unknown one', () => {
    expect(() => inputEnv(action, { nerdctl: 'x', bogus: '1', other: '2' })).toThrow(
      /unknown input\(s\): bogus, other/
    )
  })

  test("the project's action.yml: every input set, defaults applied", () => {
    const real = readActionYaml(join(ROOT, 'action.yml'))
    const env = inputEnv(real, { namespace: 'ci' })
    expect(Object.keys(env)).toHaveLength(Object.keys(real.inputs).length)
    expect(env.INPUT_NERDCTL).toBe('nerdctl')
    expect(env.INPUT_TIMEOUT).toBe('')
    expect(env.INPUT_SUDO).toBe('false')
    expect(env.INPUT_NAMESPACE).toBe('ci')
    for (const k of Object.keys(env)) expect(k).toMatch(/^INPUT_[A-Z0-9_-]+$/)
  })
})

describe('readFileCommands', () => {
  test('name<<DELIM blocks and name=value lines', async () => {
    const path = join(dir, 'github-output')
    await writeFile(
      path,
      [
        'id=abc123',
        'multi<<ghadelimiter_1f2e',
        'line one',
        'key=not a separate output',
        '',
        'line four',
        'ghadelimiter_1f2e',
        'url=http://host:8080/a?b=c',
        'empty=',
        'blank<<EOF',
        'EOF',
        'single<<EOF',
        'just this',
        'EOF',
        'arrows=a<<b',
        ''
      ].join('\n')
    )
    expect(readFileCommands(path)).toEqual({
      id: 'abc123',
      multi: 'line one\nkey=not a separate output\n\nline four',
      url: 'http://host:8080/a?b=c',
      empty: '',
      blank: '',
      single: 'just this',
      arrows: 'a<<b'
    })
  })

  test('a later value of the same name wins', async () => {
    const path = join(dir, 'github-state')
    await writeFile(path, 'a=1\na<<X\n2\nX\n')
    expect(readFileCommands(path)).toEqual({ a: '2' })
  })

  test('an empty file gives {}', async () => {
    const path = join(dir, 'empty')
    await writeFile(path, '')
    expect(readFileCommands(path)).toEqual({})
  })

  test('a missing file gives {}', () => {
    expect(readFileCommands(join(dir, 'no-such-file'))).toEqual({})
  })
})

describe('stepNode', () => {
  // The runner's Node may differ from the one running the CLI or the tests.
  test('is the node NERDCTL_ACTION_NODE names', () => {
    expect(STEP_NODE_ENV).toBe('NERDCTL_ACTION_NODE')
    expect(stepNode({ NERDCTL_ACTION_NODE: '/opt/node24/bin/node' })).toBe('/opt/node24/bin/node')
  })

  test('else, or when it is empty, the node of this process', () => {
    expect(stepNode({})).toBe(process.execPath)
    expect(stepNode({ NERDCTL_ACTION_NODE: '' })).toBe(process.execPath)
  })
})
