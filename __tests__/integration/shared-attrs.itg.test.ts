// Shared runners, attribute lists and `options`, through the bundle against the
// real BuildKit and containerd: a branch name with commas cannot turn a
// registry cache into a local one written on the host, and a service's
// `options` cannot forge the step's own labels however the flag is spelled.
// Every target is a canary this file made (a temp directory, a unique label).
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Nerdctl } from '../../src/nerdctl/exec/client.js'
import { BASE_IMAGE, REGISTRY, removeQuietly, tempDir, uniqueName } from './helpers.js'
import { ActionStep } from './run-action.js'

const client = new Nerdctl()
const images: string[] = []
const cleanups: (() => void)[] = []

afterAll(async () => {
  await removeQuietly(client, { images })
  for (const c of cleanups.reverse()) c()
})

function step(inputs: Record<string, string>): ActionStep {
  const s = new ActionStep(inputs)
  cleanups.push(() => s.remove())
  return s
}

function dir(prefix: string): string {
  const d = tempDir(`nerdctl-attrs-${prefix}-`)
  cleanups.push(d.remove)
  return d.path
}

function context(): string {
  const d = dir('ctx')
  writeFileSync(
    join(d, 'Dockerfile'),
    `FROM ${BASE_IMAGE}\nRUN echo attrs-${randomBytes(4).toString('hex')}\n`
  )
  return d
}

function tagOf(): string {
  const t = `${REGISTRY}/itg/attrs:${uniqueName('a').slice(4)}`
  images.push(t)
  return t
}

/** BuildKit's progress lines (`#1 [internal] load …`): the build ran. */
const buildRan = (log: string): boolean => /#\d+ \[/.test(log)

describe('a branch name with commas in cache-to', () => {
  test('an injected type=local,dest=CANARY fails before any build, naming the input and key, and the canary stays empty', async () => {
    const canary = dir('canary')
    const branch = `x,type=local,dest=${canary}`
    const tag = tagOf()
    const s = step({
      context: context(),
      tags: tag,
      'cache-to': `type=registry,ref=${REGISTRY}/itg/attrs:cache-${branch}`
    })
    const main = await s.main()
    expect(main.exitCode).not.toBe(0)
    expect(main.stdout).toMatch(/::error::Input "cache-to": .*attribute "type" twice/)
    expect(buildRan(main.stdout)).toBe(false)
    expect(readdirSync(canary)).toEqual([])
    const listed = await client.exec(['images', '-q', tag], { allowFailure: true })
    expect(listed.stdout.trim()).toBe('')
  })

  test('the same value inside a quoted field is one dest: the local cache is written there, whole', async () => {
    const cacheDir = 'cache,type=local,dest=elsewhere'
    const s = step({
      context: context(),
      tags: tagOf(),
      'cache-to': `"type=local,""dest=./${cacheDir}"""`
    })
    try {
      const main = await s.main()
      expect(main.stdout).not.toMatch(/::error::/)
      expect(main.exitCode).toBe(0)
      expect(buildRan(main.stdout)).toBe(true)
      expect(existsSync(join(s.dir, cacheDir, 'index.json'))).toBe(true)
      expect(existsSync(join(s.dir, 'elsewhere'))).toBe(false)
    } finally {
      await s.post()
    }
  })
})

describe('a service options that forges the step label', () => {
  test.each([
    '-lio.github.nerdctl-action.job=JOB',
    '-l=io.github.nerdctl-action.job=JOB',
    '-dlio.github.nerdctl-action.job=JOB'
  ])('%s is refused before any container is made', async spelling => {
    const job = `forged-${randomBytes(4).toString('hex')}`
    const s = step({
      services: `db:\n  image: ${BASE_IMAGE}\n  command: sleep 30\n  options: ${spelling.replace('JOB', job)}\n`
    })
    try {
      const main = await s.main()
      expect(main.exitCode).not.toBe(0)
      expect(main.stdout).toMatch(/::error::Input "services": service "db"\.options: /)
      const made = await client.exec(
        ['ps', '-a', '-q', '--filter', `label=io.github.nerdctl-action.job=${job}`],
        { allowFailure: true }
      )
      expect(made.stdout.trim()).toBe('')
    } finally {
      // Whatever main made, were the check ever to let it through, goes.
      await s.post()
    }
  })
})
