// The YAML parser of the two inputs written in YAML (registries, services).
// It is the largest dependency of the main step, and most steps give neither
// input, so the bundle keeps it in a chunk of its own that is loaded only when
// one of them is given: `loadYaml` before the inputs are read, then
// `parseYaml` as the (synchronous) reading of those inputs needs it.
//
// Both inputs hold passwords, and the parser's own messages quote the source
// line around a mistake (its warnings go straight to stderr, so to the log):
// before the passwords are masked, since they are found only by parsing. So
// warnings are not printed, and a syntax error says where and what kind of
// mistake, never the text.
type Parse = (text: string, options: { logLevel: 'error'; prettyErrors: boolean }) => unknown

let parse: Parse | undefined

export async function loadYaml(): Promise<void> {
  parse ??= (await import('yaml')).parse as Parse
}

/** A YAML syntax error: where, and what kind of mistake; never the source text. */
export class YamlSyntaxError extends Error {
  /** Where it is, 1-based, as the parser's own errors carry it (`linePos`). */
  readonly linePos: { line: number; col: number }[]

  constructor(kind: string, line?: number, col?: number) {
    super(
      line === undefined
        ? `${kind} (the YAML is not shown: it may hold passwords)`
        : `${kind} at line ${line}, column ${col ?? 1} (the YAML is not shown: it may hold passwords)`
    )
    this.name = 'YamlSyntaxError'
    this.linePos = line === undefined ? [] : [{ line, col: col ?? 1 }]
  }
}

/**
 * What each of the parser's error codes means, in words that quote nothing
 * (its own messages may hold a piece of the text: an escape, a tag, an alias).
 */
const KINDS: Readonly<Record<string, string>> = {
  MISSING_CHAR: 'a closing quote or bracket is missing',
  BAD_INDENT: 'the indentation is wrong',
  TAB_AS_INDENT: 'a tab is used for indentation (use spaces)',
  DUPLICATE_KEY: 'a key appears twice in the same map',
  BLOCK_AS_IMPLICIT_KEY: 'a map is nested on one line (quote a value that holds ": ")',
  MULTILINE_IMPLICIT_KEY: 'a key spans several lines',
  UNEXPECTED_TOKEN: 'unexpected text',
  BAD_DQ_ESCAPE: 'an invalid escape sequence in a double-quoted string',
  BAD_SCALAR_START: 'a plain value starts with a reserved character (quote it)',
  BLOCK_IN_FLOW: 'a block value inside [ ] or { }',
  MULTIPLE_DOCS: 'more than one YAML document (---)',
  KEY_OVER_1024_CHARS: 'a key is longer than 1024 characters',
  MULTIPLE_ANCHORS: 'a value has more than one anchor',
  MULTIPLE_TAGS: 'a value has more than one tag',
  BAD_PROP_ORDER: 'an anchor or tag is out of place',
  ALIAS_PROPS: 'an alias has an anchor or tag',
  BAD_ALIAS: 'an alias is invalid',
  BAD_DIRECTIVE: 'a directive is invalid',
  NON_STRING_KEY: 'a key is not a string',
  TAG_RESOLVE_FAILED: 'a tag cannot be resolved',
  BAD_COLLECTION_TYPE: 'a collection has the wrong type for its tag'
}

export function parseYaml(text: string): unknown {
  if (!parse) {
    throw new Error(
      'internal error: the YAML parser was not loaded before the inputs were read (loadYaml)'
    )
  }
  try {
    return parse(text, { logLevel: 'error', prettyErrors: true })
  } catch (e: unknown) {
    throw syntaxError(e)
  }
}

function syntaxError(e: unknown): YamlSyntaxError {
  const { code, linePos } = e as { code?: unknown; linePos?: { line?: unknown; col?: unknown }[] }
  const where = linePos?.[0]
  const line = typeof where?.line === 'number' ? where.line : undefined
  const col = typeof where?.col === 'number' ? where.col : undefined
  if (typeof code === 'string')
    return new YamlSyntaxError(`not valid YAML: ${KINDS[code] ?? code}`, line, col)
  // The parser's other errors: an alias whose anchor is missing, too many aliases.
  if (e instanceof ReferenceError && /^Unresolved alias/.test(e.message))
    return new YamlSyntaxError('not valid YAML: an alias (*name) has no anchor (&name) before it')
  if (e instanceof ReferenceError && /^Excessive alias count/.test(e.message))
    return new YamlSyntaxError('not valid YAML: too many aliases (*name)')
  return new YamlSyntaxError('not valid YAML')
}
