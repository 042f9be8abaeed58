// The workflows under .github/workflows/ run by a real GitHub Actions runner
// (act, host mode, `runs-on: self-hosted`), each using this action as
// `uses: ./`: build and push, a service container, an exported tarball. After
// each job, no container of the action's steps is left, also after a job
// that fails (__tests__/workflows/, meant to fail).
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Nerdctl, list, networkList } from '../../src/nerdctl/index.js'
import { OWNER_LABEL } from '../../src/action/constants.js'
import { stepNode } from '../../src/cli/step.js'
import { ROOT, runnerNodeMajor } from '../helpers/action-defaults.js'

const client = new Nerdctl()
const workflows = readdirSync(join(ROOT, '.github', 'workflows')).filter(f => /\.ya?ml$/.test(f))

async function stepContainers(): Promise<string[]> {
  const filters = [`label=${OWNER_LABEL}`]
  return [
    ...(await list(true, { client, filters })).map(c => c.name),
    ...(await networkList({ client, filters })).map(n => `network ${n.name}`)
  ]
}

test('there is a workflow for each usage', () => {
  expect(workflows).toEqual(
    expect.arrayContaining(['build-push.yml', 'service.yml', 'services.yml', 'export.yml'])
  )
})

// act in host mode runs a JavaScript action with the first `node` on PATH: the
// one the bundle is tested on (NERDCTL_ACTION_NODE), as a runner uses its own.
function act(workflow: string): { status: number | null; out: string } {
  const r = spawnSync('act', ['-W', workflow, '-P', 'self-hosted=-self-hosted', '--detect-event'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, PATH: `${dirname(stepNode())}:${process.env.PATH ?? ''}` }
  })
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` }
}

test.each(workflows)('%s passes under act and leaves no container behind', async file => {
  const before = await stepContainers()
  const { status, out } = act(join('.github', 'workflows', file))
  if (status !== 0 || !out.includes('Job succeeded')) {
    throw new Error(`act ${file} failed (exit ${status}):\n${out.slice(-6000)}`)
  }
  expect(out).toContain('Success - Post')
  expect(await stepContainers()).toEqual(before)
})

test('a job that fails after the step started a service still has it removed by the post step', async () => {
  const before = await stepContainers()
  const { status, out } = act(join('__tests__', 'workflows', 'cleanup-on-failure.yml'))
  expect(status).not.toBe(0)
  expect(out).toContain('failing on purpose')
  expect(out).toContain('Job failed')
  expect(out).toMatch(/Post Start a service[\s\S]*removed container/)
  expect(await stepContainers()).toEqual(before)
  expect(await list(true, { client, filters: ['name=cleanup-on-failure-'] })).toEqual([])
})

test('act runs the bundle on the Node that action.yml declares', () => {
  const { status, out } = act(join('__tests__', 'workflows', 'node-version.yml'))
  if (status !== 0)
    throw new Error(`act node-version.yml failed (exit ${status}):\n${out.slice(-6000)}`)
  expect(out).toContain(`the bundle ran on v${runnerNodeMajor()}.`)
})
