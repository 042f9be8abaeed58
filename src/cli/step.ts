// Runs the action's bundle the way the GitHub runner does, outside GitHub:
// INPUT_* from action.yml's defaults under the given inputs, GITHUB_OUTPUT /
// GITHUB_STATE / GITHUB_STEP_SUMMARY files in a scratch directory, the main
// step, then (unless kept) the post step with the saved state as STATE_*.
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process'
import { lchownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { parse } from 'yaml'
import { inputVariable } from '../action/workflow.js'
import { CommandReader, lineSplitter, type WorkflowCommand } from './commands.js'

export interface ActionYaml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
}

export function readActionYaml(path: string): ActionYaml {
  return parse(readFileSync(path, 'utf8')) as ActionYaml
}

/** INPUT_* variables as the runner sets them: defaults, then the given inputs. */
export function inputEnv(
  action: ActionYaml,
  inputs: Record<string, string>
): Record<string, string> {
  const unknown = Object.keys(inputs).filter(k => !(k in action.inputs))
  if (unknown.length > 0) {
    throw new Error(
      `unknown input(s): ${unknown.join(', ')}; see action.yml for the inputs there are`
    )
  }
  const env: Record<string, string> = {}
  for (const [name, spec] of Object.entries(action.inputs)) {
    env[inputVariable(name)] = inputs[name] ?? spec.default ?? ''
  }
  return env
}

/** Reads a file the runner's file commands wrote (`name<<delimiter` blocks or `name=value`). */
export function readFileCommands(path: string): Record<string, string> {
  const out: Record<string, string> = {}
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return out
  }
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const m = /^([^=<]+)<<(.+)$/.exec(line)
    if (m) {
      const delim = m[2] as string
      const value: string[] = []
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i] as string)
      out[m[1] as string] = value.join('\n')
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return out
}

export interface PhaseRun {
  exitCode: number
  /** Everything the step printed (stdout and stderr, in order). */
  log: string
  /** Outputs as the runner would have them: `set-output` lines it obeyed, then GITHUB_OUTPUT. */
  outputs: Record<string, string>
  /** State likewise: `save-state` lines it obeyed, then GITHUB_STATE. */
  state: Record<string, string>
  summary: string
  ms: number
  /** Every workflow command in the output the runner would have obeyed, in order. */
  commands: WorkflowCommand[]
  /** Values `add-mask` commands it obeyed asked to hide. */
  masks: string[]
}

export interface StepOptions {
  /** The bundle to run (dist/index.js). */
  bundle: string
  /** Working directory of the step (GITHUB_WORKSPACE); default the step's scratch directory. */
  cwd?: string
  /** INPUT_* variables (see inputEnv). */
  inputEnv: Record<string, string>
  env?: Record<string, string>
  /** Called with each chunk the step prints, as it prints it. */
  onOutput?: (chunk: string) => void
  /** The node binary to run the bundle with; default `stepNode()`. */
  node?: string
  /**
   * Run the step as this ordinary user (through `runuser`; the caller is root),
   * as a runner whose user is not root runs it, optionally with this umask
   * (octal, e.g. 027). The step's directory and its runner files are handed
   * to that user; nothing the step writes is touched.
   */
  asUser?: { name: string; umask?: string }
}

/**
 * The variable naming the node binary that runs the bundle. The runner runs
 * it with the Node that action.yml declares (node24), which may differ from
 * the one running this code; tests set it to that Node (scripts/node24.sh).
 */
export const STEP_NODE_ENV = 'NERDCTL_ACTION_NODE'

/** The node binary a step runs with: $NERDCTL_ACTION_NODE, else this process's own. */
export function stepNode(env: NodeJS.ProcessEnv = process.env): string {
  return env[STEP_NODE_ENV] || process.execPath
}

/** The numeric user and group IDs of a user name. */
function idsOf(name: string): [number, number] {
  const id = (flag: string): number =>
    Number(execFileSync('id', [flag, '--', name], { encoding: 'utf8' }).trim())
  return [id('-u'), id('-g')]
}

/** One main-then-post run of the action; `post()` may be skipped to keep its containers. */
export class LocalStep {
  readonly dir = mkdtempSync(join(tmpdir(), 'nerdctl-action-step-'))

  constructor(private readonly options: StepOptions) {}

  private files(phase: 'main' | 'post'): { output: string; state: string; summary: string } {
    const f = {
      output: join(this.dir, `${phase}-output`),
      state: join(this.dir, `${phase}-state`),
      summary: join(this.dir, `${phase}-summary`)
    }
    for (const p of Object.values(f)) writeFileSync(p, '', { flag: 'a' })
    const user = this.options.asUser
    if (user) {
      // The runner's own files are its user's: hand over the directory and
      // these (not -R: what the step wrote there must show who wrote it).
      const [uid, gid] = idsOf(user.name)
      for (const p of [this.dir, ...Object.values(f)]) lchownSync(p, uid, gid)
    }
    return f
  }

  /** The program and arguments that start the bundle: node, or node as the step's user. */
  private command(): [string, string[]] {
    const node = this.options.node ?? stepNode()
    const user = this.options.asUser
    if (!user) return [node, [this.options.bundle]]
    // runuser keeps the environment as it is (INPUT_* names with "-" in them
    // included, which a shell would drop) and the umask it was started with.
    return ['runuser', ['-u', user.name, '--', node, this.options.bundle]]
  }

  /** Starts the step's process; with `asUser.umask`, under that umask (children inherit it). */
  private start(
    env: NodeJS.ProcessEnv,
    cwd: string
  ): ChildProcessByStdio<null, Readable, Readable> {
    const [file, args] = this.command()
    const umask = this.options.asUser?.umask
    if (umask !== undefined && !/^[0-7]{3,4}$/.test(umask))
      throw new Error(`umask ${umask} is not octal`)
    const saved = umask === undefined ? undefined : process.umask(parseInt(umask, 8))
    try {
      return spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    } finally {
      if (saved !== undefined) process.umask(saved)
    }
  }

  private run(
    phase: 'main' | 'post',
    stateEnv: Record<string, string>,
    signal?: AbortSignal
  ): Promise<PhaseRun> {
    const f = this.files(phase)
    const t0 = Date.now()
    const cwd = this.options.cwd ?? this.dir
    return new Promise((resolve, reject) => {
      const child = this.start(
        {
          ...process.env,
          GITHUB_WORKSPACE: cwd,
          RUNNER_TEMP: this.dir,
          ...this.options.env,
          ...this.options.inputEnv,
          ...stateEnv,
          GITHUB_OUTPUT: f.output,
          GITHUB_STATE: f.state,
          GITHUB_STEP_SUMMARY: f.summary
        },
        cwd
      )
      let log = ''
      // The runner reads commands in both streams, with one stop-commands state.
      const reader = new CommandReader()
      const commands: WorkflowCommand[] = []
      const onLine = (line: string): void => {
        const r = reader.read(line)
        if (r.kind === 'command') commands.push(r.command)
      }
      const streams = [child.stdout, child.stderr].map(stream => {
        const decoder = new StringDecoder('utf8')
        const lines = lineSplitter(onLine)
        stream.on('data', (c: Buffer) => {
          const s = decoder.write(c)
          log += s
          lines.write(s)
          this.options.onOutput?.(s)
        })
        return { decoder, lines }
      })
      const drain = (): void => {
        for (const { decoder, lines } of streams) {
          const rest = decoder.end()
          log += rest
          lines.write(rest)
          lines.end()
        }
      }
      // Cancelling is what the runner does to a cancelled job: SIGINT to the step.
      const cancel = (): void => void child.kill('SIGINT')
      signal?.addEventListener('abort', cancel, { once: true })
      child.on('close', () => signal?.removeEventListener('abort', cancel))
      child.on('error', reject)
      child.on('close', code => {
        drain()
        const named = (name: string): Record<string, string> =>
          Object.fromEntries(
            commands
              .filter(c => c.name === name && c.properties.name !== undefined)
              .map(c => [c.properties.name as string, c.data])
          )
        resolve({
          exitCode: code ?? 1,
          log,
          outputs: { ...named('set-output'), ...readFileCommands(f.output) },
          state: { ...named('save-state'), ...readFileCommands(f.state) },
          summary: readFileSync(f.summary, 'utf8'),
          ms: Date.now() - t0,
          commands,
          masks: commands.filter(c => c.name === 'add-mask').map(c => c.data)
        })
      })
    })
  }

  /** The main step; aborting `signal` sends it SIGINT, as a cancelled job does. */
  main(signal?: AbortSignal): Promise<PhaseRun> {
    return this.run('main', {}, signal)
  }

  /** The post step with the state the main step saved, minus `drop`. */
  post(drop: readonly string[] = []): Promise<PhaseRun> {
    const state = readFileCommands(join(this.dir, 'main-state'))
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(state)) if (!drop.includes(k)) env[`STATE_${k}`] = v
    return this.run('post', env)
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
