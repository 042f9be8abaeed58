// What containers, probes and builds print reaches the job log as text: the
// bundle run as the runner runs it, against the real stack, with containers
// that print workflow commands from their logs, an exec, a health probe, a
// foreground run and a build. The local step runner reads commands as the
// GitHub runner does (stop-commands included), so any it would have obeyed
// show in `commands`, `outputs`, `state` and `masks`.
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { WorkflowCommand } from '../../src/cli/commands.js'
import { BASE_IMAGE, BUILDKIT_HOST, tempDir } from './helpers.js'
import { ActionStep, type StepRun } from './run-action.js'

const cleanups: (() => void | Promise<void>)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

/** A step whose post step runs at the end if the test did not run it (a failed assertion). */
function step(inputs: Record<string, string>): ActionStep {
  const s = new ActionStep(inputs)
  let posted = false
  const post = s.post.bind(s)
  s.post = async (drop?: string[]) => {
    posted = true
    return post(drop)
  }
  cleanups.push(async () => {
    if (!posted) await post()
    s.remove()
  })
  return s
}

/** Workflow commands in both forms, as a hostile container would print them. */
const FORGED = [
  '::set-output name=container-id::forged',
  '::add-mask::x',
  '::save-state name=token::forged',
  '::error::x',
  '##[set-output name=digest;]forged'
]

/** A shell line printing every forged command, one per line. */
const PRINT_FORGED = `printf '%s\\n' ${FORGED.map(f => `'${f}'`).join(' ')}`

/** Commands the runner would have obeyed that a container forged. */
function forgedObeyed(r: StepRun): WorkflowCommand[] {
  return r.commands.filter(
    c =>
      c.data === 'forged' ||
      c.data === 'x' ||
      c.properties.name === 'token' ||
      c.properties.name === 'digest'
  )
}

function expectUntouched(r: StepRun): void {
  expect(forgedObeyed(r)).toEqual([])
  expect(r.masks).not.toContain('x')
  expect(r.outputs['container-id'] ?? '').not.toBe('forged')
  expect(r.outputs.digest ?? '').not.toBe('forged')
  expect(r.state.token ?? '').not.toBe('forged')
}

test('logs, exec and a health probe print workflow commands: shown as text, none obeyed', async () => {
  const s = step({
    image: BASE_IMAGE,
    command: `sh -c "${PRINT_FORGED.replace(/"/g, '\\"')}; sleep 600"`,
    'health-cmd': `${PRINT_FORGED}; true`,
    'health-interval': '1s',
    exec: PRINT_FORGED,
    'show-logs': 'always'
  })
  const main = await s.main()
  expect(main.exitCode).toBe(0)
  expectUntouched(main)
  expect(main.outputs['container-id']).toMatch(/^[0-9a-f]{64}$/)
  expect(main.state.token).toMatch(/^[0-9a-f]+$/)
  // The exec's output and the logs both showed the lines, as text.
  for (const f of FORGED) expect(main.log.split(f).length - 1).toBeGreaterThanOrEqual(2)
  const post = await s.post()
  expect(post.exitCode).toBe(0)
  expectUntouched(post)
}, 120_000)

test('an unhealthy probe and a foreground run print workflow commands: none obeyed', async () => {
  const unhealthy = step({
    image: BASE_IMAGE,
    command: "sh -c 'sleep 600'",
    'health-cmd': `${PRINT_FORGED}; exit 1`,
    'health-interval': '1s',
    'health-retries': '1'
  })
  const bad = await unhealthy.main()
  expect(bad.exitCode).not.toBe(0)
  expectUntouched(bad)
  expect((await unhealthy.post()).exitCode).toBe(0)

  const foreground = step({
    image: BASE_IMAGE,
    detach: 'false',
    command: `sh -c "${PRINT_FORGED}"`
  })
  const fg = await foreground.main()
  expect(fg.exitCode).toBe(0)
  expectUntouched(fg)
  // Streamed as it came: the lines are in the log, as text.
  for (const f of FORGED) expect(fg.log).toContain(f)
  expect((await foreground.post()).exitCode).toBe(0)
}, 120_000)

test('a build with outputs type=tar: the archive is not in the log; its progress obeys nothing', async () => {
  const ctx = tempDir('nerdctl-shared-output-ctx-')
  const out = tempDir('nerdctl-shared-output-out-')
  cleanups.push(ctx.remove, out.remove)
  // A marker only the archive holds (the Dockerfile builds it from two halves).
  const marker = randomBytes(16).toString('hex')
  const [a, b] = [marker.slice(0, 16), marker.slice(16)]
  writeFileSync(
    join(ctx.path, 'Dockerfile'),
    `FROM ${BASE_IMAGE}\nRUN ${PRINT_FORGED} && printf '%s%s\\n' ${a} ${b} > /marker\n`
  )
  const dest = join(out.path, 'image.tar')
  const s = step({
    context: ctx.path,
    'buildkit-host': BUILDKIT_HOST,
    'no-cache': 'true',
    outputs: `type=tar,dest=${dest}`
  })
  const main = await s.main()
  expect(main.exitCode).toBe(0)
  expect(readFileSync(dest).includes(marker)).toBe(true)
  expect(main.log).not.toContain(marker)
  // A tar header (the ustar magic) never reached the log either.
  expect(main.log).not.toContain('ustar')
  expectUntouched(main)
  expect((await s.post()).exitCode).toBe(0)
}, 180_000)
