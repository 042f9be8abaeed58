// Operations on existing containers: exec, copy, stop, remove, list, inspect,
// stats, a recorded health probe, export. The static functions of the public
// API with positional parameters and a trailing options object.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EXEC_OUTPUT_BYTES } from '../base/defaults.js'
import { NerdctlError } from '../base/errors.js'
import type {
  CommandResult,
  ContainerStatus,
  ContainerSummary,
  ResourceUsage
} from '../base/types.js'
import { commandFailed, type ExecOptions } from '../exec/client.js'
import { clientOf, nerdctl, type CallOptions } from '../exec/call.js'
import { execExitCode } from '../pure/command-output.js'
import { parseContainerInspect } from '../pure/inspect.js'
import { parseJsonLines } from '../pure/json.js'
import { toContainerSummary } from '../pure/listings.js'
import { toResourceUsage } from '../pure/stats.js'
import { checkContainerRef, hostPathArg, splitContainerPath } from '../pure/validate.js'
import { prepareEnv } from './env-file.js'
import { atomicOutput, unpackOutput, outputGuard } from './files.js'

export interface ContainerExecOptions extends CallOptions {
  user?: string
  workdir?: string
  env?: readonly (readonly [string, string])[]
  /** Fed to the command's standard input (`exec -i`). */
  input?: string | Buffer
  /** Return a non-zero exit as a result instead of throwing. */
  allowFailure?: boolean
  /**
   * Bytes of stdout kept in memory (its tail; stderr keeps its last MiB);
   * default EXEC_OUTPUT_BYTES. The result's `truncated` says when more came.
   */
  maxOutputBytes?: number
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
  checkContainerRef(container)
  // Values as `run` passes them: never on nerdctl's command line.
  const env = await prepareEnv(options.env, clientOf(options))
  try {
    const args = ['exec']
    if (options.input !== undefined) args.push('-i')
    if (options.user) args.push('--user', options.user)
    if (options.workdir) args.push('--workdir', options.workdir)
    if (env.args.envFile) args.push('--env-file', env.args.envFile)
    for (const name of env.byName) args.push('-e', name)
    args.push(container, ...argv)
    // A command may print without end: only a tail of it is kept.
    const extra: ExecOptions = {
      allowFailure: true,
      longRunning: true,
      maxOutputBytes: options.maxOutputBytes ?? EXEC_OUTPUT_BYTES,
      ...env.exec
    }
    if (options.input !== undefined) extra.input = options.input
    const result = execExitCode(await nerdctl(args, options, extra))
    if (result.exitCode !== 0 && !options.allowFailure) {
      throw commandFailed(args, result.exitCode, result.stderr, result.stdout)
    }
    return result
  } finally {
    await env.remove()
  }
}

/**
 * Copies between a container and the host, like `nerdctl cp`: exactly one of
 * source and dest is `container:/path`. A copy onto the host lands atomically
 * and belongs to this process's user: nerdctl streams the path as a tar
 * archive (`nerdctl cp C:/path -`) into a file this process writes, and tar,
 * run as this user, unpacks it beside the target, which is then renamed into
 * place. So a failed copy leaves no partial file, an existing file is
 * replaced only on success, and nothing is root-owned when nerdctl runs
 * through sudo. Files keep the container's modes less this user's umask.
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
  // A big tree takes as long as it takes: cp is long work.
  const work = { longRunning: true }
  if (to || !from) {
    await nerdctl(['cp', hostPathArg(source), dest], options, work)
    return
  }
  const scratch = await mkdtemp(join(tmpdir(), 'nerdctl-cp-'))
  try {
    const archive = join(scratch, 'copy.tar')
    // "-" alone is nerdctl's name for standard output, never an option.
    await nerdctl(['cp', source, '-'], options, { ...work, stdoutFile: archive })
    // `DIR/.` copies what is in DIR (as cp and nerdctl do), not DIR itself;
    // the root has no name to copy it under, so nerdctl sends what is in it.
    const contents = /(^|\/)\.$/.test(from.path) || /^\/+$/.test(from.path)
    await unpackOutput(
      dest,
      archive,
      { intoDirectory: pathBase(from.path), contents, ...outputGuard(options) },
      options
    )
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
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
  checkContainerRef(container)
  await nerdctl([...args, container], options)
}

/** `nerdctl rm`; `force` also removes a running container. */
export async function remove(
  container: string,
  options: CallOptions & { force?: boolean; volumes?: boolean } = {}
): Promise<void> {
  const args = ['rm']
  if (options.force) args.push('--force')
  if (options.volumes) args.push('--volumes')
  checkContainerRef(container)
  await nerdctl([...args, container], options)
}

/** `nerdctl ps`: running containers, or all with `all`. */
export async function list(
  all = false,
  options: CallOptions & { filters?: readonly string[] } = {}
): Promise<ContainerSummary[]> {
  const args = ['ps', '--no-trunc', '--format', '{{json .}}']
  if (all) args.push('--all')
  for (const f of options.filters ?? []) args.push('--filter', f)
  const { stdout } = await nerdctl(args, options)
  return parseJsonLines(stdout, 'ps output').map(toContainerSummary)
}

/** `nerdctl inspect` of one container. */
export async function inspect(
  container: string,
  options: CallOptions = {}
): Promise<ContainerStatus> {
  checkContainerRef(container)
  const { stdout } = await nerdctl(['container', 'inspect', container], options)
  return parseContainerInspect(stdout)
}

/** `nerdctl stats --no-stream` of one running container. */
export async function stats(container: string, options: CallOptions = {}): Promise<ResourceUsage> {
  checkContainerRef(container)
  const { stdout } = await nerdctl(
    ['stats', '--no-stream', '--no-trunc', '--format', '{{json .}}', container],
    options
  )
  const [first] = parseJsonLines(stdout, 'stats output').map(toResourceUsage)
  if (!first)
    throw new NerdctlError('JsonParseError', `nerdctl stats printed nothing for ${container}`, {
      text: stdout
    })
  return first
}

/**
 * Runs one recorded health probe (`nerdctl container healthcheck`). With
 * `allowFailure` a failing probe is a result, read back from inspect.
 */
export async function healthcheck(
  container: string,
  options: CallOptions & { allowFailure?: boolean } = {}
): Promise<CommandResult> {
  checkContainerRef(container)
  return nerdctl(['container', 'healthcheck', container], options, {
    allowFailure: options.allowFailure ?? false
  })
}

/**
 * `nerdctl export`: the container's filesystem as a tarball, written
 * atomically, owned by this process's user.
 */
export async function exportContainer(
  container: string,
  path: string,
  options: CallOptions = {}
): Promise<void> {
  checkContainerRef(container)
  // Streamed into a file this process creates: it is the user's, even when
  // nerdctl runs through sudo.
  await atomicOutput(path, outputGuard(options), async tmp => {
    await nerdctl(['export', container], options, { longRunning: true, stdoutFile: tmp })
  })
}
