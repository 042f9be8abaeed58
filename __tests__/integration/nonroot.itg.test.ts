// A runner whose user is not root, end to end: the bundle (main, then post)
// run as a real ordinary user made by scripts/test-users.sh, with password-less
// sudo as self-hosted runners have it, and `sudo: true`. Everything the step
// writes must be that user's, with that user's umask, and that user must be
// able to delete it all; the same kind of user without sudo rights gets the
// clear error before anything is created.
import { execFileSync, spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Nerdctl, images, list } from '../../src/nerdctl/index.js'
import { OWNER_LABEL } from '../../src/action/constants.js'
import { stepNode } from '../../src/cli/step.js'
import { ROOT } from '../helpers/action-defaults.js'
import { ActionStep } from './run-action.js'
import {
  AUTH_PASSWORD,
  AUTH_REGISTRY,
  AUTH_USER,
  BASE_IMAGE,
  BUILDKIT_HOST,
  REGISTRY,
  removeQuietly,
  uniqueName
} from './helpers.js'

/** The users scripts/test-users.sh makes: sudo for all, sudo for nerdctl, rm and cat only, none. */
const RUNNER = 'nerdctl-runner'
const NARROW = 'nerdctl-narrow'
const NOSUDO = 'nerdctl-nosudo'
/** Not Debian's 022: a umask of its own shows the step applies the user's. */
const UMASK = '027'
const UMASK_BITS = 0o027

const client = new Nerdctl()
const steps: ActionStep[] = []
const imageNames: string[] = []
const dirs: string[] = []
let how: { node: string; bundle: string }

function idOf(user: string, flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, '--', user], { encoding: 'utf8' }).trim())
}

/** Whether `user` can run `node` on `bundle` (the repo may sit under a home only root reads). */
function canRun(user: string, node: string, bundle: string): boolean {
  const probe = `require('fs').accessSync(${JSON.stringify(bundle)}, require('fs').constants.R_OK)`
  return spawnSync('runuser', ['-u', user, '--', node, '-e', probe]).status === 0
}

/** The Node 24 and bundle the users run: the repo's own, or a world-readable copy of them. */
function reachableBundle(): { node: string; bundle: string } {
  const node = realpathSync(stepNode())
  const bundle = join(ROOT, 'dist', 'index.js')
  if ([RUNNER, NARROW, NOSUDO].every(u => canRun(u, node, bundle))) return { node, bundle }
  const dir = mkdtempSync(join(tmpdir(), 'nerdctl-action-nonroot-'))
  dirs.push(dir)
  chmodSync(dir, 0o755)
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true })
  copyFileSync(node, join(dir, 'node'))
  chmodSync(join(dir, 'node'), 0o755)
  execFileSync('chmod', ['-R', 'a+rX', dir])
  return { node: join(dir, 'node'), bundle: join(dir, 'dist', 'index.js') }
}

function step(user: string, inputs: Record<string, string>): ActionStep {
  const s = new ActionStep(inputs, {}, { ...how, asUser: { name: user, umask: UMASK } })
  steps.push(s)
  return s
}

/** A build context the users can read (made by root, as a checkout could be). */
function context(files: Record<string, string>, modes: Record<string, number> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'nerdctl-action-nonroot-ctx-'))
  dirs.push(dir)
  chmodSync(dir, 0o755)
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text)
    chmodSync(join(dir, name), modes[name] ?? 0o644)
  }
  return dir
}

interface Entry {
  path: string
  uid: number
  gid: number
  mode: number
  link: boolean
}

/** Every file, directory and link under `dir` (links not followed), `dir` included. */
function walk(dir: string): Entry[] {
  const st = lstatSync(dir)
  const out: Entry[] = [
    { path: dir, uid: st.uid, gid: st.gid, mode: st.mode & 0o7777, link: st.isSymbolicLink() }
  ]
  if (st.isDirectory()) for (const name of readdirSync(dir)) out.push(...walk(join(dir, name)))
  return out
}

/** The runner's own files in a step's directory (GITHUB_OUTPUT, …): root made them, then handed them over. */
const RUNNER_FILES = /\/(main|post)-(output|state|summary)$/

/** What is not the user's, or has a bit the umask takes away; empty when all is well. */
function notTheUsers(dir: string, user: string): string[] {
  const [uid, gid] = [idOf(user, '-u'), idOf(user, '-g')]
  const trimmed = (e: Entry): boolean =>
    e.link || RUNNER_FILES.test(e.path) || (e.mode & UMASK_BITS) === 0
  return walk(dir)
    .filter(e => e.uid !== uid || e.gid !== gid || !trimmed(e))
    .map(e => `${e.path} ${e.uid}:${e.gid} ${e.mode.toString(8)}`)
}

/** Deletes `dir` as `user`, as the next job's checkout would clean its workspace. */
function removeAs(user: string, dir: string): { status: number | null; stderr: string } {
  const r = spawnSync('runuser', ['-u', user, '--', 'rm', '-rf', '--', dir], { encoding: 'utf8' })
  return { status: r.status, stderr: r.stderr }
}

async function containersOf(token: string): Promise<string[]> {
  return (await list(true, { client, filters: [`label=${OWNER_LABEL}=${token}`] })).map(c => c.id)
}

beforeAll(() => {
  execFileSync('bash', [join(ROOT, 'scripts', 'test-users.sh')], { stdio: 'inherit' })
  how = reachableBundle()
})

afterAll(async () => {
  await removeQuietly(client, { images: imageNames })
  for (const s of steps) s.remove()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

test.each([
  ['sudo for everything', RUNNER],
  ['sudo for nerdctl, rm and cat only', NARROW]
])(
  "an ordinary user with %s: build, push, save, a healthy service, exec, copy out a tree, export; all of it is the user's, and the user deletes it",
  async (_sudoers, user) => {
    const tag = `${REGISTRY}/itg/nonroot:${uniqueName('n').slice(4)}`
    imageNames.push(tag)
    const ctx = context({
      Dockerfile:
        `FROM ${BASE_IMAGE}\n` +
        // Modes a container has and a user's umask must trim: 0777, 0600, a link.
        'RUN mkdir -p /srv/www/sub && echo hello-nonroot > /srv/www/index.html && chmod 777 /srv/www/index.html' +
        ' && echo private > /srv/www/sub/a && chmod 600 /srv/www/sub/a && ln -s index.html /srv/www/link\n' +
        'CMD ["httpd", "-f", "-p", "80", "-h", "/srv/www"]\n'
    })
    const s = step(user, {
      sudo: 'true',
      // A login too: the step's own Docker config is in its scratch directory.
      registry: AUTH_REGISTRY,
      username: AUTH_USER,
      password: AUTH_PASSWORD,
      context: ctx,
      tags: tag,
      'buildkit-host': BUILDKIT_HOST,
      push: 'true',
      save: 'out/images.tar',
      run: 'true',
      'health-cmd': 'wget -q -O- http://127.0.0.1:80/ | grep -q hello-nonroot',
      'health-interval': '30s',
      exec: 'test -f /srv/www/index.html\necho exec-as-an-ordinary-user',
      copy: ':/srv/www -> out/www',
      export: 'out/fs.tar'
    })
    const main = await s.main()
    // The log comes along, so a failure here shows what the step said.
    expect({ exitCode: main.exitCode, health: main.outputs.health, log: main.stdout }).toEqual({
      exitCode: 0,
      health: 'healthy',
      log: expect.not.stringMatching(/::error::/) as unknown
    })
    const o = main.outputs
    expect(o.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(main.stdout).toContain('exec-as-an-ordinary-user')
    // It really ran as that user, and nerdctl through sudo.
    expect(main.stdout).not.toMatch(/rootless containerd/)

    const out = join(s.dir, 'out')
    expect(readFileSync(join(out, 'www', 'index.html'), 'utf8')).toBe('hello-nonroot\n')
    expect(readFileSync(join(out, 'www', 'sub', 'a'), 'utf8')).toBe('private\n')
    expect(readlinkSync(join(out, 'www', 'link'))).toBe('index.html')
    // The container's modes less the user's umask: 0777 -> 0750, 0600 stays.
    expect(lstatSync(join(out, 'www', 'index.html')).mode & 0o777).toBe(0o750)
    expect(lstatSync(join(out, 'www', 'sub', 'a')).mode & 0o777).toBe(0o600)
    expect(execFileSync('tar', ['-tf', join(out, 'images.tar')], { encoding: 'utf8' })).toContain(
      'index.json'
    )
    expect(execFileSync('tar', ['-tf', join(out, 'fs.tar')], { encoding: 'utf8' })).toContain(
      'srv/www/index.html'
    )
    // Everything the step wrote, its scratch directory included, is the user's.
    expect(notTheUsers(s.dir, user)).toEqual([])

    // What nerdctl, run through sudo, may leave in the scratch directory: a
    // root-owned directory the user cannot empty. The post step must still remove it all.
    const scratch = main.state.tempDir as string
    expect(scratch.startsWith(s.dir)).toBe(true)
    mkdirSync(join(scratch, 'by-root', 'deeper'), { recursive: true })
    writeFileSync(join(scratch, 'by-root', 'deeper', 'file'), 'root wrote this')
    chmodSync(join(scratch, 'by-root'), 0o755)

    const post = await s.post()
    expect(post.stdout).not.toMatch(/::(warning|error)::/)
    expect(post.stdout).toContain(`logged out of ${AUTH_REGISTRY}`)
    expect(post.exitCode).toBe(0)
    expect(await containersOf(main.state.token as string)).toEqual([])
    expect(existsSync(scratch)).toBe(false)
    expect(notTheUsers(s.dir, user)).toEqual([])
    expect(removeAs(user, s.dir)).toEqual({ status: 0, stderr: '' })
    expect(existsSync(s.dir)).toBe(false)
  }
)

test.each([
  ['local', 'type=local,dest=out/site', 'out/site'],
  ['tar', 'type=tar,dest=out/site.tar', 'out/site.tar']
])(
  "an ordinary user with sudo: a build output of type %s is the user's, and the user deletes it",
  async (type, outputs, dest) => {
    const ctx = context(
      { Dockerfile: 'FROM scratch\nCOPY page.html /www/page.html\n', 'page.html': 'a page\n' },
      { 'page.html': 0o666 }
    )
    const s = step(RUNNER, { sudo: 'true', context: ctx, outputs, 'buildkit-host': BUILDKIT_HOST })
    const main = await s.main()
    expect(main.stdout).not.toMatch(/::error::/)
    expect(main.exitCode).toBe(0)
    const path = join(s.dir, dest)
    if (type === 'local') {
      expect(readFileSync(join(path, 'www', 'page.html'), 'utf8')).toBe('a page\n')
      expect(lstatSync(join(path, 'www', 'page.html')).mode & 0o777).toBe(0o640)
    } else {
      expect(execFileSync('tar', ['-tf', path], { encoding: 'utf8' })).toContain('www/page.html')
    }
    expect(notTheUsers(s.dir, RUNNER)).toEqual([])
    const post = await s.post()
    expect(post.exitCode).toBe(0)
    expect(existsSync(main.state.tempDir as string)).toBe(false)
    expect(notTheUsers(s.dir, RUNNER)).toEqual([])
    expect(removeAs(RUNNER, s.dir)).toEqual({ status: 0, stderr: '' })
  }
)

test.each([
  ['with sudo: true', 'true', /sudo: a password is required[\s\S]*Hint: sudo refused/],
  [
    'with sudo: false',
    'false',
    /rootless containerd not running[\s\S]*Hint: nerdctl was refused access/
  ]
])(
  'a user without sudo rights, %s, gets the not-root error before anything is created',
  async (_title, sudo, message) => {
    const tag = `${REGISTRY}/itg/nonroot-refused:${uniqueName('r').slice(4)}`
    imageNames.push(tag)
    const ctx = context({ Dockerfile: `FROM ${BASE_IMAGE}\nCMD ["sleep", "600"]\n` })
    const s = step(NOSUDO, {
      sudo,
      context: ctx,
      tags: tag,
      'buildkit-host': BUILDKIT_HOST,
      save: 'out/images.tar',
      run: 'true',
      copy: ':/etc/hostname -> out/hostname',
      export: 'out/fs.tar'
    })
    const main = await s.main()
    expect(main.exitCode).not.toBe(0)
    expect(main.stdout).toMatch(/::error::/)
    expect(main.stdout).toMatch(message)
    // Nothing was created: no container, no image, no file but the runner's own.
    expect(await containersOf(main.state.token as string)).toEqual([])
    // Not `--filter reference=`: nerdctl fails it once any `<none>@sha256:` name is in the store.
    expect((await images({ client })).filter(i => i.name.startsWith(tag))).toEqual([])
    expect(existsSync(join(s.dir, 'out'))).toBe(false)
    const post = await s.post()
    expect(post.exitCode).toBe(0)
    expect(existsSync(main.state.tempDir as string)).toBe(false)
    expect(notTheUsers(s.dir, NOSUDO)).toEqual([])
    expect(removeAs(NOSUDO, s.dir)).toEqual({ status: 0, stderr: '' })
  }
)
