// The after-start section: what the step does with its container once it is
// up (wait until ready for clients, or healthy, exec, copy, commit, export, sample its resource use). All of it needs a
// started container, and a detached one, except copy, commit and export,
// which work on an exited container too.
import { checkImageReference, isContainerSide, splitContainerPath } from '../../nerdctl/index.js'
import { Input } from '../constants.js'
import type { AfterStartPlan, CopySpec, RunPlan } from './plan.js'
import { InputError, asInput, show, type Reader } from './reader.js'
import { NEEDS_CONTAINER } from './run.js'
import type { HostPaths } from '../host-paths.js'

const DEFAULT_WAIT_TIMEOUT_MS = 120_000

/** A new object each time: the plan is handed to user scripts, which may change it. */
function nothingAfterStart(): AfterStartPlan {
  return {
    wait: false,
    waitForClients: true,
    waitTimeoutMs: DEFAULT_WAIT_TIMEOUT_MS,
    exec: [],
    copy: [],
    commit: undefined,
    export: undefined,
    stats: false
  }
}

const COPY_LINE = /^(.+?)\s+->\s+(.+)$/
function parseCopy(line: string): CopySpec {
  const m = COPY_LINE.exec(line)
  if (!m) {
    throw new InputError(
      Input.Copy,
      `line ${show(line)} is not "SOURCE -> DEST": write ":/path/in/container -> path/on/runner" or "path/on/runner -> :/path/in/container"`
    )
  }
  const [from, to] = [(m[1] as string).trim(), (m[2] as string).trim()]
  const fromC = isContainerSide(from)
  const toC = isContainerSide(to)
  if (fromC === toC) {
    throw new InputError(
      Input.Copy,
      `line ${show(line)} needs exactly one container side, written ":/path" (this step's container) or "name:/path"`
    )
  }
  return { from, to, containerSide: fromC ? 'from' : 'to' }
}

/**
 * Which of the step's containers a copy side names: '' for ":/path" (the
 * step's container), else the name before the colon. Undefined for a runner path.
 */
export function copyContainerOf(side: string): string | undefined {
  if (side.startsWith(':/')) return ''
  return isContainerSide(side) ? splitContainerPath(side)?.container : undefined
}

/**
 * A copy may name only the step's own containers: its container (":/path",
 * or its name) or one of its services (by key). Any other name could be
 * another job's container on a shared runner, which the step must never read
 * from or write to.
 */
export function checkCopyContainers(
  copy: readonly CopySpec[],
  runName: string | undefined,
  serviceKeys: readonly string[]
): void {
  for (const c of copy) {
    const side = c.containerSide === 'from' ? c.from : c.to
    const name = copyContainerOf(side)
    if (name === undefined || name === '' || name === runName || serviceKeys.includes(name))
      continue
    throw new InputError(
      Input.Copy,
      `${show(side)} names container ${show(name)}, which this step does not start: ` +
        `write ":/path" for the step's container${serviceKeys.length > 0 ? ` or a service key (${serviceKeys.join(', ')})` : ''}; ` +
        'a copy never touches a container of another step or job'
    )
  }
}

/** Whether to wait for health: by default, whenever there is a health check to pass. */
function readWait(r: Reader, spec: RunPlan['spec']): boolean {
  // Waiting needs a running container: a foreground run has exited by then.
  const wait = r.bool(Input.Wait, spec.healthCheck !== undefined && spec.detach !== false)
  if (wait && !spec.healthCheck) {
    throw new InputError(
      Input.Wait,
      `is ${r.text(Input.Wait)} but "health-cmd" is not set: a container without a health check can never become healthy`
    )
  }
  return wait
}

/** The runner side of a copy, checked where it leads and made absolute. */
function checkCopyPaths(c: CopySpec, paths: HostPaths): CopySpec {
  return c.containerSide === 'from'
    ? { ...c, to: paths.check(Input.Copy, c.to, 'write') }
    : { ...c, from: paths.check(Input.Copy, c.from, 'read') }
}

export function readAfterStart(
  r: Reader,
  run: RunPlan | undefined,
  paths: HostPaths
): AfterStartPlan {
  if (!run) {
    r.refuseIfSet(
      NEEDS_CONTAINER,
      [Input.Exec, Input.Copy, Input.Commit, Input.Export],
      [
        [Input.Wait, false],
        [Input.WaitForClients, true],
        [Input.Stats, false]
      ]
    )
    return nothingAfterStart()
  }
  const wait = readWait(r, run.spec)
  const exec = r.lines(Input.Exec)
  const stats = r.bool(Input.Stats, false)
  const needsRunning = wait ? Input.Wait : exec.length > 0 ? Input.Exec : stats ? Input.Stats : ''
  if (run.spec.detach === false && needsRunning) {
    throw new InputError(
      Input.Detach,
      `is false, so the container has exited before "${needsRunning}" could run: keep detach true`
    )
  }
  return {
    wait,
    waitForClients: r.bool(Input.WaitForClients, true),
    waitTimeoutMs: r.duration(Input.WaitTimeout) ?? DEFAULT_WAIT_TIMEOUT_MS,
    exec,
    copy: r
      .lines(Input.Copy)
      .map(parseCopy)
      .map(c => checkCopyPaths(c, paths)),
    commit: commitImage(r),
    export: exportPath(r, paths),
    stats
  }
}

function exportPath(r: Reader, paths: HostPaths): string | undefined {
  const path = r.optional(Input.Export)
  return path && paths.check(Input.Export, path, 'write')
}

/** The image name to commit the container to, checked before anything runs. */
function commitImage(r: Reader): string | undefined {
  const image = r.optional(Input.Commit)
  if (image) asInput(Input.Commit, () => checkImageReference(image, 'image name', 'commit'))
  return image
}
