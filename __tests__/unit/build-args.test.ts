// The build options beyond the basic ones: each spec in, the exact argv out,
// and each bad value refused before anything runs.
import { NerdctlError } from '../../src/nerdctl/base/errors.js'
import type { BuildSpec } from '../../src/nerdctl/base/types.js'
import {
  annotationAttribute,
  buildArgs,
  exporterOf,
  secretFile
} from '../../src/nerdctl/pure/build-args.js'

const IID = '/tmp/b/iid'
const HEAD = ['build', '--progress', 'plain', '--iidfile', IID, '--tag', 'app:1']

function errorOf(fn: () => unknown): NerdctlError {
  try {
    fn()
  } catch (e: unknown) {
    expect(e).toBeInstanceOf(NerdctlError)
    return e as NerdctlError
  }
  throw new Error('expected a NerdctlError')
}

describe('buildArgs: parity options', () => {
  test.each<[string, BuildSpec, string[]]>([
    [
      'registry cache in and out',
      {
        cacheFrom: ['type=registry,ref=127.0.0.1:5000/app:buildcache'],
        cacheTo: ['type=registry,ref=127.0.0.1:5000/app:buildcache,mode=max,ignore-error=true']
      },
      [
        '--cache-from',
        'type=registry,ref=127.0.0.1:5000/app:buildcache',
        '--cache-to',
        'type=registry,ref=127.0.0.1:5000/app:buildcache,mode=max,ignore-error=true'
      ]
    ],
    [
      'local cache directories',
      { cacheFrom: ['type=local,src=/c'], cacheTo: ['type=local,dest=/c2,mode=max'] },
      ['--cache-from', 'type=local,src=/c', '--cache-to', 'type=local,dest=/c2,mode=max']
    ],
    [
      'secrets: by value (a file in the private dir), by file, by env, in order',
      {
        secrets: [
          { id: 'token', value: 's3cret' },
          { id: 'npmrc', file: '/home/u/.npmrc' },
          { id: 'gh', env: 'GH_TOKEN' }
        ]
      },
      [
        '--secret',
        'id=token,src=/scratch/b/secret-0',
        '--secret',
        'id=npmrc,src=/home/u/.npmrc',
        '--secret',
        'id=gh,env=GH_TOKEN'
      ]
    ],
    [
      'ssh',
      { ssh: ['default', 'repo=/k/id_ed25519'] },
      ['--ssh', 'default', '--ssh', 'repo=/k/id_ed25519']
    ],
    [
      'attest',
      { attest: ['type=sbom,generator=127.0.0.1:5000/sbom:1'] },
      ['--attest', 'type=sbom,generator=127.0.0.1:5000/sbom:1']
    ],
    [
      'allow',
      { allow: ['network.host', 'security.insecure'] },
      ['--allow', 'network.host', '--allow', 'security.insecure']
    ],
    [
      'sbom true, provenance mode=max',
      { sbom: true, provenance: 'mode=max' },
      ['--sbom', 'true', '--provenance', 'mode=max']
    ],
    ['provenance false', { provenance: false }, ['--provenance', 'false']],
    ['empty sbom string: no flag', { sbom: '' }, []],
    [
      'annotations alone: an OCI archive nerdctl loads, with each annotation',
      {
        annotations: [
          'org.opencontainers.image.title=app',
          'index:org.x=1',
          'manifest[linux/amd64]:k=v'
        ]
      },
      [
        '--output',
        'type=oci,annotation.org.opencontainers.image.title=app,annotation-index.org.x=1,annotation-manifest[linux/amd64].k=v'
      ]
    ],
    [
      'an annotation with a comma is quoted as CSV',
      { annotations: ['org.opencontainers.image.description=a, "b"'] },
      ['--output', 'type=oci,"annotation.org.opencontainers.image.description=a, ""b"""']
    ],
    [
      'annotations on a given image output',
      { output: 'type=image,unpack=true', annotations: ['k=v'] },
      ['--output', 'type=image,unpack=true,annotation.k=v']
    ],
    [
      'local output: dest replaced by the temporary one',
      { output: 'type=local,dest=out' },
      ['--output', 'type=local,dest=/tmp/.out.partial-1']
    ],
    [
      'type=registry is buildx shorthand for an image BuildKit pushes',
      { output: 'type=registry,compression=zstd' },
      ['--output', 'type=image,push=true,compression=zstd']
    ],
    [
      'build contexts',
      {
        buildContexts: [
          ['base', 'docker-image://127.0.0.1:5000/busybox:stable'],
          ['src', './src']
        ]
      },
      [
        '--build-context',
        'base=docker-image://127.0.0.1:5000/busybox:stable',
        '--build-context',
        'src=./src'
      ]
    ],
    ['network none', { network: 'none' }, ['--network', 'none']],
    [
      'add hosts, HOST=IP written as HOST:IP',
      { addHosts: ['db.local:10.0.0.5', 'cache=10.0.0.6', 'v6:::1'] },
      ['--add-host', 'db.local:10.0.0.5', '--add-host', 'cache:10.0.0.6', '--add-host', 'v6:::1']
    ]
  ])('%s', (_t, spec, extra) => {
    const dest = spec.output?.includes('dest=') ? '/tmp/.out.partial-1' : undefined
    const iid = exporterOf(spec).hasImageId ? IID : undefined
    const head = iid ? HEAD : HEAD.filter(a => a !== '--iidfile' && a !== IID)
    expect(
      buildArgs('app:1', '.', spec, iid, undefined, { secretDir: '/scratch/b', dest })
    ).toEqual([...head, ...extra, '.'])
  })

  test.each<[string, string, string]>([
    ['local: a tar of the same files', 'type=local,dest=out', 'type=tar,dest=-'],
    ['tar', 'type=tar,dest=out.tar', 'type=tar,dest=-'],
    ['oci, attributes kept', 'type=oci,dest=o.tar,name=app', 'type=oci,dest=-,name=app'],
    ['docker', 'type=docker,dest=o.tar', 'type=docker,dest=-']
  ])('to standard output (the caller writes the file): %s', (_t, output, expected) => {
    expect(buildArgs('', 'ctx', { output }, undefined, undefined, { toStdout: true })).toEqual([
      'build',
      '--progress',
      'plain',
      '--output',
      expected,
      'ctx'
    ])
  })

  test('a tar output needs no tag and no iidfile', () => {
    expect(buildArgs('', 'ctx', { output: 'type=tar,dest=/o/x.tar' }, undefined)).toEqual([
      'build',
      '--progress',
      'plain',
      '--output',
      'type=tar,dest=/o/x.tar',
      'ctx'
    ])
  })

  test.each<[string, BuildSpec, { type: string; dest?: string; storesImage: boolean }]>([
    ['none', {}, { type: 'image', storesImage: true }],
    ['local', { output: 'type=local,dest=d' }, { type: 'local', dest: 'd', storesImage: false }],
    ['tar', { output: 'type=tar,dest=f' }, { type: 'tar', dest: 'f', storesImage: false }],
    ['oci without dest is loaded', { output: 'type=oci' }, { type: 'oci', storesImage: true }],
    [
      'oci with dest',
      { output: 'type=oci,dest=f' },
      { type: 'oci', dest: 'f', storesImage: false }
    ],
    ['image pushed', { output: 'type=image,push=true' }, { type: 'image', storesImage: false }],
    ['registry', { output: 'type=registry' }, { type: 'registry', storesImage: false }]
  ])('exporterOf %s', (_t, spec, want) => {
    // Every image exporter reports a digest; a local or tar output has none.
    const hasImageId = want.type !== 'local' && want.type !== 'tar'
    const got = exporterOf(spec)
    expect(got).toEqual({ ...(spec.output ? { dest: undefined } : {}), hasImageId, ...want })
  })

  test('secret files are numbered in the private directory', () => {
    expect(secretFile('/s/d/', 2)).toBe('/s/d/secret-2')
  })

  test('annotation attributes', () => {
    expect(annotationAttribute('index-descriptor:a=b')).toBe('annotation-index-descriptor.a=b')
  })

  test.each<[string, BuildSpec, string, string]>([
    [
      'a secret id with a comma',
      { secrets: [{ id: 'a,src=/etc/shadow', value: 'x' }] },
      'secrets',
      'secret id'
    ],
    ['a secret id starting with -', { secrets: [{ id: '-x', env: 'A' }] }, 'secrets', 'secret id'],
    ['a bad env name', { secrets: [{ id: 'a', env: 'A-B' }] }, 'secrets', 'environment variable'],
    ['an output without type', { output: 'dest=x' }, 'output', 'type='],
    ['an unknown output type', { output: 'type=cacheonly' }, 'output', 'type='],
    ['a local output without dest', { output: 'type=local' }, 'output', 'needs dest'],
    ['an output to stdout', { output: 'type=tar,dest=-' }, 'output', 'path on this machine'],
    ['an output with a bare quote', { output: 'type=local,dest=a"b' }, 'output', 'quote'],
    [
      'annotations on a tar',
      { output: 'type=tar,dest=x', annotations: ['a=b'] },
      'annotations',
      'need an image'
    ],
    ['an annotation without =', { annotations: ['novalue'] }, 'annotations', 'KEY=VALUE'],
    [
      'a build network that is a name',
      { network: 'bridge' as 'none' },
      'network',
      'default, none or host'
    ],
    ['a host without ip', { addHosts: ['db'] }, 'addHosts', 'HOST:IP'],
    [
      'a build context without value',
      { buildContexts: [['x', '']] },
      'buildContexts',
      'NAME=VALUE'
    ],
    ['an empty cache source', { cacheFrom: [' '] }, 'cacheFrom', 'cache source'],
    ['an ssh spec over two lines', { ssh: ['default\n--x'] }, 'ssh', 'spans lines']
  ])('%s is refused', (_t, spec, field, text) => {
    const e = errorOf(() => buildArgs('app:1', '.', spec, IID, undefined, { secretDir: '/s' }))
    expect(e.field).toBe(field)
    expect(e.message).toContain(text)
  })

  test('a secret by value without a private directory is refused', () => {
    expect(
      errorOf(() => buildArgs('app:1', '.', { secrets: [{ id: 'a', value: 'v' }] }, IID)).message
    ).toContain('private directory')
  })
})

// Shared runners: a value built from untrusted text (a branch name) must not
// add or replace an attribute of a list BuildKit reads as `k=v,k=v`. BuildKit
// keeps the last of two equal keys, so every repeated key is refused.
const BRANCH = 'x,type=local,dest=/some/host/path'

describe('buildArgs: attribute lists refuse a repeated key', () => {
  test.each<[string, BuildSpec, string, string]>([
    [
      'cache-to with an injected local cache',
      { cacheTo: [`type=registry,ref=127.0.0.1:5000/app:cache-${BRANCH}`] },
      'cacheTo',
      'attribute "type" twice'
    ],
    [
      'cache-from with an injected local cache',
      { cacheFrom: [`type=registry,ref=127.0.0.1:5000/app:cache-x,type=local,src=/p`] },
      'cacheFrom',
      'attribute "type" twice'
    ],
    [
      'cache-to: keys compared without case, as BuildKit does',
      { cacheTo: ['type=local,dest=./c,DEST=/p'] },
      'cacheTo',
      'twice'
    ],
    [
      'a bare cache reference carrying attributes',
      { cacheTo: ['127.0.0.1:5000/app:cache-x,dest=/p,mode=max'] },
      'cacheTo',
      'not an image reference'
    ],
    [
      'a cache list without a type',
      { cacheTo: ['ref=127.0.0.1:5000/app:type=x'] },
      'cacheTo',
      'no type='
    ],
    [
      'outputs with a second dest',
      { output: `type=tar,dest=./out-${BRANCH}` },
      'output',
      'attribute "type" twice'
    ],
    [
      'an attestation with a second type',
      { attest: ['type=sbom,generator=img,type=provenance'] },
      'attest',
      'attribute "type" twice'
    ],
    [
      'an attestation not starting with type=',
      { attest: ['generator=img,type=sbom'] },
      'attest',
      'must start with type='
    ],
    [
      'provenance attributes setting a type',
      { provenance: 'mode=max,type=sbom' },
      'provenance',
      'type='
    ],
    ['sbom attributes with a key twice', { sbom: 'generator=a,generator=b' }, 'sbom', 'twice'],
    ['an ssh id given twice', { ssh: ['default', 'default=/k'] }, 'ssh', 'twice'],
    ['an ssh id that is a path', { ssh: ['/root/.ssh/id_rsa'] }, 'ssh', 'not an id'],
    [
      'a build context name given twice',
      {
        buildContexts: [
          ['base', './a'],
          ['base', 'docker-image://alpine']
        ]
      },
      'buildContexts',
      'twice'
    ],
    [
      'an unclosed quote in an attribute list',
      { cacheTo: ['type=local,"dest=a'] },
      'cacheTo',
      'not closed'
    ],
    [
      'text after a closing quote',
      { cacheTo: ['type=local,"dest=a"x,mode=max'] },
      'cacheTo',
      'after a closing quote'
    ]
  ])('%s is refused', (_t, spec, field, text) => {
    const e = errorOf(() => buildArgs('app:1', '.', spec, IID, undefined, { secretDir: '/s' }))
    expect(e.field).toBe(field)
    expect(e.message).toContain(text)
  })

  test.each<[string, BuildSpec, string, string]>([
    [
      'a quoted cache dest with commas is one value',
      { cacheTo: [`type=local,"dest=./cache-${BRANCH}"`] },
      '--cache-to',
      `type=local,"dest=./cache-${BRANCH}"`
    ],
    [
      'a quoted output dest with commas is one value',
      { output: `type=tar,"dest=./out-${BRANCH}.tar"` },
      '--output',
      `type=tar,"dest=./out-${BRANCH}.tar"`
    ],
    [
      'a secret file with a comma is quoted, so it stays one path',
      { secrets: [{ id: 'a', file: './x,env=HOME' }] },
      '--secret',
      'id=a,"src=./x,env=HOME"'
    ],
    [
      "a bare cache reference is nerdctl's type=registry shorthand",
      { cacheFrom: ['127.0.0.1:5000/app:cache'] },
      '--cache-from',
      '127.0.0.1:5000/app:cache'
    ],
    [
      'an attestation with attributes',
      { attest: ['type=sbom,generator=127.0.0.1:5000/scanner:1'] },
      '--attest',
      'type=sbom,generator=127.0.0.1:5000/scanner:1'
    ]
  ])('%s', (_t, spec, flag, value) => {
    const a = buildArgs('app:1', '.', spec, IID, undefined, { secretDir: '/s' })
    expect(a[a.indexOf(flag) + 1]).toBe(value)
  })

  test.each([
    'app:cache-x,type=local',
    'APP:1',
    'app:tag:tag',
    'a//b:1',
    'app:' + 'x'.repeat(129),
    'app@sha256:abc'
  ])('the tag %j is not a reference and is refused', tag => {
    expect(errorOf(() => buildArgs(tag, '.', {}, IID)).message).toContain('not an image reference')
  })
})
