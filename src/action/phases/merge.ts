// Merges builds pushed by digest on several runners into one index under
// every tag; the digest output is the index's, as the registry serves it.
import { Output } from '../constants.js'
import { mergeStep } from '../merge.js'
import type { Phase } from './context.js'

export const merge: Phase = async step => {
  if (!step.plan.images.merge) return
  await step.report.phase('merge', async () => {
    const merged = await mergeStep(step)
    if (!merged) return
    step.report.set(Output.Digest, merged.digest)
    const platforms = merged.index.manifests
      .map(m => (m.platform ? `${m.platform.os}/${m.platform.architecture}` : ''))
      .filter(p => p && p !== 'unknown/unknown')
    step.report.note(
      `${merged.references.join(', ')} (${merged.digest.slice(0, 19)}): ${platforms.join(', ')}, ${merged.index.manifests.length} manifests`
    )
  })
}
