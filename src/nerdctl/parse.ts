// Pure parsers of what nerdctl prints: its JSON (inspect arrays, and one JSON
// object per line from `--format '{{json .}}'`), human sizes and Go durations.
// Nothing here runs a command; every function is driven in the unit tests by
// output recorded from the real binary. Tables are never parsed.
import { NerdctlError } from './errors.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

function jsonError(what: string, text: string, cause?: unknown): NerdctlError {
  return new NerdctlError(
    'JsonParseError',
    `could not read ${what} from nerdctl's output: ${snippet(text)}`,
    {
      text,
      cause
    }
  )
}

function snippet(text: string): string {
  const t = text.trim()
  return t.length > 300 ? `${t.slice(0, 300)}…` : t || '(empty output)'
}

/** Parses `nerdctl inspect` output: a JSON array of objects. */
export function parseJsonArray(text: string, what = 'inspect output'): JsonObject[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e: unknown) {
    throw jsonError(what, text, e)
  }
  if (!Array.isArray(value) || !value.every(isObject)) throw jsonError(what, text)
  return value
}

/** Parses `--format '{{json .}}'` output: one JSON object per non-empty line. */
export function parseJsonLines(text: string, what = 'JSON lines'): JsonObject[] {
  const out: JsonObject[] = []
  for (const line of text.split('\n')) {
    const l = line.trim()
    if (!l) continue
    let value: unknown
    try {
      value = JSON.parse(l)
    } catch (e: unknown) {
      throw jsonError(what, l, e)
    }
    if (!isObject(value)) throw jsonError(what, l)
    out.push(value)
  }
  return out
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

// ---- typed field access: nerdctl's JSON is read through these, so a field of an
// unexpected type becomes a clear error or a default instead of `undefined` flowing on.
export function str(o: JsonObject | undefined, key: string): string {
  const v = o?.[key]
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''
}

export function num(o: JsonObject | undefined, key: string): number | undefined {
  const v = o?.[key]
  return typeof v === 'number' ? v : undefined
}

export function bool(o: JsonObject | undefined, key: string): boolean {
  return o?.[key] === true
}

export function obj(o: JsonObject | undefined, key: string): JsonObject | undefined {
  const v = o?.[key]
  return isObject(v) ? v : undefined
}

export function arr(o: JsonObject | undefined, key: string): Json[] {
  const v = o?.[key]
  return Array.isArray(v) ? v : []
}

// ---- sizes -------------------------------------------------------------------------
const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  eb: 1e18,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  pib: 1024 ** 5,
  // `stats` shows an unlimited container's memory limit as 8EiB.
  eib: 1024 ** 6
}

/**
 * Human sizes as nerdctl prints them to bytes: decimal units ("12kB", "1.5 MB",
 * from go-units HumanSize, used by `images`) and binary units ("1.5MiB", from
 * BytesSize, used by `stats`). A bare number is bytes.
 */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i.exec(text)
  const unit = m ? SIZE_UNITS[(m[2] ?? '').toLowerCase() || 'b'] : undefined
  if (!m || unit === undefined) {
    throw new NerdctlError(
      'ConversionError',
      `"${text}" is not a size: expected a number with a unit such as 512B, 12kB, 1.5MiB or 2GB`,
      { text }
    )
  }
  return Math.round(Number(m[1]) * unit)
}

/** "used / limit" pairs of `stats` ("1.2MiB / 3.9GiB", "0B / 0B") to bytes. */
export function parseSizePair(text: string): [number, number] {
  const parts = text.split('/')
  if (parts.length !== 2) {
    throw new NerdctlError(
      'ConversionError',
      `"${text}" is not a pair of sizes like "1.2MiB / 3.9GiB"`,
      {
        text
      }
    )
  }
  return [parseSize(parts[0] as string), parseSize(parts[1] as string)]
}

/** "12.34%" to 12.34; "--" (no data yet) to 0. */
export function parsePercent(text: string): number {
  const t = text.trim()
  if (t === '--' || t === '') return 0
  const m = /^(-?\d+(?:\.\d+)?)\s*%$/.exec(t)
  if (!m) {
    throw new NerdctlError('ConversionError', `"${text}" is not a percentage like "12.5%"`, {
      text
    })
  }
  return Number(m[1])
}

// ---- durations ---------------------------------------------------------------------
const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000
}

/** Go durations ("1m30s", "500ms", "1.5h", "0") to milliseconds. */
export function parseDuration(text: string): number {
  const t = text.trim()
  if (t === '0') return 0
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/gy
  let total = 0
  let matched = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(t)) !== null) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number)
    matched = re.lastIndex
  }
  if (t === '' || matched !== t.length) {
    throw new NerdctlError(
      'ConversionError',
      `"${text}" is not a duration: expected a Go duration such as 500ms, 30s, 1m30s or 2h`,
      { text }
    )
  }
  return total
}

/** Milliseconds back to a Go duration nerdctl accepts ("90000" -> "1m30s"). */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s'
  const parts: string[] = []
  let rest = Math.round(ms)
  const h = Math.floor(rest / 3_600_000)
  rest -= h * 3_600_000
  const m = Math.floor(rest / 60_000)
  rest -= m * 60_000
  const s = Math.floor(rest / 1000)
  const msPart = rest - s * 1000
  if (h) parts.push(`${h}h`)
  if (m) parts.push(`${m}m`)
  if (s) parts.push(`${s}s`)
  if (msPart) parts.push(`${msPart}ms`)
  return parts.join('')
}
