// What nerdctl prints besides JSON that callers need back: the ID `run -d`
// prints, the exit code `exec` hides in its last stderr line, and the digest
// `push` names in its progress.
import { NerdctlError } from '../base/errors.js'
import type { CommandResult } from '../base/types.js'

const CONTAINER_ID = /^[0-9a-f]{64}$/

/** The container ID `nerdctl run -d` / `create` printed last; an error if it is not one. */
export function containerIdOf(result: CommandResult, args: readonly string[]): string {
  const id = result.stdout.trim().split('\n').pop() ?? ''
  if (!CONTAINER_ID.test(id)) {
    throw new NerdctlError(
      'Other',
      `nerdctl ${args[0] === 'create' ? 'create' : 'run -d'} printed "${id}" where a container ID was expected`,
      { args, stdout: result.stdout, stderr: result.stderr }
    )
  }
  return id
}

/**
 * nerdctl exec exits 1 whatever the command's exit code was and reports the
 * real one in its last stderr line; this puts it back where callers look.
 */
export function execExitCode(result: CommandResult): CommandResult {
  const m = /(?:^|\n)[^\n]*level=fatal msg="exec failed with exit code (\d+)"\s*$/.exec(
    result.stderr
  )
  if (!m || result.exitCode === 0) return result
  return { ...result, exitCode: Number(m[1]), stderr: result.stderr.slice(0, m.index) }
}

/**
 * The digest of what `nerdctl push` made the registry hold. A push of one
 * platform says so on stderr ("pushing as a reduced-platform image (…, DIGEST)").
 * A push of every platform pushes the image's own target, and its progress
 * lists the target first: an index as `index-[NAME@]DIGEST:`, before the
 * manifests under it, or a lone manifest as `manifest-[NAME@]DIGEST:`. The
 * `NAME@` is there only when the target carries an OCI ref-name annotation
 * (an image loaded from an archive); an image BuildKit stored itself, such as
 * a single-platform build with provenance, has none. Any index line beats any
 * manifest line, so a tail of the progress that starts inside one of its
 * repeated tables still names the index, not one of its manifests.
 */
export function pushedDigest(output: string): string | undefined {
  const m =
    /reduced-platform image \([^,]*, (sha256:[0-9a-f]{64})\)/.exec(output) ??
    /^index-(?:[^@\s]*@)?(sha256:[0-9a-f]{64}):/m.exec(output) ??
    /^manifest-(?:[^@\s]*@)?(sha256:[0-9a-f]{64}):/m.exec(output)
  return m?.[1]
}

/** One Dockerfile instruction of a build, as BuildKit's plain progress shows it. */
export interface BuildStep {
  /** e.g. `[2/4] RUN echo one > /one`, or `[linux/arm64 2/4] …` per platform. */
  step: string
  /** BuildKit took it from the cache (`#N CACHED`) instead of running it. */
  cached: boolean
}

/**
 * The instructions after FROM in BuildKit's plain progress (`#6 [2/4] RUN …`)
 * and whether each came from the cache: BuildKit prints `#6 CACHED` for a hit.
 * The proof that an imported cache worked is here, not in timings.
 */
export function buildSteps(progress: string): BuildStep[] {
  const lines = progress.split(/\r?\n/)
  const steps = new Map<string, string>()
  const cached = new Set<string>()
  for (const line of lines) {
    const step = /^(#\d+) (\[(?:[^\]\s]+ )?\d+\/\d+\] (?!FROM )\S.*)$/.exec(line)
    if (step && !steps.has(step[1] as string)) steps.set(step[1] as string, step[2] as string)
    const hit = /^(#\d+) CACHED\s*$/.exec(line)
    if (hit) cached.add(hit[1] as string)
  }
  // A cached result BuildKit fetches lazily (the last step, from an imported
  // cache) shows only the blobs it downloads, no CACHED line: nothing ran.
  const fetchedOnly = (id: string): boolean => {
    const own = lines.filter(l => l.startsWith(`${id} `)).slice(1)
    // At least one blob fetched: a RUN with no output also shows only DONE.
    return (
      own.some(l => /^#\d+ sha256:[0-9a-f]{64} /.test(l)) &&
      own.every(l => new RegExp(`^${id} (sha256:[0-9a-f]{64} .* done|DONE \\S+)\\s*$`).test(l))
    )
  }
  return [...steps].map(([id, step]) => ({ step, cached: cached.has(id) || fetchedOnly(id) }))
}
