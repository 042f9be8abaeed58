#!/usr/bin/env node
// The `nerdctl-action` command line: run a user script with the library in
// scope (`script`), or try the action's step locally, main then post (`step`).
// Exit codes: 0 success, 1 the script or step failed, 2 bad usage.
import { output } from '../action/workflow.js'
import { CommandReader, lineSplitter } from './commands.js'
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import * as nerdctl from '../nerdctl/index.js'
import { ScriptError, formatResult, runScriptFile } from '../script/run-script.js'
import { LocalStep, inputEnv, readActionYaml } from './step.js'
import { errorMessage } from '../nerdctl/index.js'

const USAGE = `nerdctl-action: drive nerdctl from scripts, or try the action's step locally

Usage:
  nerdctl-action script FILE [--input NAME=VALUE]... [--json] [--verbose]
  nerdctl-action step [--input NAME=VALUE]... [--with FILE.yml] [--keep] [--json] [--verbose]
  nerdctl-action --help | --version

Run "nerdctl-action script --help" or "nerdctl-action step --help" for details.
Exit codes: 0 success, 1 the script or step failed, 2 bad usage.`

const SCRIPT_USAGE = `nerdctl-action script FILE [--input NAME=VALUE]... [--json] [--verbose]

Runs FILE as the body of an async function with these in scope:
  nerdctl   every export of the library (Container, imageBuild, run, waitForHealthy, ...)
  core, exec, glob, io, require
            the real @actions/core, @actions/exec, @actions/glob and @actions/io,
            as actions/github-script gives them
  inputs    the --input values, as an object
"await" works at the top level; the value the script returns is printed
(strings as they are, anything else as JSON; --json prints it as JSON always).
A thrown error is shown with the script's own line and column.

Options:
  --input NAME=VALUE   a value for inputs.NAME (repeatable)
  --json               print the result as JSON
  --verbose            show every nerdctl command line`

const STEP_USAGE = `nerdctl-action step [--input NAME=VALUE]... [--with FILE.yml] [--keep] [--json] [--verbose]

Runs the action's main step with these inputs (the rest take their defaults
from action.yml), prints its outputs, then runs its post step (cleanup), as a
GitHub runner would. Try a step here before putting it in a workflow.

Options:
  --input NAME=VALUE   an input, as under "with:" in a workflow (repeatable)
  --with FILE.yml      inputs from a YAML file: a mapping of inputs, or a step with "with:"
  --keep               skip the post step: containers stay for you to inspect
  --json               print the outputs as one JSON object
  --verbose            show debug lines (every nerdctl command line)

The step runs with this command's own node, or the one NERDCTL_ACTION_NODE
names: set it to a Node 24 to run the step on the Node a runner uses.`

class UsageError extends Error {}

interface Parsed {
  positional: string[]
  inputs: Record<string, string>
  flags: Set<string>
  withFile: string | undefined
}

function parseArgs(argv: string[], known: readonly string[]): Parsed {
  const p: Parsed = { positional: [], inputs: {}, flags: new Set(), withFile: undefined }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    const next = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new UsageError(`${a} needs a value`)
      return v
    }
    if (a === '--input' || a === '-i') {
      const kv = next()
      const eq = kv.indexOf('=')
      if (eq <= 0) throw new UsageError(`--input takes NAME=VALUE, not "${kv}"`)
      p.inputs[kv.slice(0, eq)] = kv.slice(eq + 1)
    } else if (a.startsWith('--input=')) {
      const kv = a.slice('--input='.length)
      const eq = kv.indexOf('=')
      if (eq <= 0) throw new UsageError(`--input takes NAME=VALUE, not "${kv}"`)
      p.inputs[kv.slice(0, eq)] = kv.slice(eq + 1)
    } else if (a === '--with') {
      p.withFile = next()
    } else if (a.startsWith('--')) {
      if (!known.includes(a)) throw new UsageError(`unknown option ${a}`)
      p.flags.add(a)
    } else {
      p.positional.push(a)
    }
  }
  return p
}

/** The project root: where action.yml and dist/ are, above this module. */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'action.yml'))) return dir
    dir = dirname(dir)
  }
  throw new Error(
    'cannot find action.yml above the nerdctl-action command; is the package complete?'
  )
}

const tty = process.stdout.isTTY === true
const paint = (code: string, s: string): string => (tty ? `\x1b[${code}m${s}\x1b[0m` : s)

/**
 * Turns workflow commands into lines for people; hides masked values. Lines
 * inside a `::stop-commands::` region are text, as the runner shows them.
 */
function progressPrinter(verbose: boolean): (chunk: string) => void {
  // The reader masks text lines and command data, one line at a time.
  const reader = new CommandReader()
  const lines = lineSplitter(line => {
    const r = reader.read(line)
    if (r.kind === 'text') process.stdout.write(`${r.line}\n`)
    if (r.kind !== 'command') return
    const { name: cmd, data } = r.command
    if (cmd === 'group') process.stdout.write(`${paint('1', tty ? `▶ ${data}` : `== ${data}`)}\n`)
    else if (cmd === 'error') process.stdout.write(`${paint('31', `error: ${data}`)}\n`)
    else if (cmd === 'warning') process.stdout.write(`${paint('33', `warning: ${data}`)}\n`)
    else if (cmd === 'debug' && verbose) process.stdout.write(`${paint('2', data)}\n`)
  })
  return lines.write
}

function inputsFromYaml(path: string): Record<string, string> {
  let doc: unknown
  try {
    doc = parse(readFileSync(path, 'utf8'))
  } catch (e: unknown) {
    throw new UsageError(`cannot read ${path}: ${errorMessage(e)}`)
  }
  const obj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
  if (!obj(doc))
    throw new UsageError(`${path} must be a YAML mapping of inputs, or a step with "with:"`)
  const map = obj(doc.with) ? doc.with : doc
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(map))
    out[k] = typeof v === 'string' ? v : v === null ? '' : String(v)
  return out
}

async function stepCommand(args: Parsed): Promise<number> {
  if (args.positional.length > 0)
    throw new UsageError(`step takes no arguments, only options (got "${args.positional[0]}")`)
  const root = projectRoot()
  const action = readActionYaml(join(root, 'action.yml'))
  const inputs = { ...(args.withFile ? inputsFromYaml(args.withFile) : {}), ...args.inputs }
  let env: Record<string, string>
  try {
    env = inputEnv(action, inputs)
  } catch (e: unknown) {
    throw new UsageError(errorMessage(e))
  }
  const verbose = args.flags.has('--verbose')
  const json = args.flags.has('--json')
  const step = new LocalStep({
    bundle: join(root, 'dist', 'index.js'),
    cwd: process.cwd(),
    inputEnv: env,
    env: verbose ? { RUNNER_DEBUG: '1' } : {},
    onOutput: json ? undefined : progressPrinter(verbose)
  })
  // Ctrl-C cancels the main step as a runner cancels a job; the post step still runs.
  const abort = new AbortController()
  const onInt = (): void => abort.abort()
  process.once('SIGINT', onInt)
  try {
    const main = await step.main(abort.signal)
    process.removeListener('SIGINT', onInt)
    if (json) {
      process.stdout.write(
        `${JSON.stringify({ exitCode: main.exitCode, outputs: main.outputs })}\n`
      )
    } else {
      process.stdout.write(`${paint('1', tty ? '▶ outputs' : '== outputs')}\n`)
      for (const [k, v] of Object.entries(main.outputs)) {
        if (k !== 'metadata')
          process.stdout.write(`${k}: ${v.includes('\n') ? v.split('\n').join(', ') : v}\n`)
      }
      process.stdout.write(
        main.exitCode === 0
          ? `${paint('32', 'step succeeded')}\n`
          : `${paint('31', 'step failed')}\n`
      )
    }
    if (args.flags.has('--keep')) {
      if (!json)
        process.stdout.write(
          '--keep: the post step did not run; containers of this step are still there\n'
        )
    } else {
      const post = await step.post()
      if (post.exitCode !== 0 && !json) process.stdout.write(`${paint('33', 'post step failed')}\n`)
    }
    return main.exitCode === 0 ? 0 : 1
  } finally {
    step.remove()
  }
}

async function scriptCommand(args: Parsed): Promise<number> {
  const [file, ...rest] = args.positional
  if (!file) throw new UsageError('script needs a FILE to run')
  if (rest.length > 0) throw new UsageError(`script takes one FILE (got also "${rest[0]}")`)
  if (!existsSync(file)) throw new UsageError(`no such script file: ${file}`)
  const verbose = args.flags.has('--verbose')
  nerdctl.configure({
    logger: {
      debug: m => (verbose ? process.stderr.write(`${m}\n`) : undefined),
      info: m => process.stderr.write(`${m}\n`),
      warning: m => process.stderr.write(`warning: ${m}\n`),
      // Run inside a workflow, a container's lines must not become commands.
      output: t => output(t, process.stderr)
    }
  })
  try {
    // The toolkit (@actions/core and its HTTP stack) loads only for this command.
    const { toolkit } = await import('../script/toolkit.js')
    const result = await runScriptFile(file, {
      nerdctl: { ...nerdctl },
      ...toolkit(),
      inputs: args.inputs
    })
    const text = args.flags.has('--json') ? JSON.stringify(result ?? null) : formatResult(result)
    if (text) process.stdout.write(`${text}\n`)
    return 0
  } catch (e: unknown) {
    process.stderr.write(`${paint('31', e instanceof ScriptError ? e.message : String(e))}\n`)
    return 1
  }
}

export async function cli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${USAGE}\n`)
      return command ? 0 : 2
    }
    if (command === '--version') {
      const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as {
        version: string
      }
      process.stdout.write(`${pkg.version}\n`)
      return 0
    }
    if (command === 'script' || command === 'step') {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(`${command === 'script' ? SCRIPT_USAGE : STEP_USAGE}\n`)
        return 0
      }
      const known =
        command === 'script' ? ['--json', '--verbose'] : ['--json', '--verbose', '--keep']
      const args = parseArgs(rest, known)
      return command === 'script' ? await scriptCommand(args) : await stepCommand(args)
    }
    throw new UsageError(`unknown command "${command}"`)
  } catch (e: unknown) {
    if (e instanceof UsageError) {
      process.stderr.write(`nerdctl-action: ${e.message}\n\n${USAGE}\n`)
      return 2
    }
    process.stderr.write(`nerdctl-action: ${errorMessage(e)}\n`)
    return 1
  }
}

// Run when executed, not when imported by tests.
// (argv[1] may be the symlink a global install puts on PATH.)
if (
  process.argv[1] &&
  realpathSync(resolve(process.argv[1])) === realpathSync(fileURLToPath(import.meta.url))
) {
  cli(process.argv.slice(2)).then(code => {
    process.exitCode = code
  })
}
