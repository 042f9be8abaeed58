// A workflow run by a real GitHub Actions runner (act, host mode) as the
// rootless user of scripts/rootless-stack.sh: `uses: ./` starts a service on
// the user's rootless containerd, a later step reaches it through the port the
// step published, and the post step leaves nothing in the user's containerd.
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { ROOT } from '../helpers/action-defaults.js'
import { reachableBundle, rootlessUser, userNerdctl } from './user.js'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

test('a job on a rootless runner: a service reached through its published port, then removed', () => {
  const user = rootlessUser()
  const { node } = reachableBundle(dirs)
  const before = userNerdctl(['ps', '-a', '--format', '{{.Names}}'])
  // act in host mode runs the action with the first `node` on PATH.
  const env = Object.entries({ ...user.env, PATH: `${dirname(node)}:${user.env.PATH}` }).map(
    ([k, v]) => `${k}=${v}`
  )
  const r = spawnSync(
    'runuser',
    [
      '-u',
      user.name,
      '--',
      'env',
      '-i',
      ...env,
      'act',
      '-W',
      join('__tests__', 'workflows', 'rootless.yml'),
      '-P',
      'self-hosted=-self-hosted',
      '--detect-event'
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 240_000 }
  )
  const out = `${r.stdout}\n${r.stderr}`
  if (r.status !== 0 || !out.includes('Job succeeded'))
    throw new Error(`act rootless.yml failed (exit ${r.status}):\n${out.slice(-6000)}`)
  expect(out).toContain('nerdctl: rootless (rootlesskit state ')
  expect(out).toMatch(/reached the rootless service on 127\.0\.0\.1:\d+ as nerdctl-rootless/)
  expect(out).toContain('Success - Post Start a service')
  expect(userNerdctl(['ps', '-a', '--format', '{{.Names}}'])).toBe(before)
  expect(
    userNerdctl(['network', 'ls', '--filter', 'label=io.github.nerdctl-action.step', '-q'])
  ).toBe('')
})
