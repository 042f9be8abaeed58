// Reads a service's `options` the way nerdctl's flag parser (spf13/pflag, as
// cobra sets it up for `nerdctl run`) reads the same words, so a check on
// the flags sees what nerdctl will see: short flags bundle (`-itd`), a short
// flag that takes a value takes the rest of its word (`-lkey=v`, `-l=key=v`)
// or the next word, long flags take `--x=v` or `--x v`, and there are no
// abbreviations (pflag looks long names up exactly: `--labe` is unknown).
// Which flags take a value comes from the real binary (src/action/run-flags.ts,
// written by scripts/record-run-flags.sh).
import { GLOBAL_FLAGS, RUN_FLAGS } from './run-flags.js'

/** One flag as nerdctl reads it. */
export interface RunOption {
  /** Its long name, without dashes, whichever way it was spelled. */
  name: string
  /** The word it was read from, as written (for messages). */
  word: string
  /** Its value ("true" for a boolean given alone). */
  value: string
  /** A nerdctl global flag (`--namespace`), which `run` also reads. */
  global: boolean
}

const SHORT: ReadonlyMap<string, string> = new Map(
  Object.entries(RUN_FLAGS)
    .filter(([, [short]]) => short !== '')
    .map(([long, [short]]) => [short, long])
)

function lookup(name: string): { takesValue: boolean; global: boolean } | undefined {
  const run = RUN_FLAGS[name]
  if (run) return { takesValue: run[1], global: false }
  const global = GLOBAL_FLAGS[name]
  return global ? { takesValue: global[1], global: true } : undefined
}

/**
 * The flags in `words`, in order. Anything nerdctl would not read as a flag
 * of `run` is an error: an unknown flag (nerdctl would fail anyway), a flag
 * missing its value, and any positional word or `--`, which nerdctl would
 * read as the image, since the step puts `options` just before it.
 */
export function parseRunOptions(words: readonly string[]): RunOption[] {
  const out: RunOption[] = []
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string
    if (word === '--')
      throw new Error(
        '"--" ends nerdctl\'s flags, so the words after it would be read as the image: remove it'
      )
    if (!word.startsWith('-') || word === '-')
      throw new Error(
        `${JSON.stringify(word)} is not a flag: nerdctl would read it as the image; "options" holds nerdctl run flags only (the command goes in "command")`
      )
    if (word.startsWith('--')) {
      const eq = word.indexOf('=')
      const name = eq < 0 ? word.slice(2) : word.slice(2, eq)
      const flag = lookup(name)
      if (!flag)
        throw new Error(
          `${JSON.stringify(word)}: nerdctl run has no flag --${name} (nerdctl takes no abbreviations): see nerdctl run --help`
        )
      let value: string
      if (eq >= 0) value = word.slice(eq + 1)
      else if (!flag.takesValue) value = 'true'
      else if (i + 1 < words.length) value = words[++i] as string
      else throw new Error(`${JSON.stringify(word)} needs a value`)
      out.push({ name, word, value, global: flag.global })
      continue
    }
    // pflag's parseSingleShortArg, one shorthand at a time.
    let rest = word.slice(1)
    while (rest !== '') {
      const c = rest[0] as string
      const name = SHORT.get(c)
      if (name === undefined)
        throw new Error(
          `${JSON.stringify(word)}: nerdctl run has no flag -${c}: see nerdctl run --help`
        )
      const takesValue = (RUN_FLAGS[name] as readonly [string, boolean])[1]
      let value: string
      if (rest.length > 2 && rest[1] === '=') {
        value = rest.slice(2)
        rest = ''
      } else if (!takesValue) {
        value = 'true'
        rest = rest.slice(1)
      } else if (rest.length > 1) {
        value = rest.slice(1)
        rest = ''
      } else if (i + 1 < words.length) {
        value = words[++i] as string
        rest = ''
      } else throw new Error(`${JSON.stringify(word)}: -${c} needs a value`)
      out.push({ name, word, value, global: false })
    }
  }
  return out
}
