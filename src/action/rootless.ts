// Rootless runners: the runner's user is not root and has its own containerd
// in rootlesskit (nerdctl's containerd-rootless.sh, or the administrator's
// own). Told apart once per step, before anything is created, from what
// nerdctl itself reads (the user, ROOTLESSKIT_STATE_DIR or XDG_RUNTIME_DIR's
// containerd-rootless/child_pid): a few stat calls, no nerdctl call. Then
// what cannot work rootless on this host is refused naming its input, and the
// client is told it is rootless (readiness then goes through published ports).
import * as core from './workflow.js'
import { Input } from './constants.js'
import { copyContainerOf, type CopySpec, type Inputs } from './inputs/index.js'
import { InputError } from './inputs/reader.js'
import {
  Nerdctl,
  rootlessHostFacts,
  rootlessProblems,
  rootlessStateDir,
  rootlessStatsProblem,
  type ContainerSpec,
  type RootlessHostFacts,
  type RootlessProblem
} from '../nerdctl/index.js'

/** The input a problem of the run container is about. */
function runInputOf(spec: ContainerSpec, problem: RootlessProblem): string {
  if (problem.topic === 'ports') return Input.Ports
  if (spec.memoryLimit) return Input.Memory
  if (spec.cpuLimit) return Input.Cpus
  if (spec.memorySwapLimit) return Input.MemorySwap
  return Input.CpuShares
}

/** Refuses what a rootless nerdctl cannot do on this host, naming the input. */
export function checkRootlessPlan(plan: Inputs, stateDir: string, facts: RootlessHostFacts): void {
  if (plan.nerdctl.sudo)
    throw new InputError(
      Input.Sudo,
      `is true, but this runner's containerd is rootless (${stateDir}): nerdctl must run as the runner's user, ` +
        'and through sudo it would run as root against a root containerd this runner does not have. Remove "sudo: true".'
    )
  const stats = plan.afterStart.stats ? rootlessStatsProblem(facts) : undefined
  if (stats) throw new InputError(Input.Stats, `is true, but ${stats}`)
  const run = plan.run?.spec
  const ofRun = (c: CopySpec): boolean => {
    const name = copyContainerOf(c.containerSide === 'from' ? c.from : c.to)
    return name === '' || name === run?.name
  }
  if (run?.detach === false && plan.afterStart.copy.some(ofRun))
    throw new InputError(
      Input.Copy,
      'copies to or from the step\'s container, which has stopped by then ("detach: false"), and nerdctl runs ' +
        `rootless here (${stateDir}): rootless nerdctl cannot use cp with a stopped container. Keep the container ` +
        'running (detach: true with a command that stays up), or copy in a later step while it runs.'
    )
  if (run) {
    const [first] = rootlessProblems(run, undefined, facts)
    if (first) throw new InputError(runInputOf(run, first), first.message)
  }
  for (const [key, def] of Object.entries(plan.services.services)) {
    const [first] = rootlessProblems(
      { ...def.spec.container, name: key },
      def.spec.readiness,
      facts
    )
    if (first) throw new InputError(Input.Services, `service "${key}": ${first.message}`)
  }
}

/**
 * The plan for this runner: unchanged when nerdctl runs as root or through
 * sudo on a runner without a rootless containerd; rootless otherwise, after
 * the checks. `stateDir` finds the rootless containerd (tests replace it).
 */
export function rootlessPlan(
  plan: Inputs,
  stateDir: () => string | undefined = rootlessStateDir
): Inputs {
  const dir = stateDir()
  if (dir === undefined) return plan
  const nerdctl = { ...plan.nerdctl, rootless: true }
  checkRootlessPlan(plan, dir, rootlessHostFacts(new Nerdctl(nerdctl)))
  core.info(`nerdctl: rootless (rootlesskit state ${dir})`)
  return { ...plan, nerdctl }
}
