// Workflow commands in a step's output, read as the GitHub runner reads them
// (ActionCommandManager): `::name k=v,k2=v2::data` anywhere after leading
// spaces, the older `##[name k=v;]data`, and `::stop-commands::TOKEN`, after
// which no command is obeyed until a line `::TOKEN::`. The local step runner
// and the CLI's progress view both read through this, so a test that reads a
// step's outputs through them sees what a real runner would have done. It also
// masks as the runner masks: every `add-mask` value is hidden in each later
// line, one line at a time (see Masker).

export interface WorkflowCommand {
  name: string
  properties: Record<string, string>
  data: string
}

/** One line of output: text to show, or a command the runner obeys. */
export type LogLine =
  | { kind: 'text'; line: string }
  | { kind: 'command'; command: WorkflowCommand }
  /** A stop-commands line or its resume line: obeyed, never shown. */
  | { kind: 'control' }

function unescapeData(s: string): string {
  return s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%')
}

function unescapeProperty(s: string): string {
  return s
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n')
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%25/g, '%')
}

function unescapeV1(s: string): string {
  return s
    .replace(/%3B/gi, ';')
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n')
    .replace(/%5D/gi, ']')
    .replace(/%25/g, '%')
}

/** `::name props::data` after leading whitespace (the runner's TryParseV2). */
function parseV2(line: string): WorkflowCommand | undefined {
  const t = line.trimStart()
  if (!t.startsWith('::')) return undefined
  const end = t.indexOf('::', 2)
  if (end < 0) return undefined
  const info = t.slice(2, end)
  const space = info.indexOf(' ')
  const name = space < 0 ? info : info.slice(0, space)
  if (!name) return undefined
  const properties: Record<string, string> = {}
  if (space >= 0) {
    for (const p of info.slice(space + 1).split(',')) {
      const eq = p.indexOf('=')
      if (eq > 0) properties[p.slice(0, eq)] = unescapeProperty(p.slice(eq + 1))
    }
  }
  return { name, properties, data: unescapeData(t.slice(end + 2)) }
}

/** `##[name k=v;]data` anywhere in the line (the runner's older TryParse). */
function parseV1(line: string): WorkflowCommand | undefined {
  const start = line.indexOf('##[')
  if (start < 0) return undefined
  const end = line.indexOf(']', start)
  if (end < 0) return undefined
  const info = line.slice(start + 3, end)
  const space = info.indexOf(' ')
  const name = space < 0 ? info : info.slice(0, space)
  if (!name) return undefined
  const properties: Record<string, string> = {}
  if (space >= 0) {
    for (const p of info.slice(space + 1).split(';')) {
      const eq = p.indexOf('=')
      if (eq > 0) properties[p.slice(0, eq).trim()] = unescapeV1(p.slice(eq + 1))
    }
  }
  return { name, properties, data: unescapeV1(line.slice(end + 1)) }
}

/** The commands the runner knows; a line naming any other is text. */
export const RUNNER_COMMANDS: ReadonlySet<string> = new Set([
  'add-mask',
  'add-path',
  'set-env',
  'set-output',
  'save-state',
  'add-matcher',
  'remove-matcher',
  'debug',
  'notice',
  'warning',
  'error',
  'group',
  'endgroup',
  'echo',
  'stop-commands'
])

/** The command a line holds, in either form, or undefined. */
export function parseCommand(line: string): WorkflowCommand | undefined {
  return parseV2(line) ?? parseV1(line)
}

/**
 * The values `add-mask` registered, hidden in each line as `***`. The runner
 * masks one line at a time, so a value with line breaks would never match a
 * line and would print in full: each of its lines is registered as well, and
 * none of it shows. A blank value masks nothing (the runner warns and ignores
 * it). Where matches overlap, the whole stretch becomes one `***`.
 */
export class Masker {
  private readonly values = new Set<string>()

  add(value: string): void {
    for (const v of [value, ...value.split(/\r?\n/)]) if (v.trim()) this.values.add(v)
  }

  mask(line: string): string {
    if (this.values.size === 0) return line
    const ranges: [number, number][] = []
    for (const v of this.values)
      for (let i = line.indexOf(v); i >= 0; i = line.indexOf(v, i + 1))
        ranges.push([i, i + v.length])
    if (ranges.length === 0) return line
    ranges.sort((a, b) => a[0] - b[0])
    let out = ''
    let at = 0
    let end = -1
    for (const [from, to] of ranges) {
      if (from > end) {
        if (end >= 0) out += '***'
        out += line.slice(at, from)
      }
      end = Math.max(end, to)
      at = end
    }
    return `${out}***${line.slice(at)}`
  }
}

/**
 * Reads a step's output line by line with the runner's stop-commands state and
 * masks: one reader per step, shared by its stdout and stderr as the runner
 * shares it. Text lines and the data of commands come back masked.
 */
export class CommandReader {
  private stopToken: string | undefined
  readonly masker = new Masker()

  /** Whether commands are stopped now (inside a `::stop-commands::` region). */
  get stopped(): boolean {
    return this.stopToken !== undefined
  }

  read(line: string): LogLine {
    const text: LogLine = { kind: 'text', line: this.masker.mask(line) }
    const command = parseCommand(line)
    if (!command) return text
    if (this.stopToken !== undefined) {
      // Only the resume line counts, in either form; everything else is text.
      if (command.name.toLowerCase() === this.stopToken.toLowerCase()) {
        this.stopToken = undefined
        return { kind: 'control' }
      }
      return text
    }
    if (!RUNNER_COMMANDS.has(command.name)) return text
    if (command.name === 'stop-commands') {
      if (!command.data) return text
      this.stopToken = command.data
      return { kind: 'control' }
    }
    if (command.name === 'add-mask') {
      this.masker.add(command.data)
      return { kind: 'command', command }
    }
    return { kind: 'command', command: { ...command, data: this.masker.mask(command.data) } }
  }
}

/** Splits a stream's chunks into lines; `end` gives the last one without a newline. */
export function lineSplitter(onLine: (line: string) => void): {
  write: (chunk: string) => void
  end: () => void
} {
  let pending = ''
  return {
    write: chunk => {
      const lines = (pending + chunk).split('\n')
      pending = lines.pop() ?? ''
      for (const l of lines) onLine(l.endsWith('\r') ? l.slice(0, -1) : l)
    },
    end: () => {
      if (pending) onLine(pending)
      pending = ''
    }
  }
}
