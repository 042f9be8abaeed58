// Two phases around the registry: `verify` (after the logins, before any
// pull, build or container) checks cosign and verifies every image the step
// takes from a registry, pinning each to the digest verified; `sign` (right
// after the push) signs every pushed tag by the digest the push reported.
import { Output } from '../constants.js'
import { pinVerified, registryImages, signPushed, signingPreflight } from '../signing.js'
import type { Phase } from './context.js'

export const verify: Phase = async step => {
  const { sign, verify: spec } = step.plan.signing
  if (!sign && !spec) return
  // cosign missing, or keyless without the job's token: fail before any push.
  signingPreflight(step)
  const refs = spec ? registryImages(step) : []
  if (refs.length === 0) return
  await step.report.phase('verify', async () => {
    const pinned = await pinVerified(step, refs)
    step.report.note(pinned.join(', '))
  })
}

export const sign: Phase = async step => {
  // A merge signs its index itself (phases/merge.ts).
  if (!step.plan.signing.sign || !step.plan.images.push || step.plan.images.merge) return
  await step.report.phase('sign', async () => {
    const digest = step.report.outputs[Output.Digest]
    if (typeof digest !== 'string' || !digest)
      throw new Error(
        'the push reported no digest, so there is nothing to sign by: nothing was signed'
      )
    const signed = await signPushed(step, { refs: step.plan.images.tags, digest })
    step.report.note(`${signed.length} tag(s) signed by ${digest.slice(0, 19)}`)
  })
}
