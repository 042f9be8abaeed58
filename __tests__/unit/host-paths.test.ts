// Host paths: every path an input names leads, after `..` and symbolic links,
// into the workspace, RUNNER_TEMP or a directory of `host-paths`, or the step
// fails before anything runs, naming the input, the path and the fix.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getInputs, InputError, type Inputs } from '../../src/action/inputs/index.js'
import { loadYaml } from '../../src/action/inputs/yaml.js'
import {
  attributePaths,
  ociLayoutPath,
  sshKeyPaths,
  volumeSource
} from '../../src/action/host-paths.js'
import { resolveHostPath } from '../../src/nerdctl/ops/host-paths.js'
import { inputDefaults } from '../helpers/action-defaults.js'
import { captureOutput, type Captured } from '../helpers/capture-output.js'

type With = Record<string, string>

let top = ''
let ws = ''
let rt = ''
/** A directory outside the workspace and RUNNER_TEMP, with a canary in it. */
let outside = ''
let saved: Record<string, string | undefined> = {}
let stdout: Captured

beforeAll(async () => loadYaml())

beforeEach(() => {
  top = realpathSync(mkdtempSync(join(tmpdir(), 'host-paths-')))
  ws = join(top, 'ws')
  rt = join(top, 'rt')
  outside = join(top, 'outside')
  for (const d of [ws, rt, outside]) mkdirSync(d)
  writeFileSync(join(outside, 'canary'), 'canary')
  writeFileSync(join(ws, 'Dockerfile'), 'FROM scratch\n')
  // A link a workflow could plant in the workspace, leading out of it.
  symlinkSync(outside, join(ws, 'planted'))
  saved = { GITHUB_WORKSPACE: process.env.GITHUB_WORKSPACE, RUNNER_TEMP: process.env.RUNNER_TEMP }
  process.env.GITHUB_WORKSPACE = ws
  process.env.RUNNER_TEMP = rt
  stdout = captureOutput()
})

afterEach(() => {
  stdout.restore()
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  rmSync(top, { recursive: true, force: true })
})

function plan(overrides: With): Inputs {
  const values: With = { ...inputDefaults(), ...overrides }
  return getInputs(name => values[name] ?? '')
}

function refusal(overrides: With): string {
  try {
    plan(overrides)
  } catch (e: unknown) {
    expect(e).toBeInstanceOf(InputError)
    return (e as Error).message
  }
  throw new Error('expected an InputError, but getInputs returned a plan')
}

const IMG = '127.0.0.1:5000/busybox:stable'
const BUILD = { context: '.', tags: 'reg.lan:5000/app:1' }

describe('refused before anything runs: a path outside the allowed directories', () => {
  test.each<[string, () => With, string]>([
    ['export via ..', () => ({ image: IMG, export: '../outside/canary' }), 'export'],
    ['export, absolute', () => ({ image: IMG, export: join(outside, 'canary') }), 'export'],
    ['export through a planted link', () => ({ image: IMG, export: 'planted/canary' }), 'export'],
    ['save', () => ({ tags: 'a:1', save: join(outside, 'canary') }), 'save'],
    ['save, a new file', () => ({ tags: 'a:1', save: join(outside, 'new/dir/x.tar') }), 'save'],
    ['copy out', () => ({ image: IMG, copy: `:/etc/passwd -> ${outside}/canary` }), 'copy'],
    ['copy in', () => ({ image: IMG, copy: 'planted/canary -> :/tmp/k' }), 'copy'],
    ['outputs dest', () => ({ ...BUILD, outputs: `type=local,dest=${outside}` }), 'outputs'],
    [
      'local cache-to, the dest quoted as BuildKit reads CSV',
      () => ({ ...BUILD, 'cache-to': `"type=local,""dest=${outside}/a,b"""` }),
      'cache-to'
    ],
    ['local cache-to', () => ({ ...BUILD, 'cache-to': `type=local,dest=${outside}` }), 'cache-to'],
    [
      'local cache-from',
      () => ({ ...BUILD, 'cache-from': 'type=local,src=planted' }),
      'cache-from'
    ],
    ['context', () => ({ ...BUILD, context: outside }), 'context'],
    ['file', () => ({ ...BUILD, file: join(outside, 'canary') }), 'file'],
    ['secret-files', () => ({ ...BUILD, 'secret-files': `key=${outside}/canary` }), 'secret-files'],
    [
      'build-contexts, a directory',
      () => ({ ...BUILD, 'build-contexts': `extra=${outside}` }),
      'build-contexts'
    ],
    [
      'build-contexts, an OCI layout',
      () => ({ ...BUILD, 'build-contexts': `base=oci-layout://${outside}/layout:1.0` }),
      'build-contexts'
    ],
    ['ssh key', () => ({ ...BUILD, ssh: `deploy=${outside}/canary` }), 'ssh'],
    ['volumes', () => ({ image: IMG, volumes: `${outside}:/data` }), 'volumes'],
    [
      'a service volume',
      () => ({ services: `db:\n  image: ${IMG}\n  volumes: ["${outside}:/data"]\n` }),
      'services'
    ],
    ['"~"', () => ({ image: IMG, export: '~/x.tar' }), 'export']
  ])('%s', (_what, inputs, input) => {
    const message = refusal(inputs())
    expect(message).toContain(`Input "${input}"`)
    if (_what !== '"~"') expect(message).toContain('"host-paths"')
  })

  test('the message names the path, where it leads and the directories allowed', () => {
    const message = refusal({ image: IMG, export: 'planted/canary' })
    expect(message).toContain(`"planted/canary" is ${join(ws, 'planted', 'canary')}`)
    expect(message).toContain(`leads to ${join(outside, 'canary')}`)
    expect(message).toContain(`the workspace (${ws})`)
    expect(message).toContain(`RUNNER_TEMP (${rt})`)
  })
})

describe('allowed', () => {
  test('relative paths start at the workspace, and are passed on absolute', () => {
    const p = plan({ image: IMG, export: 'out/fs.tar', copy: ':/etc/hostname -> out/hostname' })
    expect(p.afterStart.export).toBe(join(ws, 'out', 'fs.tar'))
    expect(p.afterStart.copy[0]?.to).toBe(join(ws, 'out', 'hostname'))
  })

  test('RUNNER_TEMP', () => {
    expect(plan({ tags: 'a:1', save: join(rt, 'images.tar') }).images.save).toBe(
      join(rt, 'images.tar')
    )
  })

  test('a directory listed in host-paths, which need not exist yet', () => {
    const cache = join(outside, 'buildx-cache')
    const p = plan({
      ...BUILD,
      'host-paths': `${cache}\n${outside}`,
      'cache-to': `type=local,dest=${cache},mode=max`,
      'cache-from': `type=local,src=${cache}`,
      outputs: `type=local,dest=${outside}/out`
    })
    expect(p.images.build?.cacheTo).toEqual([`type=local,dest=${cache},mode=max`])
    expect(p.nerdctl.hostRoots).toEqual([ws, rt, cache, outside])
    expect(
      plan({ image: IMG, export: 'planted/x.tar', 'host-paths': outside }).afterStart.export
    ).toBe(join(ws, 'planted', 'x.tar'))
  })

  test('what is not a host path: URLs, images, registry caches, named volumes, the ssh agent', () => {
    expect(() =>
      plan({
        context: 'https://github.com/org/repo.git#main',
        tags: 'reg.lan:5000/app:1',
        'build-contexts': `base=docker-image://${IMG}`,
        'cache-from': 'type=registry,ref=reg.lan:5000/app:cache',
        ssh: 'default'
      })
    ).not.toThrow()
    expect(() => plan({ image: IMG, volumes: 'cache:/cache\n/anon' })).not.toThrow()
  })

  test('host-paths takes absolute directories only', () => {
    expect(refusal({ image: IMG, 'host-paths': 'cache' })).toContain('Input "host-paths"')
  })
})

describe('the parts', () => {
  test('resolveHostPath: a missing path through its nearest existing ancestor, links followed', () => {
    expect(resolveHostPath('planted/a/b', ws)).toEqual({
      path: join(ws, 'planted', 'a', 'b'),
      real: join(outside, 'a', 'b'),
      exists: false,
      existing: outside
    })
    symlinkSync(join(top, 'nowhere'), join(ws, 'dangling'))
    expect(() => resolveHostPath('dangling/x', ws)).toThrow('does not exist')
  })

  test.each<[string, string[]]>([
    ['type=local,dest=out', ['out']],
    ['type=local,"dest=a,b"', ['a,b']],
    ['type=registry,ref=reg/app:cache', []],
    ['type=local,src=in,dest=-', ['in']]
  ])('attributePaths(%s)', (value, want) => {
    expect(attributePaths(value, ['src', 'dest'])).toEqual(want)
  })

  test('volumeSource, ociLayoutPath, sshKeyPaths', () => {
    expect(volumeSource('/d:/data:ro')).toEqual({ source: '/d', readOnly: true })
    expect(volumeSource('./d:/data')).toEqual({ source: './d', readOnly: false })
    expect(volumeSource('name:/data')).toBeUndefined()
    expect(volumeSource('/anon')).toBeUndefined()
    expect(ociLayoutPath('oci-layout:///l/app:1.0')).toBe('/l/app')
    expect(ociLayoutPath('oci-layout:///l/app@sha256:ab')).toBe('/l/app')
    expect(ociLayoutPath('docker-image://x')).toBeUndefined()
    expect(sshKeyPaths('default')).toEqual([])
    expect(sshKeyPaths('deploy=/k1,/k2')).toEqual(['/k1', '/k2'])
  })
})
