// The script runner: results, the scope, errors placed at the script's own
// line and column (runtime errors, syntax errors, NerdctlErrors, non-Error
// values), script files with a shebang, and how results are printed. The scope
// is plain fake objects: nothing here runs nerdctl.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { types } from 'node:util'
import { runInNewContext } from 'node:vm'
import { NerdctlError } from '../../src/nerdctl/base/errors.js'
import {
  ScriptError,
  compileScript,
  formatResult,
  runScript,
  runScriptFile,
  scriptPosition,
  type ScriptScope
} from '../../src/script/run-script.js'

// A name no stack frame of this test file or of the runner can contain.
const FILE = '/virtual/user-script.js'

function scope(overrides: Partial<ScriptScope> = {}): ScriptScope {
  return { nerdctl: {}, core: {}, inputs: {}, ...overrides }
}

/** Runs a script that must fail; returns its ScriptError. */
async function failure(
  source: string,
  s: ScriptScope = scope(),
  filename = FILE
): Promise<ScriptError> {
  try {
    await runScript(source, filename, s)
  } catch (e: unknown) {
    expect(e).toBeInstanceOf(ScriptError)
    return e as ScriptError
  }
  throw new Error('the script did not fail')
}

function commandFailed(): NerdctlError {
  return new NerdctlError('CommandFailed', 'nerdctl x failed', {
    args: ['x', 'y'],
    exitCode: 3,
    stderr: 'boom'
  })
}

describe('runScript: results and scope', () => {
  test('returns a number', async () => {
    await expect(runScript('return 1 + 2', FILE, scope())).resolves.toBe(3)
  })

  test('returns an object', async () => {
    await expect(runScript('return { a: 1, b: [2, 3] }', FILE, scope())).resolves.toEqual({
      a: 1,
      b: [2, 3]
    })
  })

  test('returns a string', async () => {
    await expect(runScript("return 'hello'", FILE, scope())).resolves.toBe('hello')
  })

  test('a script without return gives undefined', async () => {
    await expect(runScript('const x = 1\nvoid x', FILE, scope())).resolves.toBeUndefined()
  })

  test('an empty script gives undefined', async () => {
    await expect(runScript('', FILE, scope())).resolves.toBeUndefined()
  })

  test('a last line that is a comment does not swallow the end of the wrapper', async () => {
    await expect(runScript('return 5 // the answer', FILE, scope())).resolves.toBe(5)
  })

  test('top-level await works', async () => {
    const source = [
      'const a = await Promise.resolve(20)',
      'const b = await new Promise(r => setTimeout(() => r(22), 5))',
      'return a + b'
    ].join('\n')
    await expect(runScript(source, FILE, scope())).resolves.toBe(42)
  })

  test('nerdctl, core and inputs are in scope', async () => {
    const calls: string[] = []
    const s = scope({
      nerdctl: {
        version: async (): Promise<string> => '2.0.0',
        tag: 'nerdctl-fake'
      },
      core: {
        info: (m: string): void => {
          calls.push(m)
        }
      },
      inputs: { name: 'web', count: '3' }
    })
    const source = [
      "core.info('hello ' + inputs.name)",
      'const v = await nerdctl.version()',
      'return { v, tag: nerdctl.tag, name: inputs.name, count: Number(inputs.count) }'
    ].join('\n')
    await expect(runScript(source, FILE, s)).resolves.toEqual({
      v: '2.0.0',
      tag: 'nerdctl-fake',
      name: 'web',
      count: 3
    })
    expect(calls).toEqual(['hello web'])
  })

  test('the scope objects are the ones passed, not copies', async () => {
    const inputs: Record<string, unknown> = {}
    await runScript("inputs.touched = 'yes'", FILE, scope({ inputs }))
    expect(inputs.touched).toBe('yes')
  })

  test('compileScript gives a function that runs with the scope as arguments', async () => {
    const fn = compileScript('return [typeof nerdctl, core.x, typeof exec, inputs.y]', FILE)
    // In order: nerdctl, core, exec, glob, io, require, inputs.
    await expect(fn({}, { x: 1 }, {}, {}, {}, undefined, { y: 'z' })).resolves.toEqual([
      'object',
      1,
      'object',
      'z'
    ])
  })
})

describe('runScript: runtime errors are placed at the script line and column', () => {
  // V8 places an Error where it was created: the column of `new`, which is
  // also where a `throw new Error(...)` statement's expression starts.
  test('a throw on line 1', async () => {
    const e = await failure("throw new Error('first line')")
    expect(e.message.startsWith(`${FILE}:1:7: first line`)).toBe(true)
    expect(e.message).toContain("\n  1 | throw new Error('first line')")
    expect(e.filename).toBe(FILE)
    expect(e.line).toBe(1)
    expect(e.column).toBe(7)
    // The script's own Error, possibly of another realm (see below): no instanceof.
    expect(types.isNativeError(e.cause)).toBe(true)
    expect((e.cause as Error).message).toBe('first line')
  })

  test('a throw on line 4 after blank lines, indented', async () => {
    const e = await failure("\n\n\n    throw new TypeError('fourth')")
    expect(e.message.startsWith(`${FILE}:4:11: TypeError: fourth`)).toBe(true)
    expect(e.message).toContain("\n  4 | throw new TypeError('fourth')")
    expect(e.line).toBe(4)
    expect(e.column).toBe(11)
  })

  test('a throw inside a nested function called from line 6 is placed at the throw', async () => {
    const source = [
      'const x = 1',
      'function inner() {',
      "  throw new RangeError('deep ' + x)",
      '}',
      'function outer() { return inner() }',
      'outer()'
    ].join('\n')
    const e = await failure(source)
    expect(e.message.startsWith(`${FILE}:3:9: RangeError: deep 1`)).toBe(true)
    expect(e.message).toContain("\n  3 | throw new RangeError('deep ' + x)")
    expect(e.message).not.toContain('  6 |')
    expect(e.line).toBe(3)
    expect(e.column).toBe(9)
  })

  test('a throw after an await is placed right', async () => {
    const e = await failure(
      "await null\nawait new Promise(r => setTimeout(r, 1))\nthrow new Error('late')"
    )
    expect(e.message.startsWith(`${FILE}:3:7: late`)).toBe(true)
    expect(e.message).toContain("\n  3 | throw new Error('late')")
  })

  test('an error raised by the engine (calling undefined) is placed right', async () => {
    const e = await failure('const o = {}\n\no.missing()')
    expect(e.message.startsWith(`${FILE}:3:3: TypeError:`)).toBe(true)
    expect(e.message).toContain('o.missing is not a function')
    expect(e.message).toContain('\n  3 | o.missing()')
  })

  test('an Error subclass keeps its name; a plain Error shows only its message', async () => {
    const plain = await failure("throw new Error('plain')")
    expect(plain.message).toMatch(new RegExp(`^${FILE}:1:7: plain\\n`))
    class CustomError extends Error {
      override name = 'CustomError'
    }
    const custom = await failure(
      "throw new nerdctl.CustomError('mine')",
      scope({ nerdctl: { CustomError } })
    )
    expect(custom.message.startsWith(`${FILE}:1:7: CustomError: mine`)).toBe(true)
  })

  test('ScriptError has its name', async () => {
    const e = await failure("throw new Error('x')")
    expect(e.name).toBe('ScriptError')
    expect(e).toBeInstanceOf(Error)
  })
})

describe('runScript: syntax errors', () => {
  test('placed at the line and column of the offending token', async () => {
    const e = await failure('const a = \nlet b = 2 +')
    expect(e.message).toMatch(new RegExp(`^${FILE}:2:5: SyntaxError: `))
    expect(e.message).toContain("Unexpected identifier 'b'")
    expect(e.message).toContain('\n  2 | let b = 2 +')
    expect(e.line).toBe(2)
    expect(e.column).toBe(5)
    expect(types.isNativeError(e.cause)).toBe(true)
    expect((e.cause as Error).name).toBe('SyntaxError')
  })

  test('an indented syntax error on line 3 has the right column', async () => {
    const e = await failure('const ok = 1\n\n  const 5x = ok')
    expect(e.message).toMatch(new RegExp(`^${FILE}:3:9: SyntaxError: `))
    expect(e.line).toBe(3)
    expect(e.column).toBe(9)
  })

  test('an incomplete last line is placed on that line, not past the end of the script', async () => {
    // The error is found at the end of the input; the script has one line.
    const e = await failure('foo(')
    expect(e.message.startsWith(`${FILE}:1:`)).toBe(true)
    expect(e.line).toBe(1)
  })

  test('compileScript throws the ScriptError itself, before anything runs', () => {
    expect(() => compileScript('return )', FILE)).toThrow(ScriptError)
    expect(() => compileScript('\nreturn )', FILE)).toThrow(
      new RegExp(`^${FILE}:2:8: SyntaxError: `)
    )
  })

  test('a syntax error stops the script before its first line runs', async () => {
    const seen: string[] = []
    const s = scope({ core: { info: (m: string): void => void seen.push(m) } })
    await expect(runScript("core.info('ran')\nconst = 1", FILE, s)).rejects.toThrow(ScriptError)
    expect(seen).toEqual([])
  })
})

describe('runScript: NerdctlError from the scope', () => {
  test('thrown synchronously from a scope function: command, exit code, stderr, line', async () => {
    const s = scope({
      nerdctl: {
        fail: async (): Promise<never> => {
          throw commandFailed()
        }
      }
    })
    const e = await failure("const a = 1\n\nawait nerdctl.fail('x', a)\nreturn 'unreached'", s)
    expect(e.message.startsWith(`${FILE}:3:`)).toBe(true)
    expect(e.message).toContain('nerdctl x failed')
    expect(e.message).toContain('\n  command: nerdctl x y')
    expect(e.message).toContain('\n  exit code: 3')
    expect(e.message).toContain('\n  stderr: boom')
    expect(e.message).toContain("\n  3 | await nerdctl.fail('x', a)")
    expect(e.line).toBe(3)
    expect(e.cause).toBeInstanceOf(NerdctlError)
  })

  test('thrown after the scope function awaited (as a real nerdctl call does)', async () => {
    const s = scope({
      nerdctl: {
        fail: async (): Promise<never> => {
          await new Promise(r => setTimeout(r, 1))
          throw commandFailed()
        }
      }
    })
    const e = await failure('// comment\nconst r = await nerdctl.fail()\nreturn r', s)
    expect(e.message.startsWith(`${FILE}:2:`)).toBe(true)
    expect(e.message).toContain('\n  command: nerdctl x y')
    expect(e.message).toContain('\n  exit code: 3')
    expect(e.message).toContain('\n  stderr: boom')
    expect(e.message).toContain('\n  2 | const r = await nerdctl.fail()')
    expect(e.line).toBe(2)
  })

  test('arguments with spaces are quoted; no exit code or stderr lines when there are none', async () => {
    const s = scope({
      nerdctl: {
        fail: (): never => {
          throw new NerdctlError('Timeout', 'nerdctl run timed out', {
            args: ['run', 'echo hi']
          })
        }
      }
    })
    const e = await failure('nerdctl.fail()', s)
    expect(e.message).toContain("\n  command: nerdctl run 'echo hi'")
    expect(e.message).not.toContain('exit code:')
    expect(e.message).not.toContain('stderr:')
  })
})

describe('runScript: errors from another realm', () => {
  // vm.compileFunction compiles the script in Node's main context, so the errors
  // a script creates (and its syntax errors) come from that realm's Error, which
  // need not be this module's Error (jest runs each test file in its own vm
  // context; a scope function may hand over an error from any context). They
  // are still Errors and must be placed and described as such.
  test('an Error from another context thrown by a scope function', async () => {
    const foreign = runInNewContext("new TypeError('other realm')") as Error
    const s = scope({
      nerdctl: {
        fail: (): never => {
          throw foreign
        }
      }
    })
    const e = await failure('\nnerdctl.fail()', s)
    expect(e.message).toContain('TypeError: other realm')
    expect(e.message).not.toContain('threw')
  })
})

describe('runScript: non-Error thrown values', () => {
  test('a thrown string', async () => {
    const e = await failure("\nthrow 'text'")
    expect(e.message).toContain('threw "text"')
    expect(e.message.startsWith(FILE)).toBe(true)
    expect(e.cause).toBe('text')
  })

  test('a thrown object', async () => {
    const e = await failure('throw { a: 1 }')
    expect(e.message).toContain('threw {"a":1}')
    expect(e.cause).toEqual({ a: 1 })
  })

  test('a rejected promise with a non-Error value', async () => {
    const e = await failure('await Promise.reject(42)')
    expect(e.message).toContain('threw 42')
  })
})

describe('runScriptFile', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'run-script-test-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  test('runs a file and returns its result', async () => {
    const path = join(dir, 'ok.js')
    await writeFile(path, 'return { n: inputs.n }\n')
    await expect(runScriptFile(path, scope({ inputs: { n: '1' } }))).resolves.toEqual({ n: '1' })
  })

  test('strips a shebang line and keeps the line numbers', async () => {
    const path = join(dir, 'shebang.js')
    await writeFile(path, "#!/usr/bin/env nerdctl-action script\n\nthrow new Error('third')\n")
    try {
      await runScriptFile(path, scope())
      throw new Error('the script did not fail')
    } catch (e: unknown) {
      expect(e).toBeInstanceOf(ScriptError)
      const se = e as ScriptError
      expect(se.message.startsWith(`${path}:3:7: third`)).toBe(true)
      expect(se.message).toContain("\n  3 | throw new Error('third')")
      expect(se.filename).toBe(path)
      expect(se.line).toBe(3)
    }
  })

  test('a shebang script returns its result', async () => {
    const path = join(dir, 'shebang-ok.js')
    await writeFile(path, '#!/usr/bin/env nerdctl-action script\nreturn 7\n')
    await expect(runScriptFile(path, scope())).resolves.toBe(7)
  })

  test('a syntax error in a shebang file is on the right line', async () => {
    const path = join(dir, 'shebang-syntax.js')
    await writeFile(path, '#!/usr/bin/env nerdctl-action script\nconst a = 1\nlet b = = 2\n')
    await expect(runScriptFile(path, scope())).rejects.toThrow(
      new RegExp(`^${path}:3:9: SyntaxError: `)
    )
  })

  test('a relative path is reported as the absolute file', async () => {
    const name = `run-script-test-rel-${process.pid}.js`
    const path = join(process.cwd(), name)
    await writeFile(path, "throw new Error('rel')\n")
    try {
      await expect(runScriptFile(name, scope())).rejects.toThrow(`${path}:1:7: rel`)
    } finally {
      await rm(path, { force: true })
    }
  })

  test('a missing file gives a ScriptError "cannot read script"', async () => {
    const path = join(dir, 'missing.js')
    const p = runScriptFile(path, scope())
    await expect(p).rejects.toThrow(ScriptError)
    await expect(p).rejects.toThrow(`cannot read script ${path}`)
    await p.catch((e: unknown) => {
      expect((e as ScriptError).line).toBeUndefined()
      expect((e as ScriptError).column).toBeUndefined()
    })
  })
})

describe('scriptPosition', () => {
  test('the first frame in the script file', () => {
    const e = new Error('x')
    e.stack = [
      'Error: x',
      '    at helper (/lib/other.js:10:5)',
      `    at inner (${FILE}:7:3)`,
      `    at ${FILE}:12:1`
    ].join('\n')
    expect(scriptPosition(e, FILE)).toEqual({ line: 7, column: 3 })
  })

  test('no frame in the file, or not an Error', () => {
    const e = new Error('x')
    e.stack = 'Error: x\n    at /lib/other.js:1:1'
    expect(scriptPosition(e, FILE)).toBeUndefined()
    expect(scriptPosition('text', FILE)).toBeUndefined()
  })

  test('a syntax error stack: the line, and the column from the caret', () => {
    const e = new SyntaxError('Unexpected token')
    e.stack = `${FILE}:2\nlet b = = 2\n        ^\n\nSyntaxError: Unexpected token '='`
    expect(scriptPosition(e, FILE)).toEqual({ line: 2, column: 9 })
  })

  test('a file name with regular expression characters', () => {
    const name = '/tmp/a+b (1).js'
    const e = new Error('x')
    e.stack = `Error: x\n    at /tmp/aab 1.js:1:1\n    at ${name}:4:2`
    expect(scriptPosition(e, name)).toEqual({ line: 4, column: 2 })
  })
})

describe('formatResult', () => {
  test('a string as it is', () => {
    expect(formatResult('plain text')).toBe('plain text')
    expect(formatResult('')).toBe('')
    expect(formatResult('{"already":"json"}')).toBe('{"already":"json"}')
  })

  test('undefined as nothing', () => {
    expect(formatResult(undefined)).toBe('')
  })

  test('objects, arrays, numbers, booleans and null as JSON', () => {
    expect(formatResult({ a: 1, b: 'x' })).toBe('{"a":1,"b":"x"}')
    expect(formatResult([1, 'two', null])).toBe('[1,"two",null]')
    expect(formatResult(42)).toBe('42')
    expect(formatResult(1.5)).toBe('1.5')
    expect(formatResult(true)).toBe('true')
    expect(formatResult(false)).toBe('false')
    expect(formatResult(null)).toBe('null')
  })

  test('a bigint inside an object as its decimal string', () => {
    expect(formatResult({ size: 12345678901234567890n })).toBe('{"size":"12345678901234567890"}')
    expect(formatResult([1n, { n: -2n }])).toBe('["1",{"n":"-2"}]')
  })
})
