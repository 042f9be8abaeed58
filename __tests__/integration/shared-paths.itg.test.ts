// Host paths on a shared runner, through the bundle on the real stack: a path
// an input names (written or read) that leads outside the workspace,
// RUNNER_TEMP and `host-paths` (by an absolute path, by "..", through a link
// planted in the workspace) fails the step before any command runs, and the
// canaries there are unchanged; listed in `host-paths`, the same writes work.
// A post step handed a forged scratch path leaves it alone.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { basename, join } from 'node:path'
import { Nerdctl, list } from '../../src/nerdctl/index.js'
import { OWNER_LABEL } from '../../src/action/constants.js'
import { ActionStep } from './run-action.js'
import { BASE_IMAGE, BUILDKIT_HOST, tempDir } from './helpers.js'

const client = new Nerdctl()
const steps: ActionStep[] = []
const dirs: { remove: () => void }[] = []

/** A directory outside the step's workspace and RUNNER_TEMP, with canaries only this test made. */
function canaries(): string {
  const d = tempDir('nerdctl-paths-canary-')
  dirs.push(d)
  writeFileSync(join(d.path, 'passwd'), 'canary passwd\n')
  writeFileSync(join(d.path, 'shadow'), 'canary shadow\n')
  return d.path
}

function unchanged(dir: string): void {
  expect(readdirSync(dir).sort()).toEqual(['passwd', 'shadow'])
  expect(readFileSync(join(dir, 'passwd'), 'utf8')).toBe('canary passwd\n')
  expect(readFileSync(join(dir, 'shadow'), 'utf8')).toBe('canary shadow\n')
}

/** `host-paths` empty: only the workspace and RUNNER_TEMP (the step's directory). */
function step(inputs: Record<string, string>): ActionStep {
  const s = new ActionStep({ 'host-paths': '', ...inputs })
  steps.push(s)
  return s
}

afterAll(async () => {
  for (const s of steps) s.remove()
  for (const d of dirs) d.remove()
})

test.each<[string, (canary: string) => Record<string, string>, string]>([
  ['export, absolute', c => ({ image: BASE_IMAGE, export: join(c, 'passwd') }), 'export'],
  ['export, by ".."', c => ({ image: BASE_IMAGE, export: `../${basename(c)}/passwd` }), 'export'],
  [
    'export, through a planted link',
    () => ({ image: BASE_IMAGE, export: 'planted/passwd' }),
    'export'
  ],
  ['save', c => ({ tags: BASE_IMAGE, save: join(c, 'shadow') }), 'save'],
  ['copy out', c => ({ image: BASE_IMAGE, copy: `:/etc/hostname -> ${c}/passwd` }), 'copy'],
  ['copy in', () => ({ image: BASE_IMAGE, copy: 'planted/shadow -> :/tmp/k' }), 'copy'],
  [
    'outputs dest, through a planted link',
    () => ({ context: '.', outputs: 'type=local,dest=planted', 'buildkit-host': BUILDKIT_HOST }),
    'outputs'
  ],
  [
    'local cache-to',
    c => ({
      context: '.',
      tags: 'itg-paths/never:1',
      'cache-to': `type=local,dest=${c}`,
      'buildkit-host': BUILDKIT_HOST
    }),
    'cache-to'
  ]
])(
  '%s outside the allowed directories: refused before any command',
  async (_what, inputs, input) => {
    const canary = canaries()
    const s = step(inputs(canary))
    writeFileSync(join(s.dir, 'Dockerfile'), `FROM ${BASE_IMAGE}\n`)
    symlinkSync(canary, join(s.dir, 'planted'))
    const main = await s.main()
    expect(main.exitCode).not.toBe(0)
    expect(main.stdout).toContain(`Input "${input}"`)
    expect(main.stdout).toContain('"host-paths"')
    // Before any command: nothing was created, so no token was saved.
    expect(main.state.token).toBeUndefined()
    expect(main.stdout).not.toContain('[command]')
    unchanged(canary)
  }
)

test('with host-paths listing the directory, the same writes work, and the canaries there stay', async () => {
  const canary = canaries()
  const s = step({
    image: BASE_IMAGE,
    command: 'sleep 60',
    tags: BASE_IMAGE,
    save: join(canary, 'images.tar'),
    copy: ':/etc/hostname -> planted/hostname',
    export: `../${basename(canary)}/fs.tar`,
    'host-paths': canary
  })
  symlinkSync(canary, join(s.dir, 'planted'))
  const main = await s.main()
  expect(main.stdout).not.toContain('::error::')
  expect(main.exitCode).toBe(0)
  expect(existsSync(join(canary, 'images.tar'))).toBe(true)
  expect(existsSync(join(canary, 'fs.tar'))).toBe(true)
  expect(existsSync(join(canary, 'hostname'))).toBe(true)
  expect(readFileSync(join(canary, 'passwd'), 'utf8')).toBe('canary passwd\n')
  expect(readFileSync(join(canary, 'shadow'), 'utf8')).toBe('canary shadow\n')
  const post = await s.post()
  expect(post.exitCode).toBe(0)
  const token = main.state.token as string
  expect(await list(true, { client, filters: [`label=${OWNER_LABEL}=${token}`] })).toEqual([])
})

test.each([
  ['named like a scratch directory, outside RUNNER_TEMP', 'elsewhere'],
  ['a link in RUNNER_TEMP named like a scratch directory', 'link']
])(
  'a post step given a forged scratch path (%s) leaves the canary directory alone',
  async (_what, how) => {
    const canary = canaries()
    const s = step({ image: BASE_IMAGE, command: 'sleep 60' })
    const main = await s.main()
    expect(main.exitCode).toBe(0)
    const real = main.state.tempDir as string
    let forged: string
    if (how === 'elsewhere') {
      // A directory of main's very name, in the canaries' directory.
      forged = join(canary, basename(real))
      mkdirSync(forged)
      writeFileSync(join(forged, 'keep'), 'kept\n')
    } else {
      forged = join(s.dir, 'nerdctl-action-ZzZ999')
      symlinkSync(canary, forged)
    }
    // What an earlier step could write into the state file.
    appendFileSync(join(s.dir, 'main-state'), `tempDir<<forged_EOF\n${forged}\nforged_EOF\n`)
    const post = await s.post()
    expect(post.exitCode).toBe(0)
    expect(post.stdout).toContain(`${forged} is not this step's scratch directory`)
    expect(existsSync(forged)).toBe(true)
    if (how === 'elsewhere') expect(readFileSync(join(forged, 'keep'), 'utf8')).toBe('kept\n')
    expect(readFileSync(join(canary, 'passwd'), 'utf8')).toBe('canary passwd\n')
    const token = main.state.token as string
    expect(await list(true, { client, filters: [`label=${OWNER_LABEL}=${token}`] })).toEqual([])
  }
)
