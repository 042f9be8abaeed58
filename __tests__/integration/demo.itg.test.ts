// The README's quick-start demo, as a new user runs it.
import { spawnSync } from 'node:child_process'
import { ROOT } from '../helpers/action-defaults.js'

test('scripts/demo.sh builds, serves, waits, exports and cleans up', () => {
  const r = spawnSync('bash', ['scripts/demo.sh'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000
  })
  const out = `${r.stdout}\n${r.stderr}`
  if (r.status !== 0) throw new Error(`demo failed (exit ${r.status}):\n${out.slice(-6000)}`)
  expect(out).toContain('the service says: hello from the nerdctl-action demo')
  expect(out).toContain('health: healthy')
  expect(out).toMatch(/srv\/www\/index.html/)
  expect(out).toContain('the post step removed the service container')
})
