// After the rootless suite: a container a test left in the user's containerd
// is a leak in that test (say which); then the rootless stack goes down, and
// no process of the user may be left behind.
import { execFileSync, spawnSync } from 'node:child_process'

export default function globalTeardown(): void {
  const user = process.env.NERDCTL_ROOTLESS_USER ?? 'nerdctl-rootless'
  const left = spawnSync(
    'runuser',
    [
      '-u',
      user,
      '--',
      'env',
      '-i',
      `HOME=${process.env.NERDCTL_ROOTLESS_HOME ?? ''}`,
      `XDG_RUNTIME_DIR=${process.env.NERDCTL_ROOTLESS_XDG_RUNTIME_DIR ?? ''}`,
      'PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
      'nerdctl',
      'ps',
      '-a',
      '--format',
      '{{.Names}}'
    ],
    { encoding: 'utf8', cwd: '/' }
  ).stdout
  if (left && left.trim() !== '')
    console.warn(`rootless tests left containers behind: ${left.trim().split('\n').join(', ')}`)
  execFileSync('bash', ['scripts/rootless-stack.sh', 'down'], {
    stdio: ['ignore', 'inherit', 'inherit']
  })
  const procs = spawnSync('pgrep', ['-u', user, '-l'], { encoding: 'utf8' }).stdout.trim()
  if (procs !== '')
    throw new Error(`processes of ${user} outlived scripts/rootless-stack.sh down:\n${procs}`)
}
