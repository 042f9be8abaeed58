// The one error type of the library. Every failure a caller can see is a
// NerdctlError whose `kind` says which of the original's categories it is, and
// whose message says what ran, what nerdctl said and how the usual causes are fixed.

import type { ContainerStatus } from './parse.js'

export type NerdctlErrorKind =
  | 'CommandExecutionFailed'
  | 'CommandFailed'
  | 'JsonParseError'
  | 'ConversionError'
  | 'Timeout'
  | 'Cancelled'
  | 'Other'

export interface NerdctlErrorDetails {
  /** The argv that ran (secrets already redacted), without the binary. */
  args?: readonly string[]
  exitCode?: number | null
  stderr?: string
  stdout?: string
  /** The text a parser could not read (JsonParseError, ConversionError). */
  text?: string
  /** The option that was invalid, for errors raised before anything ran. */
  field?: string
  /** The container's state when a container operation failed (start, wait). */
  containerStatus?: ContainerStatus
  /** The tail of the container's logs when a container operation failed. */
  logs?: string
  cause?: unknown
}

export class NerdctlError extends Error {
  readonly kind: NerdctlErrorKind
  readonly args: readonly string[]
  readonly exitCode: number | null
  readonly stderr: string
  readonly stdout: string
  readonly text: string | undefined
  readonly field: string | undefined
  readonly containerStatus: ContainerStatus | undefined
  readonly logs: string | undefined

  constructor(kind: NerdctlErrorKind, message: string, details: NerdctlErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'NerdctlError'
    this.kind = kind
    this.args = details.args ?? []
    this.exitCode = details.exitCode ?? null
    this.stderr = details.stderr ?? ''
    this.stdout = details.stdout ?? ''
    this.text = details.text
    this.field = details.field
    this.containerStatus = details.containerStatus
    this.logs = details.logs
  }

  /** The command line as it ran, for messages. */
  get command(): string {
    return this.args.map(quoteArg).join(' ')
  }
}

export function isNerdctlError(e: unknown, kind?: NerdctlErrorKind): e is NerdctlError {
  return e instanceof NerdctlError && (kind === undefined || e.kind === kind)
}

/**
 * Whether nerdctl failed because the container does not exist: what it says
 * then ("no such object x", "no such container x"), not any "no such file"
 * (an unreachable containerd socket says that too).
 */
export function isNoSuchContainer(e: unknown): boolean {
  return (
    isNerdctlError(e, 'CommandFailed') &&
    /no such (container|object)\b|container "?[^\s"]+"? not found/i.test(nerdctlSaid(e.stderr))
  )
}

/** Quotes an argument for display only; nothing is ever run through a shell. */
export function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}

/** Shortens text for messages, keeping its end, where nerdctl puts the cause. */
export function tail(text: string, maxChars = 2000): string {
  const t = text.trim()
  return t.length <= maxChars ? t : `…${t.slice(t.length - maxChars)}`
}

interface Hint {
  match: RegExp
  hint: string
}

// The causes users hit most, by what nerdctl prints for them.
const HINTS: readonly Hint[] = [
  {
    match:
      /containerd\.sock.*(no such file|connection refused)|failed to dial.*containerd|cannot access containerd socket/i,
    hint: 'containerd is not running or its socket is elsewhere: start containerd, or set the `address` option to its socket.'
  },
  {
    match: /buildkitd|buildctl|buildkit.*(sock|connect)|no buildkit host/i,
    hint: 'nerdctl build needs a running buildkitd and buildctl on PATH: start buildkitd, or set the `buildkitHost` option (BUILDKIT_HOST).'
  },
  {
    match: /permission denied|operation not permitted|must be run as root|rootless/i,
    hint: 'nerdctl was refused access: run as root, or set the `sudo` option so commands run through `sudo -n`.'
  },
  {
    match: /name .* (is )?already used|already in use|already exists/i,
    hint: 'a container or image with that name already exists: choose another name, or remove the existing one first.'
  },
  {
    match: /no such (container|object)|container .* not found|no such id/i,
    hint: 'the container does not exist (anymore): check its name or ID with `nerdctl ps -a`.'
  },
  {
    // Before the image hint: a refused push also says "repository does not exist".
    match:
      /unauthorized|authentication required|authorization failed|no basic auth credentials|push access denied|\b401\b/i,
    hint: 'the registry refused the request for want of credentials: log in first (login, or the registry/username/password inputs), or check them.'
  },
  {
    match:
      /image not available|image "[^"]*": not found|no such image|failed to resolve reference|pull access denied|manifest unknown/i,
    hint: 'the image was not found: check its name and tag, pull it, or log in to its registry first.'
  },
  {
    match: /^sudo: .*(command not found|not found)/im,
    hint: "sudo could not find nerdctl on its secure_path: set the binary option to nerdctl's full path."
  },
  {
    match: /http: server gave HTTP response to HTTPS client|x509|certificate/i,
    hint: 'the registry speaks plain HTTP or has an untrusted certificate: add it to `insecureRegistries`.'
  }
]

/** A sentence on how to fix the failure, when its cause is a common one. */
export function hintFor(stderr: string): string | undefined {
  return HINTS.find(h => h.match.test(stderr))?.hint
}

/**
 * What nerdctl said, without its logrus decoration: the `msg` of its error and
 * fatal lines (`time=... level=fatal msg="name \"x\" is already used"`), or the
 * raw text when it printed something else.
 */
export function nerdctlSaid(stderr: string): string {
  const messages: string[] = []
  for (const line of stderr.split('\n')) {
    const m = /\blevel=(fatal|error|panic)\b.*?\bmsg="((?:[^"\\]|\\.)*)"/.exec(line)
    if (m) messages.push(unquote(m[2] as string))
  }
  return messages.length > 0 ? messages.join('\n') : stderr.trim()
}

function unquote(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string
  } catch {
    return s.replace(/\\"/g, '"').replace(/\\n/g, '\n')
  }
}
