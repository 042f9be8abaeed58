// The runner's side of the step: inputs, outputs, post-step state, log lines,
// groups and the job summary, spoken in the runner's documented protocol
// (INPUT_* and STATE_* variables, the GITHUB_OUTPUT / GITHUB_STATE /
// GITHUB_STEP_SUMMARY files, `::command::` lines on stdout).
//
// Why not @actions/core: it imports its OIDC client, and with it an HTTP stack
// (undici), which was three quarters of the bundle and parsed at every start,
// main and post, though no step asks for a token. The handful of functions the
// action needs are written here, byte-compatible with core's (same file
// format, same escaping), so a runner cannot tell them apart. A user script
// gets all of @actions/core's API from actions-core.ts, built on these.
import { appendFileSync, closeSync, openSync, readSync } from 'node:fs'
import { appendFile } from 'node:fs/promises'
import { EOL } from 'node:os'

/** `%`, CR and LF in a command's message, as the runner decodes them. */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

export function command(
  name: string,
  message: string,
  properties: Record<string, string> = {}
): void {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',')
  process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`)
}

/**
 * Bytes from the kernel's generator. Read here rather than through
 * node:crypto, whose load costs about 12 ms of every start; the library does
 * the same for its names (this file is the entry's, and loads no part of the
 * library).
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
 * One `name<<delimiter` entry of a file command (GITHUB_OUTPUT, GITHUB_STATE),
 * or the old stdout command when the runner gave no file.
 */
export function fileCommand(variable: string, legacy: string, name: string, value: string): void {
  const file = process.env[variable]
  if (!file) {
    process.stdout.write(EOL)
    command(legacy, value, { name })
    return
  }
  const delimiter = `ghadelimiter_${delimiterUuid()}`
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`unexpected delimiter in the value of ${name}`)
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8')
}

/** An input as the runner passes it (INPUT_NAME, spaces as _), trimmed as core trims it. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

export function setOutput(name: string, value: string): void {
  fileCommand('GITHUB_OUTPUT', 'set-output', name, value)
}

export function saveState(name: string, value: string): void {
  fileCommand('GITHUB_STATE', 'save-state', name, value)
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? ''
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

/** Appends to the job summary (Markdown with HTML); nothing without a summary file. */
export async function appendSummary(text: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (file) await appendFile(file, text, 'utf8')
}
