// Reading nerdctl's JSON: inspect prints one array, `--format '{{json .}}'`
// one object per line. Fields are read through typed accessors, so a field of
// an unexpected type becomes a default instead of `undefined` flowing on.
import { NerdctlError } from '../base/errors.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

export function jsonError(what: string, text: string, cause?: unknown): NerdctlError {
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
