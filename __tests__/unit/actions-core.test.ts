// The `core` scripts get (src/action/actions-core.ts) against @actions/core
// itself: the same exports, and the same calls leave the same traces — stdout
// commands, the runner's files, the environment, the job summary.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as real from '@actions/core'
import * as ours from '../../src/action/actions-core.js'
import { captureOutput } from '../helpers/capture-output.js'

type Core = typeof ours

const FILES = ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY']

/** What a run of `calls` left: stdout, each file, the variables it set, what it returned or threw. */
async function traces(core: Core, calls: (core: Core) => Promise<unknown>): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'core-'))
  const saved = { ...process.env }
  const exitCode = process.exitCode
  for (const f of FILES) {
    process.env[f] = join(dir, f)
    writeFileSync(join(dir, f), '')
  }
  process.env.INPUT_NAME = '  padded value  '
  process.env.INPUT_LIST = 'a\n  b  \n\nc'
  process.env.INPUT_FLAG = 'True'
  process.env.INPUT_NOT_BOOL = 'yes'
  process.env.STATE_kept = 'from main'
  process.env.PATH = '/usr/bin'
  const out = captureOutput()
  let result: unknown
  try {
    result = await calls(core)
  } catch (e: unknown) {
    result = { threw: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }
  } finally {
    out.restore()
  }
  // Delimiters of the file commands are random: the same shape is all that can match.
  const uuid = /ghadelimiter_[0-9a-f-]{36}/g
  const files = Object.fromEntries(
    FILES.map(f => [f, readFileSync(join(dir, f), 'utf8').replace(uuid, 'ghadelimiter_X')])
  )
  const env = {
    EXPORTED: process.env.EXPORTED,
    PATH: process.env.PATH,
    exitCode: process.exitCode
  }
  process.env = saved
  process.exitCode = exitCode
  rmSync(dir, { recursive: true, force: true })
  return { stdout: out.text(), files, env, result }
}

describe('core for scripts', () => {
  test('exports everything @actions/core exports, of the same kind', () => {
    for (const [name, value] of Object.entries(real)) {
      expect({ name, kind: typeof (ours as Record<string, unknown>)[name] }).toEqual({
        name,
        kind: typeof value
      })
    }
    const methods = (o: object): string[] =>
      Object.getOwnPropertyNames(Object.getPrototypeOf(o)).filter(m => m !== 'constructor')
    expect(methods(ours.summary)).toEqual(expect.arrayContaining(methods(real.summary)))
    expect(Object.keys(ours.platform).sort()).toEqual(Object.keys(real.platform).sort())
    expect({ ...ours.ExitCode }).toEqual({ ...real.ExitCode })
  })

  const cases: [string, (core: Core) => Promise<unknown>][] = [
    [
      'inputs',
      async c => [
        c.getInput('name'),
        c.getInput('name', { trimWhitespace: false }),
        c.getInput('missing'),
        c.getMultilineInput('list'),
        c.getMultilineInput('list', { trimWhitespace: false }),
        c.getBooleanInput('flag')
      ]
    ],
    ['a required input that is missing', async c => c.getInput('missing', { required: true })],
    ['a boolean input that is not one', async c => c.getBooleanInput('not bool')],
    [
      'outputs, state, variables, PATH',
      async c => {
        c.setOutput('text', 'multi\nline % value')
        c.setOutput('json', { a: [1, 2] })
        c.setOutput('none', undefined)
        c.saveState('s', 42)
        c.exportVariable('EXPORTED', 'v=1')
        c.addPath('/opt/tool/bin')
        return c.getState('kept')
      }
    ],
    [
      'log commands and annotations',
      async c => {
        c.info('plain')
        c.debug('50% done\r\n')
        c.notice('note', { title: 'T', file: 'a.ts', startLine: 3, startColumn: 5 })
        c.warning(new Error('boom'), { endLine: 9, endColumn: 2 })
        c.error('a: b, c')
        c.setSecret('s3cr3t')
        c.setCommandEcho(true)
        c.startGroup('g')
        c.endGroup()
        const r = await c.group('h', async () => 7)
        c.setFailed('failed here')
        return [r, c.isDebug()]
      }
    ],
    [
      'the job summary',
      async c => {
        await c.summary
          .addHeading('Title', 2)
          .addHeading('Bad level', 9)
          .addRaw('raw', true)
          .addCodeBlock('x = 1', 'ts')
          .addList(['a', 'b'], true)
          .addTable([
            [
              { data: 'h', header: true },
              { data: 'wide', colspan: '2' }
            ],
            ['1', '2', '3']
          ])
          .addDetails('more', 'hidden')
          .addImage('a.png', 'alt', { width: '10' })
          .addSeparator()
          .addBreak()
          .addQuote('q', 'src')
          .addLink('l', 'https://example.invalid/')
          .write()
        const buffered = c.summary.addRaw('again').stringify()
        await c.summary.write({ overwrite: true })
        return [buffered, c.summary.isEmptyBuffer()]
      }
    ],
    [
      'paths',
      async c => [c.toPosixPath('a\\b/c'), c.toWin32Path('a/b\\c'), c.toPlatformPath('a\\b/c')]
    ],
    ['an ID token without the runner’s variables', async c => c.getIDToken('aud')],
    [
      'an ID token without the request token',
      async c => {
        process.env.ACTIONS_ID_TOKEN_REQUEST_URL = 'http://127.0.0.1:9/token?x=1'
        return c.getIDToken('aud')
      }
    ]
  ]

  test.each(cases)('%s: the same traces as @actions/core', async (_name, calls) => {
    const expected = await traces(real as unknown as Core, calls)
    expect(await traces(ours, calls)).toEqual(expected)
  })
})

describe('getIDToken', () => {
  test('asks the runner’s token service (again after a 503), with the audience, and masks the token', async () => {
    const seen: IncomingMessage[] = []
    const server = createServer((req, res) => {
      seen.push(req)
      if (seen.length === 1) {
        res.writeHead(503).end('busy')
        return
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"value":"jwt.token.x"}')
    })
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    const saved = { ...process.env }
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = `http://127.0.0.1:${port}/token?api-version=2.0`
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'request-token'
    const out = captureOutput()
    try {
      expect(await ours.getIDToken('sts.example/a b')).toBe('jwt.token.x')
    } finally {
      out.restore()
      process.env = saved
      server.close()
    }
    expect(seen).toHaveLength(2)
    expect(seen[1]?.url).toBe('/token?api-version=2.0&audience=sts.example%2Fa%20b')
    expect(seen[1]?.headers.authorization).toBe('Bearer request-token')
    expect(out.text()).toContain('::add-mask::jwt.token.x')
  })

  test('a refusal fails with its status', async () => {
    const server = createServer((_req, res) => res.writeHead(403).end('no id-token permission'))
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    const saved = { ...process.env }
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = `http://127.0.0.1:${port}/token?x=1`
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'request-token'
    const out = captureOutput()
    try {
      await expect(ours.getIDToken()).rejects.toThrow(/403.*no id-token permission/)
    } finally {
      out.restore()
      process.env = saved
      server.close()
    }
  })
})
