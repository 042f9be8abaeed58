// The bundled action run as the runner runs it, through the same local step
// runner the `nerdctl-action step` command uses.
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalStep, type PhaseRun, type StepOptions } from '../../src/cli/step.js'
import { ROOT, inputEnv } from '../helpers/action-defaults.js'

/** A phase's result, with its log under the name the tests read. */
export type StepRun = PhaseRun & { stdout: string }

export class ActionStep {
  private readonly step: LocalStep

  constructor(
    inputs: Record<string, string>,
    env: Record<string, string> = {},
    how: Partial<Pick<StepOptions, 'asUser' | 'node' | 'bundle' | 'onOutput'>> = {}
  ) {
    this.step = new LocalStep({
      ...how,
      bundle: how.bundle ?? join(ROOT, 'dist', 'index.js'),
      // The tests' build contexts, keys and outputs are in the system's
      // temporary directory, which they allow as a workflow author would
      // (shared-paths.itg.test.ts gives its own host-paths).
      inputEnv: inputEnv({ 'host-paths': tmpdir(), ...inputs }),
      env: { GITHUB_RUN_ID: '4242', ...env }
    })
  }

  get dir(): string {
    return this.step.dir
  }

  async main(signal?: AbortSignal): Promise<StepRun> {
    const r = await this.step.main(signal)
    return { ...r, stdout: r.log }
  }

  async post(drop: string[] = []): Promise<StepRun> {
    const r = await this.step.post(drop)
    return { ...r, stdout: r.log }
  }

  remove(): void {
    this.step.remove()
  }
}
