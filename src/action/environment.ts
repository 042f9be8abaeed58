// What a test (or the local step runner) may put under the step in place of
// the real world: main and post take it and hand it to the nerdctl client.
import type { Runner } from '../nerdctl/index.js'

export interface StepEnvironment {
  /** Runs the processes of the step's nerdctl calls; default real processes. */
  runner?: Runner
  /**
   * Finds the program the `nerdctl` input names, to an absolute path, once at
   * start. Default: a lookup on PATH when processes are real; with a
   * substituted runner, which starts no real program, the name as given.
   */
  findProgram?: (name: string) => string | undefined
  /**
   * The state directory of the runner user's rootless containerd, undefined
   * when there is none (see rootless.ts). Default: found as nerdctl finds it.
   */
  rootlessStateDir?: () => string | undefined
}
