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
 * platform says so on stderr ("pushing as a reduced-platform image (…, DIGEST)");
 * a push of every platform names the index on its first progress line
 * ("index-…@sha256:…:"), before the per-platform manifests, so the index line
 * is looked for before any manifest line.
 */
export function pushedDigest(output: string): string | undefined {
  const m =
    /reduced-platform image \([^,]*, (sha256:[0-9a-f]{64})\)/.exec(output) ??
    /^index-[^@\s]*@(sha256:[0-9a-f]{64}):/m.exec(output) ??
    /(?:digest|manifest)[^\n]*?(sha256:[0-9a-f]{64})/i.exec(output)
  return m?.[1]
}
