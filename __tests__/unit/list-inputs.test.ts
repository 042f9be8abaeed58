// List inputs read as docker/build-push-action reads them. Two readings of
// build-push-action's documented examples (its README, docs.docker.com's
// build-push-action pages, and the examples in docker/actions-toolkit's tests
// of Util.getInputList): `reference` below, written from the toolkit's
// Util.getList (csv-parse with relaxed quotes and column counts, one record per
// line, a record's fields joined back with commas under `ignoreComma`, empty
// entries dropped, the rest trimmed) with build-push-action's per-input
// options (its src/context.ts), and ours, `parseList` with LIST_INPUTS. Both
// must give the entries the documentation says.
import { describe, expect, test } from '@jest/globals'
import { parse } from 'csv-parse/sync'
import { LIST_INPUTS } from '../../src/action/inputs/images.js'
import { parseList } from '../../src/action/inputs/reader.js'

interface ReferenceOptions {
  ignoreComma?: boolean
  quote?: false
}

/** build-push-action's options per input (src/context.ts, v6). */
const BUILD_PUSH_ACTION: Record<keyof typeof LIST_INPUTS, ReferenceOptions> = {
  tags: {},
  platforms: {},
  'add-hosts': {},
  allow: {},
  ssh: {},
  'secret-envs': {},
  'build-args': { ignoreComma: true },
  labels: { ignoreComma: true },
  'build-contexts': { ignoreComma: true },
  annotations: { ignoreComma: true },
  attests: { ignoreComma: true },
  'cache-from': { ignoreComma: true },
  'cache-to': { ignoreComma: true },
  'secret-files': { ignoreComma: true },
  secrets: { ignoreComma: true },
  outputs: { ignoreComma: true, quote: false }
}

function reference(input: string, opts: ReferenceOptions): string[] {
  if (input === '') return []
  const records = parse(input, {
    columns: false,
    relaxQuotes: true,
    relaxColumnCount: true,
    skipEmptyLines: true,
    ...(opts.quote === false ? { quote: false } : {})
  }) as string[][]
  const out: string[] = []
  for (const record of records) {
    if (record.length === 1)
      out.push(...(opts.ignoreComma ? record : (record[0] as string).split(',')))
    else if (!opts.ignoreComma) out.push(...record)
    else out.push(record.join(','))
  }
  return out.filter(e => e).map(e => e.trim())
}

// The README's multi-line secrets example, with `${{ secrets.GPG_KEY }}` given a value.
const README_SECRETS = [
  '"MYSECRET=-----BEGIN PGP-----',
  'line two',
  '-----END PGP-----"',
  'GIT_AUTH_TOKEN=abcdefghi,jklmno=0123456789',
  '"MYSECRET=aaaaaaaa',
  'bbbbbbb',
  'ccccccccc"',
  'FOO=bar',
  '"EMPTYLINE=aaaa',
  '',
  'bbbb',
  'ccc"',
  '"JSON_SECRET={""key1"":""value1"",""key2"":""value2""}"'
].join('\n')

const EXAMPLES: [keyof typeof LIST_INPUTS, string, string[]][] = [
  ['tags', 'user/app:latest,user/app:1.0.0', ['user/app:latest', 'user/app:1.0.0']],
  ['tags', 'user/app:latest\nuser/app:1.0.0\n', ['user/app:latest', 'user/app:1.0.0']],
  ['platforms', 'linux/amd64,linux/arm64', ['linux/amd64', 'linux/arm64']],
  [
    'platforms',
    'linux/amd64, linux/arm64,\nlinux/arm/v7',
    ['linux/amd64', 'linux/arm64', 'linux/arm/v7']
  ],
  [
    'secrets',
    README_SECRETS,
    [
      'MYSECRET=-----BEGIN PGP-----\nline two\n-----END PGP-----',
      'GIT_AUTH_TOKEN=abcdefghi,jklmno=0123456789',
      'MYSECRET=aaaaaaaa\nbbbbbbb\nccccccccc',
      'FOO=bar',
      'EMPTYLINE=aaaa\n\nbbbb\nccc',
      'JSON_SECRET={"key1":"value1","key2":"value2"}'
    ]
  ],
  [
    'secrets',
    'GIT_AUTH_TOKEN=abcdefgh,ijklmno=0123456789\nMYSECRET=aaaaaaaa\nbbbbbbb\nccccccccc\nFOO=bar',
    [
      'GIT_AUTH_TOKEN=abcdefgh,ijklmno=0123456789',
      'MYSECRET=aaaaaaaa',
      'bbbbbbb',
      'ccccccccc',
      'FOO=bar'
    ]
  ],
  ['secrets', '"github_token=ghs_x"', ['github_token=ghs_x']],
  ['secret-files', '"MY_SECRET=./secret.txt"', ['MY_SECRET=./secret.txt']],
  ['secret-envs', 'MY_SECRET=MY_ENV_VAR', ['MY_SECRET=MY_ENV_VAR']],
  ['build-args', 'MYARG=foo\nOTHER="a,b"', ['MYARG=foo', 'OTHER="a,b"']],
  ['build-args', '"MYARG=a,b"', ['MYARG=a,b']],
  [
    'labels',
    'org.opencontainers.image.title=app\norg.opencontainers.image.description=An app, with a comma',
    [
      'org.opencontainers.image.title=app',
      'org.opencontainers.image.description=An app, with a comma'
    ]
  ],
  [
    'cache-from',
    'type=registry,ref=user/app:buildcache',
    ['type=registry,ref=user/app:buildcache']
  ],
  [
    'cache-to',
    'type=registry,ref=user/app:buildcache,mode=max',
    ['type=registry,ref=user/app:buildcache,mode=max']
  ],
  [
    'cache-to',
    'type=local,dest=/tmp/.buildx-cache-new,mode=max',
    ['type=local,dest=/tmp/.buildx-cache-new,mode=max']
  ],
  [
    'outputs',
    'type=image,name=target,annotation-index.org.opencontainers.image.description=My multi-arch image',
    [
      'type=image,name=target,annotation-index.org.opencontainers.image.description=My multi-arch image'
    ]
  ],
  ['outputs', 'type=local,"dest=a,b"', ['type=local,"dest=a,b"']],
  [
    'annotations',
    'index:org.opencontainers.image.description=My multi-arch image',
    ['index:org.opencontainers.image.description=My multi-arch image']
  ],
  ['attests', 'type=sbom,generator=image', ['type=sbom,generator=image']],
  [
    'build-contexts',
    'alpine=docker-image://alpine:3.21\napp=../app',
    ['alpine=docker-image://alpine:3.21', 'app=../app']
  ],
  ['add-hosts', 'docker:10.180.0.1,damn:10.180.0.2', ['docker:10.180.0.1', 'damn:10.180.0.2']],
  ['allow', 'network.host,security.insecure', ['network.host', 'security.insecure']],
  ['ssh', 'default', ['default']]
]

describe('list inputs: build-push-action reading and ours', () => {
  test('our options per input are build-push-action`s (plus our own keepSpaces and secret)', () => {
    const theirs = (name: keyof typeof LIST_INPUTS): ReferenceOptions => {
      const o: { ignoreComma?: boolean; noQuote?: boolean } = LIST_INPUTS[name]
      return {
        ...(o.ignoreComma ? { ignoreComma: true } : {}),
        ...(o.noQuote ? { quote: false as const } : {})
      }
    }
    for (const name of Object.keys(LIST_INPUTS) as (keyof typeof LIST_INPUTS)[])
      expect({ name, opts: theirs(name) }).toEqual({ name, opts: BUILD_PUSH_ACTION[name] })
  })

  test.each(EXAMPLES)('%s: %j', (name, value, documented) => {
    expect(reference(value, BUILD_PUSH_ACTION[name])).toEqual(documented)
    expect(parseList(name, value, LIST_INPUTS[name])).toEqual(documented)
  })

  test('every list input the issue names has a documented example here', () => {
    expect(new Set(EXAMPLES.map(([n]) => n))).toEqual(new Set(Object.keys(LIST_INPUTS)))
  })
})
