// The `core` a user script gets: the whole API of @actions/core (v3) — inputs,
// outputs, state, secrets, log commands and annotations, groups, exported
// variables and PATH, the job summary builder, path helpers, platform facts
// and OIDC tokens — on the runner protocol of workflow.ts.
//
// Why not hand scripts @actions/core itself: its OIDC client brings an HTTP
// stack (undici) that made the action's bundle over a megabyte, for one call
// few scripts make. Here the token request uses Node's own fetch. A unit test
// holds this module to core's list of exports and compares what both write.
import { execFile } from 'node:child_process'
import { appendFileSync } from 'node:fs'
import { access, appendFile, writeFile, constants } from 'node:fs/promises'
import { EOL, arch as osArch, platform as osPlatform } from 'node:os'
import { delimiter, sep } from 'node:path'
import { command, fileCommand, getState, info, saveState as saveStateText } from './workflow.js'

export { getState, info }

export enum ExitCode {
  Success = 0,
  Failure = 1
}

export interface InputOptions {
  required?: boolean
  trimWhitespace?: boolean
}

export interface AnnotationProperties {
  title?: string
  file?: string
  startLine?: number
  endLine?: number
  startColumn?: number
  endColumn?: number
}

/** A value as a command carries it: strings as they are, null and undefined empty, the rest as JSON. */
function commandValue(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string' || value instanceof String) return String(value)
  return JSON.stringify(value)
}

export function getInput(name: string, options?: InputOptions): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? ''
  if (options?.required && !value) throw new Error(`Input required and not supplied: ${name}`)
  return options?.trimWhitespace === false ? value : value.trim()
}

export function getMultilineInput(name: string, options?: InputOptions): string[] {
  const lines = getInput(name, options)
    .split('\n')
    .filter(l => l !== '')
  return options?.trimWhitespace === false ? lines : lines.map(l => l.trim())
}

/** true/True/TRUE or false/False/FALSE (YAML 1.2's core schema); anything else throws. */
export function getBooleanInput(name: string, options?: InputOptions): boolean {
  const value = getInput(name, options)
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new TypeError(
    `Input does not meet YAML 1.2 "Core Schema" specification: ${name}\n` +
      'Support boolean input list: `true | True | TRUE | false | False | FALSE`'
  )
}

export function setOutput(name: string, value: unknown): void {
  fileCommand('GITHUB_OUTPUT', 'set-output', name, commandValue(value))
}

export function saveState(name: string, value: unknown): void {
  saveStateText(name, commandValue(value))
}

/** Sets a variable for this process and every later step of the job. */
export function exportVariable(name: string, value: unknown): void {
  const text = commandValue(value)
  process.env[name] = text
  fileCommand('GITHUB_ENV', 'set-env', name, text)
}

/** Puts a directory first on PATH, for this process and every later step. */
export function addPath(path: string): void {
  const file = process.env.GITHUB_PATH
  if (file) appendFileSync(file, `${path}${EOL}`, 'utf8')
  else command('add-path', path)
  process.env.PATH = `${path}${delimiter}${process.env.PATH ?? ''}`
}

export function setSecret(secret: string): void {
  command('add-mask', secret)
}

export function setCommandEcho(enabled: boolean): void {
  command('echo', enabled ? 'on' : 'off')
}

export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1'
}

export function debug(message: string): void {
  command('debug', message)
}

/** An annotation's properties by the names the runner reads (line, col, ...); unset ones left out. */
function annotation(properties: AnnotationProperties): Record<string, string> {
  const named: Record<string, string | number | undefined> = {
    title: properties.title,
    file: properties.file,
    line: properties.startLine,
    endLine: properties.endLine,
    col: properties.startColumn,
    endColumn: properties.endColumn
  }
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(named)) if (v) out[k] = String(v)
  return out
}

const text = (message: string | Error): string =>
  message instanceof Error ? message.toString() : message

export function error(message: string | Error, properties: AnnotationProperties = {}): void {
  command('error', text(message), annotation(properties))
}

export function warning(message: string | Error, properties: AnnotationProperties = {}): void {
  command('warning', text(message), annotation(properties))
}

export function notice(message: string | Error, properties: AnnotationProperties = {}): void {
  command('notice', text(message), annotation(properties))
}

export function setFailed(message: string | Error): void {
  process.exitCode = ExitCode.Failure
  error(message)
}

export function startGroup(name: string): void {
  command('group', name)
}

export function endGroup(): void {
  command('endgroup', '')
}

export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  startGroup(name)
  try {
    return await fn()
  } finally {
    endGroup()
  }
}

export const toPosixPath = (path: string): string => path.replace(/[\\]/g, '/')
export const toWin32Path = (path: string): string => path.replace(/[/]/g, '\\')
export const toPlatformPath = (path: string): string => path.replace(/[/\\]/g, sep)

// ---- OIDC --------------------------------------------------------------------------------

/** Statuses the token service may answer while it is briefly unavailable: asked again. */
const RETRY_STATUS = new Set([502, 503, 504])
const TOKEN_TRIES = 10

/**
 * A JSON Web Token for the job from GitHub's OIDC provider (the workflow needs
 * `permissions: id-token: write`), masked in the log before it is returned.
 */
export async function getIDToken(audience?: string): Promise<string> {
  try {
    let url = process.env.ACTIONS_ID_TOKEN_REQUEST_URL
    if (!url) throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable')
    if (audience) url = `${url}&audience=${encodeURIComponent(audience)}`
    debug(`ID token url is ${url}`)
    const token = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    if (!token) throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable')
    const value = await fetchToken(url, token)
    setSecret(value)
    return value
  } catch (e: unknown) {
    throw new Error(`Error message: ${e instanceof Error ? e.message : String(e)}`)
  }
}

async function fetchToken(url: string, token: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    let response: Response | undefined
    let failure = ''
    try {
      response = await fetch(url, {
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${token}`,
          'User-Agent': 'actions/oidc-client'
        }
      })
    } catch (e: unknown) {
      failure = e instanceof Error ? e.message : String(e)
    }
    const retry = !response || RETRY_STATUS.has(response.status)
    if (retry && attempt < TOKEN_TRIES) {
      // 5 ms doubling per try, as the toolkit's HTTP client waits, capped at about 5 s.
      await new Promise(r => setTimeout(r, 5 * 2 ** Math.min(attempt, 10)))
      continue
    }
    if (!response) throw new Error(`Failed to get ID Token: ${failure}`)
    const body = await response.text()
    if (!response.ok) {
      throw new Error(
        `Failed to get ID Token. Error Code : ${response.status}. Error Message: ${body.slice(0, 500)}`
      )
    }
    let value: unknown
    try {
      value = (JSON.parse(body) as { value?: unknown } | null)?.value
    } catch {
      value = undefined
    }
    if (typeof value !== 'string' || !value)
      throw new Error('Response json body do not have ID Token field')
    return value
  }
}

// ---- platform ------------------------------------------------------------------------------

export const platform = {
  platform: osPlatform(),
  arch: osArch(),
  isWindows: osPlatform() === 'win32',
  isMacOS: osPlatform() === 'darwin',
  isLinux: osPlatform() === 'linux',
  /** The OS's name and version, as the toolkit finds them (lsb_release, sw_vers, PowerShell). */
  async getDetails(): Promise<{
    name: string
    version: string
    platform: string
    arch: string
    isWindows: boolean
    isMacOS: boolean
    isLinux: boolean
  }> {
    const { platform: p, arch, isWindows, isMacOS, isLinux } = platform
    let name = ''
    let version = ''
    if (isWindows) {
      const ps = (q: string): Promise<string> =>
        output('powershell', [
          '-command',
          `(Get-CimInstance -ClassName Win32_OperatingSystem).${q}`
        ])
      version = (await ps('Version')).trim()
      name = (await ps('Caption')).trim()
    } else if (isMacOS) {
      const out = await output('sw_vers', [])
      version = /ProductVersion:\s*(.+)/.exec(out)?.[1] ?? ''
      name = /ProductName:\s*(.+)/.exec(out)?.[1] ?? ''
    } else {
      ;[name = '', version = ''] = (await output('lsb_release', ['-i', '-r', '-s']))
        .trim()
        .split('\n')
    }
    return { name, version, platform: p, arch, isWindows, isMacOS, isLinux }
  }
}

function output(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 30_000 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout)
    )
  })
}

// ---- the job summary ---------------------------------------------------------------------

export type SummaryTableCell =
  string | { data: string; header?: boolean; colspan?: string; rowspan?: string }
export type SummaryTableRow = SummaryTableCell[]

/** The job summary builder: Markdown and HTML added to a buffer, written to GITHUB_STEP_SUMMARY. */
export class Summary {
  private buffer = ''
  private path: string | undefined

  async filePath(): Promise<string> {
    if (this.path) return this.path
    const file = process.env.GITHUB_STEP_SUMMARY
    if (!file) {
      throw new Error(
        'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.'
      )
    }
    try {
      await access(file, constants.R_OK | constants.W_OK)
    } catch {
      throw new Error(
        `Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`
      )
    }
    this.path = file
    return file
  }

  /** An HTML element; with no content, the opening tag alone (img, hr, br). */
  wrap(tag: string, content: string | null, attrs: Record<string, string> = {}): string {
    const html = Object.entries(attrs)
      .map(([k, v]) => ` ${k}="${v}"`)
      .join('')
    return content ? `<${tag}${html}>${content}</${tag}>` : `<${tag}${html}>`
  }

  async write(options?: { overwrite?: boolean }): Promise<Summary> {
    const file = await this.filePath()
    await (options?.overwrite ? writeFile : appendFile)(file, this.buffer, { encoding: 'utf8' })
    return this.emptyBuffer()
  }

  async clear(): Promise<Summary> {
    return this.emptyBuffer().write({ overwrite: true })
  }

  stringify(): string {
    return this.buffer
  }

  isEmptyBuffer(): boolean {
    return this.buffer.length === 0
  }

  emptyBuffer(): Summary {
    this.buffer = ''
    return this
  }

  addRaw(text: string, addEOL = false): Summary {
    this.buffer += text
    return addEOL ? this.addEOL() : this
  }

  addEOL(): Summary {
    return this.addRaw(EOL)
  }

  private element(html: string): Summary {
    return this.addRaw(html).addEOL()
  }

  addCodeBlock(code: string, lang?: string): Summary {
    return this.element(this.wrap('pre', this.wrap('code', code), lang ? { lang } : {}))
  }

  addList(items: string[], ordered = false): Summary {
    const li = items.map(item => this.wrap('li', item)).join('')
    return this.element(this.wrap(ordered ? 'ol' : 'ul', li))
  }

  addTable(rows: SummaryTableRow[]): Summary {
    const body = rows
      .map(row => {
        const cells = row.map(cell => {
          if (typeof cell === 'string') return this.wrap('td', cell)
          const attrs: Record<string, string> = {}
          if (cell.colspan) attrs.colspan = cell.colspan
          if (cell.rowspan) attrs.rowspan = cell.rowspan
          return this.wrap(cell.header ? 'th' : 'td', cell.data, attrs)
        })
        return this.wrap('tr', cells.join(''))
      })
      .join('')
    return this.element(this.wrap('table', body))
  }

  addDetails(label: string, content: string): Summary {
    return this.element(this.wrap('details', this.wrap('summary', label) + content))
  }

  addImage(src: string, alt: string, options?: { width?: string; height?: string }): Summary {
    const attrs: Record<string, string> = { src, alt }
    if (options?.width) attrs.width = options.width
    if (options?.height) attrs.height = options.height
    return this.element(this.wrap('img', null, attrs))
  }

  addHeading(text: string, level?: number | string): Summary {
    const tag = `h${level}`
    return this.element(this.wrap(/^h[1-6]$/.test(tag) ? tag : 'h1', text))
  }

  addSeparator(): Summary {
    return this.element(this.wrap('hr', null))
  }

  addBreak(): Summary {
    return this.element(this.wrap('br', null))
  }

  addQuote(text: string, cite?: string): Summary {
    return this.element(this.wrap('blockquote', text, cite ? { cite } : {}))
  }

  addLink(text: string, href: string): Summary {
    return this.element(this.wrap('a', text, { href }))
  }
}

export const summary = new Summary()
/** The summary's old name, kept as core keeps it. */
export const markdownSummary = summary
