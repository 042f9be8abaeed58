// Pure: a build spec in, the exact `nerdctl build` argv out (the table tests
// check it), so every build option can be proven without BuildKit. Values
// BuildKit reads as comma-separated attributes (secrets, outputs) are checked
// here so that a value cannot smuggle in a second attribute.
import { NerdctlError, invalidValue } from '../base/errors.js'
import { showValue } from '../base/text.js'
import type { BuildSecret, BuildSpec } from '../base/types.js'
import { checkImageReference, hostPathArg } from './validate.js'

/** Paths the caller chose for the files of one build. */
export interface BuildFiles {
  /** Private directory where secrets given by value are written (see `secretFile`). */
  secretDir?: string | undefined
  /** Written instead of the output's `dest` (the caller renames it into place). */
  dest?: string | undefined
  /**
   * The output goes to standard output (`dest=-`), where the caller writes it
   * to a file of its own; a `type=local` output then comes as a tar archive
   * of the same files (`type=tar`), for the caller to unpack.
   */
  toStdout?: boolean | undefined
}

/** Where a secret given by value is written: the Nth secret of the spec. */
export function secretFile(secretDir: string, index: number): string {
  return `${secretDir.replace(/\/+$/, '')}/secret-${index}`
}

/** The exporter a spec asks for, read from its `output`. */
export interface Exporter {
  /** `image` when no output is given: the image goes to containerd's store. */
  type: string
  /** Its `dest`, when it writes to this machine. */
  dest?: string | undefined
  /** Whether the build leaves an image in containerd's store. */
  storesImage: boolean
  /**
   * Whether BuildKit reports an image digest (nerdctl's iidfile): every
   * exporter of an image, pushed or stored; not a local or tar output.
   */
  hasImageId: boolean
}

const EXPORTER_TYPES = new Set(['image', 'registry', 'local', 'tar', 'oci', 'docker'])

function fail(field: string, message: string): never {
  throw invalidValue(field, message)
}

/** Splits `k=v,k=v` as BuildKit does for simple values; quotes are refused. */
function attributes(value: string, field: string, what: string): [string, string][] {
  if (/["\n\r]/.test(value))
    fail(
      field,
      `${what} ${showValue(value)} has a quote or a line break: give plain key=value pairs`
    )
  return value.split(',').map(part => {
    const eq = part.indexOf('=')
    if (eq <= 0) fail(field, `${what} ${showValue(value)}: "${part}" is not key=value`)
    return [part.slice(0, eq).trim(), part.slice(eq + 1)]
  })
}

export function exporterOf(spec: BuildSpec): Exporter {
  if (spec.output === undefined || spec.output === '')
    return { type: 'image', storesImage: true, hasImageId: true }
  const attrs = attributes(spec.output, 'output', 'output')
  const type = attrs.find(([k]) => k === 'type')?.[1]
  if (!type || !EXPORTER_TYPES.has(type))
    fail(
      'output',
      `output ${showValue(spec.output)} needs type= one of ${[...EXPORTER_TYPES].join(', ')}, e.g. "type=local,dest=out"`
    )
  const dest = attrs.find(([k]) => k === 'dest')?.[1]
  if (dest === '' || dest === '-')
    fail('output', `output ${showValue(spec.output)}: dest must be a path on this machine`)
  if ((type === 'local' || type === 'tar') && !dest)
    fail('output', `output ${showValue(spec.output)}: type=${type} needs dest=PATH`)
  const push = attrs.some(([k, v]) => k === 'push' && v === 'true')
  // type=image without push and type=oci/docker without dest are loaded into
  // the store; everything else leaves the image elsewhere (or nowhere).
  const storesImage =
    (type === 'image' && !push) || ((type === 'oci' || type === 'docker') && dest === undefined)
  return { type, dest, storesImage, hasImageId: type !== 'local' && type !== 'tar' }
}

const SECRET_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

function secretArg(s: BuildSecret, index: number, secretDir: string | undefined): string {
  if (!SECRET_ID.test(s.id))
    fail(
      'secrets',
      `secret id ${showValue(s.id)} is invalid: use letters, digits, "_", "." and "-", starting with a letter or digit`
    )
  if ('value' in s) {
    if (!secretDir)
      fail('secrets', 'a secret given by value needs a private directory for its file')
    return `id=${s.id},src=${secretFile(secretDir, index)}`
  }
  if ('env' in s) {
    if (!ENV_NAME.test(s.env))
      fail('secrets', `secret ${s.id}: ${showValue(s.env)} is not an environment variable name`)
    return `id=${s.id},env=${s.env}`
  }
  if (!s.file || /[,"\n\r]/.test(s.file))
    fail(
      'secrets',
      `secret ${s.id}: file ${showValue(s.file)} is empty or has a comma, quote or line break, which BuildKit would read as another attribute`
    )
  return `id=${s.id},src=${s.file}`
}

/** buildx's annotation prefixes and the exporter attribute each stands for. */
const ANNOTATION_PREFIX = /^(index|manifest|manifest-descriptor|index-descriptor)(\[[^\]]+\])?:/

/** One annotation as an exporter attribute, quoted as CSV when it must be. */
export function annotationAttribute(annotation: string): string {
  const m = ANNOTATION_PREFIX.exec(annotation)
  const rest = m ? annotation.slice(m[0].length) : annotation
  const eq = rest.indexOf('=')
  const key = eq > 0 ? rest.slice(0, eq) : ''
  if (!/^[A-Za-z0-9][A-Za-z0-9_.\-/]*$/.test(key) || /[\n\r]/.test(rest))
    fail(
      'annotations',
      `annotation ${showValue(annotation)} is not KEY=VALUE (optionally "index:" or "manifest:" first), e.g. "org.opencontainers.image.description=My app"`
    )
  const where = m ? `annotation-${m[1]}${m[2] ?? ''}` : 'annotation'
  const field = `${where}.${key}=${rest.slice(eq + 1)}`
  return /[",]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field
}

/** The `--output` value: the exporter with annotations and `dest` replaced. */
function outputArg(spec: BuildSpec, files: BuildFiles): string | undefined {
  const annotations = (spec.annotations ?? []).map(annotationAttribute)
  if (!spec.output && annotations.length === 0) return undefined
  const exporter = exporterOf(spec)
  if (annotations.length > 0 && (exporter.type === 'local' || exporter.type === 'tar'))
    fail('annotations', `annotations need an image: output type=${exporter.type} has none`)
  // With annotations and no output, nerdctl's default exporter cannot be
  // extended: an OCI archive, which nerdctl loads into the store, works with
  // any BuildKit (local or remote) and any number of platforms.
  const base = spec.output
    ? attributes(spec.output, 'output', 'output')
        .flatMap(([k, v]) =>
          k === 'dest' && files.toStdout
            ? ['dest=-']
            : k === 'dest' && files.dest
              ? [`dest=${files.dest}`]
              : k === 'type' && v === 'local' && files.toStdout
                ? ['type=tar']
                : // buildx's shorthand, which buildctl does not know.
                  k === 'type' && v === 'registry'
                  ? ['type=image', 'push=true']
                  : [`${k}=${v}`]
        )
        .join(',')
    : 'type=oci'
  return [base, ...annotations].join(',')
}

function attestArg(value: boolean | string): string {
  return typeof value === 'boolean' ? String(value) : value
}

function nonEmpty(values: readonly string[] | undefined, field: string, what: string): string[] {
  return (values ?? []).map(v => {
    if (!v.trim() || /[\n\r]/.test(v))
      fail(field, `${what} ${showValue(v)} is empty or spans lines`)
    return v
  })
}

const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.\-/:@]*$/

/**
 * The `nerdctl build` argv. The image ID is written to `iidFile` when one is
 * given (nerdctl fails a build that has none to write, as a local or tar
 * output has). `tag` may be empty only when the output is not an image.
 */
export function buildArgs(
  tag: string,
  contextPath: string,
  options: BuildSpec,
  iidFile: string | undefined,
  buildkitHost?: string,
  files: BuildFiles = {}
): string[] {
  const exporter = exporterOf(options)
  const tags = [tag, ...(options.tags ?? [])].filter(t => t)
  if (tags.length === 0 && exporter.storesImage)
    throw new NerdctlError('Other', 'build needs at least one tag, e.g. "127.0.0.1:5000/app:1.0"')
  for (const t of tags) checkImageReference(t, 'tag', 'tags')
  if (!contextPath)
    throw new NerdctlError('Other', 'build context is empty: give a directory such as "."')
  const a = ['build', '--progress', 'plain']
  if (iidFile) a.push('--iidfile', iidFile)
  if (buildkitHost) a.push('--buildkit-host', buildkitHost)
  for (const t of tags) a.push('--tag', t)
  if (options.file) a.push('--file', options.file)
  for (const [k, v] of options.buildArgs ?? []) a.push('--build-arg', `${k}=${v}`)
  for (const [k, v] of options.labels ?? []) a.push('--label', `${k}=${v}`)
  if (options.target) a.push('--target', options.target)
  if (options.platforms?.length) a.push('--platform', options.platforms.join(','))
  if (options.noCache) a.push('--no-cache')
  if (options.pull) a.push('--pull')
  for (const c of nonEmpty(options.cacheFrom, 'cacheFrom', 'cache source'))
    a.push('--cache-from', c)
  for (const c of nonEmpty(options.cacheTo, 'cacheTo', 'cache destination')) a.push('--cache-to', c)
  ;(options.secrets ?? []).forEach((s, i) => a.push('--secret', secretArg(s, i, files.secretDir)))
  for (const s of nonEmpty(options.ssh, 'ssh', 'ssh')) a.push('--ssh', s)
  for (const s of nonEmpty(options.allow, 'allow', 'entitlement')) a.push('--allow', s)
  for (const s of nonEmpty(options.attest, 'attest', 'attestation')) a.push('--attest', s)
  if (options.sbom !== undefined && options.sbom !== '') a.push('--sbom', attestArg(options.sbom))
  if (options.provenance !== undefined && options.provenance !== '')
    a.push('--provenance', attestArg(options.provenance))
  const output = outputArg(options, files)
  if (output) a.push('--output', output)
  for (const [name, value] of options.buildContexts ?? []) {
    if (!CONTEXT_NAME.test(name) || !value || /[\n\r]/.test(value))
      fail(
        'buildContexts',
        `build context ${showValue(`${name}=${value}`)} is not NAME=VALUE (a directory, docker-image://REF, oci-layout://PATH or URL)`
      )
    a.push('--build-context', `${name}=${value}`)
  }
  if (options.network !== undefined) {
    if (!['default', 'none', 'host'].includes(options.network))
      fail('network', `build network ${showValue(options.network)} is not default, none or host`)
    a.push('--network', options.network)
  }
  for (const h of options.addHosts ?? []) {
    const m = /^([A-Za-z0-9][A-Za-z0-9.-]*)[:=](\S+)$/.exec(h)
    if (!m) fail('addHosts', `host entry ${showValue(h)} is not HOST:IP, e.g. "db.local:10.0.0.5"`)
    a.push('--add-host', `${m[1]}:${m[2]}`)
  }
  a.push(hostPathArg(contextPath))
  return a
}
