// Runs the bundled action as the GitHub runner does: `node dist/index.js` with
// INPUT_* variables (action.yml defaults under the given `with:`), and
// GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files; then the post step
// with the saved state as STATE_* variables.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, inputEnv } from '../helpers/action-defaults.js'

export interface StepRun {
  exitCode: number
  stdout: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  ms: number
}

/** Reads a file written with the runner's `name<<delimiter` file-command format. */
export function readFileCommands(path: string): Record<string, string> {
  const out: Record<string, string> = {}
  let text = ''
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return out
  }
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^=<]+)<<(.+)$/.exec(lines[i] as string)
    if (m) {
      const [, name, delim] = m as unknown as [string, string, string]
      const value: string[] = []
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i] as string)
      out[name] = value.join('\n')
    } else if ((lines[i] as string).includes('=')) {
      const line = lines[i] as string
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return out
}

function runNode(
  env: Record<string, string>,
  cwd: string
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'index.js')], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stdout += c.toString()))
    child.on('error', reject)
    child.on('close', code => resolve({ code: code ?? -1, stdout }))
  })
}

export class ActionStep {
  readonly dir = mkdtempSync(join(tmpdir(), 'nerdctl-action-step-'))
  private readonly files = {
    output: join(this.dir, 'output'),
    state: join(this.dir, 'state'),
    summary: join(this.dir, 'summary'),
    postOutput: join(this.dir, 'post-output'),
    postState: join(this.dir, 'post-state'),
    postSummary: join(this.dir, 'post-summary')
  }

  constructor(
    private readonly inputs: Record<string, string>,
    private readonly extraEnv: Record<string, string> = {}
  ) {
    for (const f of Object.values(this.files)) writeFileSync(f, '')
  }

  private env(output: string, state: string, summary: string): Record<string, string> {
    return {
      ...inputEnv(this.inputs),
      GITHUB_OUTPUT: output,
      GITHUB_STATE: state,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_RUN_ID: '4242',
      GITHUB_WORKSPACE: this.dir,
      RUNNER_TEMP: this.dir,
      ...this.extraEnv
    }
  }

  async main(): Promise<StepRun> {
    const t0 = Date.now()
    const r = await runNode(
      this.env(this.files.output, this.files.state, this.files.summary),
      this.dir
    )
    return {
      exitCode: r.code,
      stdout: r.stdout,
      outputs: readFileCommands(this.files.output),
      state: readFileCommands(this.files.state),
      summary: readFileSync(this.files.summary, 'utf8'),
      ms: Date.now() - t0
    }
  }

  /** The post step, with the state the main step saved (minus `drop`). */
  async post(drop: string[] = []): Promise<StepRun> {
    const state = readFileCommands(this.files.state)
    const stateEnv: Record<string, string> = {}
    for (const [k, v] of Object.entries(state)) if (!drop.includes(k)) stateEnv[`STATE_${k}`] = v
    const t0 = Date.now()
    const r = await runNode(
      {
        ...this.env(this.files.postOutput, this.files.postState, this.files.postSummary),
        ...stateEnv
      },
      this.dir
    )
    return {
      exitCode: r.code,
      stdout: r.stdout,
      outputs: readFileCommands(this.files.postOutput),
      state: readFileCommands(this.files.postState),
      summary: readFileSync(this.files.postSummary, 'utf8'),
      ms: Date.now() - t0
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
