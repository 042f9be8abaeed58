// The action's runner protocol (src/action/workflow.ts) against @actions/core
// itself: the same calls, with each GITHUB_* file present, unset, or named but
// missing, leave the same stdout, the same bytes in every file, the same
// exit code, and throw the same errors. Only what is random in both (the
// file commands' delimiters, the stop-commands token) is normalised.
import { describe, expect, test } from '@jest/globals'
import * as core from '@actions/core'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ours from '../../src/action/workflow.js'
import { captureOutput } from '../helpers/capture-output.js'

/** One call, written once for each side. */
interface Call {
  ours: () => unknown
  core: () => unknown
}

const FILES = ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'] as const
type FileMode = 'file' | 'unset' | 'missing'

const DELIMITER_LIKE = 'x<<ghadelimiter_00000000-0000-4000-8000-000000000000\nghadelimiter_y'
const VALUES = [
  '',
  'plain',
  'two\nlines',
  'crlf\r\nend',
  '50% done: a,b',
  DELIMITER_LIKE,
  '  padded  ',
  'unicode ✓ ü'
]

const both = (name: string, f: (c: typeof core | typeof ours) => unknown): [string, Call] => [
  name,
  { ours: () => f(ours), core: () => f(core) }
]

/** The summary written as an action that uses core writes it when the runner offers one. */
async function coreSummary(text: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  // core's summary caches the file it found; every run starts afresh.
  Reflect.set(core.summary, '_filePath', undefined)
  core.summary.emptyBuffer()
  await core.summary.addRaw(text).write()
}

/** Text as the protocol shows a process's output: a stop-commands region. */
function coreRegion(text: string): void {
  const token = 'f'.repeat(32)
  core.info(`::stop-commands::${token}`)
  core.info(text.replace(/\r?\n$/, ''))
  core.info(`::${token}::`)
}

const CASES: [string, Call[]][] = [
  ['outputs', VALUES.map((v, i) => both(`o${i}`, c => c.setOutput(`out-${i}`, v))[1])],
  ['state', VALUES.map((v, i) => both(`s${i}`, c => c.saveState(`state_${i}`, v))[1])],
  [
    'secrets: empty, multi-line, with escapes',
    ['', 'one', 'multi\nline\nsecret', '%0A:,'].map(v => both('m', c => c.setSecret(v))[1])
  ],
  [
    'log lines and annotations',
    [
      both('i', c => c.info('plain line')),
      both('i2', c => c.info('two\nlines')),
      both('d', c => c.debug('debug %, \r\n line')),
      both('w', c => c.warning('warn: a,b')),
      both('e', c => c.error('error\nwith lines'))
    ].map(([, call]) => call)
  ],
  ['setFailed', [both('f', c => c.setFailed('it failed: 100%'))[1]]],
  [
    'groups',
    [
      both('g', c => c.group('a group: 1,2', async () => c.info('inside'))),
      both('gf', c =>
        c.group('failing', async () => {
          throw new Error('inside failed')
        })
      )
    ].map(([, call]) => call)
  ],
  [
    'the job summary',
    ['', '<h1>title</h1>\n', 'line\nline\n', '| a | b |\n|---|---|\n'].map(t => ({
      ours: () => ours.appendSummary(t),
      core: () => coreSummary(t)
    }))
  ],
  [
    'stop-commands regions',
    ['one line', 'two\nlines\n', '::set-output name=x::forged'].map(t => ({
      ours: () => ours.output(t),
      core: () => coreRegion(t)
    }))
  ],
  [
    'inputs and state read',
    [
      both('in', c => c.info(JSON.stringify([c.getInput('Some Name'), c.getInput('missing')]))),
      both('st', c => c.info(JSON.stringify([c.getState('kept'), c.getState('none')])))
    ].map(([, call]) => call)
  ]
]

interface Trace {
  stdout: string
  files: Record<string, string | null>
  results: string[]
  exitCode: number | string | undefined
}

async function trace(
  calls: readonly (() => unknown)[],
  modes: Record<string, FileMode>
): Promise<Trace> {
  const dir = mkdtempSync(join(tmpdir(), 'parity-'))
  const saved = { ...process.env }
  const exitCode = process.exitCode
  process.exitCode = undefined
  for (const f of FILES) {
    delete process.env[f]
    if (modes[f] === 'unset') continue
    process.env[f] = join(dir, f)
    if (modes[f] === 'file') writeFileSync(join(dir, f), '')
  }
  process.env.INPUT_SOME_NAME = '  padded value  '
  process.env.STATE_kept = 'from main'
  const out = captureOutput()
  const results: string[] = []
  try {
    for (const call of calls) {
      try {
        await call()
        results.push('ok')
      } catch (e: unknown) {
        results.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e))
      }
    }
  } finally {
    out.restore()
  }
  const normal = (s: string): string =>
    s
      .replace(
        /ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g,
        'DELIM'
      )
      .replace(/::stop-commands::[0-9a-f]{32}/g, '::stop-commands::TOKEN')
      .replace(/^::[0-9a-f]{32}::$/gm, '::TOKEN::')
      .split(dir)
      .join('DIR')
  const files = Object.fromEntries(
    FILES.map(f => {
      const p = join(dir, f)
      return [f, existsSync(p) ? normal(readFileSync(p, 'utf8')) : null]
    })
  )
  const t: Trace = {
    stdout: normal(out.text()),
    files,
    results: results.map(normal),
    exitCode: process.exitCode
  }
  process.env = saved
  process.exitCode = exitCode
  rmSync(dir, { recursive: true, force: true })
  return t
}

const MODES: FileMode[] = ['file', 'unset', 'missing']

describe('the runner protocol: workflow.ts writes what @actions/core writes, byte for byte', () => {
  describe.each(MODES)('GITHUB_OUTPUT %s', output => {
    describe.each(MODES)('GITHUB_STATE %s', state => {
      test.each(MODES)('GITHUB_STEP_SUMMARY %s', async summary => {
        const modes = { GITHUB_OUTPUT: output, GITHUB_STATE: state, GITHUB_STEP_SUMMARY: summary }
        for (const [name, calls] of CASES) {
          const theirs = await trace(
            calls.map(c => c.core),
            modes
          )
          const mine = await trace(
            calls.map(c => c.ours),
            modes
          )
          expect({ case: name, ...mine }).toEqual({ case: name, ...theirs })
        }
      })
    })
  })

  test('the traces are not empty: values reach the files and stdout', async () => {
    const t = await trace(
      [() => ours.setOutput('a', 'two\nlines'), () => ours.setSecret('multi\nline')],
      { GITHUB_OUTPUT: 'file', GITHUB_STATE: 'file', GITHUB_STEP_SUMMARY: 'file' }
    )
    expect(t.files.GITHUB_OUTPUT).toBe('a<<DELIM\ntwo\nlines\nDELIM\n')
    expect(t.stdout).toBe('::add-mask::multi%0Aline\n')
  })

  test('a named file that is missing fails as in core, naming it', async () => {
    const t = await trace([() => ours.setOutput('a', 'b')], {
      GITHUB_OUTPUT: 'missing',
      GITHUB_STATE: 'unset',
      GITHUB_STEP_SUMMARY: 'unset'
    })
    expect(t.results).toEqual(['Error: Missing file at path: DIR/GITHUB_OUTPUT'])
  })

  test('the INPUT_ name of an input, as the runner and core make it', () => {
    expect(ours.inputVariable('Some name-with dash')).toBe('INPUT_SOME_NAME-WITH_DASH')
    process.env.INPUT_SOME_NAME = ' x '
    expect(ours.getInput('some name')).toBe(core.getInput('some name'))
    delete process.env.INPUT_SOME_NAME
  })
})
