// How one input is read: the Reader turns the runner's strings into values
// (booleans, lists, KEY=VALUE pairs, durations) and fails with an InputError
// that names the input, shows the value (never a secret) and says the form
// expected. Every section module reads its inputs through it.
import { parse } from 'csv-parse/sync'
import * as core from '../workflow.js'
import { MAX_DURATION_MS, parseDuration, showValue } from '../../nerdctl/index.js'

/** A bad input: the step fails with this message before anything runs. */
export class InputError extends Error {
  constructor(input: string, message: string) {
    super(`Input "${input}": ${message}`)
    this.name = 'InputError'
  }
}

/**
 * Why a duration is refused, or undefined when it is not: durations stop at
 * MAX_DURATION_MS (7 days), longer than any job runs (a longer one is a
 * typo, and past 24.8 days Node's timers would fire at once).
 */
export function durationOverMaximum(ms: number): string | undefined {
  if (ms <= MAX_DURATION_MS) return undefined
  return 'is longer than the longest duration allowed, 168h (7 days): give a shorter one, or 0 where it means no limit'
}

/** Reads an input the way the runner passes it (INPUT_NAME, spaces as _). */
export type InputReader = (name: string) => string

/**
 * How docker/build-push-action reads one list input (its `Util.getInputList`
 * options in docker/actions-toolkit src/util.ts, and which input takes which
 * in build-push-action src/context.ts).
 */
export interface ListOptions {
  /** A line is one entry even if it holds commas (attribute lists, KEY=VALUE). */
  ignoreComma?: boolean
  /** `"` is an ordinary character (outputs, whose attributes BuildKit itself quotes). */
  noQuote?: boolean
  /** Entries keep their surrounding spaces (secret values). */
  keepSpaces?: boolean
  /** The value is a secret: a malformed list is reported without its text. */
  secret?: boolean
}

/**
 * The entries of a list input, read as build-push-action reads them: CSV
 * (csv-parse with relaxed quotes and column counts), one record per line, a
 * quoted entry keeping its commas and line breaks; a record's fields are
 * separate entries unless `ignoreComma` joins them back with commas; empty
 * entries dropped, the others trimmed.
 */
export function parseList(name: string, input: string, opts: ListOptions = {}): string[] {
  if (input === '') return []
  let records: string[][]
  try {
    records = parse(input, {
      columns: false,
      relaxQuotes: true,
      relaxColumnCount: true,
      skipEmptyLines: true,
      quote: opts.noQuote ? false : '"'
    }) as string[][]
  } catch (e: unknown) {
    // csv-parse's messages quote the input; a secret's text must not appear.
    const why = e instanceof Error && !opts.secret ? `: ${e.message}` : ''
    throw new InputError(
      name,
      `is not a list as build-push-action reads it (one entry per line or comma; quote an entry with "…" and double a quote inside it)${why}`
    )
  }
  const out: string[] = []
  for (const record of records) {
    if (record.length === 1)
      out.push(...(opts.ignoreComma ? record : (record[0] as string).split(',')))
    else out.push(...(opts.ignoreComma ? [record.join(',')] : record))
  }
  return out.filter(e => e).map(e => (opts.keepSpaces ? e : e.trim()))
}

export const readFromEnvironment: InputReader = name => core.getInput(name)

/** A value a user gave, quoted and cut for a message. */
export const show = showValue

/** Drops the secret inputs from the environment the step's child processes inherit. */
export function forgetSecretInputs(names: readonly string[]): void {
  for (const name of names) delete process.env[core.inputVariable(name)]
}

/** Re-raises a validation error (the library's, the shell splitter's) as an error about one input. */
export function asInput<T>(name: string, f: () => T): T {
  try {
    return f()
  } catch (e: unknown) {
    if (e instanceof InputError) throw e
    if (e instanceof Error) throw new InputError(name, e.message)
    throw e
  }
}

export class Reader {
  constructor(private readonly read: InputReader) {}

  /** The value exactly as given, for secrets and scripts, where spaces may matter. */
  raw(name: string): string {
    return this.read(name)
  }

  text(name: string): string {
    return this.read(name).trim()
  }

  optional(name: string): string | undefined {
    return this.text(name) || undefined
  }

  /** Like core.getBooleanInput, but an empty value takes the default. */
  bool(name: string, dflt: boolean): boolean {
    const v = this.text(name)
    if (v === '') return dflt
    if (['true', 'True', 'TRUE'].includes(v)) return true
    if (['false', 'False', 'FALSE'].includes(v)) return false
    throw new InputError(name, `${show(v)} is not a boolean: use true or false`)
  }

  /** Newline-separated list; blank lines and surrounding spaces dropped. */
  lines(name: string): string[] {
    return this.read(name)
      .split(/\r?\n/)
      .map(l => l.trim())
      .filter(l => l !== '')
  }

  /** Newline- or comma-separated list (tags, platforms, as in docker/build-push-action). */
  csv(name: string): string[] {
    return this.lines(name)
      .flatMap(l => l.split(','))
      .map(s => s.trim())
      .filter(s => s !== '')
  }

  /** A list input read as build-push-action reads it (see parseList). */
  list(name: string, opts: ListOptions = {}): string[] {
    return parseList(name, this.read(name), opts)
  }

  /** KEY=VALUE entries of a list input read as build-push-action reads it. */
  listPairs(name: string): [string, string][] {
    return this.list(name, { ignoreComma: true }).map(entry => {
      const eq = entry.indexOf('=')
      if (eq <= 0) throw new InputError(name, `entry ${show(entry)} is not KEY=VALUE`)
      return [entry.slice(0, eq).trim(), entry.slice(eq + 1)]
    })
  }

  /** KEY=VALUE lines; the value may contain "=". */
  pairs(name: string): [string, string][] {
    return this.lines(name).map(line => {
      const eq = line.indexOf('=')
      if (eq <= 0) throw new InputError(name, `line ${show(line)} is not KEY=VALUE`)
      return [line.slice(0, eq).trim(), line.slice(eq + 1)]
    })
  }

  /**
   * A Go duration in milliseconds, at most MAX_DURATION_MS (7 days); undefined
   * when empty and there is no default.
   */
  duration(name: string, dflt?: string): number | undefined {
    const v = this.text(name) || dflt
    if (v === undefined || v === '') return undefined
    let ms: number
    try {
      ms = parseDuration(v)
    } catch {
      throw new InputError(
        name,
        `${show(v)} is not a duration: use a Go duration such as 30s, 1m30s or 500ms`
      )
    }
    const over = durationOverMaximum(ms)
    if (over) throw new InputError(name, `${show(v)} ${over}`)
    return ms
  }

  /** A whole number of at least 0, `dflt` when empty. */
  count(name: string, dflt: number): number {
    const v = this.text(name)
    if (v === '') return dflt
    if (!/^\d+$/.test(v))
      throw new InputError(name, `${show(v)} is not a whole number of at least 0`)
    return Number(v)
  }

  positiveInt(name: string): number | undefined {
    const v = this.text(name)
    if (v === '') return undefined
    if (!/^\d+$/.test(v) || Number(v) < 1)
      throw new InputError(name, `${show(v)} is not a whole number of at least 1`)
    return Number(v)
  }

  /**
   * Refuses inputs that mean nothing without another one (a build option
   * without "context"): the first of `names` that is set fails with `why`.
   * Booleans in `switches` count only when turned away from their default,
   * which is what "nothing to do" means for them.
   */
  refuseIfSet(why: string, names: readonly string[], switches: [string, boolean][] = []): void {
    for (const name of names) if (this.text(name)) throw new InputError(name, why)
    for (const [name, dflt] of switches)
      if (this.bool(name, dflt) !== dflt) throw new InputError(name, why)
  }
}
