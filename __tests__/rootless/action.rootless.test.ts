// A rootless runner, end to end: the bundle (main, then post) run as the
// dedicated user of scripts/rootless-stack.sh, who has no sudo and a rootless
// containerd and BuildKit of its own (rootlesskit, slirp4netns, no systemd, this
// machine's cgroup v1). Every feature of the action either works or is refused
// before anything runs, naming the reason; everything the step writes is the
// user's with no chown; nothing is left in the user's containerd afterwards.
// Run by jest.rootless.config.js, after the rootful suites (scripts/test.sh).
import { execFileSync, spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OWNER_LABEL } from '../../src/action/constants.js'
import { ActionStep } from '../integration/run-action.js'
import {
  AUTH_PASSWORD,
  AUTH_REGISTRY,
  AUTH_USER,
  BASE_IMAGE,
  REGISTRY,
  uniqueName
} from '../integration/helpers.js'
import { reachableBundle, rootlessUser, userNerdctl } from './user.js'

const user = rootlessUser()
const UMASK = '027'
const steps: ActionStep[] = []
const dirs: string[] = []
const images: string[] = []
let how: { node: string; bundle: string }

/** A step run as the rootless user, in the environment a login gives it (no sudo anywhere). */
function step(inputs: Record<string, string>): ActionStep {
  const s = new ActionStep(inputs, user.env, { ...how, asUser: { name: user.name, umask: UMASK } })
  steps.push(s)
  return s
}

/** A build context the user can read. */
function context(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nerdctl-action-rootless-ctx-'))
  dirs.push(dir)
  chmodSync(dir, 0o755)
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text)
    chmodSync(join(dir, name), 0o644)
  }
  return dir
}

/** Every path under `dir` that is not the user's (links included, not followed). */
function notTheUsers(dir: string): string[] {
  const out: string[] = []
  const walk = (p: string): void => {
    const st = lstatSync(p)
    if (st.uid !== user.uid || st.gid !== user.gid) out.push(`${p} ${st.uid}:${st.gid}`)
    if (st.isDirectory() && !st.isSymbolicLink()) for (const n of readdirSync(p)) walk(join(p, n))
  }
  walk(dir)
  return out
}

/** What the step's token names in the user's containerd: containers and networks. */
function leftovers(token: string | undefined): string[] {
  if (!token) return []
  const filter = `label=${OWNER_LABEL}=${token}`
  return [
    ...userNerdctl(['ps', '-a', '--filter', filter, '--format', '{{.Names}}']).split('\n'),
    ...userNerdctl(['network', 'ls', '--filter', filter, '--format', '{{.Name}}']).split('\n')
  ].filter(l => l.trim() !== '')
}

/** Deletes `dir` as the user, as the next job's checkout would. */
function removeAsUser(dir: string): number | null {
  return spawnSync('runuser', ['-u', user.name, '--', 'rm', '-rf', '--', dir]).status
}

beforeAll(() => {
  how = reachableBundle(dirs)
})

afterAll(() => {
  if (images.length > 0) userNerdctl(['rmi', '-f', ...images], true)
  for (const s of steps) s.remove()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

test('the step runs as an ordinary user with no sudo, and its nerdctl is rootless', () => {
  expect(user.uid).not.toBe(0)
  expect(spawnSync('runuser', ['-u', user.name, '--', 'sudo', '-n', 'true']).status).not.toBe(0)
  expect(userNerdctl(['info', '--format', '{{json .SecurityOptions}}'])).toContain('rootless')
})

test.each([
  [{ sudo: 'true' }, /Input "sudo": is true, but this runner's containerd is rootless/],
  [{ memory: '64m' }, /Input "memory": memoryLimit: nerdctl runs rootless .* cgroup v1/],
  [{ stats: 'true' }, /Input "stats": is true, but nerdctl runs rootless .* cgroup v1/],
  [
    { detach: 'false', command: 'true', copy: ':/etc/hostname -> out/hostname' },
    /Input "copy": .*cannot use cp with a stopped container/
  ],
  [
    { ports: '127.0.0.1:80:80' },
    /Input "ports": 127\.0\.0\.1:80:80: .*net\.ipv4\.ip_unprivileged_port_start/
  ]
])('%j is refused before anything is created, with the reason', async (inputs, message) => {
  const name = uniqueName('rl-refused')
  const s = step({ image: BASE_IMAGE, name, command: 'sleep 60', ...inputs })
  const main = await s.main()
  expect(main.exitCode).not.toBe(0)
  expect(main.stdout).toMatch(message)
  expect(userNerdctl(['ps', '-a', '--filter', `name=${name}`, '--format', '{{.Names}}'])).toBe('')
  const post = await s.post()
  expect(post.exitCode).toBe(0)
  expect(notTheUsers(s.dir)).toEqual([])
  expect(removeAsUser(s.dir)).toBe(0)
})

test("login, build with cache and a secret, push, save, a healthy service waited for through its published port, exec, copy, commit, export, post: all of it the user's", async () => {
  const id = uniqueName('rl').slice(4)
  const tag = `${AUTH_REGISTRY}/itg/rootless:${id}`
  const committed = `${REGISTRY}/itg/rootless-commit:${id}`
  images.push(tag, committed)
  const secret = `rootless-secret-${id}`
  const ctx = context({
    Dockerfile:
      `FROM ${BASE_IMAGE}\n` +
      // The secret is read during the build and kept only as its length.
      'RUN --mount=type=secret,id=token wc -c < /run/secrets/token > /token-length\n' +
      'RUN mkdir -p /srv/www/sub && echo hello-rootless > /srv/www/index.html && echo private > /srv/www/sub/a && chmod 600 /srv/www/sub/a\n' +
      'CMD ["httpd", "-f", "-p", "80", "-h", "/srv/www"]\n'
  })
  const s = step({
    registry: AUTH_REGISTRY,
    username: AUTH_USER,
    password: AUTH_PASSWORD,
    context: ctx,
    tags: tag,
    secrets: `token=${secret}`,
    'cache-to': `type=registry,ref=${REGISTRY}/itg/rootless-cache:${id},mode=max`,
    'cache-from': `type=registry,ref=${REGISTRY}/itg/rootless-cache:${id}`,
    push: 'true',
    save: 'out/images.tar',
    run: 'true',
    ports: '127.0.0.1::80',
    'health-cmd': 'wget -q -O- http://127.0.0.1:80/ | grep -q hello-rootless',
    'health-interval': '30s',
    exec: 'cat /token-length\necho exec-in-a-rootless-container',
    copy: ':/srv/www -> out/www',
    commit: committed,
    export: 'out/fs.tar'
  })
  const main = await s.main()
  expect({ exitCode: main.exitCode, health: main.outputs.health, log: main.stdout }).toEqual({
    exitCode: 0,
    health: 'healthy',
    log: expect.not.stringMatching(/::error::/) as unknown
  })
  expect(main.stdout).toContain('nerdctl: rootless (rootlesskit state ')
  expect(main.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
  expect(main.stdout).toContain('exec-in-a-rootless-container')
  expect(main.stdout).toMatch(new RegExp(`^${secret.length}$`, 'm'))
  const shown = main.stdout
    .split('\n')
    .filter(l => !l.startsWith('::add-mask::'))
    .join('\n')
  expect(shown).not.toContain(secret)
  // The build cache went to the registry, through the namespace's forwarder to the host's loopback.
  const cache = spawnSync('curl', [
    '-fsS',
    '-o',
    '/dev/null',
    '-H',
    'Accept: application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json',
    `http://${REGISTRY}/v2/itg/rootless-cache/manifests/${id}`
  ])
  expect(cache.status).toBe(0)
  const out = join(s.dir, 'out')
  expect(readFileSync(join(out, 'www', 'index.html'), 'utf8')).toBe('hello-rootless\n')
  expect(readFileSync(join(out, 'www', 'sub', 'a'), 'utf8')).toBe('private\n')
  expect(execFileSync('tar', ['-tf', join(out, 'images.tar')], { encoding: 'utf8' })).toContain(
    'index.json'
  )
  expect(execFileSync('tar', ['-tf', join(out, 'fs.tar')], { encoding: 'utf8' })).toContain(
    'srv/www/index.html'
  )
  expect(userNerdctl(['image', 'inspect', committed, '--format', '{{.Id}}'])).toMatch(/^sha256:/)
  // Written by the user's own processes: the user's, and nothing needed a chown.
  expect(notTheUsers(s.dir)).toEqual([])

  const post = await s.post()
  expect(post.stdout).not.toMatch(/::(warning|error)::/)
  expect(post.stdout).toContain(`logged out of ${AUTH_REGISTRY}`)
  expect(post.exitCode).toBe(0)
  expect(leftovers(main.state.token)).toEqual([])
  expect(existsSync(main.state.tempDir as string)).toBe(false)
  expect(notTheUsers(s.dir)).toEqual([])
  expect(removeAsUser(s.dir)).toBe(0)
})

test("a build's local output is the user's, and the user deletes it", async () => {
  const ctx = context({
    Dockerfile: 'FROM scratch\nCOPY page.html /www/page.html\n',
    'page.html': 'a page\n'
  })
  const s = step({ context: ctx, outputs: 'type=local,dest=out/site' })
  const main = await s.main()
  expect(main.stdout).not.toMatch(/::error::/)
  expect(main.exitCode).toBe(0)
  expect(readFileSync(join(s.dir, 'out', 'site', 'www', 'page.html'), 'utf8')).toBe('a page\n')
  expect(notTheUsers(s.dir)).toEqual([])
  expect((await s.post()).exitCode).toBe(0)
  expect(removeAsUser(s.dir)).toBe(0)
})

test("services ready through their published ports (port, http, log); a killed job's services are reaped; post leaves nothing", async () => {
  const services = `
web:
  image: ${BASE_IMAGE}
  command: ["sh", "-c", "mkdir -p /w && echo hello-from-web > /w/index.html && echo web-up && exec httpd -f -p 8080 -h /w"]
  ports: ["127.0.0.1::8080"]
  wait:
    http: 8080/index.html
    log: "^web-up$"
cache:
  image: ${BASE_IMAGE}
  command: ["sh", "-c", "sleep 0.3; exec nc -ll -p 6379 -e cat"]
  ports: ["127.0.0.1::6379"]
  wait:
    port: 6379
`
  // A job killed after its main step: its runner process (here runuser) is gone.
  const killed = step({ services })
  const first = await killed.main()
  expect(first.stdout).not.toMatch(/::error::/)
  expect(first.exitCode).toBe(0)
  expect(first.stdout).toMatch(/web: ready/)
  expect(leftovers(first.state.token)).toHaveLength(3)

  const s = step({ services })
  const main = await s.main()
  expect(main.stdout).not.toMatch(/::error::/)
  expect(main.exitCode).toBe(0)
  for (const name of leftovers(first.state.token)) expect(name).toBe('')
  expect(main.stdout).toMatch(/reap: removed container /)
  const outputs = JSON.parse(main.outputs.services as string) as Record<
    string,
    { ports: Record<string, string> }
  >
  const port = outputs.web?.ports['8080']
  expect(port).toMatch(/^\d+$/)
  // The runner reaches the service where the step said it would.
  expect(
    execFileSync('curl', ['-fsS', `http://127.0.0.1:${port}/index.html`], { encoding: 'utf8' })
  ).toBe('hello-from-web\n')
  const post = await s.post()
  expect(post.exitCode).toBe(0)
  expect(leftovers(main.state.token)).toEqual([])
  expect((await killed.post()).exitCode).toBe(0)
  expect(notTheUsers(s.dir)).toEqual([])
})

test('a service waited for on a port it does not publish is refused before it starts', async () => {
  const s = step({
    services: `db:\n  image: ${BASE_IMAGE}\n  command: sleep 60\n  wait:\n    port: 5432\n`
  })
  const main = await s.main()
  expect(main.exitCode).not.toBe(0)
  expect(main.stdout).toMatch(
    /Input "services": service "db": port 5432 is checked from the runner but not published/
  )
  expect(leftovers(main.state.token)).toEqual([])
  expect((await s.post()).exitCode).toBe(0)
})
