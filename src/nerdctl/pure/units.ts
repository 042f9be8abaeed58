// Units as nerdctl prints and reads them: human sizes ("1.5MiB", "12kB"),
// percentages, and Go durations ("1m30s"), to and from numbers.
import { NerdctlError } from '../base/errors.js'
import type { Duration } from '../base/types.js'

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

/** A Duration (Go duration text, or milliseconds) in milliseconds. */
export function durationMs(d: Duration): number {
  return typeof d === 'number' ? d : parseDuration(d)
}

/** Milliseconds back to a Go duration nerdctl accepts ("90000" -> "1m30s"). */
export function formatDuration(ms: number): string {
  // Whole nanoseconds, Go's resolution, so "250us" survives the round trip.
  let rest = Math.round(ms * 1e6)
  if (rest <= 0) return '0s'
  const units: [string, number][] = [
    ['h', 3_600e9],
    ['m', 60e9],
    ['s', 1e9],
    ['ms', 1e6],
    ['us', 1e3],
    ['ns', 1]
  ]
  let out = ''
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size)
    if (n > 0) out += `${n}${unit}`
    rest -= n * size
  }
  return out
}
