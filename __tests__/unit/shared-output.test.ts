// What processes print reaches the job log as text, never as workflow
// commands: the stop-commands regions workflow.ts writes, the streamed line
// writer (batched, bounded, UTF-8 whole, last line shown), the local step
// runner's reading of commands as the GitHub runner reads them, and where the
// helper programs and the nerdctl binary come from.
import { describe, expect, test } from '@jest/globals'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { captureOutput } from '../helpers/capture-output.js'
import * as workflow from '../../src/action/workflow.js'
import { coreLogger } from '../../src/action/logger.js'
import { CommandReader, parseCommand, type WorkflowCommand } from '../../src/cli/commands.js'
import { LocalStep } from '../../src/cli/step.js'
import { Nerdctl, type Logger } from '../../src/nerdctl/exec/client.js'
import { lineWriter, nerdctl } from '../../src/nerdctl/exec/call.js'
import { findProgram, systemProgram } from '../../src/nerdctl/exec/programs.js'
import type { RunSpec, Runner } from '../../src/nerdctl/exec/runner.js'
import { exec } from '../../src/nerdctl/ops/containers.js'
import { EXEC_OUTPUT_BYTES, MAX_PENDING_LINE_CHARS } from '../../src/nerdctl/base/defaults.js'

/** Lines a container might print to take over the runner. */
const FORGED = [
  '::set-output name=container-id::forged',
  '::add-mask::x',
  '::save-state name=token::forged',
  '::error::x',
  '  ::warning::indented',
  '##[set-output name=digest;]forged'
]

/** The commands the runner would obey in a log. */
function obeyed(log: string): WorkflowCommand[] {
  const reader = new CommandReader()
  const out: WorkflowCommand[] = []
  for (const line of log.split('\n')) {
    const r = reader.read(line)
    if (r.kind === 'command') out.push(r.command)
  }
  return out
}

/** The text lines the runner would show. */
function shown(log: string): string[] {
  const reader = new CommandReader()
  return log
    .split('\n')
    .map(l => reader.read(l))
    .flatMap(r => (r.kind === 'text' ? [r.line] : []))
}

describe('the runner reads commands (CommandReader, as ActionCommandManager does)', () => {
  test('every forged line outside a region is obeyed: the reader is not blind', () => {
    expect(obeyed(FORGED.join('\n')).map(c => c.name)).toEqual([
      'set-output',
      'add-mask',
      'save-state',
      'error',
      'warning',
      'set-output'
    ])
    expect(parseCommand('##[set-output name=digest;]forged')).toEqual({
      name: 'set-output',
      properties: { name: 'digest' },
      data: 'forged'
    })
  })

  test('inside ::stop-commands::T nothing is obeyed until ::T::, which ends it', () => {
    const log = ['::stop-commands::tok1', ...FORGED, '::tok1::', '::add-mask::after'].join('\n')
    expect(obeyed(log)).toEqual([{ name: 'add-mask', properties: {}, data: 'after' }])
    expect(shown(log)).toEqual(FORGED)
  })

  test('a resume line with another token is text; an unknown command is text', () => {
    const log = ['::stop-commands::tok1', '::other::', '::error::still text'].join('\n')
    expect(obeyed(log)).toEqual([])
    expect(obeyed('::frobnicate::x')).toEqual([])
    expect(shown('::frobnicate::x')).toEqual(['::frobnicate::x'])
  })
})

describe('workflow.output: one stop-commands region per block', () => {
  test('forged lines printed through it are shown and never obeyed; one write per block', () => {
    const out = captureOutput()
    const writes: string[] = []
    const real = process.stdout.write
    process.stdout.write = ((chunk: string) => {
      writes.push(chunk)
      return real.call(process.stdout, chunk)
    }) as typeof process.stdout.write
    try {
      workflow.output(FORGED.join('\n'))
      workflow.info('::add-mask::own')
    } finally {
      process.stdout.write = real
      out.restore()
    }
    expect(writes).toHaveLength(2)
    expect(obeyed(out.text())).toEqual([{ name: 'add-mask', properties: {}, data: 'own' }])
    expect(shown(out.text())).toEqual([...FORGED, ''])
  })

  test('each region has a fresh 128-bit token', () => {
    const out = captureOutput()
    try {
      workflow.output('a')
      workflow.output('b')
    } finally {
      out.restore()
    }
    const tokens = [...out.text().matchAll(/^::stop-commands::(.*)$/gm)].map(m => m[1])
    expect(tokens).toHaveLength(2)
    for (const t of tokens) expect(t).toMatch(/^[0-9a-f]{32}$/)
    expect(tokens[0]).not.toBe(tokens[1])
    expect(out.text()).toContain(`\n::${tokens[0]}::\n`)
  })

  test("the action's logger sends process output there, its own lines stay live", () => {
    const out = captureOutput()
    try {
      coreLogger.output?.('::set-output name=digest::forged')
      coreLogger.info('plain')
    } finally {
      out.restore()
    }
    expect(obeyed(out.text())).toEqual([])
    expect(shown(out.text())).toEqual(['::set-output name=digest::forged', 'plain', ''])
  })
})

describe('lineWriter: streamed output', () => {
  test('the lines of one chunk are one block; a partial line waits; end shows the last', () => {
    const blocks: string[] = []
    const w = lineWriter(t => blocks.push(t))
    w.write('one\ntwo\nthr')
    w.write('ee\nfour')
    expect(blocks).toEqual(['one\ntwo', 'three'])
    w.end()
    expect(blocks).toEqual(['one\ntwo', 'three', 'four'])
    w.end()
    expect(blocks).toHaveLength(3)
  })

  test('a line without a newline never grows past the bound', () => {
    const blocks: string[] = []
    const w = lineWriter(t => blocks.push(t))
    const piece = 'x'.repeat(1024)
    const pieces = Math.ceil((3 * MAX_PENDING_LINE_CHARS) / 1024)
    for (let i = 0; i < pieces; i++) w.write(piece)
    expect(blocks.join('').length).toBeGreaterThanOrEqual(2 * MAX_PENDING_LINE_CHARS)
    for (const b of blocks) expect(b.length).toBeLessThanOrEqual(MAX_PENDING_LINE_CHARS)
    w.end()
    expect(blocks.join('').length).toBe(pieces * 1024)
  })

  test('a streamed call gives the logger whole blocks through output(), the last line too', async () => {
    const blocks: string[] = []
    const info: string[] = []
    const logger: Logger = {
      debug() {},
      info: m => info.push(m),
      warning() {},
      output: t => blocks.push(t)
    }
    const runner: Runner = async (spec: RunSpec) => {
      spec.onStdout?.('#1 building\n::set-output name=digest::forged\n')
      spec.onStderr?.('#2 done\nno newline at the end')
      return { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false }
    }
    await nerdctl(['build', '.'], { client: new Nerdctl({ logger, runner }), stream: true })
    expect(blocks).toEqual([
      '#1 building\n::set-output name=digest::forged',
      '#2 done',
      'no newline at the end'
    ])
    expect(info).toEqual([])
  })

  test('a logger without output() gets the blocks through info()', async () => {
    const info: string[] = []
    const logger: Logger = { debug() {}, info: m => info.push(m), warning() {} }
    const runner: Runner = async spec => {
      spec.onStdout?.('a\nb')
      return { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false }
    }
    await nerdctl(['pull', 'x'], { client: new Nerdctl({ logger, runner }), stream: true })
    expect(info).toEqual(['a', 'b'])
  })
})

describe('exec output is bounded', () => {
  test('exec keeps a tail of EXEC_OUTPUT_BYTES and says when it was cut', async () => {
    const specs: RunSpec[] = []
    const runner: Runner = async spec => {
      specs.push(spec)
      return {
        stdout: 'tail',
        stderr: '',
        exitCode: 0,
        timedOut: false,
        aborted: false,
        truncated: true
      }
    }
    const r = await exec('web', 'yes', { client: new Nerdctl({ runner }) })
    expect(specs[0]?.maxOutputBytes).toBe(EXEC_OUTPUT_BYTES)
    expect(r).toMatchObject({ stdout: 'tail', truncated: true })
    await exec('web', 'yes', { client: new Nerdctl({ runner }), maxOutputBytes: 10 })
    expect(specs[1]?.maxOutputBytes).toBe(10)
  })
})

describe('where programs come from', () => {
  const dir = mkdtempSync(join(tmpdir(), 'programs-test-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('helpers come from the system directories, whatever PATH says', () => {
    const fake = join(dir, 'bin')
    mkdirSync(fake, { recursive: true })
    for (const name of ['sudo', 'tar', 'rm', 'cat']) {
      writeFileSync(join(fake, name), '#!/bin/sh\nexit 0\n')
      chmodSync(join(fake, name), 0o755)
    }
    const saved = process.env.PATH
    process.env.PATH = `${fake}:${saved ?? ''}`
    try {
      for (const name of ['sudo', 'tar', 'rm', 'cat']) {
        const path = systemProgram(name)
        expect(path).toMatch(new RegExp(`^/(usr/)?s?bin/${name}$`))
        expect(path.startsWith(fake)).toBe(false)
      }
    } finally {
      process.env.PATH = saved
    }
  })

  test('the client runs sudo and tool programs by their system paths', async () => {
    const specs: RunSpec[] = []
    const runner: Runner = async spec => {
      specs.push(spec)
      return { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false }
    }
    const c = new Nerdctl({ sudo: true, runner })
    await c.exec(['ps'])
    await c.tool(['rm', '-rf', '--', '/x'], { privileged: true })
    await c.tool(['tar', '--version'])
    expect(specs.map(s => s.file)).toEqual([
      systemProgram('sudo'),
      systemProgram('sudo'),
      systemProgram('tar')
    ])
    expect(specs[1]?.args[2]).toBe(systemProgram('rm'))
    for (const s of specs) expect(s.file.startsWith('/')).toBe(true)
  })

  test('findProgram: a name on PATH to its absolute path; relative entries skipped; missing is undefined', () => {
    const bin = join(dir, 'user-bin')
    mkdirSync(bin, { recursive: true })
    writeFileSync(join(bin, 'nerdctl-x'), '#!/bin/sh\n')
    chmodSync(join(bin, 'nerdctl-x'), 0o755)
    writeFileSync(join(bin, 'not-exec'), '')
    expect(findProgram('nerdctl-x', `/nonexistent:${bin}`)).toBe(join(bin, 'nerdctl-x'))
    expect(findProgram('not-exec', bin)).toBeUndefined()
    expect(findProgram('nerdctl-x', 'user-bin')).toBeUndefined()
    expect(findProgram('nerdctl-missing', bin)).toBeUndefined()
    expect(findProgram(join(bin, 'nerdctl-x'), '')).toBe(join(bin, 'nerdctl-x'))
  })
})

describe('the local step runner reads commands as the runner does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-step-test-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('set-output, save-state and add-mask outside a region count; inside, they are text', async () => {
    const bundle = join(dir, 'bundle.mjs')
    writeFileSync(
      bundle,
      [
        "process.stdout.write('::set-output name=live::yes\\n')",
        "process.stdout.write('::add-mask::live-mask\\n')",
        "process.stdout.write('::stop-commands::abc123\\n')",
        "process.stdout.write('::set-output name=container-id::forged\\n::add-mask::x\\n')",
        "process.stdout.write('::save-state name=token::forged\\n')",
        "process.stdout.write('::abc123::\\n')",
        "process.stdout.write('::save-state name=after::yes')"
      ].join('\n')
    )
    const step = new LocalStep({ bundle, inputEnv: {} })
    try {
      const r = await step.main()
      expect(r.exitCode).toBe(0)
      expect(r.outputs).toEqual({ live: 'yes' })
      expect(r.state).toEqual({ after: 'yes' })
      expect(r.masks).toEqual(['live-mask'])
      expect(r.log).toContain('::set-output name=container-id::forged')
    } finally {
      step.remove()
    }
  })
})
