// Static container functions: the original's direct wrappers (run, exec, copy,
// stop, remove, list, logs) with its positional parameters and a trailing
// options object, plus the operations the Container class and the health
// waiter are built on (inspect, stats, commit, export, healthcheck).
import { NerdctlError } from './errors.js'
import {
  commandFailed,
  registryOf,
  getDefaultClient,
  type CommandResult,
  type ExecOptions,
  type Nerdctl
} from './client.js'
import { atomicOutput } from './files.js'
import { runArgs, type ContainerSpec } from './run-args.js'
import {
  parseContainerInspect,
  parseJsonLines,
  toContainerSummary,
  toResourceUsage,
  type ContainerStatus,
  type ContainerSummary,
  type ResourceUsage
} from './parse.js'

/** What every library function accepts last. */
export interface CallOptions {
  /** The client (global options) to use; default the one `configure()` set. */
  client?: Nerdctl | undefined
  timeoutMs?: number | undefined
  signal?: AbortSignal | undefined
  /** Send each line of output to the client's logger as it arrives. */
  stream?: boolean | undefined
}

/** The exec options a CallOptions stands for, with live output when asked. */
export function execOptionsOf(options: CallOptions = {}, extra: ExecOptions = {}): ExecOptions {
  const o: ExecOptions = { ...extra }
  if (options.timeoutMs !== undefined) o.timeoutMs = options.timeoutMs
  if (options.signal) o.signal = options.signal
  if (options.stream) {
    const logger = clientOf(options).logger
    o.onStdout = lineWriter(line => logger.info(line))
    o.onStderr = lineWriter(line => logger.info(line))
  }
  return o
}

export function clientOf(options: CallOptions = {}): Nerdctl {
  return options.client ?? getDefaultClient()
}

/** Splits chunks into whole lines; a partial line waits for the next chunk. */
function lineWriter(write: (line: string) => void): (chunk: string) => void {
  let pending = ''
  return chunk => {
    const lines = (pending + chunk).split(/\r?\n|\r/)
    pending = lines.pop() ?? ''
    for (const l of lines) if (l.trim()) write(l)
  }
}

export interface RunResult extends CommandResult {
  /** The container's ID; for a foreground run, looked up by name when it has one. */
  containerId: string | undefined
}

export type RunOptions = CallOptions &
  Omit<ContainerSpec, 'image' | 'name' | 'detach' | 'ports' | 'snapshotter'>

const CONTAINER_ID = /^[0-9a-f]{64}$/

/**
 * `nerdctl run`. Detached by default: the ID comes back at once. With
 * `detach = false` it runs to completion and its exit code and output come
 * back instead; a non-zero exit is a result, not an error.
 */
export async function run(
  image: string,
  name?: string,
  detach = true,
  ports?: readonly string[],
  snapshotter?: string,
  options: RunOptions = {}
): Promise<RunResult> {
  return runSpec({ ...options, image, name, detach, ports, snapshotter }, options)
}

/** `nerdctl run` of a full spec (what Container.build uses). */
export async function runSpec(spec: ContainerSpec, options: CallOptions = {}): Promise<RunResult> {
  const client = clientOf(options)
  const args = runArgs(withClientLabels(spec, client))
  const foreground = spec.detach === false
  // A run may pull its image: the registry matters for `insecureRegistries`.
  const result = await client.exec(
    args,
    execOptionsOf(options, { allowFailure: foreground, registry: registryOf(spec.image) })
  )
  if (!foreground) {
    const id = result.stdout.trim().split('\n').pop() ?? ''
    if (!CONTAINER_ID.test(id)) {
      throw new NerdctlError(
        'Other',
        `nerdctl run -d printed "${id}" where a container ID was expected`,
        {
          args,
          stdout: result.stdout,
          stderr: result.stderr
        }
      )
    }
    return { ...result, containerId: id }
  }
  // A foreground run's output is the program's; its ID can only be looked up.
  let containerId: string | undefined
  if (spec.name && !spec.autoRemove) {
    containerId = (await inspect(spec.name, options).catch(() => undefined))?.id
  }
  // nerdctl's own failure (no image, bad flag) exits 1 like a program may: it
  // is told apart by there being no container, or by nerdctl's fatal line.
  const nerdctlFailed =
    result.exitCode !== 0 &&
    ((spec.name && !spec.autoRemove && containerId === undefined) ||
      /level=fatal msg=.*\s*$/.test(result.stderr))
  if (nerdctlFailed) throw commandFailed(args, result.exitCode, result.stderr, result.stdout)
  return { ...result, containerId }
}

function withClientLabels(spec: ContainerSpec, client: Nerdctl): ContainerSpec {
  const own = client.options.labels ?? []
  return own.length === 0 ? spec : { ...spec, labels: [...own, ...(spec.labels ?? [])] }
}

/** `nerdctl create` of a spec: the container exists, stopped. Returns its ID. */
export async function create(spec: ContainerSpec, options: CallOptions = {}): Promise<string> {
  const client = clientOf(options)
  const { stdout } = await client.exec(
    runArgs(withClientLabels(spec, client), 'create'),
    execOptionsOf(options, { registry: registryOf(spec.image) })
  )
  return stdout.trim().split('\n').pop() ?? ''
}

export interface ContainerExecOptions extends CallOptions {
  user?: string
  workdir?: string
  env?: readonly (readonly [string, string])[]
  /** Fed to the command's standard input (`exec -i`). */
  input?: string | Buffer
  /** Return a non-zero exit as a result instead of throwing. */
  allowFailure?: boolean
}

/**
 * Runs a command in a running container. A string is a shell command, run by
 * `/bin/sh -c` inside the container; an array is run as argv, no shell.
 */
export async function exec(
  container: string,
  command: string | readonly string[],
  options: ContainerExecOptions = {}
): Promise<CommandResult> {
  const argv = typeof command === 'string' ? ['/bin/sh', '-c', command] : [...command]
  if (argv.length === 0 || (typeof command === 'string' && !command.trim())) {
    throw new NerdctlError('Other', 'exec needs a command: give a shell string or an argv array')
  }
  const args = ['exec']
  if (options.input !== undefined) args.push('-i')
  if (options.user) args.push('--user', options.user)
  if (options.workdir) args.push('--workdir', options.workdir)
  for (const [k, v] of options.env ?? []) args.push('-e', `${k}=${v}`)
  args.push(container, ...argv)
  const extra: ExecOptions = { allowFailure: true }
  if (options.input !== undefined) extra.input = options.input
  const result = execExitCode(await clientOf(options).exec(args, execOptionsOf(options, extra)))
  if (result.exitCode !== 0 && !options.allowFailure) {
    throw commandFailed(args, result.exitCode, result.stderr, result.stdout)
  }
  return result
}

/**
 * nerdctl exec exits 1 whatever the command's exit code was and reports the
 * real one in its last stderr line; this puts it back where callers look.
 */
export function execExitCode(result: CommandResult): CommandResult {
  const m = /(?:^|\n)[^\n]*level=fatal msg="exec failed with exit code (\d+)"\s*$/.exec(
    result.stderr
  )
  if (!m || result.exitCode === 0) return result
  return { ...result, exitCode: Number(m[1]), stderr: result.stderr.slice(0, m.index) }
}

/** `container:/path` (or `id:/path`), as opposed to a host path. */
const CONTAINER_PATH = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*):(.*)$/

export function splitContainerPath(p: string): { container: string; path: string } | undefined {
  const m = CONTAINER_PATH.exec(p)
  return m ? { container: m[1] as string, path: m[2] as string } : undefined
}

/**
 * Copies between a container and the host, like `nerdctl cp`: exactly one of
 * source and dest is `container:/path`. A copy onto the host lands atomically:
 * it is written beside the target and renamed into place, so a failed copy
 * leaves no partial file and an existing file is replaced only on success.
 */
export async function copy(source: string, dest: string, options: CallOptions = {}): Promise<void> {
  const from = splitContainerPath(source)
  const to = splitContainerPath(dest)
  if (!!from === !!to) {
    throw new NerdctlError(
      'Other',
      `copy "${source}" -> "${dest}": exactly one side must be a container path like "name:/path" and the other a host path`
    )
  }
  const client = clientOf(options)
  if (to) {
    await client.exec(['cp', source, dest], execOptionsOf(options))
    return
  }
  await atomicOutput(dest, { intoDirectory: pathBase(from?.path ?? '') }, tmp =>
    client.exec(['cp', source, tmp], execOptionsOf(options)).then(() => undefined)
  )
}

function pathBase(p: string): string {
  const parts = p.split('/').filter(Boolean)
  return parts[parts.length - 1] ?? ''
}

/** `nerdctl stop`; `timeSeconds` before SIGKILL (nerdctl's default is 10). */
export async function stop(
  container: string,
  options: CallOptions & { timeSeconds?: number } = {}
): Promise<void> {
  const args = ['stop']
  if (options.timeSeconds !== undefined) args.push('--time', String(options.timeSeconds))
  await clientOf(options).exec([...args, container], execOptionsOf(options))
}

/** `nerdctl rm`; `force` also removes a running container. */
export async function remove(
  container: string,
  options: CallOptions & { force?: boolean; volumes?: boolean } = {}
): Promise<void> {
  const args = ['rm']
  if (options.force) args.push('--force')
  if (options.volumes) args.push('--volumes')
  await clientOf(options).exec([...args, container], execOptionsOf(options))
}

/** `nerdctl ps`: running containers, or all with `all`. */
export async function list(
  all = false,
  options: CallOptions & { filters?: readonly string[] } = {}
): Promise<ContainerSummary[]> {
  const args = ['ps', '--no-trunc', '--format', '{{json .}}']
  if (all) args.push('--all')
  for (const f of options.filters ?? []) args.push('--filter', f)
  const { stdout } = await clientOf(options).exec(args, execOptionsOf(options))
  return parseJsonLines(stdout, 'ps output').map(toContainerSummary)
}

export interface LogsOptions extends CallOptions {
  /** Only the last N lines. */
  tail?: number
  /** Only since this time (RFC 3339) or for this long (`10m`). */
  since?: string
  timestamps?: boolean
  /** Write the container's standard output to this file (atomically) instead of memory. */
  file?: string
  /** Keep at most this many bytes of output in memory: the newest. */
  maxBytes?: number
}

/**
 * `nerdctl logs`. The container's stdout comes back as `stdout` and its stderr
 * as `stderr`. Logs of hundreds of MB: pass `file`, or `tail`/`maxBytes`.
 */
export async function logs(container: string, options: LogsOptions = {}): Promise<CommandResult> {
  const args = ['logs']
  if (options.tail !== undefined) args.push('--tail', String(options.tail))
  if (options.since) args.push('--since', options.since)
  if (options.timestamps) args.push('--timestamps')
  args.push(container)
  const client = clientOf(options)
  const extra: ExecOptions = {}
  if (options.maxBytes !== undefined) extra.maxOutputBytes = options.maxBytes
  if (options.file) {
    let result: CommandResult = { stdout: '', stderr: '', exitCode: 0 }
    await atomicOutput(options.file, {}, async tmp => {
      result = await client.exec(args, execOptionsOf(options, { ...extra, stdoutFile: tmp }))
    })
    return result
  }
  return client.exec(args, execOptionsOf(options, extra))
}

/** The last lines of a container's output (both streams), for error messages; never throws. */
export async function logTail(
  container: string,
  lines = 50,
  options: CallOptions = {}
): Promise<string> {
  try {
    const r = await logs(container, { ...options, tail: lines, maxBytes: 64 * 1024, stream: false })
    return [r.stdout.trimEnd(), r.stderr.trimEnd()].filter(Boolean).join('\n')
  } catch (e: unknown) {
    return `(logs unavailable: ${e instanceof Error ? e.message : String(e)})`
  }
}

/** `nerdctl inspect` of one container. */
export async function inspect(
  container: string,
  options: CallOptions = {}
): Promise<ContainerStatus> {
  const { stdout } = await clientOf(options).exec(
    ['container', 'inspect', container],
    execOptionsOf(options)
  )
  return parseContainerInspect(stdout)
}

/** `nerdctl stats --no-stream` of one running container. */
export async function stats(container: string, options: CallOptions = {}): Promise<ResourceUsage> {
  const { stdout } = await clientOf(options).exec(
    ['stats', '--no-stream', '--no-trunc', '--format', '{{json .}}', container],
    execOptionsOf(options)
  )
  const [first] = parseJsonLines(stdout, 'stats output').map(toResourceUsage)
  if (!first)
    throw new NerdctlError('JsonParseError', `nerdctl stats printed nothing for ${container}`, {
      text: stdout
    })
  return first
}

/** Runs one recorded health probe (`nerdctl container healthcheck`). */
export async function healthcheck(container: string, options: CallOptions = {}): Promise<void> {
  await clientOf(options).exec(['container', 'healthcheck', container], execOptionsOf(options))
}

/** `nerdctl export`: the container's filesystem as a tarball, written atomically. */
export async function exportContainer(
  container: string,
  path: string,
  options: CallOptions = {}
): Promise<void> {
  const client = clientOf(options)
  await atomicOutput(path, {}, tmp =>
    client
      .exec(['export', '--output', tmp, container], execOptionsOf(options))
      .then(() => undefined)
  )
}
