// The "merge" input: builds pushed by digest, one per line, as REPO@sha256:…
// references or directories of digests files (as download-artifact lays them
// out: one folder per artifact, or all merged). Read and checked here, before
// any command: a directory outside the allowed paths, a file that is not a
// digests file or a directory with none fails naming "merge".
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  indexAnnotations,
  parseDigestsFile,
  splitDigestReference,
  type MergeSource
} from '../../nerdctl/index.js'
import { Input } from '../constants.js'
import type { HostPaths } from '../host-paths.js'
import { InputError, asInput, show, type Reader } from './reader.js'
import type { MergePlan } from './plan.js'

/** Every `*.json` under dir, in a stable order; links are not followed into directories. */
function jsonFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    )
    for (const e of entries) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if ((e.isFile() || e.isSymbolicLink()) && e.name.endsWith('.json')) out.push(p)
    }
  }
  walk(dir)
  return out
}

function fromDirectory(line: string, paths: HostPaths): MergeSource[] {
  const dir = paths.check(Input.Merge, line, 'read')
  let files: string[]
  try {
    files = jsonFiles(dir)
  } catch (e: unknown) {
    throw new InputError(
      Input.Merge,
      `${show(line)} is neither REPOSITORY@sha256:DIGEST nor a directory that can be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`
    )
  }
  if (files.length === 0)
    throw new InputError(
      Input.Merge,
      `${show(line)} holds no digests file (*.json): download the artifacts the push-by-digest builds uploaded into it`
    )
  return files.map(file => {
    // A link that leads out of the allowed directories is refused like a path.
    const real = paths.check(Input.Merge, file, 'read')
    const d = asInput(Input.Merge, () => parseDigestsFile(readFileSync(real, 'utf8'), file))
    return { reference: `${d.repository}@${d.digest}`, platform: d.platform, origin: file }
  })
}

export function readMerge(r: Reader, paths: HostPaths): MergePlan | undefined {
  const lines = r.lines(Input.Merge)
  if (lines.length === 0) return undefined
  const sources = lines.flatMap((line): MergeSource[] => {
    if (!/@sha256:/.test(line)) return fromDirectory(line, paths)
    asInput(Input.Merge, () => splitDigestReference(line))
    return [{ reference: line }]
  })
  const annotations = r.list(Input.Annotations, { ignoreComma: true })
  // Checked now, so a bad one fails before the step logs in or reads the registry.
  asInput(Input.Annotations, () => indexAnnotations(annotations))
  return { sources, annotations }
}
