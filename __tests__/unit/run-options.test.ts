// The `options` reader against what the real nerdctl says: the flag table is
// the one scripts/record-run-flags.sh wrote from `nerdctl run --help`, and
// this test re-reads the recorded help so a hand edit of either shows.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { GLOBAL_FLAGS, RUN_FLAGS } from '../../src/action/run-flags.js'
import { parseRunOptions } from '../../src/action/run-options.js'
import { ROOT } from '../helpers/action-defaults.js'

const help = (name: string): string =>
  readFileSync(join(ROOT, '__tests__', 'fixtures', name), 'utf8')

/** pflag's usage line: `  -l, --label stringArray   Usage`; a type word means a value. */
function flagsOf(text: string): Record<string, [string, boolean]> {
  const out: Record<string, [string, boolean]> = {}
  for (const line of text.split('\n')) {
    const m = /^ {2}(?:-(\w), )? *--([\w-]+)(?: (\S+))? {2,}/.exec(line)
    if (m) out[m[2] as string] = [m[1] ?? '', m[3] !== undefined]
  }
  return out
}

describe('the nerdctl run flag table', () => {
  test('is what the recorded `nerdctl run --help` says', () => {
    expect(RUN_FLAGS).toEqual(flagsOf(help('run-help.txt')))
  })

  test("global flags are the root help's long flags, plus the hidden global-dns ones", () => {
    const root = flagsOf(help('global-help.txt'))
    for (const [name, entry] of Object.entries(GLOBAL_FLAGS)) {
      if (name.startsWith('global-dns')) continue
      expect([name, root[name]?.[1]]).toEqual([name, entry[1]])
    }
    expect(Object.keys(GLOBAL_FLAGS)).toEqual(
      expect.arrayContaining(['namespace', 'address', 'host', 'data-root'])
    )
  })

  test('it was recorded from the pinned nerdctl', () => {
    expect(help('run-help.version.txt')).toContain('2.3.5')
  })
})

describe('parseRunOptions reads words as pflag does', () => {
  test.each<[string[], [string, string][]]>([
    [
      ['-itd'],
      [
        ['interactive', 'true'],
        ['tty', 'true'],
        ['detach', 'true']
      ]
    ],
    [['-lfoo=bar'], [['label', 'foo=bar']]],
    [['-l=foo=bar'], [['label', 'foo=bar']]],
    [['-l', 'foo'], [['label', 'foo']]],
    [
      ['-dlfoo'],
      [
        ['detach', 'true'],
        ['label', 'foo']
      ]
    ],
    [['-d=false'], [['detach', 'false']]],
    // A value flag before a boolean takes the rest of the word.
    [['-ud'], [['user', 'd']]],
    [['-l='], [['label', '=']]],
    [['--label', '-d'], [['label', '-d']]],
    [['--label=-d'], [['label', '-d']]],
    [['--rm=false'], [['rm', 'false']]],
    [
      ['-v', '/a:/b', '--tmpfs=/run'],
      [
        ['volume', '/a:/b'],
        ['tmpfs', '/run']
      ]
    ]
  ])('%j', (words, flags) => {
    expect(parseRunOptions(words).map(f => [f.name, f.value])).toEqual(flags)
  })

  test.each([['--lab=x'], ['-d='], ['-Z'], ['image'], ['-'], ['--'], ['--label']])(
    '%j is refused',
    word => {
      expect(() => parseRunOptions([word])).toThrow()
    }
  )
})
