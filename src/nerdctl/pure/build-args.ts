// Pure: a build spec in, the exact `nerdctl build` argv out (the table tests
// check it), so every build option can be proven without BuildKit.
import { NerdctlError } from '../base/errors.js'
import type { BuildSpec } from '../base/types.js'
import { checkImageReference, hostPathArg } from './validate.js'

/** The `nerdctl build` argv; the image ID is written to `iidFile`. */
export function buildArgs(
  tag: string,
  contextPath: string,
  options: BuildSpec,
  iidFile: string,
  buildkitHost?: string
): string[] {
  const tags = [tag, ...(options.tags ?? [])].filter(t => t)
  if (tags.length === 0)
    throw new NerdctlError('Other', 'build needs at least one tag, e.g. "127.0.0.1:5000/app:1.0"')
  for (const t of tags) checkImageReference(t, 'tag', 'tags')
  if (!contextPath)
    throw new NerdctlError('Other', 'build context is empty: give a directory such as "."')
  const a = ['build', '--progress', 'plain', '--iidfile', iidFile]
  if (buildkitHost) a.push('--buildkit-host', buildkitHost)
  for (const t of tags) a.push('--tag', t)
  if (options.file) a.push('--file', options.file)
  for (const [k, v] of options.buildArgs ?? []) a.push('--build-arg', `${k}=${v}`)
  for (const [k, v] of options.labels ?? []) a.push('--label', `${k}=${v}`)
  if (options.target) a.push('--target', options.target)
  if (options.platforms?.length) a.push('--platform', options.platforms.join(','))
  if (options.noCache) a.push('--no-cache')
  if (options.pull) a.push('--pull')
  a.push(hostPathArg(contextPath))
  return a
}
