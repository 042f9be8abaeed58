// The signing section: sign what the step pushes, and verify what it takes
// from a registry, with cosign. Read after the images section (signing needs
// a push). A key path is a host path like any other (workspace, RUNNER_TEMP,
// host-paths); `env://` and KMS URIs are handed to cosign as they are.
import * as core from '../workflow.js'
import { Input } from '../constants.js'
import type { HostPaths } from '../host-paths.js'
import type { ImagesPlan, SigningPlan } from './plan.js'
import { InputError, show, type Reader } from './reader.js'

const MODES = ['none', 'cosign'] as const

function mode(r: Reader, name: string): boolean {
  const v = r.text(name) || 'none'
  if (!(MODES as readonly string[]).includes(v))
    throw new InputError(name, `${show(v)} is not one of none, cosign`)
  return v === 'cosign'
}

/** A key reference: `env://VAR`, a KMS-style URI (`scheme://…`), or a host path (checked). */
function keyRef(r: Reader, name: string, paths: HostPaths): string | undefined {
  const v = r.text(name)
  if (!v) return undefined
  if (v.startsWith('-'))
    throw new InputError(name, `${show(v)} is not a key: give a path, env://VARIABLE or a KMS URI`)
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    if (v.startsWith('env://') && !/^env:\/\/[A-Za-z_][A-Za-z0-9_]*$/.test(v))
      throw new InputError(name, `${show(v)} is not env://VARIABLE (a variable name after env://)`)
    return v
  }
  return paths.check(name, v, 'read')
}

export function readSigning(r: Reader, images: ImagesPlan, paths: HostPaths): SigningPlan {
  // Masked before anything else is read: no later message may show it.
  const password = r.raw(Input.CosignPassword)
  if (password) core.setSecret(password)
  const sign = mode(r, Input.Sign)
  const verify = mode(r, Input.Verify)
  const tlog = r.bool(Input.CosignTlog, false)
  const cosign = r.text(Input.Cosign) || 'cosign'
  if (cosign.startsWith('-'))
    throw new InputError(
      Input.Cosign,
      `${show(cosign)} is not a program: give a name on PATH or a path`
    )

  let signPlan: SigningPlan['sign']
  if (sign) {
    if (!images.push && !images.merge)
      throw new InputError(
        Input.Sign,
        'is cosign but the step pushes nothing: set push: true, or merge (signatures are stored in the registry, beside the image)'
      )
    const key = r.text(Input.CosignKey)
    if (!key)
      throw new InputError(
        Input.CosignKey,
        'is empty but sign is cosign: give the private key (a path, or env://VARIABLE with the key from a secret), ' +
          "or the word keyless to sign with the job's OIDC identity. An empty key is never taken as keyless: a secret is empty on a fork's pull request"
      )
    if (key === 'keyless') {
      if (password)
        throw new InputError(
          Input.CosignPassword,
          'is set but cosign-key is keyless: a keyless signature has no key password'
        )
      signPlan = { signing: { keyless: true }, tlog: true }
    } else {
      signPlan = {
        signing: {
          key: keyRef(r, Input.CosignKey, paths) as string,
          ...(password ? { password } : {})
        },
        tlog
      }
    }
  } else {
    r.refuseIfSet('means nothing without sign: cosign', [Input.CosignKey, Input.CosignPassword])
  }

  let verifyPlan: SigningPlan['verify']
  const identityInputs = [
    Input.CosignCertificateIdentity,
    Input.CosignCertificateIdentityRegexp,
    Input.CosignCertificateOidcIssuer,
    Input.CosignCertificateOidcIssuerRegexp
  ]
  if (verify) {
    const publicKey = keyRef(r, Input.CosignPublicKey, paths)
    const identity = r.optional(Input.CosignCertificateIdentity)
    const identityRegexp = r.optional(Input.CosignCertificateIdentityRegexp)
    const issuer = r.optional(Input.CosignCertificateOidcIssuer)
    const issuerRegexp = r.optional(Input.CosignCertificateOidcIssuerRegexp)
    const keyless = [identity, identityRegexp, issuer, issuerRegexp].some(v => v !== undefined)
    if (publicKey && keyless)
      throw new InputError(
        Input.CosignPublicKey,
        'is set, and so is a cosign-certificate-* input: verify with a public key, or with a keyless identity and issuer, not both'
      )
    if (!publicKey && !keyless)
      throw new InputError(
        Input.Verify,
        'is cosign but nothing says what a signature must prove: set cosign-public-key, or cosign-certificate-identity(-regexp) and cosign-certificate-oidc-issuer(-regexp) for keyless signatures'
      )
    if (keyless && identity === undefined && identityRegexp === undefined)
      throw new InputError(
        Input.CosignCertificateIdentity,
        'is empty: keyless verification needs cosign-certificate-identity or cosign-certificate-identity-regexp'
      )
    if (keyless && issuer === undefined && issuerRegexp === undefined)
      throw new InputError(
        Input.CosignCertificateOidcIssuer,
        'is empty: keyless verification needs cosign-certificate-oidc-issuer or cosign-certificate-oidc-issuer-regexp'
      )
    for (const [name, value] of [
      [Input.CosignCertificateIdentityRegexp, identityRegexp],
      [Input.CosignCertificateOidcIssuerRegexp, issuerRegexp]
    ] as const) {
      if (value === undefined) continue
      try {
        new RegExp(value)
      } catch {
        throw new InputError(name, `${show(value)} is not a regular expression`)
      }
    }
    verifyPlan = publicKey
      ? { publicKey, tlog }
      : {
          certificateIdentity: identity,
          certificateIdentityRegexp: identityRegexp,
          certificateOidcIssuer: issuer,
          certificateOidcIssuerRegexp: issuerRegexp,
          tlog: true
        }
  } else {
    r.refuseIfSet('means nothing without verify: cosign', [
      Input.CosignPublicKey,
      ...identityInputs
    ])
  }
  if (!sign && !verify)
    r.refuseIfSet('means nothing without sign or verify: cosign', [], [[Input.CosignTlog, false]])
  return { sign: signPlan, verify: verifyPlan, cosign }
}
