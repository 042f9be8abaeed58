// Integration tests run against the real stack only: if it is not up, say how
// to bring it up instead of letting every test fail on its own.
import { execFileSync } from 'node:child_process'

export default function globalSetup(): void {
  try {
    execFileSync('bash', ['scripts/stack.sh', 'status'], { stdio: 'pipe' })
  } catch (e: unknown) {
    const out = e instanceof Error && 'stdout' in e ? String((e as { stdout: unknown }).stdout) : ''
    throw new Error(
      `the nerdctl stack is not up:\n${out}\nRun 'sudo bash scripts/stack.sh up' (or 'npm test', which does it).`
    )
  }
}
