// Signing and verifying images with cosign, through the client's chokepoint
// (its sudo, environment, time limits, abort and redaction). What is signed
// and verified is always a digest (`repo@sha256:…`): an index digest covers
// every platform and the attestations BuildKit put beside them, and a tag
// moved after verification cannot change what runs. With a key nothing leaves
// the machine: no transparency-log upload or lookup unless asked for.
import { rmSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NerdctlError } from '../base/errors.js'
import { formatArgv, tail } from '../base/text.js'
import { insecureFor } from '../exec/client.js'
import { clientOf, nerdctl, type CallOptions } from '../exec/call.js'
import { findProgram } from '../exec/programs.js'
import {
  EMPTY_TRUSTED_ROOT,
  checkDigest,
  cosignSaid,
  cosignSignArgs,
  cosignVerifyArgs,
  pinnedReference,
  signFailureOf,
  signatureReference,
  referenceParts,
  verifiedDigests,
  verifiesOffline,
  verifyFailureOf,
  type SignSpec,
  type VerifyFailure,
  type VerifySpec
} from '../pure/cosign.js'
import { checkImageReference, registryOf } from '../pure/validate.js'

export interface CosignCallOptions extends CallOptions {
  /** The cosign binary: a path, or a name looked up on PATH. Default `cosign`. */
  cosign?: string | undefined
}

/** One signed image: the reference it was pushed as, the digest signed, where the signature is. */
export interface SignedImage {
  reference: string
  digest: string
  /** The registry reference of the signature (`repo:sha256-<hex>.sig`). */
  signature: string
}

/** One verified image: the digest whose signature verified, and the reference to use for it. */
export interface VerifiedImage {
  reference: string
  digest: string
  /** `repo@digest`: pull and run this, not the tag. */
  pinned: string
}

/** An image that failed verification; `failure` says why in one word. */
export class VerificationError extends NerdctlError {
  readonly image: string
  readonly failure: VerifyFailure

  constructor(image: string, failure: VerifyFailure, message: string, stderr: string) {
    super('CommandFailed', message, { stderr })
    this.name = 'VerificationError'
    this.image = image
    this.failure = failure
  }
}

const found = new Map<string, string>()

/**
 * The cosign binary as an absolute path, looked up once (a name on PATH, or
 * a path); a clear error when it is not there.
 */
export function cosignProgram(name = 'cosign'): string {
  const known = found.get(name)
  if (known) return known
  const path = findProgram(name)
  if (!path)
    throw new NerdctlError(
      'CommandExecutionFailed',
      `cosign (${name}) was not found${name.includes('/') ? '' : ' on PATH'}: install cosign v2 ` +
        '(scripts/cosign.sh builds it, or sigstore/cosign-installer in a workflow) or name the binary'
    )
  found.set(name, path)
  return path
}

let trustedRoot: Promise<string> | undefined

/**
 * The file holding EMPTY_TRUSTED_ROOT: written once per process (it holds
 * nothing secret) in a directory of its own, removed when the process exits.
 */
function emptyTrustedRoot(): Promise<string> {
  trustedRoot ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cosign-root-'))
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'trusted-root.json')
    await writeFile(file, EMPTY_TRUSTED_ROOT, { mode: 0o644 })
    return file
  })()
  return trustedRoot
}

/** Variables cosign reads for keyless signing in GitHub Actions: kept across sudo, never logged. */
const KEYLESS_ENV = [
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'SIGSTORE_ID_TOKEN'
]

function runCosign(
  args: readonly string[],
  image: string,
  options: CosignCallOptions,
  quietEnv: Record<string, string>,
  secrets: readonly string[]
): ReturnType<typeof nerdctl> {
  return nerdctl(args, options, {
    program: cosignProgram(options.cosign),
    allowFailure: true,
    // In the child's environment only (through sudo as `sudo -E`, whose log
    // holds no values): never on its command line.
    quietEnv,
    secrets,
    registry: registryOf(image),
    maxOutputBytes: 4 * 1024 * 1024
  })
}

function insecure(image: string, options: CallOptions): boolean {
  return insecureFor(clientOf(options).options.insecureRegistries, registryOf(image))
}

/**
 * Signs `image` by digest: `image@digest` when `digest` is given (the one a
 * push reported), or the digest `image` already holds. Returns where the
 * signature went.
 */
export async function imageSign(
  image: string,
  options: CosignCallOptions & SignSpec & { digest?: string | undefined }
): Promise<SignedImage> {
  checkImageReference(image)
  const digest = options.digest ?? referenceParts(image).digest
  if (!digest)
    throw new NerdctlError(
      'Other',
      `cannot sign ${image}: no digest (sign what a push reported, image@sha256:…), never a tag`,
      { field: 'digest' }
    )
  checkDigest(digest)
  const pinned = pinnedReference(image, digest)
  const args = cosignSignArgs(pinned, options, insecure(image, options))
  const quiet: Record<string, string> = {}
  const secrets: string[] = []
  if ('key' in options.signing) {
    // Always set, so cosign never waits at a password prompt; an unset
    // password is the caller's own COSIGN_PASSWORD, or the empty one.
    const password = options.signing.password ?? process.env.COSIGN_PASSWORD ?? ''
    quiet.COSIGN_PASSWORD = password
    secrets.push(password)
  } else {
    for (const name of KEYLESS_ENV) {
      const value = process.env[name]
      if (value === undefined) continue
      quiet[name] = value
      if (name !== 'ACTIONS_ID_TOKEN_REQUEST_URL') secrets.push(value)
    }
  }
  const result = await runCosign(args, image, options, quiet, secrets)
  if (result.exitCode !== 0) {
    const said = tail(cosignSaid(result.stderr, result.stdout), 800)
    const why = signFailureOf(said)
    throw new NerdctlError(
      'CommandFailed',
      `cosign could not sign ${pinned}${why ? `: ${why}` : ''}. cosign ${formatArgv(args)} said: ${said}`,
      { args, exitCode: result.exitCode, stderr: result.stderr, stdout: result.stdout }
    )
  }
  return { reference: image, digest, signature: signatureReference(image, digest) }
}

/**
 * Verifies the signature of `image` with cosign and returns the digest it
 * covers: a tag is resolved by cosign and the digest read back from the
 * payloads that verified, so what is returned is exactly what was checked.
 * Pull and run `pinned`. Throws VerificationError naming the image and why.
 */
export async function imageVerify(
  image: string,
  options: CosignCallOptions & VerifySpec
): Promise<VerifiedImage> {
  checkImageReference(image)
  // The spec is checked before anything is written.
  cosignVerifyArgs(image, options)
  // Offline (a key, no log): an empty trusted root, so cosign looks nothing up.
  const root = verifiesOffline(options) ? await emptyTrustedRoot() : undefined
  const args = cosignVerifyArgs(image, options, insecure(image, options), root)
  const result = await runCosign(args, image, options, {}, [])
  const asked = referenceParts(image).digest
  if (result.exitCode !== 0) {
    const said = tail(cosignSaid(result.stderr, result.stdout), 800)
    const { kind, reason } = verifyFailureOf(said)
    throw new VerificationError(
      image,
      kind,
      `image ${image} failed cosign verification: ${reason}. cosign said: ${said}`,
      result.stderr
    )
  }
  const digests = verifiedDigests(result.stdout)
  const [digest] = digests
  // One digest, and the one asked for when the reference named one.
  if (!digest || digests.length > 1 || (asked !== undefined && digest !== asked))
    throw new VerificationError(
      image,
      'other',
      `image ${image}: cosign verified, but its output names ${digests.length === 0 ? 'no digest' : digests.join(', ')}` +
        `${asked ? ` (asked for ${asked})` : ''}: refusing to run it`,
      result.stderr
    )
  return { reference: image, digest, pinned: pinnedReference(image, digest) }
}
