// After the integration run: a container a test made and did not remove is a
// leak in that test. Say which, then remove it, so the next run starts clean.
import { execFileSync } from 'node:child_process'

export default function globalTeardown(): void {
  const out = execFileSync('nerdctl', ['ps', '-a', '--format', '{{.Names}}'], { encoding: 'utf8' })
  const leaked = out.split('\n').filter(n => /^itg-|^nerdctl-action-4242-/.test(n))
  if (leaked.length === 0) return
  console.warn(`integration tests left ${leaked.length} container(s) behind: ${leaked.join(', ')}`)
  execFileSync('nerdctl', ['rm', '-f', ...leaked], { stdio: 'ignore' })
}
