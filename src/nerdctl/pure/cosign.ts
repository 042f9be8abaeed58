// cosign's side of signing and verification, without I/O: the argv of
// `cosign sign` and `cosign verify` (spec in, exact argv out), where cosign
// keeps a signature, which digest a verification covered, and why cosign
// refused (no signature, wrong key, identity mismatch), read from what it said.
// cosign is called directly rather than through nerdctl's `push --sign` and
// `pull --verify`: nerdctl passes cosign only `--key` and `--yes`, and cosign
// v2 then uploads to (and looks up in) the public transparency log, which an
// offline runner cannot reach.
import { invalidValue } from '../base/errors.js'
import { showValue } from '../base/text.js'
import { repositoryOf } from './manifest.js'
import { isImageReference } from './validate.js'

/** How images are signed: a private key cosign reads, or keyless (an OIDC identity). */
export type SigningKey =
  | {
      /** A key file path, `env://VAR`, or a KMS URI, as `cosign sign --key` takes it. */
      key: string
      /** The key's password: reaches cosign as COSIGN_PASSWORD in its environment only. */
      password?: string | undefined
    }
  | {
      keyless: true
      /**
       * cosign's `--oidc-provider` (e.g. `github-actions`, which reads the
       * job's token through ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN); unset lets
       * cosign pick the first provider available.
       */
      oidcProvider?: string | undefined
    }

export interface SignSpec {
  signing: SigningKey
  /**
   * Upload the signature to the transparency log (Rekor). Default false with
   * a key, so nothing leaves the machine; keyless signing always uploads
   * (its certificate is only trusted through the log).
   */
  tlog?: boolean | undefined
}

/** What a signature must prove: a public key, or (keyless) who signed and which issuer vouched. */
export interface VerifySpec {
  /** A public key path, `env://VAR` or KMS URI (`cosign verify --key`). */
  publicKey?: string | undefined
  certificateIdentity?: string | undefined
  certificateIdentityRegexp?: string | undefined
  certificateOidcIssuer?: string | undefined
  certificateOidcIssuerRegexp?: string | undefined
  /**
   * Check the signature's transparency-log entry. Default false with a key
   * (no lookup leaves the machine); keyless verification always checks it.
   */
  tlog?: boolean | undefined
}

/** The registry flags of a cosign call: plain HTTP and unverified TLS for registries the caller trusts. */
export function cosignRegistryFlags(insecure: boolean): string[] {
  return insecure ? ['--allow-insecure-registry', '--allow-http-registry'] : []
}

/** `repo` and `sha256:…` of a reference that holds a digest; the tag, if any, is dropped. */
export function referenceParts(reference: string): {
  repository: string
  digest: string | undefined
} {
  const at = reference.indexOf('@')
  const name = at < 0 ? reference : reference.slice(0, at)
  const digest = at < 0 ? undefined : reference.slice(at + 1)
  return { repository: repositoryOf(name), digest }
}

const DIGEST = /^sha256:[0-9a-f]{64}$/

export function checkDigest(digest: string, field = 'digest'): void {
  if (!DIGEST.test(digest))
    throw invalidValue(
      field,
      `${showValue(digest)} is not an image digest: expected sha256: and 64 hex digits`
    )
}

/** `repo@digest`: what is signed, verified and run, so a tag moved afterwards changes nothing. */
export function pinnedReference(reference: string, digest: string): string {
  checkDigest(digest)
  return `${repositoryOf(reference)}@${digest}`
}

/** Where cosign v2 stores the signature of a digest: the `sha256-<hex>.sig` tag of the repository. */
export function signatureReference(reference: string, digest: string): string {
  checkDigest(digest)
  return `${repositoryOf(reference)}:${digest.replace(':', '-')}.sig`
}

function checkKeyRef(value: string, field: string): void {
  // Taken by cosign as the value of its own option, never as an option; a
  // leading dash is still refused, so a mistake reads as one.
  if (value.trim() === '' || value.startsWith('-'))
    throw invalidValue(
      field,
      `${showValue(value)} is not a key: give a file path, env://VARIABLE or a KMS URI`
    )
}

/** `cosign sign` of one `repo@digest`. */
export function cosignSignArgs(pinned: string, spec: SignSpec, insecure = false): string[] {
  if (!isImageReference(pinned) || referenceParts(pinned).digest === undefined)
    throw invalidValue('image', `${showValue(pinned)} is not an image reference with a digest`)
  const args = ['sign', '--yes']
  if ('key' in spec.signing) {
    checkKeyRef(spec.signing.key, 'key')
    args.push('--key', spec.signing.key)
    args.push(`--tlog-upload=${spec.tlog === true ? 'true' : 'false'}`)
  } else if (spec.signing.oidcProvider) {
    args.push('--oidc-provider', spec.signing.oidcProvider)
  }
  return [...args, ...cosignRegistryFlags(insecure), pinned]
}

/** Whether a verify spec names a public key or an identity, and not both kinds half-given. */
export function checkVerifySpec(spec: VerifySpec): void {
  const identity = spec.certificateIdentity ?? spec.certificateIdentityRegexp
  const issuer = spec.certificateOidcIssuer ?? spec.certificateOidcIssuerRegexp
  if (spec.publicKey !== undefined) {
    checkKeyRef(spec.publicKey, 'publicKey')
    return
  }
  if (!identity || !issuer)
    throw invalidValue(
      'verify',
      'cosign verification needs a public key, or (keyless) both a certificate identity and an OIDC issuer (exact or regexp)'
    )
}

/**
 * A Sigstore trusted root that trusts no service: with a public key and no
 * transparency log there is nothing for it to hold, and naming it keeps
 * `cosign verify` from fetching Sigstore's own root over TUF (which cosign v2
 * does for every verification without one, and only warns when it fails).
 */
export const EMPTY_TRUSTED_ROOT =
  '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}\n'

/** Whether a verification needs no Sigstore service: a key, no transparency log. */
export function verifiesOffline(spec: VerifySpec): boolean {
  return spec.publicKey !== undefined && spec.tlog !== true
}

/**
 * `cosign verify` of one reference; its JSON (the verified payloads) goes to
 * stdout. `trustedRoot` is a file holding EMPTY_TRUSTED_ROOT, for an offline
 * verification (see `verifiesOffline`).
 */
export function cosignVerifyArgs(
  reference: string,
  spec: VerifySpec,
  insecure = false,
  trustedRoot?: string
): string[] {
  if (!isImageReference(reference))
    throw invalidValue('image', `${showValue(reference)} is not an image reference`)
  checkVerifySpec(spec)
  const args = ['verify', '--output', 'json']
  if (spec.publicKey !== undefined) {
    args.push('--key', spec.publicKey)
    if (spec.tlog !== true) args.push('--insecure-ignore-tlog=true')
    if (trustedRoot !== undefined && verifiesOffline(spec)) args.push('--trusted-root', trustedRoot)
  }
  const pairs: [string, string | undefined][] = [
    ['--certificate-identity', spec.certificateIdentity],
    ['--certificate-identity-regexp', spec.certificateIdentityRegexp],
    ['--certificate-oidc-issuer', spec.certificateOidcIssuer],
    ['--certificate-oidc-issuer-regexp', spec.certificateOidcIssuerRegexp]
  ]
  for (const [flag, value] of pairs) if (value !== undefined) args.push(flag, value)
  return [...args, ...cosignRegistryFlags(insecure), reference]
}

/**
 * The digests the payloads of a successful `cosign verify` name
 * (`critical.image.docker-manifest-digest`): cosign checks each against the
 * digest it resolved, so they are the digest that was verified.
 */
export function verifiedDigests(stdout: string): string[] {
  const found = new Set<string>()
  // cosign prints one JSON array; older versions a line per payload.
  const texts = stdout.trim().startsWith('[') ? [stdout] : stdout.split('\n')
  for (const text of texts) {
    if (!text.trim()) continue
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      continue
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      const digest = (item as { critical?: { image?: Record<string, unknown> } } | null)?.critical
        ?.image?.['docker-manifest-digest']
      if (typeof digest === 'string' && DIGEST.test(digest)) found.add(digest)
    }
  }
  return [...found]
}

/**
 * What cosign said that matters: its error without the warnings it prints on
 * every offline run and the line that repeats the error.
 */
export function cosignSaid(stderr: string, stdout = ''): string {
  const lines = stderr
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !/^WARNING:/.test(l) && !/^error during command execution:/.test(l))
  return lines.join('\n') || stdout.trim() || '(no output)'
}

export type VerifyFailure =
  'no-signature' | 'wrong-key' | 'identity-mismatch' | 'not-found' | 'tlog' | 'network' | 'other'

/** Why cosign refused an image, from what it printed; the reason says it in words. */
export function verifyFailureOf(said: string): { kind: VerifyFailure; reason: string } {
  const s = said.toLowerCase()
  if (
    /none of the expected identities matched|expected oidc issuer not found|certificate identity|no matching issuer|issuer .* not found/.test(
      s
    )
  )
    return {
      kind: 'identity-mismatch',
      reason: 'it is signed, but not by the expected identity and issuer (identity mismatch)'
    }
  if (
    /no signatures found|no matching signatures: *$|signatures? not found/.test(s) &&
    !/invalid signature|verification error/.test(s)
  )
    return { kind: 'no-signature', reason: 'it has no signature (no signature)' }
  if (
    /invalid signature|verification error|failed to verify signature|crypto\/ecdsa|signature verification failed/.test(
      s
    )
  )
    return {
      kind: 'wrong-key',
      reason: 'its signatures do not verify with the given public key (wrong key)'
    }
  if (
    /manifest_unknown|manifest unknown|name_unknown|not found in registry|entity not found/.test(s)
  )
    return { kind: 'not-found', reason: 'the registry has no such image' }
  if (/rekor|tlog|transparency log|bundle/.test(s))
    return { kind: 'tlog', reason: 'its transparency-log entry could not be checked' }
  if (/dial tcp|no such host|connection refused|network is unreachable|i\/o timeout|tls:/.test(s))
    return { kind: 'network', reason: 'cosign could not reach the registry or a service it needs' }
  return { kind: 'other', reason: 'cosign refused it' }
}

/** What cosign says about a failed signing, in words with the fix. */
export function signFailureOf(said: string): string | undefined {
  const s = said.toLowerCase()
  if (
    /decrypt|incorrect password|wrong password|password/.test(s) &&
    /decrypt|incorrect|invalid/.test(s)
  )
    return 'the key could not be decrypted: check the key password (COSIGN_PASSWORD)'
  if (/getting credentials|unauthorized|denied|authentication required/.test(s))
    return 'the registry refused cosign: log in to it in the step (registry inputs) so cosign can write the signature'
  if (/no such file|could not read|reading key|loading key|not a valid|unsupported pem/.test(s))
    return 'the key could not be read: give the path of a cosign private key (cosign generate-key-pair) or env://VARIABLE'
  return undefined
}
