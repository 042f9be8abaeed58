// Which paths on the runner the step may use. Every host path an input names
// (written, read or mounted) must lead, after `..` and symbolic links, into
// the workspace, RUNNER_TEMP or a directory listed in `host-paths`; relative
// paths start at the workspace. Under sudo the runner user must also be able
// to use the path itself: the step never reads or writes as root what that
// user could not. Checked while the inputs are read, before anything runs;
// the library checks writes again when it writes (the client's `hostRoots`).
import { accessSync, constants } from 'node:fs'
import { dirname, isAbsolute } from 'node:path'
import { errorMessage, resolveHostPath, rootHolding, splitAttributeList } from '../nerdctl/index.js'
import { Input } from './constants.js'
import { InputError, show, type Reader } from './inputs/reader.js'

/** One allowed directory: its real path and how messages name it. */
interface Root {
  real: string
  label: string
}

/** What a path is used for, which decides the access the runner user needs. */
export type PathUse = 'read' | 'write' | 'mount' | 'mount-ro'

export class HostPaths {
  constructor(
    /** Where relative paths start: the workspace. */
    readonly base: string,
    private readonly roots: readonly Root[],
    /** nerdctl runs as root: the runner user's own access is checked too. */
    private readonly sudo: boolean
  ) {}

  /** The real paths of the allowed directories (the client's `hostRoots`). */
  get realRoots(): string[] {
    return this.roots.map(r => r.real)
  }

  /**
   * Checks `path` for `use` and returns it absolute (relative to the
   * workspace, `..` folded): the form to pass on, so what was checked is what
   * is used.
   */
  check(input: string, path: string, use: PathUse): string {
    if (path.startsWith('~'))
      throw new InputError(
        input,
        `${show(path)}: "~" would be the home of whoever runs the command; give an absolute path or one relative to the workspace`
      )
    let resolved
    try {
      resolved = resolveHostPath(path, this.base)
    } catch (e: unknown) {
      throw new InputError(input, errorMessage(e))
    }
    if (!rootHolding(resolved.real, this.realRoots)) {
      const leads = resolved.real === resolved.path ? '' : ` (which leads to ${resolved.real})`
      throw new InputError(
        input,
        `${show(path)} is ${resolved.path}${leads}, outside ${this.describe()}: ` +
          `use a path inside them, or list a directory that holds it in "${Input.HostPaths}"`
      )
    }
    if (this.sudo) this.checkAccess(input, resolved, use)
    return resolved.path
  }

  private describe(): string {
    return this.roots.map(r => `${r.label} (${r.real})`).join(', ')
  }

  /** Under sudo: what root would do with the path, the runner user could do itself. */
  private checkAccess(
    input: string,
    resolved: ReturnType<typeof resolveHostPath>,
    use: PathUse
  ): void {
    const { real, exists, existing } = resolved
    // Writes create the path in its nearest existing directory; reads of a
    // missing path fail in nerdctl, which says so better.
    const wants: [string, number, string][] = []
    if (use === 'read' || use === 'mount-ro') {
      if (exists) wants.push([real, constants.R_OK, 'read'])
    } else if (!exists) wants.push([existing, constants.W_OK | constants.X_OK, 'write in'])
    else {
      wants.push([real, constants.R_OK | constants.W_OK, 'read and write'])
      if (use === 'write') wants.push([dirname(real), constants.W_OK | constants.X_OK, 'write in'])
    }
    for (const [p, mode, what] of wants) {
      try {
        accessSync(p, mode)
      } catch {
        throw new InputError(
          input,
          `${p}: nerdctl runs as root through sudo, but the runner user cannot ${what} it itself: ` +
            `give a path that user can ${what}`
        )
      }
    }
  }
}

/**
 * The allowed directories: the workspace (GITHUB_WORKSPACE, or the current
 * directory where the step runs outside a runner, as the CLI does),
 * RUNNER_TEMP when set, and the `host-paths` input's absolute directories.
 */
export function readHostPaths(
  r: Reader,
  sudo: boolean,
  env: NodeJS.ProcessEnv = process.env
): HostPaths {
  const base = env.GITHUB_WORKSPACE || process.cwd()
  const roots: Root[] = []
  const add = (path: string, label: string): void => {
    try {
      roots.push({ real: resolveHostPath(path, base).real, label })
    } catch (e: unknown) {
      throw new InputError(Input.HostPaths, `${label}: ${errorMessage(e)}`)
    }
  }
  add(base, env.GITHUB_WORKSPACE ? 'the workspace' : 'the current directory')
  if (env.RUNNER_TEMP) add(env.RUNNER_TEMP, 'RUNNER_TEMP')
  for (const dir of r.lines(Input.HostPaths)) {
    if (!isAbsolute(dir))
      throw new InputError(
        Input.HostPaths,
        `${show(dir)} is not an absolute path: list directories such as /var/cache/buildkit`
      )
    add(dir, `"${Input.HostPaths}" ${dir}`)
  }
  return new HostPaths(base, roots, sudo)
}

// ---- host paths inside values of other forms ----

/**
 * The fields of an attribute list (`type=local,dest=DIR`) as BuildKit's CSV
 * reader splits them; a list it would refuse (the library refuses it too)
 * is split on every comma, so no path in it goes unchecked.
 */
function attributeFields(value: string): string[] {
  const fields = splitAttributeList(value)
  return typeof fields === 'string' ? value.split(',') : fields
}

/** Every value of the attributes `keys` in an attribute list, however it is split. */
export function attributePaths(value: string, keys: readonly string[]): string[] {
  const out = new Set<string>()
  for (const f of attributeFields(value)) {
    const eq = f.indexOf('=')
    if (eq <= 0) continue
    const k = f.slice(0, eq).trim().toLowerCase()
    const v = f.slice(eq + 1).trim()
    if (keys.includes(k) && v !== '' && v !== '-') out.add(v)
  }
  return [...out]
}

/** A build context or named context that is not on this machine (a URL, an image). */
export function isRemoteContext(value: string): boolean {
  return (
    /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) ||
    /^git@/.test(value) ||
    /^github\.com\//.test(value) ||
    value === '-'
  )
}

/** The directory of `oci-layout://PATH[:TAG|@DIGEST]`, or undefined for another form. */
export function ociLayoutPath(value: string): string | undefined {
  const m = /^oci-layout:\/\/(.+)$/.exec(value)
  if (!m) return undefined
  const rest = (m[1] as string).replace(/@[^/]*$/, '')
  return rest.replace(/^(.*\/[^/:]*|[^/:]*):[^/]*$/, '$1')
}

/**
 * The host source of a volume (`SRC:DEST[:OPTIONS]`) and whether it is
 * mounted read-only, or undefined for a named or anonymous volume.
 */
export function volumeSource(volume: string): { source: string; readOnly: boolean } | undefined {
  const parts = volume.split(':')
  if (parts.length < 2) return undefined
  const source = parts[0] as string
  if (!/^[/.~]/.test(source)) return undefined
  const options = parts.length > 2 ? (parts[parts.length - 1] as string).split(',') : []
  return { source, readOnly: options.includes('ro') }
}

/** The key files of an `ssh` line (`ID=PATH[,PATH]`); `default` alone is the agent socket. */
export function sshKeyPaths(line: string): string[] {
  const eq = line.indexOf('=')
  if (eq <= 0) return []
  return line
    .slice(eq + 1)
    .split(',')
    .map(p => p.trim())
    .filter(p => p !== '')
}
