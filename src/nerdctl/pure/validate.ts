// One rule per kind of value a caller gives: container names, image
// references, registry hosts. The library checks with these before anything
// runs, and the action checks its inputs with the same ones, so "valid" means
// one thing everywhere. Messages name the value and the form expected; they
// never name an action input (the action maps `field` to its input).
import { invalidValue } from '../base/errors.js'
import { showValue } from '../base/text.js'

/** nerdctl's (and Docker's) rule for container names. */
const CONTAINER_NAME_BODY = '[a-zA-Z0-9][a-zA-Z0-9_.-]*'
export const CONTAINER_NAME = new RegExp(`^${CONTAINER_NAME_BODY}$`)

/** A name or ID of an existing container, or a name for a new one. */
export function checkContainerName(value: string, what = 'container name', field = 'name'): void {
  if (!CONTAINER_NAME.test(value)) {
    throw invalidValue(
      field,
      `${what} ${showValue(value)} is invalid: use letters, digits, "_", "." and "-", starting with a letter or digit`
    )
  }
}

/**
 * Image references in the grammar of distribution's `reference` package,
 * which nerdctl parses them with (github.com/distribution/reference,
 * regexp.go): an optional registry host (with port), lower-case path
 * components joined by `.`, `_`, `__` or dashes, then `:tag` (at most 128
 * word characters, dots and dashes) and/or `@algorithm:hex`. The first
 * character is a letter or digit, so a reference is never an option, and a
 * reference never holds a comma, a quote or "=", so it cannot carry a second
 * attribute where BuildKit reads `ref=…` lists.
 */
const ALNUM = '[a-z0-9]+'
const PATH_COMPONENT = `${ALNUM}(?:(?:[._]|__|-+)${ALNUM})*`
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`
const TAG = '[\\w][\\w.-]{0,127}'
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}'
const IMAGE_REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`)
/** distribution's NameTotalLengthMax. */
const NAME_MAX = 255

export function isImageReference(value: string): boolean {
  if (value.length === 0 || value.length > NAME_MAX + 300) return false
  const m = IMAGE_REFERENCE.exec(value)
  return m !== null && (m[1] as string).length <= NAME_MAX
}

export function checkImageReference(value: string, what = 'image', field = 'image'): void {
  if (!isImageReference(value)) {
    throw invalidValue(
      field,
      `${what} ${showValue(value)} is not an image reference: expected e.g. "busybox:stable", "127.0.0.1:5000/app:1.0" or "app@sha256:…"`
    )
  }
}

/** The registry host of an image reference (`docker.io` when it names none). */
export function registryOf(reference: string): string {
  const slash = reference.indexOf('/')
  if (slash < 0) return 'docker.io'
  const first = reference.slice(0, slash)
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io'
}

/** A container to act on: a name or an ID (full or short), never an option. */
export function checkContainerRef(value: string): void {
  checkContainerName(value, 'container', 'container')
}

/**
 * A path on this machine that nerdctl reads as a positional argument: one
 * starting with "-" is given as "./-…", the same file, so it cannot be taken
 * for an option.
 */
export function hostPathArg(p: string): string {
  return p.startsWith('-') ? `./${p}` : p
}

/** `host`, `host:port`, `[v6]:port`: what login, logout and insecure-registries take. */
const REGISTRY_HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/

export function checkRegistryHost(value: string, what = 'registry', field = 'registry'): void {
  if (!REGISTRY_HOST.test(value)) {
    throw invalidValue(
      field,
      `${what} ${showValue(value)} is not a registry host: expected e.g. "ghcr.io" or "127.0.0.1:5000", without a scheme or path`
    )
  }
}

/** `container:/path` (or `id:/path`), as opposed to a host path. */
const CONTAINER_PATH = new RegExp(`^(${CONTAINER_NAME_BODY}):(.*)$`)

export function splitContainerPath(p: string): { container: string; path: string } | undefined {
  const m = CONTAINER_PATH.exec(p)
  return m ? { container: m[1] as string, path: m[2] as string } : undefined
}

/** Whether a copy side is in a container: `name:/path`, or `:/path` for the container at hand. */
export function isContainerSide(p: string): boolean {
  return p.startsWith(':/') || splitContainerPath(p)?.path.startsWith('/') === true
}

/** `:/path` means "this container": the one `ref` names. Other paths are left as they are. */
export function expandOwnPath(p: string, ref: string): string {
  return p.startsWith(':/') ? `${ref}${p}` : p
}

/** nerdctl's rule for network names is the container-name rule. */
export function checkNetworkName(value: string, what = 'network name', field = 'network'): void {
  if (!CONTAINER_NAME.test(value)) {
    throw invalidValue(
      field,
      `${what} ${showValue(value)} is invalid: use letters, digits, "_", "." and "-", starting with a letter or digit`
    )
  }
}

/**
 * A service key: it becomes the container's host name (how the others reach
 * it) and the end of its container name, so it must be both: letters, digits,
 * "-" and "_", starting with a letter or digit, at most 63 characters.
 */
const SERVICE_KEY = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/

export function checkServiceKey(value: string, field = 'services'): void {
  if (!SERVICE_KEY.test(value)) {
    throw invalidValue(
      field,
      `service key ${showValue(value)} is invalid: it becomes a host name, so use letters, digits, "-" and "_", starting with a letter or digit (at most 63)`
    )
  }
}
