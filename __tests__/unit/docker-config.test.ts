// The step's own Docker config beside a runner user's credential helper: the
// step's logins are pinned to its own file, every other registry still reads
// the helper, and a config without helpers is carried over byte for byte.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stepDockerConfig } from '../../src/action/docker-config.js'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function made(userConfig: unknown, ownLogins: string[]): Record<string, unknown> {
  const user = mkdtempSync(join(tmpdir(), 'docker-config-user-'))
  const scratch = mkdtempSync(join(tmpdir(), 'docker-config-step-'))
  dirs.push(user, scratch)
  writeFileSync(join(user, 'config.json'), JSON.stringify(userConfig))
  const dir = stepDockerConfig(scratch, { DOCKER_CONFIG: user }, ownLogins)
  return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>
}

test('credsStore: each registry the step logs in to is pinned to the file, under every name nerdctl uses', () => {
  const c = made({ credsStore: 'pass', auths: { 'a.example': {} } }, ['127.0.0.1:5001', ''])
  expect(c.credsStore).toBe('pass')
  expect(c.auths).toEqual({ 'a.example': {} })
  expect(c.credHelpers).toEqual(
    expect.objectContaining({
      '127.0.0.1:5001': '',
      'https://127.0.0.1:5001': '',
      'http://127.0.0.1:5001': '',
      'https://index.docker.io/v1/': '',
      'docker.io': ''
    })
  )
})

test('credHelpers: the user’s helpers for other registries stay; the step’s own registry is pinned', () => {
  const c = made({ credHelpers: { 'ghcr.io': 'gh', '127.0.0.1:5001': 'secretservice' } }, [
    '127.0.0.1:5001'
  ])
  expect((c.credHelpers as Record<string, string>)['ghcr.io']).toBe('gh')
  expect((c.credHelpers as Record<string, string>)['127.0.0.1:5001']).toBe('')
})

test('no helper, or no login of the step: the user’s config as it was', () => {
  expect(made({ auths: { x: { auth: 'eA==' } } }, ['x'])).toEqual({
    auths: { x: { auth: 'eA==' } }
  })
  expect(made({ credsStore: 'pass' }, [])).toEqual({ credsStore: 'pass' })
})
