// Builds the image under every tag; its ID, digest and buildx-style metadata
// become outputs. BuildKit's plain progress streams into the log group as it
// comes. An output that is not an image (type=local, type=tar) leaves no ID;
// one BuildKit pushes itself (type=registry) has its digest as ID and digest.
import { exporterOf, imageBuild } from '../../nerdctl/index.js'
import { Output } from '../constants.js'
import { streamed, type Phase } from './context.js'

export const build: Phase = async step => {
  const { build: b, tags } = step.plan.images
  if (!b) return
  const [first = '', ...more] = tags
  await step.report.phase('build', async () => {
    const result = await imageBuild(first, b.context, {
      ...streamed(step),
      file: b.file,
      tags: more,
      buildArgs: b.buildArgs,
      labels: b.labels,
      target: b.target,
      platforms: b.platforms,
      noCache: b.noCache,
      pull: b.pull,
      cacheFrom: b.cacheFrom,
      cacheTo: b.cacheTo,
      secrets: b.secrets,
      ssh: b.ssh,
      allow: b.allow,
      attest: b.attest,
      sbom: b.sbom,
      provenance: b.provenance,
      annotations: b.annotations,
      output: b.output,
      buildContexts: b.buildContexts,
      network: b.network,
      addHosts: b.addHosts
    })
    // How much came from the cache, as BuildKit said it (`#N CACHED`).
    const cached = result.steps.filter(s => s.cached).length
    step.report.buildMetadata({ cache: { steps: result.steps.length, cached } })
    if (result.steps.length > 0) step.report.note(`${cached}/${result.steps.length} steps cached`)
    if (!result.imageId) {
      step.report.note(`output ${b.output ?? ''}`)
      return
    }
    step.report.set(Output.ImageId, result.imageId)
    if (result.metadata) step.report.buildMetadata(result.metadata)
    if (!exporterOf({ output: b.output }).storesImage) {
      // BuildKit pushed it itself (type=registry): what it reports is what the registry holds.
      step.report.set(Output.Digest, result.imageId)
      step.report.note(`${tags.join(', ')} pushed by BuildKit (${result.imageId.slice(0, 19)})`)
      return
    }
    // The image's target descriptor, read once for the metadata, is what
    // `nerdctl images` would list as its digest: no second call for it.
    const digest = result.metadata?.['containerimage.digest']
    if (digest) step.report.set(Output.Digest, digest)
    step.report.note(`${tags.join(', ')} (${result.imageId.slice(0, 19)})`)
  })
}
