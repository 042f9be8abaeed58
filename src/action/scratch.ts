// Where the step's scratch directory is made. Main makes it there; the post
// step removes a saved scratch directory only when it is directly in it.
import { tmpdir } from 'node:os'

export function scratchParent(): string {
  return process.env.RUNNER_TEMP || tmpdir()
}
