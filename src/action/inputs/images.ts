// The images section: what to build (only when "context" is set), the tags
// that name it, and whether to push and save them.
import { Input } from '../constants.js'
import type { BuildPlan, ImagesPlan } from './plan.js'
import { checkImageReference } from '../../nerdctl/index.js'
import { InputError, asInput, type Reader } from './reader.js'

/** Build options, which mean nothing without "context". */
const BUILD_ONLY = [Input.File, Input.BuildArgs, Input.Labels, Input.Target, Input.Platforms]

function readBuild(r: Reader, context: string): BuildPlan {
  return {
    context,
    file: r.optional(Input.File),
    buildArgs: r.pairs(Input.BuildArgs),
    labels: r.pairs(Input.Labels),
    target: r.optional(Input.Target),
    platforms: r.csv(Input.Platforms),
    noCache: r.bool(Input.NoCache, false)
  }
}

export function readImages(r: Reader): ImagesPlan {
  const tags = r.csv(Input.Tags)
  for (const t of tags) asInput(Input.Tags, () => checkImageReference(t, 'tag', 'tags'))
  const context = r.optional(Input.Context)
  const build = context ? readBuild(r, context) : undefined
  if (!build) {
    r.refuseIfSet(
      'is a build option, but "context" is not set: set "context" to build',
      BUILD_ONLY,
      [[Input.NoCache, false]]
    )
  } else if (tags.length === 0) {
    throw new InputError(
      Input.Tags,
      `"context" is set but no tags are: name the image, e.g. "127.0.0.1:5000/app:1.0"`
    )
  }
  const push = r.bool(Input.Push, false)
  if (push && tags.length === 0)
    throw new InputError(
      Input.Push,
      'is true but "tags" is empty: list the images to push in "tags"'
    )
  const save = r.optional(Input.Save)
  if (save && tags.length === 0)
    throw new InputError(
      Input.Save,
      'is set but "tags" is empty: list the images to save in "tags"'
    )
  return { tags, build, push, save }
}
