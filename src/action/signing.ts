// The step's side of signing and verification: finds cosign once, signs what
// the step pushed (every tag, by the digest pushed), and verifies what the
// step takes from a registry, handing back `repo@digest` references to use in
// place of the tags. Other phases (a merge of per-runner digests, Compose
// images) reuse `signPushed` and `pinVerified` so there is one way to do each.
import * as core from './workflow.js'
import {
  cosignProgram,
  imageSign,
  imageVerify,
  repositoryOf,
  type SignedImage,
  type VerifiedImage
} from '../nerdctl/index.js'
import { Input, Output } from './constants.js'
import type { StepContext } from './phases/context.js'

/** What one push left in the registry: its references (tags) and the digest they now serve. */
export interface Pushed {
  refs: readonly string[]
  digest: string
}

/** One entry of the `signatures` output. */
export interface SignatureOutput {
  ref: string
  digest: string
  signature: string
}

const signedBy = new WeakMap<StepContext, SignatureOutput[]>()
const pinnedBy = new WeakMap<StepContext, Map<string, string>>()
const cosignBy = new WeakMap<StepContext, string>()

/** The cosign binary of the step, looked up once (and named in the log) when first needed. */
export function stepCosign(step: StepContext): string {
  const known = cosignBy.get(step)
  if (known) return known
  let path: string
  try {
    path = cosignProgram(step.plan.signing.cosign)
  } catch (e: unknown) {
    throw new Error(`${e instanceof Error ? e.message : String(e)} (input "${Input.Cosign}")`, {
      cause: e
    })
  }
  core.info(`cosign: ${path}`)
  cosignBy.set(step, path)
  return path
}

/**
 * Checks, before anything is pushed, what signing will need: cosign itself,
 * and for keyless signing in GitHub Actions the job's OIDC token, which the
 * runner offers only with `permissions: id-token: write`.
 */
export function signingPreflight(step: StepContext, env: NodeJS.ProcessEnv = process.env): void {
  const { sign, verify } = step.plan.signing
  if (!sign && !verify) return
  stepCosign(step)
  if (
    sign &&
    'keyless' in sign.signing &&
    !env.ACTIONS_ID_TOKEN_REQUEST_URL &&
    !env.SIGSTORE_ID_TOKEN
  )
    throw new Error(
      `Input "${Input.CosignKey}" is keyless, but the job has no OIDC token to sign with ` +
        '(ACTIONS_ID_TOKEN_REQUEST_URL is not set): add `permissions: id-token: write` to the job ' +
        '(or the workflow), or sign with a key (cosign-key: a path or env://VARIABLE). Nothing was pushed.'
    )
}

/**
 * Signs what a push left in the registry: each reference by `digest` (one
 * signature per repository: tags of one repository share it), and adds one
 * entry per reference to the `signatures` output. Does nothing without
 * `sign: cosign`.
 */
export async function signPushed(step: StepContext, pushed: Pushed): Promise<SignatureOutput[]> {
  const spec = step.plan.signing.sign
  if (!spec) return []
  const cosign = stepCosign(step)
  const keyless = 'keyless' in spec.signing
  const signing =
    keyless && process.env.ACTIONS_ID_TOKEN_REQUEST_URL
      ? { keyless: true as const, oidcProvider: 'github-actions' }
      : spec.signing
  const done = new Map<string, SignedImage>()
  const out: SignatureOutput[] = []
  for (const ref of pushed.refs) {
    const repo = repositoryOf(ref)
    let signed = done.get(repo)
    if (!signed) {
      signed = await imageSign(ref, {
        ...step.call,
        cosign,
        signing,
        tlog: spec.tlog,
        digest: pushed.digest
      })
      done.set(repo, signed)
      core.info(`signed ${repo}@${pushed.digest} (signature ${signed.signature})`)
    }
    out.push({ ref, digest: pushed.digest, signature: signed.signature })
  }
  const all = [...(signedBy.get(step) ?? []), ...out]
  signedBy.set(step, all)
  step.report.set(Output.Signatures, JSON.stringify(all))
  return out
}

/**
 * Verifies each reference (once per distinct reference) and returns the
 * `repo@digest` to use for each, in order. Without `verify: cosign` the
 * references come back as they are. The first image that fails stops the
 * step: the error names it and says why.
 */
export async function pinVerified(step: StepContext, refs: readonly string[]): Promise<string[]> {
  const spec = step.plan.signing.verify
  if (!spec) return [...refs]
  const cosign = stepCosign(step)
  const pinned = pinnedBy.get(step) ?? new Map<string, string>()
  pinnedBy.set(step, pinned)
  for (const ref of refs) {
    if (pinned.has(ref)) continue
    const verified: VerifiedImage = await imageVerify(ref, { ...step.call, cosign, ...spec })
    pinned.set(ref, verified.pinned)
    core.info(`verified ${ref}: ${verified.pinned}`)
  }
  return refs.map(r => pinned.get(r) ?? r)
}

/** The reference to use for `ref`: its verified digest when verification pinned it, else itself. */
export function pinnedImage(step: StepContext, ref: string): string {
  return pinnedBy.get(step)?.get(ref) ?? ref
}

/** The images a step takes from a registry before its services: the pull list and the run image unless built here. */
export function registryImages(step: StepContext): string[] {
  const { registry, images, run } = step.plan
  const built = images.build ? new Set(images.tags) : new Set<string>()
  const refs = [...registry.pull]
  if (run && !built.has(run.spec.image)) refs.push(run.spec.image)
  return [...new Set(refs)]
}
