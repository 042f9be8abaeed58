// Ecosystem fidelity (issue 24) through the action's bundle on the real stack:
// a script written for actions/github-script runs unchanged (the real core,
// exec, io and glob; a summary table; an OIDC token fetched through an
// https_proxy), a step without a script never loads the toolkit's chunk, and
// an older nerdctl (1.7.7, built from the Go module proxy by
// scripts/old-nerdctl.sh) fails the step with the versions' message.
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { connect, createServer as createNetServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT } from '../helpers/action-defaults.js'
import { ActionStep } from './run-action.js'
import { BASE_IMAGE, tempDir } from './helpers.js'

const EXAMPLE = join(ROOT, 'examples', 'github-script', 'toolkit.js')
const TOKEN_HOST = 'token.actions.test'
const REQUEST_TOKEN = 'fidelity-request-token'
const ID_TOKEN = 'eyJhbGciOiJub25lIn0.eyJhdWQiOiJuZXJkY3RsLWFjdGlvbi1leGFtcGxlIn0.c2lnbmVk'

const listen = (server: Server): Promise<number> =>
  new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  )
/** The proxy's tunnels, both ends: ended at close, so close never waits on a kept-alive one. */
const tunnelSockets = new Set<Socket>()
const close = (server: Server): Promise<void> =>
  new Promise(resolve => {
    server.close(() => resolve())
    ;(server as Server & { closeAllConnections?: () => void }).closeAllConnections?.()
    for (const socket of tunnelSockets) socket.destroy()
  })

/** The dist/ chunks that hold the scripts' toolkit (the real @actions/core's OIDC client). */
function toolkitChunks(): string[] {
  const dist = join(ROOT, 'dist')
  return (
    readdirSync(dist)
      .filter(f => f.endsWith('.js') && existsSync(join(dist, `${f}.map`)))
      // By what the chunk was bundled from (its source map), not by a string the
      // action's own code may hold too (the signing phase names the OIDC variables).
      .filter(f =>
        (
          JSON.parse(readFileSync(join(dist, `${f}.map`), 'utf8')) as { sources: string[] }
        ).sources.some(src => src.includes('node_modules/@actions/core/'))
      )
  )
}

/**
 * NODE_OPTIONS for a step that writes every dist/ module it loads to `log`
 * (a module loader hook, registered before the bundle starts).
 */
function loadRecorder(dir: string, log: string): string {
  const hooks = join(dir, 'hooks.mjs')
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs'\nexport async function load(url, context, next) {\n  if (url.includes('/dist/')) appendFileSync(${JSON.stringify(log)}, url + '\\n')\n  return next(url, context)\n}\n`
  )
  const register = join(dir, 'register.mjs')
  writeFileSync(
    register,
    `import { register } from 'node:module'\nregister(${JSON.stringify(pathToFileURL(hooks).href)})\n`
  )
  writeFileSync(log, '')
  return `--import ${register}`
}

describe('a github-script script runs unchanged in the script input', () => {
  const dir = tempDir('fidelity-oidc-')
  const tunnels: string[] = []
  const tokenRequests: { url: string; authorization: string | undefined }[] = []
  let oidc: Server
  let proxy: Server
  let proxyPort = 0
  let cert = ''

  beforeAll(async () => {
    // A certificate for the token service's name, trusted by the step's Node only.
    cert = join(dir.path, 'cert.pem')
    const key = join(dir.path, 'key.pem')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${TOKEN_HOST}`,
        '-addext',
        `subjectAltName=DNS:${TOKEN_HOST}`,
        '-keyout',
        key,
        '-out',
        cert
      ],
      { stdio: 'ignore' }
    )
    const server = createHttpsServer(
      { key: readFileSync(key), cert: readFileSync(cert) },
      (req, res) => {
        tokenRequests.push({ url: req.url ?? '', authorization: req.headers.authorization })
        res.setHeader('Content-Type', 'application/json')
        res.end(JSON.stringify({ value: ID_TOKEN }))
      }
    )
    oidc = server
    const oidcPort = await listen(server)
    // The runner's proxy: CONNECT to any host is tunnelled to the token service.
    proxy = createNetServer(socket => {
      tunnelSockets.add(socket)
      let head = ''
      const onData = (chunk: Buffer): void => {
        head += chunk.toString('latin1')
        const end = head.indexOf('\r\n\r\n')
        if (end < 0) return
        socket.off('data', onData)
        const [method, target] = head.split(' ')
        if (method !== 'CONNECT') {
          socket.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n')
          return
        }
        tunnels.push(target ?? '')
        const upstream = connect(oidcPort, '127.0.0.1', () => {
          tunnelSockets.add(upstream)
          socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
          const rest = Buffer.from(head.slice(end + 4), 'latin1')
          if (rest.length > 0) upstream.write(rest)
          socket.pipe(upstream).pipe(socket)
        })
        upstream.on('error', () => socket.destroy())
        socket.on('error', () => upstream.destroy())
      }
      socket.on('data', onData)
    })
    proxyPort = await listen(proxy)
  }, 60_000)

  afterAll(async () => {
    await close(proxy)
    await close(oidc)
    dir.remove()
  })

  test('core, exec, io, glob, a summary table, and getIDToken through https_proxy', async () => {
    const loads = join(dir.path, 'loads.txt')
    const s = new ActionStep(
      { 'script-file': EXAMPLE },
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: `https://${TOKEN_HOST}/token?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
        https_proxy: `http://127.0.0.1:${proxyPort}`,
        NODE_EXTRA_CA_CERTS: cert,
        NODE_OPTIONS: loadRecorder(dir.path, loads)
      }
    )
    try {
      const main = await s.main()
      expect({ exit: main.exitCode, log: main.exitCode === 0 ? '' : main.log }).toEqual({
        exit: 0,
        log: ''
      })
      expect(JSON.parse(main.outputs.result as string)).toEqual({
        lines: ['alpha', 'beta'],
        code: 0,
        tokenParts: 3
      })
      expect(main.outputs.files).toBe('alpha.txt,beta.txt')
      expect(main.log).toContain('from exec')
      // The summary table, as core's summary writes it.
      expect(main.summary).toContain(
        '<h1>github-script example</h1>\n<table><tr><th>file</th><th>content</th></tr><tr><td>alpha.txt</td><td>alpha</td></tr><tr><td>beta.txt</td><td>beta</td></tr></table>'
      )
      // The token came through the proxy, asked for the audience, and is masked.
      expect(tunnels).toEqual([`${TOKEN_HOST}:443`])
      expect(tokenRequests).toEqual([
        {
          url: '/token?api-version=2.0&audience=nerdctl-action-example',
          authorization: `Bearer ${REQUEST_TOKEN}`
        }
      ])
      expect(main.masks).toContain(ID_TOKEN)
      // A step with a script loads the toolkit's chunk (the recorder sees it).
      const loaded = readFileSync(loads, 'utf8')
      for (const chunk of toolkitChunks()) expect(loaded).toContain(`/dist/${chunk}`)
      expect((await s.post()).exitCode).toBe(0)
    } finally {
      s.remove()
    }
  }, 120_000)

  test('a step without a script never loads the toolkit (@actions/core and its HTTP stack)', async () => {
    expect(toolkitChunks().length).toBeGreaterThan(0)
    const loads = join(dir.path, 'loads-plain.txt')
    const s = new ActionStep({ pull: BASE_IMAGE }, { NODE_OPTIONS: loadRecorder(dir.path, loads) })
    try {
      const main = await s.main()
      expect(main.exitCode).toBe(0)
      await s.post()
      const loaded = readFileSync(loads, 'utf8')
      expect(loaded).toContain('/dist/index.js')
      for (const chunk of toolkitChunks()) expect(loaded).not.toContain(`/dist/${chunk}`)
    } finally {
      s.remove()
    }
  }, 120_000)
})

describe('an older nerdctl (1.7.7) fails the step with the versions, by name', () => {
  const dir = tempDir('fidelity-old-')
  const calls = join(dir.path, 'calls.log')
  const wrapper = join(dir.path, 'nerdctl')

  beforeAll(() => {
    // Built once per machine from the Go module proxy; milliseconds when present.
    const old = execFileSync('bash', [join(ROOT, 'scripts', 'old-nerdctl.sh')], {
      encoding: 'utf8',
      timeout: 600_000
    }).trim()
    // A runner set up for that nerdctl: its own config (the stack's has fields
    // 1.x refuses), and every call it is asked for written down.
    const toml = join(dir.path, 'nerdctl.toml')
    writeFileSync(toml, 'cni_path = "/usr/lib/cni"\n')
    writeFileSync(
      wrapper,
      `#!/bin/sh\necho "$*" >> ${calls}\nNERDCTL_TOML=${toml} exec ${old} "$@"\n`
    )
    chmodSync(wrapper, 0o755)
  }, 600_000)

  afterAll(() => dir.remove())

  const called = (): string[] => {
    try {
      return readFileSync(calls, 'utf8').split('\n').filter(Boolean)
    } finally {
      writeFileSync(calls, '')
    }
  }

  const MESSAGE =
    'nerdctl v1.7.7 is older than 2.0.0, the oldest this action and library support: upgrade nerdctl to 2.0.0 or newer'

  test('a build: the versions are read before anything runs, and kept for the next steps', async () => {
    const ctx = join(dir.path, 'ctx')
    execFileSync('mkdir', ['-p', ctx])
    writeFileSync(join(ctx, 'Dockerfile'), `FROM ${BASE_IMAGE}\n`)
    const cache = join(dir.path, 'toolcache')
    const build = new ActionStep(
      { nerdctl: wrapper, context: ctx, tags: '127.0.0.1:5000/fidelity/old:1' },
      { RUNNER_TOOL_CACHE: cache }
    )
    try {
      const main = await build.main()
      expect(main.exitCode).toBe(1)
      expect(main.commands.filter(c => c.name === 'error').map(c => c.data)).toEqual([MESSAGE])
      expect(called()).toEqual(['version --format {{json .}}'])
      await build.post()
      called()
    } finally {
      build.remove()
    }
    // A later step without a version-dependent feature fails from the kept
    // reading (read once more, in case containerd changed), before its pull.
    const pull = new ActionStep(
      { nerdctl: wrapper, pull: BASE_IMAGE },
      { RUNNER_TOOL_CACHE: cache }
    )
    try {
      const main = await pull.main()
      expect(main.exitCode).toBe(1)
      expect(main.commands.filter(c => c.name === 'error').map(c => c.data)).toEqual([MESSAGE])
      expect(called()).toEqual(['version --format {{json .}}'])
      await pull.post()
    } finally {
      pull.remove()
    }
  }, 180_000)

  test('health checks: a flag 1.7.7 lacks is named as the feature that needs a newer nerdctl', async () => {
    const s = new ActionStep({
      nerdctl: wrapper,
      image: BASE_IMAGE,
      run: 'true',
      command: 'sleep 5',
      'health-cmd': 'true'
    })
    try {
      const main = await s.main()
      expect(main.exitCode).toBe(1)
      const [error] = main.commands.filter(c => c.name === 'error').map(c => c.data)
      expect(error).toContain(MESSAGE)
      expect(error).toContain(
        'health-check needs nerdctl 2.1.3 or newer, but this runner has nerdctl v1.7.7'
      )
      // Nothing was made: the only other calls list what carries the step's label.
      expect(called().filter(c => !/^(version|ps|network ls) /.test(c))).toEqual([])
      await s.post()
    } finally {
      s.remove()
    }
  }, 120_000)
})
