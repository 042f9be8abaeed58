// The one error type of the library. Every failure a caller can see is a
// NerdctlError whose `kind` says which category it is (the categories of the
// Rust module this library replaces, plus Timeout and Cancelled), and whose
// message says what ran, what nerdctl said and how the usual causes are fixed.
import type { ContainerStatus } from './types.js'
import { formatArgv } from './text.js'

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
    return formatArgv(this.args)
  }
}

export function isNerdctlError(e: unknown, kind?: NerdctlErrorKind): e is NerdctlError {
  return e instanceof NerdctlError && (kind === undefined || e.kind === kind)
}

/** A bad value given to the library, found before anything ran. */
export function invalidValue(field: string, message: string): NerdctlError {
  return new NerdctlError('Other', message, { field })
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

/** Whether nerdctl failed because a network does not exist ("no network found matching: x"). */
export function isNoSuchNetwork(e: unknown): boolean {
  return isNerdctlError(e, 'CommandFailed') && /no network found matching\b/i.test(e.stderr)
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
