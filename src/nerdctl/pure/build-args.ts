// Pure: a build spec in, the exact `nerdctl build` argv out (the table tests
// check it), so every build option can be proven without BuildKit. Values
// BuildKit reads as comma-separated attributes (cache sources and
// destinations, outputs, attestations, secrets) are read here as BuildKit
// reads them, and a key given twice is refused, so a value cannot smuggle in
// a second `type=` or `dest=`.
import { NerdctlError, invalidValue } from '../base/errors.js'
import { showValue } from '../base/text.js'
import type { BuildSecret, BuildSpec } from '../base/types.js'
import { checkImageReference, hostPathArg, isImageReference } from './validate.js'

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

/**
 * Splits one attribute list the way BuildKit's parsers read it (Go's
 * encoding/csv, one record): fields separated by commas; a field that starts
 * with `"` is quoted, may hold commas, and writes a quote as `""`. What Go
 * would refuse (a quote inside an unquoted field, text after a closing quote)
 * is refused here too, and so is a line break anywhere.
 */
export function splitAttributeList(value: string): string[] | string {
  if (/[\n\r]/.test(value)) return 'has a line break'
  const fields: string[] = []
  let i = 0
  for (;;) {
    if (value[i] === '"') {
      let field = ''
      i++
      for (;;) {
        if (i >= value.length) return 'has a quote that is not closed'
        if (value[i] === '"') {
          if (value[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          i++
          break
        }
        field += value[i]
        i++
      }
      if (i < value.length && value[i] !== ',')
        return 'has text after a closing quote (quote the whole key=value, e.g. "dest=a,b")'
      fields.push(field)
    } else {
      const end = value.indexOf(',', i)
      const field = end < 0 ? value.slice(i) : value.slice(i, end)
      if (field.includes('"'))
        return 'has a quote inside a field (quote the whole key=value, e.g. "dest=a,b")'
      fields.push(field)
      i = end < 0 ? value.length : end
    }
    if (i >= value.length) return fields
    i++ // the comma
  }
}

/** One field of an attribute list, quoted as Go's csv writer would when it must be. */
export function attributeField(field: string): string {
  return /[",\r\n]/.test(field) || /^[ \t]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field
}

/**
 * `k=v,k=v` as BuildKit reads it. A key given twice is refused: BuildKit keeps
 * the last, so text that ends up inside one value (a branch name in a cache
 * `ref=`) could otherwise replace the `type` or `dest` before it. Keys are
 * compared as BuildKit compares them, without case.
 */
export function attributes(value: string, field: string, what: string): [string, string][] {
  const fields = splitAttributeList(value)
  if (typeof fields === 'string')
    fail(field, `${what} ${showValue(value)} ${fields}: give key=value pairs separated by commas`)
  const seen = new Set<string>()
  return fields.map(part => {
    const eq = part.indexOf('=')
    if (eq <= 0) fail(field, `${what} ${showValue(value)}: "${part}" is not key=value`)
    const key = part.slice(0, eq).trim()
    if (seen.has(key.toLowerCase()))
      fail(
        field,
        `${what} ${showValue(value)} gives attribute "${key}" twice; BuildKit would keep only the last, so one of them is not what it seems: give each key once (quote a value that holds a comma, e.g. "dest=a,b")`
      )
    seen.add(key.toLowerCase())
    return [key, part.slice(eq + 1)]
  })
}

const joinAttributes = (attrs: readonly (readonly [string, string])[]): string =>
  attrs.map(([k, v]) => attributeField(`${k}=${v}`)).join(',')

/**
 * A cache source or destination. nerdctl reads a value without "type=" (a
 * substring test) as `type=registry,ref=VALUE`, so such a value must be one
 * image reference; any other is an attribute list with a type and no key twice.
 */
function cacheArg(value: string, field: string, what: string): string {
  if (!value.trim() || /[\n\r]/.test(value))
    fail(field, `${what} ${showValue(value)} is empty or spans lines`)
  if (!value.includes('type=')) {
    if (!isImageReference(value))
      fail(
        field,
        `${what} ${showValue(value)} has no type= and is not an image reference: give "type=registry,ref=HOST/IMAGE:TAG" or another BuildKit cache (type=local,src=… / dest=…, type=gha, …)`
      )
    return value
  }
  const attrs = attributes(value, field, what)
  if (!attrs.some(([k]) => k.toLowerCase() === 'type'))
    fail(field, `${what} ${showValue(value)} has no type= attribute, e.g. "type=registry,ref=…"`)
  return joinAttributes(attrs)
}

/**
 * An attestation: nerdctl takes its first field as `type=…` and hands the rest
 * to BuildKit as one attribute list.
 */
function attestSpec(value: string): string {
  if (!value.trim()) fail('attest', `attestation ${showValue(value)} is empty`)
  const attrs = attributes(value, 'attest', 'attestation')
  if (attrs[0]?.[0] !== 'type')
    fail(
      'attest',
      `attestation ${showValue(value)} must start with type=, e.g. "type=sbom,generator=IMAGE"`
    )
  return joinAttributes(attrs)
}

/** `--sbom`/`--provenance` attributes: nerdctl puts its own `type=` before them. */
function attestArg(value: boolean | string, field: string): string {
  if (typeof value === 'boolean') return String(value)
  const attrs = attributes(value, field, field)
  if (attrs.some(([k]) => k.toLowerCase() === 'type'))
    fail(field, `${field} ${showValue(value)} sets type=, which is already ${field}`)
  return joinAttributes(attrs)
}

/**
 * An ssh entry, `ID[=SOCKET|KEY[,KEY]]` as buildctl reads it (the paths after
 * "=" are split on commas: that is the format). Each ID once.
 */
const SSH_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/

function sshArgs(values: readonly string[] | undefined): string[] {
  const seen = new Set<string>()
  return nonEmpty(values, 'ssh', 'ssh').map(v => {
    const id = v.split('=', 1)[0] as string
    if (!SSH_ID.test(id))
      fail('ssh', `ssh ${showValue(v)}: ${showValue(id)} is not an id: give "default" or ID=PATH`)
    if (seen.has(id)) fail('ssh', `ssh id ${showValue(id)} is given twice: give each id once`)
    seen.add(id)
    return v
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
  if (!s.file || /[\n\r]/.test(s.file))
    fail('secrets', `secret ${s.id}: file ${showValue(s.file)} is empty or spans lines`)
  // Quoted as BuildKit's csv reader expects, so a comma stays in the path.
  return `id=${s.id},${attributeField(`src=${s.file}`)}`
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
                  : [attributeField(`${k}=${v}`)]
        )
        .join(',')
    : 'type=oci'
  return [base, ...annotations].join(',')
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
  for (const c of options.cacheFrom ?? [])
    a.push('--cache-from', cacheArg(c, 'cacheFrom', 'cache source'))
  for (const c of options.cacheTo ?? [])
    a.push('--cache-to', cacheArg(c, 'cacheTo', 'cache destination'))
  ;(options.secrets ?? []).forEach((s, i) => a.push('--secret', secretArg(s, i, files.secretDir)))
  for (const s of sshArgs(options.ssh)) a.push('--ssh', s)
  for (const s of nonEmpty(options.allow, 'allow', 'entitlement')) a.push('--allow', s)
  for (const s of options.attest ?? []) a.push('--attest', attestSpec(s))
  if (options.sbom !== undefined && options.sbom !== '')
    a.push('--sbom', attestArg(options.sbom, 'sbom'))
  if (options.provenance !== undefined && options.provenance !== '')
    a.push('--provenance', attestArg(options.provenance, 'provenance'))
  const output = outputArg(options, files)
  if (output) a.push('--output', output)
  const contextNames = new Set<string>()
  for (const [name, value] of options.buildContexts ?? []) {
    // nerdctl keeps the last of two contexts with one name.
    if (contextNames.has(name))
      fail('buildContexts', `build context ${showValue(name)} is given twice: give each name once`)
    contextNames.add(name)
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
