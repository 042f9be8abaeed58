// The named volumes a step's containers mount: the step creates each one that
// does not exist yet itself, with its owner label and job marker, because
// nerdctl would create it at `run` without labels and it would outlive the
// job. A volume that exists already (another job's, one made by hand) is used
// as it is and never relabelled or removed.
import * as core from './workflow.js'
import { namedVolumeOf, volumeCreate, volumeInspect, type CallOptions } from '../nerdctl/index.js'
import { OWNER_LABEL } from './constants.js'
import type { StepState } from './state.js'

/** The distinct named volumes of `volumes` entries (no host path, no anonymous volume). */
export function namedVolumes(entries: readonly string[]): string[] {
  return [...new Set(entries.map(namedVolumeOf).filter((n): n is string => n !== undefined))]
}

/**
 * Creates the missing ones, labelled; returns those this step owns. Two jobs
 * creating one name at once both succeed (nerdctl keeps the first one's
 * labels), so only the one whose token is on the volume afterwards owns it.
 * With cleanup false nothing is made here: what the step uses is kept anyway.
 */
export async function prepareVolumes(
  entries: readonly string[],
  step: { state: StepState; call: CallOptions; plan: { behaviour: { cleanup: boolean } } }
): Promise<string[]> {
  const names = namedVolumes(entries)
  if (names.length === 0 || !step.plan.behaviour.cleanup) return []
  const { state, call } = step
  // The client's owner label is the step's token.
  const token = call.client?.options.labels?.find(([k]) => k === OWNER_LABEL)?.[1]
  if (token === undefined) return []
  const owned: string[] = []
  for (const name of names) {
    if (await volumeInspect(name, call)) {
      core.info(`volume ${name} exists already: used as it is, and kept`)
      continue
    }
    // Saved before it exists: the post step then looks for the step's volumes after any crash.
    state.recordVolume(name)
    await volumeCreate(name, call)
    const made = await volumeInspect(name, call)
    if (made?.labels[OWNER_LABEL] === token) {
      owned.push(name)
      core.info(`created volume ${name}`)
    } else
      core.info(`volume ${name} was created by someone else meanwhile: used as it is, and kept`)
  }
  return owned
}
