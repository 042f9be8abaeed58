// Integration tests run against the real stack only: if it is not up, say how
// to bring it up instead of letting every test fail on its own. The bundle
// runs on the Node the runner uses (scripts/node24.sh), whoever started jest.
import { execFileSync } from 'node:child_process'

// STEP_NODE_ENV of src/cli/step.ts; global setup runs outside jest's module
// mapping, so it cannot import the .ts source by its .js name.
const STEP_NODE_ENV = 'NERDCTL_ACTION_NODE'

export default function globalSetup(): void {
  try {
    execFileSync('bash', ['scripts/stack.sh', 'status'], { stdio: 'pipe' })
  } catch (e: unknown) {
    const out = e instanceof Error && 'stdout' in e ? String((e as { stdout: unknown }).stdout) : ''
    throw new Error(
      `the nerdctl stack is not up:\n${out}\nRun 'sudo bash scripts/stack.sh up' (or 'npm test', which does it).`
    )
  }
  // The real servers (PostgreSQL, MariaDB, Redis, nginx) the tests run as
  // services, and their clients on the runner: a no-op once they exist
  // (scripts/test.sh has made them). Whoever runs jest holds the stack's lock
  // already when there is one, so the script must not take it again.
  try {
    execFileSync('bash', ['scripts/service-images.sh'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SERVICE_IMAGES_LOCK: '' }
    })
  } catch (e: unknown) {
    const err = e instanceof Error && 'stderr' in e ? String((e as { stderr: unknown }).stderr) : ''
    throw new Error(
      `could not make the test servers' images:\n${err.slice(-3000)}\nRun 'bash scripts/service-images.sh' to see why.`
    )
  }
  if (!process.env[STEP_NODE_ENV]) {
    // Test files start after this, so they and what they spawn see it.
    process.env[STEP_NODE_ENV] = execFileSync('bash', ['scripts/node24.sh'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit']
    }).trim()
  }
}
