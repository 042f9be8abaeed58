// The rootless user of scripts/rootless-stack.sh, as the tests reach it: its
// IDs, the environment a login gives it, and its own nerdctl (rootless), run
// through runuser from the root test process.
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, cpSync, mkdtempSync, realpathSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stepNode } from '../../src/cli/step.js'
import { ROOT } from '../helpers/action-defaults.js'

export interface RootlessUser {
  name: string
  uid: number
  gid: number
  home: string
  /** What a login gives the user and its steps: no sudo, its own runtime directory and BuildKit. */
  env: Record<string, string>
}

/** The user's login environment, from `scripts/rootless-stack.sh env` (set by global-setup.ts). */
export function rootlessUser(): RootlessUser {
  const name = process.env.NERDCTL_ROOTLESS_USER ?? 'nerdctl-rootless'
  const id = (flag: string): number =>
    Number(execFileSync('id', [flag, '--', name], { encoding: 'utf8' }).trim())
  const home = process.env.NERDCTL_ROOTLESS_HOME ?? `/home/${name}`
  const xdg = process.env.NERDCTL_ROOTLESS_XDG_RUNTIME_DIR ?? `/run/user/${id('-u')}`
  return {
    name,
    uid: id('-u'),
    gid: id('-g'),
    home,
    env: {
      HOME: home,
      USER: name,
      LOGNAME: name,
      XDG_RUNTIME_DIR: xdg,
      // The rootful stack's BuildKit is in the test process's environment.
      BUILDKIT_HOST:
        process.env.NERDCTL_ROOTLESS_BUILDKIT_HOST ??
        `unix://${xdg}/buildkit-default/buildkitd.sock`,
      PATH: '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin'
    }
  }
}

/** `nerdctl ARGS` as the rootless user; its standard output, trimmed. Throws on failure unless `allowFailure`. */
export function userNerdctl(args: readonly string[], allowFailure = false): string {
  const u = rootlessUser()
  const env = Object.entries(u.env).map(([k, v]) => `${k}=${v}`)
  const r = spawnSync('runuser', ['-u', u.name, '--', 'env', '-i', ...env, 'nerdctl', ...args], {
    cwd: u.home,
    encoding: 'utf8'
  })
  if (r.status !== 0 && !allowFailure)
    throw new Error(`nerdctl ${args.join(' ')} as ${u.name} failed (${r.status}): ${r.stderr}`)
  return r.stdout.trim()
}

/** Whether the user can run `node` on `file` (the repository may be root's only). */
function canRun(name: string, node: string, file: string): boolean {
  const probe = `require('fs').accessSync(${JSON.stringify(file)}, require('fs').constants.R_OK)`
  return spawnSync('runuser', ['-u', name, '--', node, '-e', probe]).status === 0
}

/**
 * The Node 24 and bundle the user runs: the repository's, or a world-readable
 * copy in a directory added to `dirs` (for the caller to remove).
 */
export function reachableBundle(dirs: string[]): { node: string; bundle: string } {
  const name = rootlessUser().name
  const node = realpathSync(stepNode())
  const bundle = join(ROOT, 'dist', 'index.js')
  if (canRun(name, node, bundle)) return { node, bundle }
  const dir = mkdtempSync(join(tmpdir(), 'nerdctl-action-rootless-'))
  dirs.push(dir)
  chmodSync(dir, 0o755)
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true })
  copyFileSync(node, join(dir, 'node'))
  execFileSync('chmod', ['-R', 'a+rX', dir])
  return { node: join(dir, 'node'), bundle: join(dir, 'dist', 'index.js') }
}
