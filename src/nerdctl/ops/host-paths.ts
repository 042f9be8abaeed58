// Where a path on this machine really leads: `..` folded, then every symbolic
// link of the part that exists followed, and whether that lands inside one
// of a few allowed directories. A path that does not exist yet (an output
// file) is judged by its nearest existing ancestor, since that is where the
// write would create it. Synchronous, so a caller can check every path before
// anything runs; the write-time check in files.ts uses the same rule.
import { lstatSync, realpathSync } from 'node:fs'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { NerdctlError } from '../base/errors.js'

export interface ResolvedHostPath {
  /** Absolute, `..` folded against the base, no link followed: what is passed on. */
  path: string
  /** The same place with every link of its existing part followed. */
  real: string
  /** Whether the path itself exists. */
  exists: boolean
  /** The nearest existing ancestor's real path (`real` itself when it exists). */
  existing: string
}

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code
}

/**
 * Resolves `path` (relative to `base`) to where it really leads. Fails on a
 * symbolic link that leads nowhere (a write there would land wherever the
 * link's target is later made) and on a directory this user cannot search.
 */
export function resolveHostPath(path: string, base: string): ResolvedHostPath {
  const abs = resolve(base, path)
  const rest: string[] = []
  let cur = abs
  for (;;) {
    try {
      const existing = realpathSync(cur)
      const real = rest.length > 0 ? join(existing, ...rest) : existing
      return { path: abs, real, exists: rest.length === 0, existing }
    } catch (e: unknown) {
      const code = errnoOf(e)
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        throw new NerdctlError('Other', `path ${abs} cannot be resolved (${code ?? String(e)})`)
      let isLink = false
      try {
        isLink = lstatSync(cur).isSymbolicLink()
      } catch {
        // Not there at all: its parent decides.
      }
      if (isLink)
        throw new NerdctlError(
          'Other',
          `path ${abs}: ${cur} is a symbolic link to something that does not exist`
        )
    }
    rest.unshift(basename(cur))
    cur = dirname(cur)
  }
}

/** Whether `real` is `root` or lies below it (both already real paths). */
export function isInside(real: string, root: string): boolean {
  if (real === root || root === sep) return true
  return real.startsWith(root.endsWith(sep) ? root : root + sep)
}

/** The first of `roots` that holds `real`, or undefined. */
export function rootHolding(real: string, roots: readonly string[]): string | undefined {
  return roots.find(root => isInside(real, root))
}
