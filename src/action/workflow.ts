// The runner's protocol for the action's main and post steps: inputs, outputs,
// post-step state, masks, log lines and annotations, groups, the job summary
// and stop-commands regions, written exactly as @actions/core writes them
// (INPUT_* and STATE_* variables, the GITHUB_OUTPUT / GITHUB_STATE /
// GITHUB_STEP_SUMMARY files, `::command::` lines on stdout). This is the one
// place the action speaks it; `__tests__/unit/protocol-parity.test.ts` runs the
// same calls through this module and through @actions/core, with and without
// each file, and compares stdout and every file byte for byte.
//
// Why not @actions/core here: importing it loads its OIDC client and with it
// an HTTP stack (undici), about +60 ms on every Node start, and the runner
// starts Node twice per step (main, post) though no step asks for a token.
// User scripts do get the real @actions/core (src/script/toolkit.ts), loaded
// only when a script runs. ARCHITECTURE.md keeps the measurement.
import { appendFileSync, closeSync, existsSync, openSync, readSync } from 'node:fs'
import { access, appendFile, constants } from 'node:fs/promises'
import { EOL } from 'node:os'

/** The variable the runner passes an input in: INPUT_ and the name, spaces as _, upper case. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/** `%`, CR and LF in a command's message, as the runner decodes them. */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/** One `::name k=v,...::message` line; properties with an empty value are left out, as core leaves them. */
export function command(
  name: string,
  message: string,
  properties: Record<string, string> = {}
): void {
  const keys = Object.keys(properties)
  const props = Object.entries(properties)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',')
  process.stdout.write(
    `::${name}${keys.length > 0 ? ` ${props}` : ''}::${escapeData(message)}${EOL}`
  )
}

/**
 * Bytes from the kernel's generator. Read here rather than through
 * node:crypto, whose load costs about 12 ms of every start.
 */
function randomBytes(size: number): Buffer {
  const b = Buffer.alloc(size)
  const fd = openSync('/dev/urandom', 'r')
  try {
    for (let n = 0; n < size;) n += readSync(fd, b, n, size - n, null)
  } finally {
    closeSync(fd)
  }
  return b
}

/** A version 4 UUID, as crypto.randomUUID makes one, for the delimiters below. */
function delimiterUuid(): string {
  const b = randomBytes(16)
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * One `name<<delimiter` entry of a file command (GITHUB_OUTPUT, GITHUB_STATE).
 * A variable that names a file that is not there is an error, as in core: the
 * runner always creates the file, so its absence means the value would be lost.
 */
function fileCommand(variable: string, name: string, value: string): void {
  const file = process.env[variable] as string
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`)
  const delimiter = `ghadelimiter_${delimiterUuid()}`
  if (name.includes(delimiter))
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`)
  if (value.includes(delimiter))
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`)
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, {
    encoding: 'utf8'
  })
}

/** An input as the runner passes it, trimmed as core trims it. */
export function getInput(name: string): string {
  return (process.env[inputVariable(name)] || '').trim()
}

export function setOutput(name: string, value: string): void {
  if (process.env.GITHUB_OUTPUT) return fileCommand('GITHUB_OUTPUT', name, value)
  // core starts the old command on a line of its own; the runner needs it at a line start.
  process.stdout.write(EOL)
  command('set-output', value, { name })
}

export function saveState(name: string, value: string): void {
  if (process.env.GITHUB_STATE) return fileCommand('GITHUB_STATE', name, value)
  command('save-state', value, { name })
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] || ''
}

/** Masks a value in every later log line of the job. */
export function setSecret(secret: string): void {
  command('add-mask', secret)
}

export function info(message: string): void {
  process.stdout.write(message + EOL)
}

/**
 * Text a process printed (a container's logs, an exec's output, a build's
 * progress), shown as text: the runner obeys no workflow command in it.
 * It is written in one write as one region, `::stop-commands::TOKEN`, the
 * text, `::TOKEN::`, so nothing else the step writes can land inside the
 * region and nothing of the text outside it. The token is fresh for each
 * region and unguessable (128 random bits), so the text cannot end the
 * region early: it was printed before the token existed.
 */
export function output(text: string, stream: NodeJS.WritableStream = process.stdout): void {
  const body = text.replace(/\r?\n$/, '')
  let token = randomBytes(16).toString('hex')
  while (body.includes(token)) token = randomBytes(16).toString('hex')
  stream.write(`::stop-commands::${token}${EOL}${body}${EOL}::${token}::${EOL}`)
}

export function debug(message: string): void {
  command('debug', message)
}

export function warning(message: string): void {
  command('warning', message)
}

export function error(message: string): void {
  command('error', message)
}

/** The step fails with this message once the process ends. */
export function setFailed(message: string): void {
  process.exitCode = 1
  error(message)
}

/** Runs fn inside a collapsible group of the log. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  command('group', name)
  try {
    return await fn()
  } finally {
    command('endgroup', '')
  }
}

/**
 * Appends to the job summary (Markdown with HTML), as core's
 * `summary.addRaw(text).write()` does. Without GITHUB_STEP_SUMMARY (a runner
 * that offers no summary, the CLI outside a step) there is nothing to write
 * and the step goes on; a variable naming a file this user cannot write is
 * an error, in core's words.
 */
export async function appendSummary(text: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) return
  try {
    await access(file, constants.R_OK | constants.W_OK)
  } catch {
    throw new Error(
      `Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`
    )
  }
  await appendFile(file, text, { encoding: 'utf8' })
}
