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

/**
 * Removes what a killed writer may have left beside a target: only names
 * this module makes, never the target itself. Returns the paths removed.
 */
export async function removePartials(target: string): Promise<string[]> {
  const dir = dirname(resolve(target))
  const prefix = partialPrefix(target)
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return []
  }
  const gone: string[] = []
  for (const n of names.filter(n => n.startsWith(prefix))) {
    await rm(join(dir, n), { recursive: true, force: true })
    gone.push(join(dir, n))
  }
  return gone
}
