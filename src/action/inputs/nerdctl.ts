// The nerdctl section: which binary, containerd and BuildKit every call of the
// step talks to, and how long one call may take.
import { Input } from '../constants.js'
import type { NerdctlPlan } from './plan.js'
import { checkRegistryHost } from '../../nerdctl/index.js'
import { InputError, asInput, show, type Reader } from './reader.js'

export function readNerdctl(r: Reader): NerdctlPlan {
  // Unset: control calls are bounded by the library's default, long work
  // (builds, pushes) by the job, as with docker/build-push-action.
  const timeoutMs = r.duration(Input.Timeout)
  const insecure = r.csv(Input.InsecureRegistries)
  for (const host of insecure)
    asInput(Input.InsecureRegistries, () => checkRegistryHost(host, 'insecure registry'))
  const binary = r.optional(Input.Nerdctl) ?? 'nerdctl'
  // The binary is the file run (after sudo's own options, when sudo is on).
  if (binary.startsWith('-'))
    throw new InputError(
      Input.Nerdctl,
      `${show(binary)} is not a program: give nerdctl's name on PATH or its path, e.g. /usr/local/bin/nerdctl`
    )
  return {
    binary,
    namespace: r.optional(Input.Namespace),
    address: r.optional(Input.Address),
    snapshotter: r.optional(Input.Snapshotter),
    buildkitHost: r.optional(Input.BuildkitHost),
    insecureRegistries: insecure.length > 0 ? insecure : undefined,
    sudo: r.bool(Input.Sudo, false),
    timeoutMs
  }
}
