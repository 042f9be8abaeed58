// Where the programs the library starts come from. The helpers it runs beside
// nerdctl (sudo, tar, rm, cat) are the system's own, from its standard
// directories: PATH is not asked, since an earlier step of a job can put a
// directory of its own first on it (GITHUB_PATH), and a `sudo` or `rm` there
// would run with what the step hands it. The programs a user names (nerdctl)
// are looked up once, on the PATH the caller starts with, to an absolute path.
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join, resolve } from 'node:path'

/** The standard system directories helper programs are taken from, in this order. */
export const SYSTEM_DIRECTORIES: readonly string[] = ['/usr/bin', '/bin', '/usr/sbin', '/sbin']

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

const systemPrograms = new Map<string, string>()

/**
 * The absolute path of a system program (`sudo`, `tar`, `rm`, `cat`): the
 * first of SYSTEM_DIRECTORIES that has it; when none has, the path it would
 * have in /usr/bin, so that starting it fails as "not found" by that path.
 * A name with a slash is taken as it is.
 */
export function systemProgram(name: string): string {
  if (name.includes('/')) return name
  const known = systemPrograms.get(name)
  if (known) return known
  const found = SYSTEM_DIRECTORIES.map(d => join(d, name)).find(isExecutableFile)
  const path = found ?? join(SYSTEM_DIRECTORIES[0] as string, name)
  if (found) systemPrograms.set(name, path)
  return path
}

/**
 * A program a user names, as an absolute path: a path (with a slash) resolved
 * against the working directory, a bare name looked up on `searchPath` as a
 * shell would; undefined when it is not an executable file there.
 */
export function findProgram(
  name: string,
  searchPath: string = process.env.PATH ?? ''
): string | undefined {
  if (name.includes('/')) {
    const path = resolve(name)
    return isExecutableFile(path) ? path : undefined
  }
  for (const dir of searchPath.split(delimiter)) {
    // An empty or relative entry means a directory that depends on where the
    // step stands: not a place to take a program from.
    if (!dir || !isAbsolute(dir)) continue
    const path = join(dir, name)
    if (isExecutableFile(path)) return path
  }
  return undefined
}
