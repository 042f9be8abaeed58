// Builds the image under every tag; its ID, buildx-style metadata and, when the
// step pushes nothing, its digest become outputs (a push sets the digest). BuildKit's plain progress streams into the log group as it
// comes. An output that is not an image (type=local, type=tar) leaves no ID;
// one BuildKit pushes itself (type=registry) has its digest as ID and digest.
import * as core from '../workflow.js'
import {
  buildMetadata,
  errorMessage,
  exporterOf,
  imageBuild,
  repositoryOf
} from '../../nerdctl/index.js'
import { writeDigestsFile } from '../merge.js'
import { Output } from '../constants.js'
import { streamed, type Phase } from './context.js'

export const build: Phase = async step => {
  const { build: b, tags } = step.plan.images
  if (!b) return
  // Pushed by digest, the image has no tag: nerdctl would name the push after one.
  const [first = '', ...more] = step.plan.images.pushByDigest ? [] : tags
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
      addHosts: b.addHosts,
      // Read below, alongside the phases that follow.
      readMetadata: false
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
    if (step.plan.images.pushByDigest) {
      // BuildKit pushed it by digest: what it reports is what the registry holds.
      step.report.set(Output.Digest, result.imageId)
      const repository = repositoryOf(tags[0] as string)
      const path = writeDigestsFile({
        repository,
        digest: result.imageId,
        platform: b.platforms[0] as string
      })
      step.report.set(Output.DigestsFile, path)
      step.report.note(`${repository}@${result.imageId} pushed by digest (${path})`)
      return
    }
    if (!exporterOf({ output: b.output }).storesImage) {
      // BuildKit pushed it itself (type=registry): what it reports is what the registry holds.
      step.report.set(Output.Digest, result.imageId)
      step.report.note(`${tags.join(', ')} pushed by BuildKit (${result.imageId.slice(0, 19)})`)
      return
    }
    step.report.note(`${tags.join(', ')} (${result.imageId.slice(0, 19)})`)
    // The image's descriptor (buildx's metadata; its digest is what `nerdctl
    // images` lists) is read alongside the phases that follow, which do not
    // need it: one nerdctl call off the step's critical path.
    step.background.push(
      buildMetadata(tags, { ...step.call, stream: false }).then(
        metadata => {
          if (!metadata) return
          step.report.buildMetadata(metadata)
          // Without a push, the digest is the image's own in the store (its
          // manifest, or its index with several platforms or attestations).
          // With one, it is the push's to set: a push of one platform can
          // rewrite an index, and a failed push leaves no digest at all.
          const digest = metadata['containerimage.digest']
          if (digest && !step.plan.images.push) step.report.set(Output.Digest, digest)
        },
        (e: unknown) =>
          core.warning(`could not read the digest and metadata of ${first}: ${errorMessage(e)}`)
      )
    )
  })
}
