// Scripts against the real stack, both ways: through the action's bundle (the
// `script` and `script-file` inputs, cleaned up by the post step) and through
// the `nerdctl-action` command line (`script` and `step`).
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Nerdctl, list } from '../../src/nerdctl/index.js'
import { OWNER_LABEL } from '../../src/action/constants.js'
import { stepNode } from '../../src/cli/step.js'
import { ROOT, runnerNodeMajor } from '../helpers/action-defaults.js'
import { ActionStep } from './run-action.js'
import { BASE_IMAGE, freePort, removeQuietly, tempDir, uniqueName } from './helpers.js'

const client = new Nerdctl()
const CLI = join(ROOT, 'dist', 'cli', 'index.js')

// The command line runs on the Node the bundle is tested on (NERDCTL_ACTION_NODE).
function cli(args: string[], cwd = ROOT): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(stepNode(), [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

describe('the script input', () => {
  test('runs with the library in scope; its containers are labelled and removed by the post step', async () => {
    const s = new ActionStep({
      script: [
        `const c = await nerdctl.Container.fromImage('${uniqueName('script')}', '${BASE_IMAGE}')`,
        "  .withCommand(['sleep', '600']).build()",
        'const status = await c.status()',
        'core.info(`script started ${c.name}`)',
        'return { id: c.containerId, state: status.state, timeout: inputs.nerdctl.timeoutMs }'
      ].join('\n'),
      timeout: '45s'
    })
    try {
      const main = await s.main()
      expect(main.exitCode).toBe(0)
      const result = JSON.parse(main.outputs.result as string) as {
        id: string
        state: string
        timeout: number
      }
      expect(result.state).toBe('running')
      expect(result.timeout).toBe(45_000)
      const token = main.state.token as string
      const mine = await list(true, { client, filters: [`label=${OWNER_LABEL}=${token}`] })
      expect(mine.map(c => c.id)).toEqual([result.id])
      expect((await s.post()).exitCode).toBe(0)
      expect(await list(true, { client, filters: [`label=${OWNER_LABEL}=${token}`] })).toEqual([])
    } finally {
      s.remove()
    }
  })

  test('a script that throws fails the step with its own line', async () => {
    const s = new ActionStep({
      script: "const a = 1\n\nawait nerdctl.exec('no-such-container-xyz', 'true')\n"
    })
    try {
      const main = await s.main()
      expect(main.exitCode).not.toBe(0)
      expect(main.stdout).toMatch(/::error::script:3:\d+: nerdctl exec no-such-container-xyz/)
      expect(main.stdout).toContain('exit code: 1')
    } finally {
      s.remove()
    }
  })

  test('script-file runs the ported original example', async () => {
    await removeQuietly(client, { containers: ['my_redis'] })
    const s = new ActionStep({ 'script-file': join(ROOT, 'examples', 'scripts', 'original.js') })
    try {
      // The example reads inputs.image / inputs.port; the plan has neither, so defaults apply.
      const main = await s.main()
      expect(main.exitCode).toBe(0)
      const result = JSON.parse(main.outputs.result as string) as Record<string, unknown>
      expect(result).toMatchObject({ state: 'running', health: 'none' })
      expect(main.stdout).toMatch(/Container my_redis ID: [0-9a-f]{64}/)
    } finally {
      await s.post()
      s.remove()
    }
  })
})

describe('the nerdctl-action command line', () => {
  test('script FILE runs the example with inputs and prints the result', async () => {
    await removeQuietly(client, { containers: ['my_redis'] })
    const port = await freePort()
    const r = cli([
      'script',
      'examples/scripts/original.js',
      '--input',
      `port=${port}`,
      '--input',
      `image=${BASE_IMAGE}`
    ])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Container my_redis ID: [0-9a-f]{64}/)
    expect(r.stdout).toContain('Status: running, Health: none')
    const last = r.stdout.trim().split('\n').pop() as string
    expect(JSON.parse(last)).toMatchObject({ state: 'running', health: 'none' })
  })

  test('a failing script exits 1 and names its line; bad usage exits 2', () => {
    const dir = tempDir()
    try {
      const file = join(dir.path, 'fail.js')
      writeFileSync(file, "// line 1\nconst x = await nerdctl.inspect('no-such-container-abc')\n")
      const r = cli(['script', file])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`${file}:2:`)
      expect(r.stderr).toContain('no such')
      expect(cli(['script']).code).toBe(2)
      expect(cli(['step', '--input', 'nope=1']).code).toBe(2)
    } finally {
      dir.remove()
    }
  })

  test('step runs main then post with the given inputs and prints the outputs', async () => {
    const name = uniqueName('cli-step')
    const r = cli([
      'step',
      '--input',
      `image=${BASE_IMAGE}`,
      '--input',
      `name=${name}`,
      '--input',
      'command=sleep 600',
      '--input',
      'health-cmd=true',
      '--input',
      'health-interval=30s',
      '--json'
    ])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
      outputs: Record<string, string>
    }
    expect(out.outputs).toMatchObject({
      'container-name': name,
      health: 'healthy',
      status: 'running'
    })
    expect(await list(true, { client, filters: [`name=${name}`] })).toEqual([])
  })

  test('step --keep skips the post step; plain lines when not a terminal', async () => {
    const name = uniqueName('cli-keep')
    try {
      const r = cli([
        'step',
        '--input',
        `image=${BASE_IMAGE}`,
        '--input',
        `name=${name}`,
        '--input',
        'command=sleep 600',
        '--keep'
      ])
      expect(r.code).toBe(0)
      expect(r.stdout).toContain('== run')
      expect(r.stdout).not.toContain('::group::')
      expect(r.stdout).toContain(`container-name: ${name}`)
      expect(r.stdout).toContain('step succeeded')
      expect((await list(true, { client, filters: [`name=${name}`] })).length).toBe(1)
    } finally {
      await removeQuietly(client, { containers: [name] })
    }
  })

  test('a failing step exits 1', () => {
    const r = cli(['step', '--input', `image=${BASE_IMAGE}`, '--input', 'ports=nonsense'])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('error: Input "ports"')
  })
})

// The runner runs the bundle on action.yml's Node (node24) while this file runs
// on the machine's (the lowest `engines` allows): the step and the command line
// run on the former, as users' runners do.
describe('the Node the bundle runs on', () => {
  const major = `v${runnerNodeMajor()}.`

  test("the action's main step runs on action.yml's Node", async () => {
    const s = new ActionStep({ script: 'return process.version' })
    try {
      const main = await s.main()
      expect(main.exitCode).toBe(0)
      expect(main.outputs.result?.startsWith(major)).toBe(true)
    } finally {
      await s.post()
      s.remove()
    }
  })

  test("the command line runs on action.yml's Node", () => {
    const dir = tempDir()
    try {
      const file = join(dir.path, 'version.js')
      writeFileSync(file, 'return process.version\n')
      const r = cli(['script', file])
      expect(r.code).toBe(0)
      expect(r.stdout.trim().startsWith(major)).toBe(true)
    } finally {
      dir.remove()
    }
  })
})
