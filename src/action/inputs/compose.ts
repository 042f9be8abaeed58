// The compose-* inputs: which Compose files, the project name (by default one
// unique to the job and step, so two jobs with one file never collide), the
// profiles, the services to bring up, the env file, whether to build, and
// whether the single container joins the project's network. Paths are
// checked against the host-path policy here; the files themselves are read
// by compose-go in the compose phase, before anything starts.
import {
  checkComposeProfile,
  checkComposeProject,
  checkServiceKey,
  randomHex
} from '../../nerdctl/index.js'
import { Input } from '../constants.js'
import type { HostPaths } from '../host-paths.js'
import type { ComposeInputs, RunPlan } from './plan.js'
import { InputError, asInput, type Reader } from './reader.js'

/** A project name unique to this job and step: lower case, as Compose wants it. */
function defaultProject(): string {
  const run = (process.env.GITHUB_RUN_ID ?? 'local').replace(/[^0-9a-z]/gi, '').toLowerCase()
  return `nerdctl-action-${run || 'local'}-${randomHex(4)}`
}

export function readCompose(
  r: Reader,
  paths: HostPaths,
  run: RunPlan | undefined
): ComposeInputs | undefined {
  const files = r.lines(Input.ComposeFile)
  if (files.length === 0) {
    r.refuseIfSet(
      'is a Compose option, but "compose-file" is not set: set "compose-file"',
      [Input.ComposeProject, Input.ComposeProfiles, Input.ComposeServices, Input.ComposeEnvFile],
      [
        [Input.ComposeBuild, false],
        [Input.ComposeJoin, false]
      ]
    )
    return undefined
  }
  const project = r.optional(Input.ComposeProject)
  if (project !== undefined) asInput(Input.ComposeProject, () => checkComposeProject(project))
  const profiles = r.csv(Input.ComposeProfiles)
  for (const p of profiles) asInput(Input.ComposeProfiles, () => checkComposeProfile(p))
  const services = r.csv(Input.ComposeServices)
  for (const s of services) asInput(Input.ComposeServices, () => checkServiceKey(s, 'services'))
  const envFile = r.optional(Input.ComposeEnvFile)
  const join = r.bool(Input.ComposeJoin, false)
  const name = project ?? defaultProject()
  if (join) {
    if (!run)
      throw new InputError(
        Input.ComposeJoin,
        'is true, but the step starts no container: set "image" or "run" too, or remove compose-join'
      )
    if (run.spec.network !== undefined)
      throw new InputError(
        Input.ComposeJoin,
        `is true, but "network" is set too (${run.spec.network}): a container joins the Compose network or the one named, not both`
      )
    // compose config names the default network <project>_default; the phase checks it did.
    run.spec.network = `${name}_default`
  }
  return {
    files: files.map(f => paths.check(Input.ComposeFile, f, 'read')),
    project: name,
    profiles,
    services,
    envFile: envFile === undefined ? undefined : paths.check(Input.ComposeEnvFile, envFile, 'read'),
    build: r.bool(Input.ComposeBuild, false),
    join,
    checkBind: (source, readOnly) =>
      paths.check(Input.ComposeFile, source, readOnly ? 'mount-ro' : 'mount')
  }
}
