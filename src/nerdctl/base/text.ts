// Text for messages: how an argv is shown, how long output is shortened, and
// what an unknown thrown value says. Display only: nothing here is ever run.

/** Quotes one argument for display, as a POSIX shell would need it. */
export function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}

/** An argv as one line for messages and logs; a huge argument is shown by its start and size. */
export function formatArgv(args: readonly string[]): string {
  return args
    .map(a =>
      a.length > 1000 ? `${quoteArg(a.slice(0, 100))}…(${a.length} characters)` : quoteArg(a)
    )
    .join(' ')
}

/** Shortens text for messages, keeping its end, where nerdctl puts the cause. */
export function tail(text: string, maxChars = 2000): string {
  const t = text.trim()
  return t.length <= maxChars ? t : `…${t.slice(t.length - maxChars)}`
}

/** The message of anything thrown: an Error's message, or the value as text. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** A value a user gave, quoted and cut for a message. */
export function showValue(value: string, maxChars = 200): string {
  return JSON.stringify(value.length > maxChars ? `${value.slice(0, maxChars)}…` : value)
}
