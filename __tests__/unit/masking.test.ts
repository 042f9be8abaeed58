// The CLI's local runner reads a step's output with one reader that masks as
// the runner does: one line at a time, every value `add-mask` registered.
import { describe, expect, test } from '@jest/globals'
import { CommandReader, Masker } from '../../src/cli/commands.js'

/** The lines a person would see after the reader: text as shown, command data masked. */
function shown(log: string): string[] {
  const reader = new CommandReader()
  return log.split('\n').flatMap(line => {
    const r = reader.read(line)
    if (r.kind === 'text') return [r.line]
    if (r.kind === 'command' && r.command.name !== 'add-mask')
      return [`${r.command.name}: ${r.command.data}`]
    return []
  })
}

describe('the local runner masks line by line', () => {
  test('a multi-line secret prints in no line, whole or in part', () => {
    const log = [
      '::add-mask::first-line%0Asecond-line',
      'before first-line after',
      'second-line',
      '::warning::leaked second-line here'
    ].join('\n')
    expect(shown(log)).toEqual(['before *** after', '***', 'warning: leaked *** here'])
  })

  test('a one-line secret is masked wherever it appears, later lines only', () => {
    const log = [
      'token abc123 before',
      '::add-mask::abc123',
      'x abc123 y abc123',
      '::error::abc123'
    ].join('\n')
    expect(shown(log)).toEqual(['token abc123 before', 'x *** y ***', 'error: ***'])
  })

  test('an empty or blank mask hides nothing (the runner ignores it)', () => {
    expect(shown(['::add-mask::', '::add-mask::%0A  ', 'text stays'].join('\n'))).toEqual([
      'text stays'
    ])
  })

  test('overlapping values become one ***', () => {
    const m = new Masker()
    m.add('abcd')
    m.add('cdef')
    expect(m.mask('xabcdefy abcd')).toBe('x***y ***')
  })

  test('text inside a stop-commands region is masked too', () => {
    const log = ['::add-mask::s3cr3t', '::stop-commands::tok', 'printed s3cr3t', '::tok::'].join(
      '\n'
    )
    expect(shown(log)).toEqual(['printed ***'])
  })
})
