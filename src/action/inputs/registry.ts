// The registry section: whom to log in as (one registry through
// registry/username/password, several through `registries`), whether to log
// out again after, how registry calls retry, and which images to pull first.
import * as core from '../workflow.js'
import { DEFAULT_RETRIES, checkImageReference, checkRegistryHost } from '../../nerdctl/index.js'
import { Input } from '../constants.js'
import type { Login, RegistryPlan } from './plan.js'
import { InputError, asInput, show, type Reader } from './reader.js'
import { parseYaml } from './yaml.js'

export function readRegistry(r: Reader): RegistryPlan {
  const registry = r.text(Input.Registry)
  if (registry) asInput(Input.Registry, () => checkRegistryHost(registry))
  const username = r.text(Input.Username)
  // The password is never trimmed, shown or echoed; it is masked at once.
  const password = r.raw(Input.Password)
  if (password) core.setSecret(password)
  if (!!username !== !!password) {
    throw new InputError(
      username ? Input.Password : Input.Username,
      `set both "username" and "password" to log in, or neither`
    )
  }
  if (registry && !username) {
    throw new InputError(
      Input.Registry,
      `${show(registry)} is set but "username" and "password" are not: set them to log in, or remove "registry"`
    )
  }
  const login = username ? { registry, username, password } : undefined
  const registries = readRegistries(r.raw(Input.Registries))
  const hosts = [...(login ? [login] : []), ...registries].map(l => l.registry || 'docker.io')
  const twice = hosts.find((h, i) => hosts.indexOf(h) !== i)
  if (twice)
    throw new InputError(
      Input.Registries,
      `${show(twice)} is logged in to twice: name each registry once (in "registries" or "registry", not both)`
    )
  return {
    login,
    registries,
    logout: r.bool(Input.Logout, true),
    pull: r.lines(Input.Pull).map(image => {
      asInput(Input.Pull, () => checkImageReference(image))
      return image
    }),
    retry: {
      retries: r.count(Input.Retries, DEFAULT_RETRIES),
      delayMs: r.duration(Input.RetryDelay, '2s') ?? 0
    }
  }
}

const KEYS = ['registry', 'username', 'password']

/**
 * The `registries` input: a YAML list of {registry, username, password}.
 * Each password is masked before anything else is checked, and no message
 * ever quotes the YAML (it holds the passwords).
 */
function readRegistries(text: string): Login[] {
  if (!text.trim()) return []
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (e: unknown) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line
    throw new InputError(
      Input.Registries,
      `is not valid YAML${line ? ` (line ${line})` : ''}: give a list of entries with registry, username and password`
    )
  }
  if (!Array.isArray(doc))
    throw new InputError(
      Input.Registries,
      'must be a YAML list of entries with registry, username and password'
    )
  for (const entry of doc as unknown[]) {
    const p = (entry as { password?: unknown } | null)?.password
    if (typeof p === 'string' && p) core.setSecret(p)
  }
  return (doc as unknown[]).map((entry, i) => {
    const where = `entry ${i + 1}`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new InputError(
        Input.Registries,
        `${where} is not a map of registry, username and password`
      )
    const e = entry as Record<string, unknown>
    const unknown = Object.keys(e).find(k => !KEYS.includes(k))
    if (unknown)
      throw new InputError(
        Input.Registries,
        `${where} has an unknown key ${show(unknown)}: use registry, username and password`
      )
    for (const k of KEYS)
      if (typeof e[k] !== 'string' || !e[k])
        throw new InputError(
          Input.Registries,
          `${where} needs a ${k} as a non-empty string${k === 'password' ? ' (quote it)' : ''}`
        )
    const registry = (e.registry as string).trim()
    asInput(Input.Registries, () => checkRegistryHost(registry, `registry of ${where}`))
    return {
      // Docker Hub is '' in a plan, as with the single-registry inputs.
      registry: registry === 'docker.io' ? '' : registry,
      username: (e.username as string).trim(),
      password: e.password as string
    }
  })
}
