// Writes to user paths happen atomically: the output goes to a temporary name
// beside the target (same directory, so the rename cannot cross filesystems)
// and is renamed into place only when the command succeeded. A failure leaves
// no partial file behind and a file that was already there untouched.
//
// Everything here is written by this process, as the user it runs as and
// with that user's umask, even when nerdctl runs through sudo: files come from
// nerdctl's standard output, and trees from an archive nerdctl streamed, which
// tar unpacks as this user. So nothing the step writes on the runner is
// root-owned, and nothing needs a chown (which could reach files that were
// already there).
import { constants } from 'node:fs'
import { lstat, mkdir, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import { NerdctlError } from '../base/errors.js'
import { clientOf, tool, type CallOptions } from '../exec/call.js'
import { resolveHostPath, rootHolding } from './host-paths.js'
import { randomHex } from './random.js'
import { nextHeader, tarHeader } from '../pure/tar.js'

export interface AtomicOptions {
  /**
   * When the target is an existing directory, write this name inside it (as
   * `cp` does) instead of refusing.
   */
  intoDirectory?: string
  /**
   * Directories (real paths) the write must land in, after symbolic links;
   * unset: anywhere. Checked when writing, not only when the path was chosen:
   * a link planted meanwhile cannot lead the write elsewhere.
   */
  roots?: readonly string[] | undefined
  /** Told each temporary name before it is made (see GlobalOptions.onOutputPartial). */
  onPartial?: ((path: string) => void) | undefined
}

/** The client's guard of output writes: where they may land, who records partial names. */
export function outputGuard(call: CallOptions): Pick<AtomicOptions, 'roots' | 'onPartial'> {
  const { hostRoots, onOutputPartial } = clientOf(call).options
  return { roots: hostRoots, onPartial: onOutputPartial }
}

function outsideRoots(target: string, real: string, roots: readonly string[]): NerdctlError {
  return new NerdctlError(
    'Other',
    `output path ${target} leads to ${real}, outside the directories this step may write (${roots.join(', ')}): refused`
  )
}

/**
 * Makes the parent of `final` and returns `final` under its parent's real
 * path, refusing when a symbolic link leads it outside `roots`. The parent is
 * judged before it is made (so no directory is made outside) and again once
 * it is there; an existing target is judged where its links lead.
 */
async function guardedTarget(final: string, roots: readonly string[] | undefined): Promise<string> {
  if (!roots) {
    await mkdir(dirname(final), { recursive: true })
    return final
  }
  const before = resolveHostPath(dirname(final), '/').real
  if (!rootHolding(before, roots)) throw outsideRoots(final, before, roots)
  await mkdir(dirname(final), { recursive: true })
  const parent = await realpath(dirname(final))
  if (!rootHolding(parent, roots)) throw outsideRoots(final, parent, roots)
  const placed = join(parent, basename(final))
  const there = await realpath(placed).catch(() => undefined)
  if (there !== undefined && !rootHolding(there, roots)) throw outsideRoots(final, there, roots)
  return placed
}

/**
 * Creates the temporary file itself, new and not through a link, before
 * anything is streamed into it: a name planted there in the meantime makes
 * the write fail instead of following it.
 */
async function createPartial(tmp: string): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW
  await (await open(tmp, flags, 0o666)).close()
}

async function kind(path: string): Promise<'file' | 'directory' | 'missing'> {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'file'
  } catch {
    return 'missing'
  }
}

/**
 * Where a write to `target` lands: the final path, and whether it goes into
 * a directory that is already there (a merge, which cannot be atomic).
 */
async function placement(
  target: string,
  options: AtomicOptions
): Promise<{ final: string; merge: boolean }> {
  if (!target.trim())
    throw new NerdctlError('Other', 'output path is empty: give a file path such as out/image.tar')
  const final = resolve(target)
  if ((await kind(final)) !== 'directory') return { final, merge: false }
  if (!options.intoDirectory) {
    throw new NerdctlError(
      'Other',
      `output path ${target} is a directory: give a file path inside it, e.g. ${join(target, 'out.tar')}`
    )
  }
  const inside = join(final, options.intoDirectory)
  // Copying a directory onto an existing one merges into it, as `cp` does.
  return { final: inside, merge: (await kind(inside)) === 'directory' }
}

/** A fresh temporary name beside `final`, of the form removePartials knows. */
function partialPath(final: string): string {
  return join(dirname(final), `${partialPrefix(final)}${randomHex(4)}`)
}

/** Runs `write(tmp)` and renames tmp to the target; returns the final path. */
export async function atomicOutput(
  target: string,
  options: AtomicOptions,
  write: (tmp: string) => Promise<void>
): Promise<string> {
  const placed = await placement(target, options)
  const final = await guardedTarget(placed.final, options.roots)
  if (placed.merge) {
    await write(final)
    return final
  }
  const tmp = partialPath(final)
  options.onPartial?.(tmp)
  try {
    await createPartial(tmp)
    await write(tmp)
    await recheckParent(final, options.roots)
    await rename(tmp, final)
  } catch (e: unknown) {
    await rm(tmp, { recursive: true, force: true })
    throw e
  }
  return final
}

/**
 * Right before the rename: the parent is still where it was judged to be (a
 * long write gives time to swap a directory on the way for a link).
 */
async function recheckParent(final: string, roots: readonly string[] | undefined): Promise<void> {
  if (!roots) return
  const parent = await realpath(dirname(final))
  if (parent !== dirname(final) || !rootHolding(parent, roots))
    throw outsideRoots(final, parent, roots)
}

export interface UnpackOptions extends AtomicOptions {
  /**
   * The archive holds the tree itself (`nerdctl cp C:/dir/. -`, BuildKit's
   * tar exporter), not one file or directory at its top (`nerdctl cp C:/dir -`).
   */
  contents?: boolean
}

/**
 * Unpacks a tar archive to `target` as this process's user: tar runs without
 * privileges, keeps no owner from the archive and applies the user's umask to
 * the archive's modes. It unpacks into a fresh directory beside the target,
 * which is renamed into place; into an existing directory it merges, moving
 * entries over one by one (a symbolic link there is replaced, never followed).
 * Returns the final path.
 */
export async function unpackOutput(
  target: string,
  archive: string,
  options: UnpackOptions,
  call: CallOptions = {}
): Promise<string> {
  const placed = await placement(target, options)
  const merge = placed.merge
  const final = await guardedTarget(placed.final, options.roots)
  const staging = partialPath(final)
  options.onPartial?.(staging)
  await mkdir(staging)
  try {
    // Option values are separate elements and both paths are absolute: none
    // can be read as an option. A big tree takes as long as it takes.
    await tool(
      [
        'tar',
        '--extract',
        '--no-same-owner',
        '--no-same-permissions',
        '--no-overwrite-dir',
        '--file',
        absolute(archive),
        '--directory',
        staging
      ],
      call,
      { longRunning: true }
    )
    const tree = options.contents ? staging : await onlyEntry(staging, archive)
    await recheckParent(final, options.roots)
    if (!merge) await rename(tree, final)
    else if ((await lstat(tree)).isDirectory()) await mergeTree(tree, final)
    else await rename(tree, join(final, basename(tree)))
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
  return final
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(path)
}

/** The one file or directory an archive of one path holds at its top. */
async function onlyEntry(dir: string, archive: string): Promise<string> {
  const names = await readdir(dir)
  if (names.length !== 1)
    throw new NerdctlError(
      'Other',
      `the archive ${archive} holds ${names.length} entries at its top where one was expected`
    )
  return join(dir, names[0] as string)
}

/** Moves every entry of `from` into `to`, descending where both have a directory. */
async function mergeTree(from: string, to: string): Promise<void> {
  for (const name of await readdir(from)) {
    const src = join(from, name)
    const dest = join(to, name)
    const there = await lstat(dest).catch(() => undefined)
    const isDir = (await lstat(src)).isDirectory()
    if (there?.isDirectory() && isDir) await mergeTree(src, dest)
    else {
      // A directory cannot be renamed over a file or a link: that one goes
      // first (a link is removed, never followed out of the tree).
      if (there && !there.isDirectory() && isDir) await rm(dest)
      await rename(src, dest)
    }
  }
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

/**
 * Removes temporary names an owner recorded (GlobalOptions.onOutputPartial)
 * and nothing else: each must still have this module's form of name, be no
 * link and belong to this process's user. Returns the paths removed.
 */
export async function removeRecordedPartials(paths: readonly string[]): Promise<string[]> {
  const uid = process.getuid?.()
  const gone: string[] = []
  for (const p of paths) {
    if (!isAbsolute(p) || !PARTIAL_NAME.test(basename(p))) continue
    const st = await lstat(p).catch(() => undefined)
    if (!st || st.isSymbolicLink() || (uid !== undefined && st.uid !== uid)) continue
    await rm(p, { recursive: true, force: true })
    gone.push(p)
  }
  return gone
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch {
    return []
  }
}

/**
 * Removes a directory of the caller's own (a scratch directory) and all in
 * it. Where this user may not (nerdctl, run through sudo, made root-owned
 * directories in it) and the client uses sudo, `sudo -n rm -rf` removes it:
 * rm follows no symbolic link and, with --one-file-system, enters no mount.
 */
export async function removeTree(path: string, call: CallOptions = {}): Promise<void> {
  if (!isAbsolute(path))
    throw new NerdctlError('Other', `removeTree needs an absolute path, not ${path}`)
  try {
    await rm(path, { recursive: true, force: true })
    return
  } catch (e: unknown) {
    const code = (e as NodeJS.ErrnoException).code
    if (!clientOf(call).options.sudo || (code !== 'EACCES' && code !== 'EPERM')) throw e
  }
  await tool(['rm', '-rf', '--one-file-system', '--', path], call, { privileged: true })
}

/**
 * The member names of a tar archive, read from its headers alone (a few
 * reads, however big the archive), and whether it is whole: every member's
 * data present and the end-of-archive block there. A tool that stops early
 * leaves an archive that is not.
 */
export async function archiveMembers(
  path: string
): Promise<{ names: Set<string>; whole: boolean }> {
  const names = new Set<string>()
  const file = await open(path, 'r')
  try {
    const { size: total } = await file.stat()
    const block = Buffer.alloc(512)
    let offset = 0
    let longName: string | undefined
    for (;;) {
      const { bytesRead } = await file.read(block, 0, 512, offset)
      if (bytesRead < 512) return { names, whole: false }
      const header = tarHeader(block)
      if (!header) return { names, whole: true }
      const next = nextHeader(offset, header.size)
      if (next > total) return { names, whole: false }
      if (header.longName) {
        const data = Buffer.alloc(header.size)
        await file.read(data, 0, header.size, offset + 512)
        longName = data.toString('utf8').replace(/\0+$/, '')
      } else {
        names.add((longName ?? header.name).replace(/^\.\//, ''))
        longName = undefined
      }
      offset = next
    }
  } finally {
    await file.close()
  }
}
