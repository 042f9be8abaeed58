// User scripts with the library in scope: what the Rhai bindings and script
// runner of the Rust module this library replaces were. A script is the body of an async function
// (so `await` works at its top level) run with `nerdctl` (every export of the
// library), what actions/github-script gives its scripts (`core`, `exec`,
// `glob`, `io`, `require`: src/script/toolkit.ts) and `inputs` (the step's
// parsed inputs) in scope; its return value is the result. Errors point at the
// script's own line and column.
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { types } from 'node:util'
import { compileFunction } from 'node:vm'
import { NerdctlError, formatArgv } from '../nerdctl/index.js'
import { errorMessage } from '../nerdctl/index.js'

export interface ScriptScope {
  nerdctl: Record<string, unknown>
  inputs: Record<string, unknown>
  /** @actions/core, and the rest of the toolkit (see toolkit.ts); absent ones are undefined. */
  core: object
  exec?: object
  glob?: object
  io?: object
  require?: NodeJS.Require
}

/** An error in or thrown by a script, placed at its line and column. */
export class ScriptError extends Error {
  constructor(
    message: string,
    readonly filename: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
    override readonly cause?: unknown
  ) {
    super(message)
    this.name = 'ScriptError'
  }
}

const PARAMS = ['nerdctl', 'core', 'exec', 'glob', 'io', 'require', 'inputs'] as const

type ScriptFunction = (...args: unknown[]) => Promise<unknown>

/** Compiles a script body; a syntax error becomes a ScriptError at its position. */
export function compileScript(source: string, filename: string): ScriptFunction {
  // The body goes inside an async arrow on the line after `return (async () => {`,
  // so lineOffset -1 makes V8 report the script's own line numbers.
  const wrapped = `return (async () => {\n${source}\n})()`
  try {
    return compileFunction(wrapped, [...PARAMS], { filename, lineOffset: -1 }) as ScriptFunction
  } catch (e: unknown) {
    throw toScriptError(e, filename, source)
  }
}

/** Runs a script with the library in scope and returns what it returned. */
export async function runScript(
  source: string,
  filename: string,
  scope: ScriptScope
): Promise<unknown> {
  const fn = compileScript(source, filename)
  try {
    return await fn(...PARAMS.map(p => scope[p]))
  } catch (e: unknown) {
    throw toScriptError(e, filename, source)
  }
}

export async function runScriptFile(path: string, scope: ScriptScope): Promise<unknown> {
  const full = resolve(path)
  let source: string
  try {
    source = await readFile(full, 'utf8')
  } catch (e: unknown) {
    throw new ScriptError(
      `cannot read script ${path}: ${errorMessage(e)}`,
      full,
      undefined,
      undefined,
      e
    )
  }
  return runScript(source.replace(/^#!.*\n/, '\n'), full, scope)
}

// A script runs in this process's main context; its errors are not instances of
// the Error of a module loaded in another context (a test runner's), so native
// errors are recognised by what they are, not by their constructor.
function isError(e: unknown): e is Error {
  return e instanceof Error || types.isNativeError(e)
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Where in the script an error happened: the first stack frame in the script file. */
export function scriptPosition(
  e: unknown,
  filename: string
): { line: number; column: number } | undefined {
  const stack = isError(e) ? (e.stack ?? '') : ''
  const m = new RegExp(`${escapeRegExp(filename)}:(\\d+)(?::(\\d+))?`).exec(stack)
  if (!m) return undefined
  if (m[2] !== undefined) return { line: Number(m[1]), column: Number(m[2]) }
  // A SyntaxError's stack shows the line and a caret under the column instead.
  const caret = /\n[^\n]*\n( *)\^/.exec(stack.slice(m.index))
  return { line: Number(m[1]), column: caret ? (caret[1] as string).length + 1 : 0 }
}

function toScriptError(e: unknown, filename: string, source: string): ScriptError {
  if (e instanceof ScriptError) return e
  const lines = source.split('\n')
  let pos = scriptPosition(e, filename)
  // Input that ends mid-expression is reported on the wrapper's closing line,
  // past the script: place it at the end of the script's last non-blank line.
  const last = lines.reduce((n, l, i) => (l.trim() ? i + 1 : n), 1)
  if (pos && pos.line > last && pos.line > lines.length) {
    pos = { line: last, column: (lines[last - 1] ?? '').length + 1 }
  }
  const where = pos ? `${filename}:${pos.line}${pos.column ? `:${pos.column}` : ''}` : filename
  const code =
    pos && lines[pos.line - 1] !== undefined
      ? `\n  ${pos.line} | ${(lines[pos.line - 1] as string).trim()}`
      : ''
  let what: string
  if (e instanceof NerdctlError) {
    what =
      `${e.message}\n  command: nerdctl ${formatArgv(e.args)}` +
      (e.exitCode !== null ? `\n  exit code: ${e.exitCode}` : '') +
      (e.stderr.trim() ? `\n  stderr: ${e.stderr.trim()}` : '')
  } else if (isError(e)) {
    what = `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`
  } else {
    what = `threw ${JSON.stringify(e)}`
  }
  return new ScriptError(`${where}: ${what}${code}`, filename, pos?.line, pos?.column, e)
}

/** The `result` output: strings as they are, anything else as JSON. */
export function formatResult(value: unknown): string {
  if (value === undefined) return ''
  if (typeof value === 'string') return value
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
}
