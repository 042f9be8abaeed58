// Pure: a container spec in, the exact `nerdctl run`/`create` argv out. Kept
// apart from Container so every option can be proven by a table test without
// running anything. Order is the order given (env, ports, labels), so the same
// spec always gives the same argv. No env value is ever in it: see
// `containerEnv`.
import { invalidValue, type NerdctlError } from '../base/errors.js'
import type { ContainerSpec, HealthCheck } from '../base/types.js'
import { durationMs, formatDuration, parseDuration } from './units.js'
import { checkContainerName, checkImageReference } from './validate.js'

const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/
// [IP:[HOST_PORT]:]CONTAINER_PORT or HOST_PORT:CONTAINER_PORT; ports may be
// ranges. "127.0.0.1::5432" (an IP, any free host port) is valid, as in nerdctl.
const PORT =
  /^(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\]):(?:\d{1,5}(?:-\d{1,5})?)?:|\d{1,5}(?:-\d{1,5})?:)?\d{1,5}(?:-\d{1,5})?(?:\/(?:tcp|udp|sctp))?$/i
const ENV_KEY = /^[^=\s]+$/

function invalid(field: keyof ContainerSpec, message: string): NerdctlError {
  return invalidValue(field, message)
}

/** Checks a spec before anything runs; says what is wrong and what is expected. */
export function validateSpec(spec: ContainerSpec): void {
  checkImageReference(spec.image)
  if (spec.name !== undefined) checkContainerName(spec.name)
  for (const p of spec.ports ?? []) {
    // Every number in it must be a port (1-65535 for hosts, container ports too).
    const numbers = p.replace(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):/i, '').match(/\d+/g) ?? []
    if (!PORT.test(p) || numbers.some(n => Number(n) < 1 || Number(n) > 65535)) {
      throw invalid(
        'ports',
        `port "${p}" is invalid: expected [IP:][HOST_PORT:]CONTAINER_PORT[/PROTO], e.g. "8080:80" or "127.0.0.1:8080:80/tcp"`
      )
    }
  }
  for (const v of spec.volumes ?? []) {
    if (!v || v.startsWith(':') || v.split(':').length > 3) {
      throw invalid(
        'volumes',
        `volume "${v}" is invalid: expected SOURCE:TARGET[:OPTIONS] or a container path, e.g. "/data:/var/lib/data:ro"`
      )
    }
  }
  containerEnv(spec.env)
  for (const [k] of spec.labels ?? []) {
    if (!ENV_KEY.test(k))
      throw invalid(
        'labels',
        `label key "${k}" is invalid: it must be non-empty, without "=" or spaces`
      )
  }
  const aliases = spec.networkAliases ?? []
  if (
    aliases.length > 1 ||
    (aliases.length === 1 && spec.hostname !== undefined && spec.hostname !== aliases[0])
  ) {
    throw invalid(
      'networkAliases',
      `network aliases ${JSON.stringify(aliases)} cannot all be had: nerdctl has no --network-alias; ` +
        'other containers on the network reach this one by its name and by its hostname, so give at most one alias (it becomes the hostname)'
    )
  }
  for (const alias of aliases) {
    if (!/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(alias)) {
      throw invalid(
        'networkAliases',
        `network alias "${alias}" is not a valid host name: use letters, digits, "-" and "."`
      )
    }
  }
  if (spec.restartPolicy !== undefined && !RESTART.test(spec.restartPolicy)) {
    throw invalid(
      'restartPolicy',
      `restart policy "${spec.restartPolicy}" is invalid: expected no, always, unless-stopped, on-failure or on-failure:N`
    )
  }
  if (
    spec.cpuLimit !== undefined &&
    !(/^\d+(\.\d+)?$/.test(spec.cpuLimit) && Number(spec.cpuLimit) > 0)
  ) {
    throw invalid(
      'cpuLimit',
      `CPU limit "${spec.cpuLimit}" is invalid: expected a positive number of CPUs such as 0.5 or 2`
    )
  }
  if (spec.cpuShares !== undefined && !/^\d+$/.test(spec.cpuShares)) {
    throw invalid(
      'cpuShares',
      `CPU shares "${spec.cpuShares}" is invalid: expected a whole number such as 512 or 1024`
    )
  }
  for (const [field, what, value] of [
    ['memoryLimit', 'memory limit', spec.memoryLimit],
    ['memorySwapLimit', 'memory+swap limit', spec.memorySwapLimit]
  ] as const) {
    // nerdctl reads these with go-units RAMInBytes: 512m, 512MB, 1GiB, 1.5g, at
    // most one space before the unit. Only the swap limit may be -1 (unlimited).
    const unlimited = field === 'memorySwapLimit' && value === '-1'
    if (value !== undefined && !unlimited && !/^\d+(\.\d+)? ?([kmgtp]i?b?|b)?$/i.test(value)) {
      throw invalid(
        field,
        `${what} "${value}" is invalid: expected a number with an optional unit b, k, m or g, e.g. 512m or 1g` +
          (field === 'memorySwapLimit' ? ', or -1 for unlimited swap' : '')
      )
    }
  }
  if (spec.healthCheck) validateHealthCheck(spec.healthCheck)
  if (spec.autoRemove && spec.restartPolicy && spec.restartPolicy !== 'no') {
    throw invalid(
      'autoRemove',
      `autoRemove (--rm) cannot be combined with restart policy "${spec.restartPolicy}": choose one`
    )
  }
}

/** Where a spec's env goes: see `containerEnv`. */
export interface RunArgsOptions {
  /**
   * The env file nerdctl reads the variables from (`--env-file`), written by
   * the caller with `containerEnv(spec.env).file`; needed when that is not empty.
   */
  envFile?: string | undefined
  /** nerdctl runs through sudo (which drops some values of its environment). */
  sudo?: boolean | undefined
}

/**
 * The argv of `nerdctl run` (or `create`) for a spec, after validating it.
 * The env is `--env-file FILE` and `-e NAME` for each variable the file
 * cannot carry, whose value the caller puts in nerdctl's environment
 * (`containerEnv`): never a value.
 */
export function runArgs(
  spec: ContainerSpec,
  subcommand: 'run' | 'create' = 'run',
  options: RunArgsOptions = {}
): string[] {
  validateSpec(spec)
  const env = containerEnv(spec.env, { sudo: options.sudo })
  if (env.file !== '' && !options.envFile) {
    throw invalid(
      'env',
      'the environment of this container goes in an env file: write containerEnv(spec.env).file to a private file and pass its path as envFile'
    )
  }
  const a: string[] = []
  // --snapshotter is a global flag of nerdctl, so it goes before the subcommand.
  if (spec.snapshotter) a.push('--snapshotter', spec.snapshotter)
  a.push(subcommand)
  if (subcommand === 'run' && spec.detach !== false) a.push('-d')
  if (spec.name) a.push('--name', spec.name)
  if (spec.pull) a.push('--pull', spec.pull)
  if (spec.autoRemove) a.push('--rm')
  for (const p of spec.ports ?? []) a.push('-p', p)
  for (const v of spec.volumes ?? []) a.push('-v', v)
  if (env.file !== '') a.push('--env-file', options.envFile as string)
  for (const [k] of env.byName) a.push('-e', k)
  for (const [k, v] of spec.labels ?? []) a.push('--label', `${k}=${v}`)
  if (spec.network) a.push('--network', spec.network)
  if (spec.cpuLimit) a.push('--cpus', spec.cpuLimit)
  if (spec.memoryLimit) a.push('--memory', spec.memoryLimit)
  if (spec.memorySwapLimit) a.push('--memory-swap', spec.memorySwapLimit)
  if (spec.cpuShares) a.push('--cpu-shares', spec.cpuShares)
  if (spec.restartPolicy) a.push('--restart', spec.restartPolicy)
  if (spec.healthCheck) a.push(...healthCheckArgs(spec.healthCheck))
  if (spec.workdir) a.push('--workdir', spec.workdir)
  if (spec.user) a.push('--user', spec.user)
  // nerdctl has no --network-alias; it lists each container's hostname in the
  // /etc/hosts of the others on its network, so one alias is the hostname.
  const hostname = spec.hostname ?? spec.networkAliases?.[0]
  if (hostname) a.push('--hostname', hostname)
  let command = [...(spec.command ?? [])]
  if (spec.entrypoint !== undefined) {
    // nerdctl's --entrypoint takes one executable; the rest of an array
    // entrypoint goes before the command, as Docker's exec form does.
    const ep = typeof spec.entrypoint === 'string' ? [spec.entrypoint] : [...spec.entrypoint]
    if (ep.length === 0 || !ep[0])
      throw invalid('entrypoint', 'entrypoint is empty: give the executable to run, e.g. "/bin/sh"')
    a.push('--entrypoint', ep[0] as string)
    command = [...ep.slice(1), ...command]
  }
  a.push(...(spec.extraArgs ?? []))
  a.push(spec.image, ...command)
  return a
}

// ---- env -----------------------------------------------------------------------------
//
// An env value on nerdctl's command line is readable by every local user in
// /proc, kept in sudo's log and shown in every debug line and error about the
// call. So values go in an env file, or in nerdctl's own environment, where
// `-e NAME` (no "=") makes nerdctl look the value up.
//
// nerdctl 2.3's env file (pkg/flagutil parseEnvVars): read with a
// bufio.Scanner, one line at a time (at most 64 KiB with its newline), each
// line trimmed of white space (Go's unicode.IsSpace), blank lines and lines
// starting with "#" skipped, no quotes or escapes: everything after the first
// "=" is the value. So a line carries NAME=VALUE exactly unless the value
// holds a line break or ends with white space, the name starts with "#", or
// the line is too long (white space that starts a value is inside the line). Those few go as `-e NAME`, which is refused
// only for names that would change what nerdctl, sudo, BuildKit, Go or the
// dynamic loader do themselves.

/** Go's unicode.IsSpace: what nerdctl trims from both ends of an env file line. */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/
/** bufio.MaxScanTokenSize: an env file line, newline included, must fit. */
const ENV_FILE_LINE_BYTES = 64 * 1024
/** Linux refuses to start a program with one environment string of 128 KiB or more. */
const ENV_STRING_BYTES = 128 * 1024

/**
 * Names whose value, in nerdctl's environment, would change what nerdctl,
 * sudo, BuildKit's client, containerd's resolver, the CNI plugins nerdctl's
 * hook runs, Go's runtime or the dynamic loader do, or that sudo sets or
 * drops itself. Compared without case (proxies are read in either).
 */
const OWN_BEHAVIOUR = new RegExp(
  `^(?:${[
    'PATH',
    'HOME',
    'USER',
    'LOGNAME',
    'SHELL',
    'MAIL',
    'PWD',
    'TMPDIR',
    'HOSTNAME',
    'TZ',
    'TERM',
    'COLORTERM',
    'LANG',
    'LANGUAGE',
    'LINGUAS',
    'LC_.*',
    'LD_.*',
    '_RLD.*',
    'GCONV_PATH',
    'GETCONF_DIR',
    'MALLOC_.*',
    'GLIBC_.*',
    'NLSPATH',
    'PATH_LOCALE',
    'LOCALDOMAIN',
    'RES_OPTIONS',
    'HOSTALIASES',
    'IFS',
    'CDPATH',
    'ENV',
    'BASH_ENV',
    'BASHOPTS',
    'SHELLOPTS',
    'GLOBIGNORE',
    'PS4',
    'FPATH',
    'NULLCMD',
    'READNULLCMD',
    'ZDOTDIR',
    'TMPPREFIX',
    'TERMINFO.*',
    'TERMCAP',
    'TERMPATH',
    'JAVA_TOOL_OPTIONS',
    'PERLIO_DEBUG',
    'PERLLIB',
    'PERL5LIB',
    'PERL5OPT',
    'PERL5DB',
    'PYTHONHOME',
    'PYTHONPATH',
    'PYTHONINSPECT',
    'PYTHONUSERBASE',
    'RUBYLIB',
    'RUBYOPT',
    'GODEBUG',
    'GOGC',
    'GOMAXPROCS',
    'GOMEMLIMIT',
    'GOTRACEBACK',
    'GORACE',
    'GOCOVERDIR',
    'GOFIPS.*',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'HTTPS?_PROXY',
    'FTP_PROXY',
    'NO_PROXY',
    'ALL_PROXY',
    'DOCKER_.*',
    'BUILDKIT_.*',
    'BUILDCTL_.*',
    'BUILDX_.*',
    'CONTAINERD_.*',
    'NERDCTL_.*',
    'ROOTLESSKIT_.*',
    'CNI_.*',
    'NETCONFPATH',
    'XTABLES_.*',
    'IPTABLES_.*',
    'IPFS_PATH',
    'XDG_.*',
    'SUDO_.*',
    'NOTIFY_SOCKET',
    'LISTEN_.*',
    'OTEL_.*',
    'COSIGN_.*',
    'SIGSTORE_.*',
    'NOTATION_.*',
    'SOURCE_DATE_EPOCH'
  ].join('|')})$`,
  'i'
)

/** How a container's env reaches nerdctl (see the notes above). */
export interface ContainerEnv {
  /** The env file's text, NAME=VALUE lines in order; '' when every variable goes by name. */
  file: string
  /** Variables passed as `-e NAME`, in order, with their values for nerdctl's environment. */
  byName: [string, string][]
}

/** Whether nerdctl reads `NAME=VALUE` back from an env file line exactly as written. */
function fitsEnvFile(name: string, value: string): boolean {
  const line = `${name}=${value}`
  return (
    !line.includes('\n') &&
    !line.startsWith('#') &&
    !GO_SPACE.test(line.charAt(0)) &&
    !GO_SPACE.test(line.charAt(line.length - 1)) &&
    Buffer.byteLength(line) + 1 <= ENV_FILE_LINE_BYTES
  )
}

/** Why a value cannot go in the env file, for messages (never the value itself). */
function whyNotInFile(name: string, value: string): string {
  if (value.includes('\n')) return 'it spans several lines'
  if (name.startsWith('#')) return 'its name starts with "#", which makes the line a comment'
  if (Buffer.byteLength(name) + Buffer.byteLength(value) + 2 > ENV_FILE_LINE_BYTES)
    return 'it is longer than the 64 KiB nerdctl reads in one line'
  return 'it ends with white space, which nerdctl trims'
}

/**
 * Splits a container's env between the env file and `-e NAME`: a later entry
 * for a name replaces an earlier one's value (as inside the container) and
 * keeps its place, so the same env always gives the same file and argv.
 * Throws, naming the variable but never showing its value, when a value can
 * go neither way: NUL, over Linux's limit, or one the file cannot carry for a
 * name in OWN_BEHAVIOUR (or, through sudo, one starting with "()", which sudo
 * drops as a shell function).
 */
export function containerEnv(
  env: ContainerSpec['env'],
  options: { sudo?: boolean | undefined } = {}
): ContainerEnv {
  const last = new Map<string, string>()
  for (const [k, v] of env ?? []) {
    if (!ENV_KEY.test(k))
      throw invalid(
        'env',
        `environment variable name "${k}" is invalid: it must be non-empty, without "=" or spaces`
      )
    last.set(k, v)
  }
  const lines: string[] = []
  const byName: [string, string][] = []
  for (const [name, value] of last) {
    if (value.includes('\0'))
      throw invalid(
        'env',
        `environment variable ${name}: its value holds a NUL character, which no environment variable can hold`
      )
    if (fitsEnvFile(name, value)) {
      lines.push(`${name}=${value}\n`)
      continue
    }
    const why = whyNotInFile(name, value)
    if (OWN_BEHAVIOUR.test(name))
      throw invalid(
        'env',
        `environment variable ${name}: its value cannot go in the env file nerdctl reads (${why}), ` +
          `and passing it in nerdctl's own environment would change how nerdctl itself runs: ` +
          'give a value on one line without white space at its end, or put it in a file in a volume'
      )
    if (Buffer.byteLength(name) + Buffer.byteLength(value) + 1 >= ENV_STRING_BYTES)
      throw invalid(
        'env',
        `environment variable ${name}: its value is over the 128 KiB Linux allows for one environment variable: put it in a file in a volume instead`
      )
    if (options.sudo && value.startsWith('()'))
      throw invalid(
        'env',
        `environment variable ${name}: its value cannot go in the env file nerdctl reads (${why}), ` +
          'and sudo drops a value starting with "()" from nerdctl\'s environment (it reads as a shell function): ' +
          'change the value, or put it in a file in a volume'
      )
    byName.push([name, value])
  }
  return { file: lines.join(''), byName }
}

function checkDuration(what: string, value: string | number | undefined): void {
  if (value === undefined) return
  const ok = typeof value === 'number' ? Number.isFinite(value) && value >= 0 : isDuration(value)
  if (!ok) {
    throw invalidValue(
      'healthCheck',
      `health check ${what} "${value}" is invalid: expected a Go duration such as 500ms, 30s or 1m30s`
    )
  }
}

function isDuration(text: string): boolean {
  try {
    parseDuration(text)
    return true
  } catch {
    return false
  }
}

/** Checks a health check; says what is wrong and what is expected. */
export function validateHealthCheck(hc: HealthCheck): void {
  if (!hc.cmd.trim()) {
    throw invalidValue(
      'healthCheck',
      'health check command is empty: give a shell command such as "wget -q -O- http://localhost/ || exit 1"'
    )
  }
  checkDuration('interval', hc.interval)
  checkDuration('timeout', hc.timeout)
  checkDuration('start period', hc.startPeriod)
  if (hc.retries !== undefined && (!Number.isInteger(hc.retries) || hc.retries < 1)) {
    throw invalidValue(
      'healthCheck',
      `health check retries "${hc.retries}" is invalid: expected a whole number of at least 1`
    )
  }
}

/** The `nerdctl run` flags of a health check, after validating it. */
export function healthCheckArgs(hc: HealthCheck): string[] {
  validateHealthCheck(hc)
  const a = ['--health-cmd', hc.cmd]
  // Normalised ("1m30s") so nerdctl's Go parser reads exactly what we validated.
  if (hc.interval !== undefined && hc.interval !== '')
    a.push('--health-interval', formatDuration(durationMs(hc.interval)))
  if (hc.timeout !== undefined && hc.timeout !== '')
    a.push('--health-timeout', formatDuration(durationMs(hc.timeout)))
  if (hc.retries !== undefined) a.push('--health-retries', String(hc.retries))
  if (hc.startPeriod !== undefined && hc.startPeriod !== '')
    a.push('--health-start-period', formatDuration(durationMs(hc.startPeriod)))
  return a
}
