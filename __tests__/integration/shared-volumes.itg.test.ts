// Named volumes on a shared runner, through the bundle on the real stack: a
// step creates the named volumes it mounts itself, labelled with its owner
// label and job marker, so that its post step removes them and a later job
// reaps those of a killed one; a volume that existed before the step (the
// test's own canary) is used as it is and survives the step and its post.
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { JOB_LABEL, OWNER_LABEL } from '../../src/action/constants.js'
import { stepNode } from '../../src/cli/step.js'
import { Nerdctl, volumeCreate, volumeInspect, volumeList } from '../../src/nerdctl/index.js'
import { ActionStep } from './run-action.js'
import { BASE_IMAGE, TEST_LABEL, tempDir, uniqueName } from './helpers.js'

const client = new Nerdctl()
const steps: ActionStep[] = []
const dirs: { remove: () => void }[] = []
const containers: string[] = []
const volumes: string[] = []

function step(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  how: ConstructorParameters<typeof ActionStep>[2] = {}
): ActionStep {
  const s = new ActionStep(inputs, env, how)
  steps.push(s)
  return s
}

function volumeName(prefix: string): string {
  const name = uniqueName(prefix)
  volumes.push(name)
  return name
}

afterAll(async () => {
  if (containers.length) await client.exec(['rm', '-f', ...containers], { allowFailure: true })
  for (const v of volumes) await client.exec(['volume', 'rm', v], { allowFailure: true })
  for (const s of steps) s.remove()
  for (const d of dirs) d.remove()
})

const names = async (): Promise<string[]> => (await volumeList({ client })).map(v => v.name)

/** A node whose parent (the job's runner process in the marker) is gone once main returns. */
function killedRunnerNode(): string {
  const d = tempDir('vol-killed-')
  dirs.push(d)
  const wrapper = join(d.path, 'node')
  writeFileSync(wrapper, `#!/bin/sh\n'${stepNode()}' "$@"\n`)
  chmodSync(wrapper, 0o755)
  return wrapper
}

const SERVICE = (volume: string): string =>
  `db:\n  image: ${BASE_IMAGE}\n  command: sleep 600\n  volumes: ["${volume}:/data"]\n`

test("a service's named volume is the step's own, labelled, and gone after post", async () => {
  const volume = volumeName('data')
  const s = step({ services: SERVICE(volume) }, { GITHUB_RUN_ID: '7101' })
  const main = await s.main()
  expect(main.stdout).not.toMatch(/::error::/)
  expect(main.exitCode).toBe(0)
  const made = await volumeInspect(volume, { client })
  expect(made?.labels[OWNER_LABEL]).toMatch(/^[0-9a-f]{16}$/)
  expect(made?.labels[JOB_LABEL]).toMatch(/^\d+-\d+-\d+-\d+$/)
  const post = await s.post()
  expect(post.stdout).toContain(`removed volume ${volume}`)
  expect(post.stdout).not.toMatch(/::warning::/)
  expect(await names()).not.toContain(volume)
})

test('a volume that existed before the step survives the step and its post, unrelabelled', async () => {
  const volume = volumeName('data')
  await volumeCreate(volume, { client, labels: [TEST_LABEL.split('=') as [string, string]] })
  const s = step({ services: SERVICE(volume) }, { GITHUB_RUN_ID: '7102' })
  const main = await s.main()
  expect(main.exitCode).toBe(0)
  expect(main.stdout).toContain(`volume ${volume} exists already`)
  await s.post()
  const kept = await volumeInspect(volume, { client })
  expect(kept?.labels).toEqual({ [TEST_LABEL.split('=')[0] as string]: '1' })
})

test("a killed job's volume is reaped by a later services step; a script's volume goes with its post", async () => {
  const volume = volumeName('data')
  const name = uniqueName('vol-killed')
  containers.push(name)
  const killed = step(
    { image: BASE_IMAGE, name, command: 'sleep 600', volumes: `${volume}:/data` },
    { GITHUB_RUN_ID: '7103' },
    { node: killedRunnerNode() }
  )
  const a = await killed.main()
  expect(a.stdout).not.toMatch(/::error::/)
  expect(a.exitCode).toBe(0)
  expect((await volumeInspect(volume, { client }))?.labels[JOB_LABEL]).toMatch(/^\d+-/)

  const later = step(
    { services: `one:\n  image: ${BASE_IMAGE}\n  command: sleep 600\n` },
    { GITHUB_RUN_ID: '7104' }
  )
  const b = await later.main()
  expect(b.exitCode).toBe(0)
  expect(b.stdout).toContain(`reap: removed container ${name}`)
  expect(b.stdout).toContain(`reap: removed volume ${volume}`)
  expect(await names()).not.toContain(volume)
  await later.post()

  const own = volumeName('script-vol')
  const scripted = step(
    { script: `await nerdctl.volumeCreate(${JSON.stringify(own)}); return 'made'` },
    { GITHUB_RUN_ID: '7105' }
  )
  expect((await scripted.main()).exitCode).toBe(0)
  expect(await names()).toContain(own)
  expect((await scripted.post()).stdout).toContain(`removed volume ${own}`)
  expect(await names()).not.toContain(own)
})
