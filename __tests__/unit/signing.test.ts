// Signing and verification with cosign, without cosign: the exact argv of each
// call, where the password and the keyless token travel (the child's
// environment only, through sudo as `sudo -E`), how cosign's refusals become
// a reason naming the image, and the step: inputs checked before anything
// runs, keyless without the job's token refused before the push, images
// verified and pinned to `repo@digest` before any container, every tag signed
// by the pushed digest. What cosign prints is recorded from the real binary
// (scripts/record-cosign-fixtures.sh), never typed here.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src/action/main.js'
import { Output } from '../../src/action/constants.js'
import { getInputs, InputError } from '../../src/action/inputs/index.js'
import { readFileCommands } from '../../src/cli/step.js'
import {
  Nerdctl,
  imagePull,
  imageSign,
  imageVerify,
  pinnedReference,
  runSpec,
  repositoryOf,
  signatureReference,
  VerificationError,
  type ProcessResult,
  type RunSpec,
  type Runner
} from '../../src/nerdctl/index.js'
import { systemProgram } from '../../src/nerdctl/exec/programs.js'
import {
  cosignSaid,
  cosignSignArgs,
  cosignVerifyArgs,
  signFailureOf,
  verifiedDigests,
  verifyFailureOf
} from '../../src/nerdctl/pure/cosign.js'
import { inputDefaults } from '../helpers/action-defaults.js'
import { captureOutput, type Captured } from '../helpers/capture-output.js'
import { fixture, fixtureMeta } from './fixtures.js'

const DIGEST = `sha256:${'ab'.repeat(32)}`
const REF = '127.0.0.1:5000/app:1.0'
const PINNED = `127.0.0.1:5000/app@${DIGEST}`
const SECRET = 'cosign-pw-Qz7!unit-4410'
const TOKEN = 'oidc-request-token-unit-9911'

let dir = ''
let cosign = ''
let stdout: Captured
const saved: Record<string, string | undefined> = {}
const ENV = [
  'GITHUB_OUTPUT',
  'GITHUB_STATE',
  'GITHUB_STEP_SUMMARY',
  'RUNNER_TEMP',
  'GITHUB_WORKSPACE',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'SIGSTORE_ID_TOKEN',
  'COSIGN_PASSWORD'
]

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signing-test-'))
  // Found on disk like the real one; never started (the runner is fake).
  cosign = join(dir, 'cosign')
  writeFileSync(cosign, '#!/bin/sh\nexit 99\n')
  chmodSync(cosign, 0o755)
  writeFileSync(join(dir, 'cosign.key'), 'not read: the runner is fake\n')
  writeFileSync(join(dir, 'cosign.pub'), 'not read: the runner is fake\n')
  for (const k of ENV) saved[k] = process.env[k]
  for (const k of ENV) delete process.env[k]
  for (const f of ['output', 'state', 'summary']) writeFileSync(join(dir, f), '')
  process.env.GITHUB_OUTPUT = join(dir, 'output')
  process.env.GITHUB_STATE = join(dir, 'state')
  process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary')
  process.env.RUNNER_TEMP = dir
  process.env.GITHUB_WORKSPACE = dir
  process.exitCode = undefined
  stdout = captureOutput()
})

afterEach(() => {
  stdout.restore()
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  }
  process.exitCode = undefined
  rmSync(dir, { recursive: true, force: true })
})

type Answer = Partial<ProcessResult>

/** A runner that records every process and answers cosign and nerdctl as `answer` says. */
function fake(answer: (argv: string[]) => Answer = () => ({})): {
  runner: Runner
  calls: RunSpec[]
  argvs: () => string[][]
} {
  const calls: RunSpec[] = []
  const runner: Runner = async spec => {
    calls.push(spec)
    const argv = [spec.file, ...spec.args]
    return {
      stdout: '',
      stderr: '',
      exitCode: 0,
      timedOut: false,
      aborted: false,
      ...answer(argv)
    }
  }
  return { runner, calls, argvs: () => calls.map(c => [c.file, ...c.args]) }
}

describe('cosign argv', () => {
  test.each([
    [
      'a key, no transparency log',
      { signing: { key: '/keys/cosign.key' } },
      false,
      ['sign', '--yes', '--key', '/keys/cosign.key', '--tlog-upload=false', PINNED]
    ],
    [
      'a key, with the transparency log',
      { signing: { key: 'env://COSIGN_KEY' }, tlog: true },
      false,
      ['sign', '--yes', '--key', 'env://COSIGN_KEY', '--tlog-upload=true', PINNED]
    ],
    [
      'keyless in GitHub Actions (the log is always used)',
      { signing: { keyless: true as const, oidcProvider: 'github-actions' } },
      false,
      ['sign', '--yes', '--oidc-provider', 'github-actions', PINNED]
    ],
    [
      'a registry the step trusts without TLS',
      { signing: { key: '/k' } },
      true,
      [
        'sign',
        '--yes',
        '--key',
        '/k',
        '--tlog-upload=false',
        '--allow-insecure-registry',
        '--allow-http-registry',
        PINNED
      ]
    ]
  ])('sign: %s', (_, spec, insecure, argv) => {
    expect(cosignSignArgs(PINNED, spec, insecure)).toEqual(argv)
  })

  test('sign refuses a tag (only digests are signed) and a key that reads as an option', () => {
    expect(() => cosignSignArgs(REF, { signing: { key: '/k' } })).toThrow(/with a digest/)
    expect(() => cosignSignArgs(PINNED, { signing: { key: '--key-from-stdin' } })).toThrow(
      /is not a key/
    )
  })

  test.each([
    [
      'a public key, offline',
      { publicKey: '/keys/cosign.pub' },
      [
        'verify',
        '--output',
        'json',
        '--key',
        '/keys/cosign.pub',
        '--insecure-ignore-tlog=true',
        REF
      ]
    ],
    [
      'a public key, with the transparency log',
      { publicKey: '/keys/cosign.pub', tlog: true },
      ['verify', '--output', 'json', '--key', '/keys/cosign.pub', REF]
    ],
    [
      'keyless: a GitHub workflow identity',
      {
        certificateIdentity: 'https://github.com/o/r/.github/workflows/release.yml@refs/heads/main',
        certificateOidcIssuer: 'https://token.actions.githubusercontent.com'
      },
      [
        'verify',
        '--output',
        'json',
        '--certificate-identity',
        'https://github.com/o/r/.github/workflows/release.yml@refs/heads/main',
        '--certificate-oidc-issuer',
        'https://token.actions.githubusercontent.com',
        REF
      ]
    ],
    [
      'keyless: regexps',
      {
        certificateIdentityRegexp: '^https://github.com/o/',
        certificateOidcIssuerRegexp: '^https://token\\.actions\\.'
      },
      [
        'verify',
        '--output',
        'json',
        '--certificate-identity-regexp',
        '^https://github.com/o/',
        '--certificate-oidc-issuer-regexp',
        '^https://token\\.actions\\.',
        REF
      ]
    ]
  ])('verify: %s', (_, spec, argv) => {
    expect(cosignVerifyArgs(REF, spec)).toEqual(argv)
  })

  test('offline (a key, no log): an empty trusted root, so cosign fetches none over TUF', () => {
    expect(
      cosignVerifyArgs(REF, { publicKey: '/k.pub' }, false, '/tmp/r/trusted-root.json')
    ).toEqual([
      'verify',
      '--output',
      'json',
      '--key',
      '/k.pub',
      '--insecure-ignore-tlog=true',
      '--trusted-root',
      '/tmp/r/trusted-root.json',
      REF
    ])
    // With the log, Sigstore's own root is what verifies it.
    expect(
      cosignVerifyArgs(REF, { publicKey: '/k.pub', tlog: true }, false, '/tmp/r/trusted-root.json')
    ).not.toContain('--trusted-root')
  })

  test('verify needs a key, or both an identity and an issuer', () => {
    expect(() => cosignVerifyArgs(REF, {})).toThrow(/public key, or \(keyless\)/)
    expect(() => cosignVerifyArgs(REF, { certificateIdentity: 'x' })).toThrow(/OIDC issuer/)
  })

  test('references: repository, pinned digest, where the signature lives', () => {
    expect(repositoryOf('127.0.0.1:5000/a/b:1.0')).toBe('127.0.0.1:5000/a/b')
    expect(repositoryOf(`127.0.0.1:5000/a/b:1.0@${DIGEST}`)).toBe('127.0.0.1:5000/a/b')
    expect(repositoryOf('localhost:5000/app')).toBe('localhost:5000/app')
    expect(pinnedReference(REF, DIGEST)).toBe(PINNED)
    expect(signatureReference(REF, DIGEST)).toBe(`127.0.0.1:5000/app:sha256-${'ab'.repeat(32)}.sig`)
    expect(() => pinnedReference(REF, 'sha256:short')).toThrow(/not an image digest/)
  })
})

describe('what cosign said (recorded)', () => {
  test('a verification that passed names the digest it covered', () => {
    const meta = fixtureMeta('cosign-verify.json')
    const digest = meta.args[meta.args.length - 1]?.split('@')[1]
    expect(verifiedDigests(fixture('cosign-verify.json'))).toEqual([digest])
  })

  test('a wrong key password, in words with the fix', () => {
    const meta = fixtureMeta('cosign-sign-wrong-password.txt')
    expect(signFailureOf(cosignSaid(meta.stderr))).toMatch(/check the key password/)
  })

  test('warnings and the repeated error line are left out of what cosign said', () => {
    const said = cosignSaid(fixtureMeta('cosign-verify-unsigned.txt').stderr)
    expect(said).toBe('Error: no signatures found')
  })

  test.each([
    ['cosign-verify-unsigned.txt', 'no-signature', /no signature/],
    ['cosign-verify-wrong-key.txt', 'wrong-key', /wrong key/]
  ])('%s: %s', (name, kind, reason) => {
    const meta = fixtureMeta(name)
    expect(meta.exitCode).not.toBe(0)
    const failure = verifyFailureOf(meta.stderr)
    expect(failure.kind).toBe(kind)
    expect(failure.reason).toMatch(reason)
  })

  test("an identity mismatch, in cosign's own words (pkg/cosign/verify.go)", () => {
    // Keyless signatures need Sigstore's public services: this text cannot be
    // recorded here, so it is cosign v2.6.5's format string, filled in.
    const said =
      'Error: no matching signatures: none of the expected identities matched what was in the certificate, got subjects [https://github.com/o/r/.github/workflows/x.yml@refs/heads/main] with issuer https://token.actions.githubusercontent.com'
    expect(verifyFailureOf(said).kind).toBe('identity-mismatch')
  })
})

describe('imageSign and imageVerify through the client', () => {
  test('the password reaches cosign in its environment only, never its argv', async () => {
    const f = fake()
    const client = new Nerdctl({ runner: f.runner })
    const signed = await imageSign(REF, {
      client,
      cosign,
      digest: DIGEST,
      signing: { key: join(dir, 'cosign.key'), password: SECRET }
    })
    expect(signed).toEqual({
      reference: REF,
      digest: DIGEST,
      signature: signatureReference(REF, DIGEST)
    })
    const [call] = f.calls
    expect(call?.file).toBe(cosign)
    expect(call?.args).toEqual([
      'sign',
      '--yes',
      '--key',
      join(dir, 'cosign.key'),
      '--tlog-upload=false',
      PINNED
    ])
    expect(call?.env?.COSIGN_PASSWORD).toBe(SECRET)
    expect(JSON.stringify(f.argvs())).not.toContain(SECRET)
    // Never waits at a prompt: no standard input.
    expect(call?.input).toBeUndefined()
  })

  test('no password given: the empty one, so cosign never prompts', async () => {
    const f = fake()
    await imageSign(PINNED, {
      client: new Nerdctl({ runner: f.runner }),
      cosign,
      signing: { key: join(dir, 'cosign.key') }
    })
    expect(f.calls[0]?.env?.COSIGN_PASSWORD).toBe('')
  })

  test('through sudo: `sudo -E -H`, the password and token in an environment of its own', async () => {
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = 'https://token.invalid/request'
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = TOKEN
    const f = fake()
    const client = new Nerdctl({ runner: f.runner, sudo: true })
    await imageSign(REF, {
      client,
      cosign,
      digest: DIGEST,
      signing: { keyless: true, oidcProvider: 'github-actions' }
    })
    const [call] = f.calls
    expect([call?.file, ...(call?.args ?? [])]).toEqual([
      systemProgram('sudo'),
      '-n',
      '-E',
      '-H',
      '--',
      cosign,
      'sign',
      '--yes',
      '--oidc-provider',
      'github-actions',
      PINNED
    ])
    expect(call?.envOnly).toBe(true)
    expect(call?.env?.ACTIONS_ID_TOKEN_REQUEST_URL).toBe('https://token.invalid/request')
    expect(call?.env?.ACTIONS_ID_TOKEN_REQUEST_TOKEN).toBe(TOKEN)
    expect(call?.env?.COSIGN_PASSWORD).toBeUndefined()
    expect(JSON.stringify(f.argvs())).not.toContain(TOKEN)
  })

  test('a key signature under sudo: the password crosses sudo without --preserve-env', async () => {
    const f = fake()
    await imageSign(REF, {
      client: new Nerdctl({ runner: f.runner, sudo: true }),
      cosign,
      digest: DIGEST,
      signing: { key: '/k/cosign.key', password: SECRET }
    })
    const argv = f.argvs()[0] ?? []
    expect(argv.slice(0, 5)).toEqual([systemProgram('sudo'), '-n', '-E', '-H', '--'])
    expect(argv.join(' ')).not.toContain('preserve-env')
    expect(f.calls[0]?.env?.COSIGN_PASSWORD).toBe(SECRET)
  })

  test('a failed signing names the image and never shows the password', async () => {
    const f = fake(() => ({ exitCode: 1, stderr: `Error: signing: bad password ${SECRET}` }))
    await expect(
      imageSign(REF, {
        client: new Nerdctl({ runner: f.runner }),
        cosign,
        digest: DIGEST,
        signing: { key: '/k/cosign.key', password: SECRET }
      })
    ).rejects.toThrow(new RegExp(`could not sign ${PINNED.replace(/[.]/g, '\\.')}`))
    await imageSign(REF, {
      client: new Nerdctl({ runner: f.runner }),
      cosign,
      digest: DIGEST,
      signing: { key: '/k/cosign.key', password: SECRET }
    }).catch((e: unknown) => {
      expect(String(e)).not.toContain(SECRET)
    })
  })

  test('a missing cosign fails clearly, before anything runs', async () => {
    const f = fake()
    await expect(
      imageVerify(REF, {
        client: new Nerdctl({ runner: f.runner }),
        cosign: join(dir, 'no-such-cosign'),
        publicKey: '/k.pub'
      })
    ).rejects.toThrow(/cosign .* was not found: install cosign v2/)
    expect(f.calls).toHaveLength(0)
  })

  test('verify: the digest cosign verified is the one handed back, pinned', async () => {
    const recorded = fixture('cosign-verify.json')
    const meta = fixtureMeta('cosign-verify.json')
    const verifiedRef = meta.args[meta.args.length - 1] as string
    const digest = verifiedRef.split('@')[1] as string
    const tagged = `${repositoryOf(verifiedRef)}:signed`
    const f = fake(() => ({ stdout: recorded }))
    const v = await imageVerify(tagged, {
      client: new Nerdctl({ runner: f.runner }),
      cosign,
      publicKey: '/k.pub'
    })
    expect(v).toEqual({ reference: tagged, digest, pinned: `${repositoryOf(tagged)}@${digest}` })
    // A reference that names another digest is refused, whatever cosign said.
    await expect(
      imageVerify(`${repositoryOf(tagged)}@${DIGEST}`, {
        client: new Nerdctl({ runner: f.runner }),
        cosign,
        publicKey: '/k.pub'
      })
    ).rejects.toThrow(/refusing to run it/)
  })

  test('imagePull and runSpec with `verify`: cosign first, then the verified digest', async () => {
    const meta = fixtureMeta('cosign-verify.json')
    const verifiedRef = meta.args[meta.args.length - 1] as string
    const tagged = `${repositoryOf(verifiedRef)}:signed`
    const pinned = `${repositoryOf(verifiedRef)}@${verifiedRef.split('@')[1] as string}`
    const f = fake(argv =>
      argv[0] === cosign
        ? { stdout: fixture('cosign-verify.json') }
        : { stdout: `${'c'.repeat(64)}\n` }
    )
    const client = new Nerdctl({ runner: f.runner })
    const pulled = await imagePull(tagged, { client, verify: { publicKey: '/k.pub', cosign } })
    expect(pulled.verified?.pinned).toBe(pinned)
    await runSpec(
      { image: tagged, name: 'verified-run' },
      { client, verify: { publicKey: '/k.pub', cosign } }
    )
    const argvs = f.argvs()
    expect(
      argvs.map(a =>
        a[0] === cosign
          ? 'cosign'
          : a[a.indexOf('pull') >= 0 ? a.indexOf('pull') : a.indexOf('run')]
      )
    ).toEqual(['cosign', 'pull', 'cosign', 'run'])
    expect(argvs[1]?.[argvs[1].length - 1]).toBe(pinned)
    expect(argvs[3]).toContain(pinned)
    expect(argvs[3]).not.toContain(tagged)
  })

  test.each([
    ['cosign-verify-unsigned.txt', 'no-signature'],
    ['cosign-verify-wrong-key.txt', 'wrong-key']
  ])('verify refused (%s): a VerificationError naming the image', async (name, failure) => {
    const meta = fixtureMeta(name)
    const f = fake(() => ({ exitCode: meta.exitCode, stderr: meta.stderr }))
    const e = await imageVerify(REF, {
      client: new Nerdctl({ runner: f.runner }),
      cosign,
      publicKey: '/k.pub'
    }).catch((err: unknown) => err)
    expect(e).toBeInstanceOf(VerificationError)
    expect((e as VerificationError).failure).toBe(failure)
    expect((e as VerificationError).message).toContain(`image ${REF} failed cosign verification`)
  })
})

// ---- the step ----------------------------------------------------------------------------

type With = Record<string, string>

function reader(overrides: With): (name: string) => string {
  const defaults = inputDefaults()
  for (const name of Object.keys(overrides)) expect(Object.keys(defaults)).toContain(name)
  const values: With = { ...defaults, ...overrides }
  return name => values[name] ?? ''
}

function inputError(overrides: With): string {
  try {
    getInputs(reader(overrides))
  } catch (e: unknown) {
    expect(e).toBeInstanceOf(InputError)
    return (e as Error).message
  }
  throw new Error('expected an InputError')
}

const outputs = (): Record<string, string> => readFileCommands(join(dir, 'output'))

describe('inputs', () => {
  test.each([
    [{ sign: 'gpg' }, /Input "sign": "gpg" is not one of none, cosign/],
    [{ sign: 'cosign', tags: REF }, /Input "sign": is cosign but the step pushes nothing/],
    [
      { sign: 'cosign', tags: REF, push: 'true' },
      /Input "cosign-key": is empty but sign is cosign.*never taken as keyless/
    ],
    [{ 'cosign-key': '/k' }, /Input "cosign-key": means nothing without sign: cosign/],
    [
      { verify: 'cosign' },
      /Input "verify": is cosign but nothing says what a signature must prove/
    ],
    [
      { verify: 'cosign', 'cosign-certificate-identity': 'x' },
      /Input "cosign-certificate-oidc-issuer": is empty/
    ],
    [
      {
        verify: 'cosign',
        'cosign-certificate-identity-regexp': '(',
        'cosign-certificate-oidc-issuer': 'https://token.actions.githubusercontent.com'
      },
      /Input "cosign-certificate-identity-regexp": "\(" is not a regular expression/
    ],
    [{ 'cosign-tlog': 'true' }, /Input "cosign-tlog": means nothing without sign or verify/],
    [
      { sign: 'cosign', tags: REF, push: 'true', 'cosign-key': '/etc/cosign.key' },
      /Input "cosign-key": .* outside/
    ]
  ])('%j is refused', (overrides, message) => {
    expect(inputError(overrides)).toMatch(message)
  })

  test('the password is masked as soon as it is read', () => {
    getInputs(
      reader({
        sign: 'cosign',
        tags: REF,
        push: 'true',
        'cosign-key': join(dir, 'cosign.key'),
        'cosign-password': SECRET
      })
    )
    expect(stdout.text()).toContain(`::add-mask::${SECRET}`)
  })
})

describe('the step', () => {
  const PUSH = fixtureMeta('push-single.txt')

  function stepFake(verify: Answer = {}): ReturnType<typeof fake> {
    return fake(argv => {
      if (argv[0] === cosign && argv[1] === 'verify') return verify
      const i = argv.findIndex(a => a === 'push')
      if (i > 0 && argv[0] !== cosign)
        return { stdout: fixture('push-single.txt'), stderr: PUSH.stderr }
      if (argv.includes('run')) {
        const cid = argv[argv.indexOf('--cidfile') + 1]
        if (argv.includes('--cidfile') && cid) writeFileSync(cid, 'c'.repeat(64))
        return { stdout: `${'c'.repeat(64)}\n` }
      }
      return {}
    })
  }

  test('keyless without id-token: write fails before anything is pushed, saying the fix', async () => {
    const f = stepFake()
    await main(
      reader({ sign: 'cosign', tags: REF, push: 'true', 'cosign-key': 'keyless', cosign }),
      { runner: f.runner }
    )
    expect(process.exitCode).toBe(1)
    expect(stdout.text()).toContain('add `permissions: id-token: write`')
    expect(f.argvs().some(a => a.includes('push'))).toBe(false)
  })

  test('every pushed tag is signed by the pushed digest; the password is nowhere', async () => {
    const f = stepFake()
    const T2 = '127.0.0.1:5000/app:latest'
    const T3 = '127.0.0.1:5000/other:1.0'
    await main(
      reader({
        sign: 'cosign',
        tags: `${REF}, ${T2}, ${T3}`,
        push: 'true',
        'cosign-key': join(dir, 'cosign.key'),
        'cosign-password': SECRET,
        cosign
      }),
      { runner: f.runner }
    )
    expect(process.exitCode).not.toBe(1)
    const digest = outputs()[Output.Digest] as string
    expect(digest).toMatch(/^sha256:/)
    const signs = f.calls.filter(c => c.file === cosign)
    // One signature per repository, by the digest the push reported.
    expect(signs.map(c => c.args[c.args.length - 1])).toEqual([
      `127.0.0.1:5000/app@${digest}`,
      `127.0.0.1:5000/other@${digest}`
    ])
    expect(signs.every(c => c.env?.COSIGN_PASSWORD === SECRET)).toBe(true)
    // After every push.
    const lastPush = f.calls.map(c => c.args.includes('push')).lastIndexOf(true)
    expect(f.calls.findIndex(c => c.file === cosign)).toBeGreaterThan(lastPush)
    expect(JSON.parse(outputs()[Output.Signatures] as string)).toEqual(
      [REF, T2, T3].map(ref => ({
        ref,
        digest,
        signature: signatureReference(ref, digest)
      }))
    )
    const everywhere = [
      JSON.stringify(f.argvs()),
      readFileSync(join(dir, 'output'), 'utf8'),
      readFileSync(join(dir, 'state'), 'utf8'),
      readFileSync(join(dir, 'summary'), 'utf8'),
      stdout.text().replace(`::add-mask::${SECRET}`, '')
    ].join('\n')
    expect(everywhere).not.toContain(SECRET)
  })

  test('verify: the image is verified before any container and run as repo@digest', async () => {
    const recorded = fixture('cosign-verify.json')
    const meta = fixtureMeta('cosign-verify.json')
    const verifiedRef = meta.args[meta.args.length - 1] as string
    const image = `${repositoryOf(verifiedRef)}:signed`
    const pinned = verifiedRef.replace(/:[^/@]+@/, '@')
    const f = stepFake({ stdout: recorded })
    await main(
      reader({
        image,
        pull: image,
        run: 'true',
        detach: 'false',
        verify: 'cosign',
        'cosign-public-key': join(dir, 'cosign.pub'),
        cosign
      }),
      { runner: f.runner }
    )
    // The version check (a `nerdctl version` reading) may come first; nothing else may.
    const argvs = f.argvs().filter(a => !a.includes('version'))
    const verifyAt = argvs.findIndex(a => a[0] === cosign && a[1] === 'verify')
    const pullAt = argvs.findIndex(a => a.includes('pull'))
    const runAt = argvs.findIndex(a => a.includes('run'))
    expect(verifyAt).toBe(0)
    expect(argvs.filter(a => a[0] === cosign)).toHaveLength(1)
    expect(pullAt).toBeGreaterThan(verifyAt)
    expect(argvs[pullAt]?.[argvs[pullAt].length - 1]).toBe(pinned)
    expect(runAt).toBeGreaterThan(verifyAt)
    expect(argvs[runAt]).toContain(pinned)
    expect(argvs[runAt]).not.toContain(image)
  })

  test('verify refused: no pull, no container; the step says which image and why', async () => {
    const meta = fixtureMeta('cosign-verify-wrong-key.txt')
    const f = stepFake({ exitCode: meta.exitCode, stderr: meta.stderr })
    await main(
      reader({
        image: REF,
        run: 'true',
        verify: 'cosign',
        'cosign-public-key': join(dir, 'cosign.pub'),
        cosign
      }),
      { runner: f.runner }
    )
    expect(process.exitCode).toBe(1)
    expect(stdout.text()).toContain(`image ${REF} failed cosign verification`)
    expect(stdout.text()).toContain('wrong key')
    expect(f.argvs().some(a => a.includes('run') || a.includes('pull'))).toBe(false)
  })

  test('an image the step builds is not verified', async () => {
    const f = stepFake()
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n')
    await main(
      reader({
        context: dir,
        tags: REF,
        run: 'true',
        verify: 'cosign',
        'cosign-public-key': join(dir, 'cosign.pub'),
        cosign
      }),
      { runner: f.runner }
    ).catch(() => undefined)
    expect(f.calls.filter(c => c.file === cosign)).toHaveLength(0)
  })
})
