// The rootless suite brings up the rootless stack of its user
// (scripts/rootless-stack.sh) on the machine whose rootful stack
// (scripts/stack.sh) built the binaries and serves the registries, and
// brings it down again in global-teardown.ts. Whoever runs jest holds the
// stack's lock (scripts/test.sh's caller): ports and CPU are shared.
import { execFileSync } from 'node:child_process'

const STEP_NODE_ENV = 'NERDCTL_ACTION_NODE'

export default function globalSetup(): void {
  try {
    execFileSync('bash', ['scripts/stack.sh', 'status'], { stdio: 'pipe' })
  } catch (e: unknown) {
    const out = e instanceof Error && 'stdout' in e ? String((e as { stdout: unknown }).stdout) : ''
    throw new Error(
      `the nerdctl stack is not up:\n${out}\nRun 'sudo bash scripts/stack.sh up' first.`
    )
  }
  execFileSync('bash', ['scripts/rootless-stack.sh', 'up'], {
    stdio: ['ignore', 'inherit', 'inherit']
  })
  const env = execFileSync('bash', ['scripts/rootless-stack.sh', 'env'], { encoding: 'utf8' })
  for (const m of env.matchAll(/^export (NERDCTL_ROOTLESS_\w+)=(.*)$/gm))
    process.env[m[1] as string] = m[2]
  if (!process.env[STEP_NODE_ENV]) {
    process.env[STEP_NODE_ENV] = execFileSync('bash', ['scripts/node24.sh'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit']
    }).trim()
  }
}
