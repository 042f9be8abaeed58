// Writes to user paths happen atomically: the output goes to a temporary name
// beside the target (same directory, so the rename cannot cross filesystems)
// and is renamed into place only when the command succeeded. A failure leaves
// no partial file behind and a file that was already there untouched.
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { NerdctlError } from '../base/errors.js'

export interface AtomicOptions {
  /**
   * When the target is an existing directory, write this name inside it (as
   * `cp` does) instead of refusing.
   */
  intoDirectory?: string
}

async function kind(path: string): Promise<'file' | 'directory' | 'missing'> {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'file'
  } catch {
    return 'missing'
  }
}

/** Runs `write(tmp)` and renames tmp to the target; returns the final path. */
export async function atomicOutput(
  target: string,
  options: AtomicOptions,
  write: (tmp: string) => Promise<void>
): Promise<string> {
  if (!target.trim())
    throw new NerdctlError('Other', 'output path is empty: give a file path such as out/image.tar')
  let final = resolve(target)
  if ((await kind(final)) === 'directory') {
    if (!options.intoDirectory) {
      throw new NerdctlError(
        'Other',
        `output path ${target} is a directory: give a file path inside it, e.g. ${join(target, 'out.tar')}`
      )
    }
    final = join(final, options.intoDirectory)
    // Copying a directory onto an existing one merges into it, as `cp` does;
    // a merge cannot be made atomic, so it is written in place.
    if ((await kind(final)) === 'directory') {
      await write(final)
      return final
    }
  }
  await mkdir(dirname(final), { recursive: true })
  const tmp = join(dirname(final), `${partialPrefix(final)}${randomBytes(4).toString('hex')}`)
  try {
    await write(tmp)
    await rename(tmp, final)
  } catch (e: unknown) {
    await rm(tmp, { recursive: true, force: true })
    throw e
  }
  return final
}

/** Temporary names of a target start with this (beside it, hidden). */
export function partialPrefix(target: string): string {
  return `.${basename(target)}.partial-`
}

/** Names this module gives temporary files: `.NAME.partial-` and 8 hex digits. */
const PARTIAL_NAME = /^\..+\.partial-[0-9a-f]{8}$/

/**
 * Removes what a killed writer may have left for a target: temporary names
 * beside it, and, when the target is a directory (a copy into it writes
 * `DIR/.NAME.partial-…`), inside it. Only names this module makes, never the
 * target itself. Returns the paths removed.
 */
export async function removePartials(target: string): Promise<string[]> {
  const path = resolve(target)
  const beside = (await namesIn(dirname(path)))
    .filter(n => n.startsWith(partialPrefix(path)))
    .map(n => join(dirname(path), n))
  const inside =
    (await kind(path)) === 'directory'
      ? (await namesIn(path)).filter(n => PARTIAL_NAME.test(n)).map(n => join(path, n))
      : []
  for (const p of [...beside, ...inside]) await rm(p, { recursive: true, force: true })
  return [...beside, ...inside]
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch {
    return []
  }
}
