import { NerdctlError } from '../../src/nerdctl/base/errors.js'
import { parseJsonArray, parseJsonLines } from '../../src/nerdctl/pure/json.js'
import {
  formatDuration,
  parseDuration,
  parsePercent,
  parseSize
} from '../../src/nerdctl/pure/units.js'
import { fixture } from './fixtures.js'

describe('parseSize', () => {
  test.each([
    ['0B', 0],
    ['512B', 512],
    ['12kB', 12_000],
    ['2.036MB', 2_036_000],
    ['1.5 GB', 1_500_000_000],
    ['548KiB', 548 * 1024],
    ['64MiB', 64 * 1024 ** 2],
    ['3.9GiB', Math.round(3.9 * 1024 ** 3)],
    ['42', 42]
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes)
  })

  test.each(['', 'abc', '12 parsecs', '1.2.3MB', '-5MB'])('"%s" is a ConversionError', text => {
    expect(() => parseSize(text)).toThrow(NerdctlError)
    try {
      parseSize(text)
    } catch (e: unknown) {
      expect((e as NerdctlError).kind).toBe('ConversionError')
      expect((e as NerdctlError).text).toBe(text)
    }
  })
})

describe('parsePercent', () => {
  test.each([
    ['0.00%', 0],
    ['12.5%', 12.5],
    ['--', 0]
  ])('%s', (text, value) => expect(parsePercent(text)).toBe(value))
  test('rejects text that is not a percentage', () =>
    expect(() => parsePercent('12')).toThrow(/percentage/))
})

describe('parseDuration', () => {
  test.each([
    ['0', 0],
    ['500ms', 500],
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['2h3m4s', 7_384_000],
    ['250us', 0.25]
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms))

  test.each(['', '30', '1 m', 'm30s', '1d', '30s ago'])('"%s" is a ConversionError', text => {
    expect(() => parseDuration(text)).toThrow(/Go duration/)
  })

  test.each([
    [90_000, '1m30s'],
    [500, '500ms'],
    [3_600_000, '1h'],
    [0, '0s']
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
    expect(parseDuration(formatDuration(ms))).toBe(ms)
  })
})

describe('JSON output', () => {
  test('inspect output is an array of objects', () => {
    const [c] = parseJsonArray(fixture('inspect-running.json'))
    expect(typeof c?.Id).toBe('string')
  })

  test('--format json lines are one object per line', () => {
    const lines = parseJsonLines(fixture('ps.jsonl'))
    expect(lines.length).toBeGreaterThanOrEqual(6)
    expect(lines.every(l => typeof l.ID === 'string')).toBe(true)
  })

  test('garbage is a JsonParseError that carries the text', () => {
    try {
      parseJsonLines('{"ok":1}\nnot json')
      throw new Error('no error')
    } catch (e: unknown) {
      expect(e).toBeInstanceOf(NerdctlError)
      expect((e as NerdctlError).kind).toBe('JsonParseError')
      expect((e as NerdctlError).text).toBe('not json')
    }
    expect(() => parseJsonArray('{"not":"an array"}')).toThrow(/could not read/)
  })
})
