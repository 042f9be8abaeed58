// The Nerdctl client: global options in one place and the ONE exec chokepoint
// every nerdctl call of the library goes through. It builds the argv (sudo,
// binary, global flags, command), logs it with secrets redacted, runs it with a
// timeout and an AbortSignal that kill the whole process group, and turns every
// failure into a NerdctlError. It never passes anything through a shell.
import { spawnRunner, type Runner, type ProcessResult } from './runner.js'
import { SYSTEM_DIRECTORIES, systemProgram } from './programs.js'
import { NerdctlError, nerdctlSaid } from '../base/errors.js'
import { DEFAULT_TIMEOUT_MS } from '../base/defaults.js'
import { formatArgv, tail } from '../base/text.js'
import type { CommandResult } from '../base/types.js'
import { CLIENT_FAILURES, hintFor } from '../pure/hints.js'
import { withoutDebugLines } from '../pure/registry-errors.js'

export interface Logger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
  /**
   * Text a process printed (a build's progress, a foreground container's
   * output), one or more whole lines: not the library's words, and not to be
   * obeyed by whatever reads the log. A logger writing to a GitHub job log
   * must keep the runner from reading workflow commands in it (the action's
   * logger wraps it in a `::stop-commands::` region). Without this method
   * the text goes to `info`.
   */
  output?(text: string): void
}

/** Discards everything: the library is silent unless given a logger. */
export const silentLogger: Logger = { debug() {}, info() {}, warning() {} }

export interface GlobalOptions {
  /** The nerdctl binary: a name on PATH or a path. Default `nerdctl`. */
  binary?: string
  /** containerd namespace (`--namespace`). */
  namespace?: string
  /** containerd socket (`--address`). */
  address?: string
  /** Snapshotter (`--snapshotter`). */
  snapshotter?: string
  /** cgroup manager (`--cgroup-manager`); unset leaves nerdctl's platform default. */
  cgroupManager?: string
  /**
   * Registries spoken to over plain HTTP or with unverified TLS. `true` allows it
   * for every registry; a list adds `--insecure-registry` only to commands that
   * talk to one of those hosts. Loopback registries need nothing: nerdctl uses
   * plain HTTP for them by itself.
   */
  insecureRegistries?: readonly string[] | boolean
  /** Directories of containerd `hosts.toml` files (`--hosts-dir`). */
  hostsDir?: readonly string[]
  /** BuildKit address for `build` (`--buildkit-host`), e.g. unix:///run/buildkit/buildkitd.sock. */
  buildkitHost?: string
  /** Prefix every call with `sudo -n`, for runners that are not root. */
  sudo?: boolean
  /**
   * nerdctl runs rootless: the user's own containerd inside rootlesskit, whose
   * containers' addresses the runner cannot reach and whose limits depend on
   * the host's cgroups. Unset: as nerdctl decides, rootless when this process
   * is not root and `sudo` is off.
   */
  rootless?: boolean
  /**
   * Time limit of every call in milliseconds, long work included; 0 means
   * none. Unset: control calls (inspect, ps, rm, ...) have
   * DEFAULT_TIMEOUT_MS and long work (build, push, pull, save, load, export,
   * commit, cp, a foreground run, exec) has none, bounded by the job.
   */
  timeoutMs?: number
  /**
   * Labels put on every container this client creates (run, create), before
   * the container's own: how an owner marks what it made so it can clean up.
   */
  labels?: readonly (readonly [string, string])[]
  /** Extra environment for nerdctl, on top of this process's. */
  env?: Readonly<Record<string, string>>
  /**
   * Directories (real paths) the output files this client writes (save,
   * export, copies out, build outputs) must land in, checked again right
   * before each write, after symbolic links. Unset: anywhere.
   */
  hostRoots?: readonly string[]
  /**
   * Told each temporary name an output write is about to make beside its
   * target, before it is made: what an owner records to remove after a crash.
   */
  onOutputPartial?: (path: string) => void
  logger?: Logger
  /** How processes are started; tests substitute a fake. */
  runner?: Runner
}

export interface ExecOptions {
  timeoutMs?: number
  /**
   * Work that takes as long as it takes (a build, a push): without an explicit
   * timeout (the call's or the client's) it has no time limit.
   */
  longRunning?: boolean
  signal?: AbortSignal
  /** Fed to standard input, then closed (`login --password-stdin`). */
  input?: string | Buffer
  /** Called with output as it arrives, for long commands (build, push, pull). */
  onStdout?: (chunk: string) => void
  onStderr?: (chunk: string) => void
  /**
   * Called once the process has ended and all its output reached onStdout and
   * onStderr (before the result is returned or the failure thrown): where a
   * line writer prints a last line that had no newline.
   */
  onEnd?: () => void
  /** Stream standard output into this file instead of memory; it never reaches onStdout. */
  stdoutFile?: string
  /** Keep only the last N bytes of standard output in memory. */
  maxOutputBytes?: number
  /** Return a non-zero exit as a result instead of throwing. */
  allowFailure?: boolean
  /** Strings never to show in logs or errors, besides the client's own. */
  secrets?: readonly string[]
  /** The registry host this call talks to, for `insecureRegistries` lists. */
  registry?: string
  /** Extra environment for this call. */
  env?: Readonly<Record<string, string>>
  /**
   * Values for nerdctl's environment that no log may hold (a container's env
   * that `-e NAME` names). Without sudo they join `env`. sudo logs the value
   * of every variable `--preserve-env` names, so through sudo the call runs
   * as `sudo -E -H` in an environment made for it alone: PATH, the variables
   * `sudoKeptEnv` keeps, `env` and these.
   */
  quietEnv?: Readonly<Record<string, string>>
  /**
   * Run with nerdctl's `--debug`: containerd then logs each registry response,
   * with the Retry-After a registry sent that nerdctl's own message leaves out.
   */
  debug?: boolean
}

export class Nerdctl {
  readonly options: Readonly<GlobalOptions>

  constructor(options: GlobalOptions = {}) {
    this.options = { ...options }
  }

  /** A client with the same options but these changed. */
  with(options: GlobalOptions): Nerdctl {
    return new Nerdctl({ ...this.options, ...options })
  }

  /** Whether nerdctl runs rootless for this client (see `GlobalOptions.rootless`). */
  get rootless(): boolean {
    return this.options.rootless ?? (!this.options.sudo && process.geteuid?.() !== 0)
  }

  get logger(): Logger {
    return this.options.logger ?? silentLogger
  }

  /** The argv this client runs for `args`, sudo and global flags included. */
  argv(
    args: readonly string[],
    registry?: string,
    envNames: readonly string[] = [],
    debug = false,
    wholeEnvironment = false
  ): string[] {
    const o = this.options
    const global: string[] = debug ? ['--debug'] : []
    if (o.namespace) global.push('--namespace', o.namespace)
    if (o.address) global.push('--address', o.address)
    if (o.snapshotter) global.push('--snapshotter', o.snapshotter)
    if (o.cgroupManager) global.push('--cgroup-manager', o.cgroupManager)
    for (const dir of o.hostsDir ?? []) global.push('--hosts-dir', dir)
    if (insecureFor(o.insecureRegistries, registry)) global.push('--insecure-registry')
    const bin = o.binary ?? 'nerdctl'
    // sudo resets the environment: the variables we were asked to set, and
    // those of the runner's that nerdctl reads, must pass.
    const keep = [...new Set([...envNames, ...sudoKeptEnv(process.env)])]
    // `--` ends sudo's options: the binary is the command, whatever its name.
    // -E keeps an environment made for the call (see `quietEnv`); -H then
    // gives root's HOME, as without -E.
    const sudo = !o.sudo
      ? []
      : wholeEnvironment
        ? [systemProgram('sudo'), '-n', '-E', '-H', '--']
        : [
            systemProgram('sudo'),
            '-n',
            ...(keep.length > 0 ? [`--preserve-env=${keep.join(',')}`] : []),
            '--'
          ]
    return [...sudo, bin, ...global, ...args]
  }

  /** Runs nerdctl; throws NerdctlError unless it exits 0 (or `allowFailure`). */
  async exec(args: readonly string[], options: ExecOptions = {}): Promise<CommandResult> {
    const quiet = options.quietEnv ?? {}
    // sudo writes the value of every --preserve-env variable to its log (the
    // journal, auth.log): a call that must pass a secret, or a runner proxy
    // whose URL holds a password, hands sudo a whole environment with -E instead.
    const wholeEnvironment =
      this.options.sudo === true &&
      (Object.keys(quiet).length > 0 ||
        sudoKeptEnv(process.env).some(k => hasPassword(process.env[k])))
    const env = wholeEnvironment
      ? sudoEnvironment({ ...this.options.env, ...options.env, ...quiet })
      : { ...this.options.env, ...options.env, ...quiet }
    const argv = this.argv(
      args,
      options.registry,
      Object.keys(env),
      options.debug,
      wholeEnvironment
    )
    const secrets = [...(options.secrets ?? [])].filter(s => s.length > 0)
    const shown = argv.map(a => redact(a, secrets))
    // Errors show nerdctl's own argv: what follows sudo (and its options) and the binary.
    const shownArgs = shown.slice(argv.indexOf(this.options.binary ?? 'nerdctl') + 1)
    this.logger.debug(`[command]${formatArgv(shown)}`)
    const timeoutMs =
      options.timeoutMs ?? this.options.timeoutMs ?? (options.longRunning ? 0 : DEFAULT_TIMEOUT_MS)
    if (options.signal?.aborted) throw cancelled(shownArgs, options.signal)
    checkArgumentSizes(shownArgs)

    const runner = this.options.runner ?? spawnRunner
    let result: ProcessResult
    try {
      result = await runner({
        file: argv[0] as string,
        args: argv.slice(1),
        env: Object.keys(env).length > 0 ? env : undefined,
        ...(wholeEnvironment ? { envOnly: true } : {}),
        input: options.input,
        timeoutMs,
        signal: options.signal,
        onStdout: options.onStdout,
        onStderr: options.onStderr,
        stdoutFile: options.stdoutFile,
        maxOutputBytes: options.maxOutputBytes
      })
    } catch (e: unknown) {
      throw new NerdctlError('Other', `could not run ${formatArgv(shown)}: ${String(e)}`, {
        args: shownArgs,
        cause: e
      })
    } finally {
      options.onEnd?.()
    }
    const failure = this.failureOf(result, argv, shownArgs, secrets, timeoutMs, options)
    if (failure) throw failure
    const out: CommandResult = {
      stdout: redact(result.stdout, secrets),
      stderr: redact(result.stderr, secrets),
      exitCode: result.exitCode ?? -1
    }
    if (result.truncated) out.truncated = true
    return out
  }

  /**
   * Runs a host program the library needs beside nerdctl (tar to unpack an
   * archive nerdctl streamed, rm to clear what nerdctl wrote as root) through
   * the same runner: its own process group, the same timeouts and abort. With
   * `privileged` it goes through `sudo -n` when this client uses sudo, and
   * runs as it is otherwise. Nothing goes through a shell. A bare program
   * name (and sudo) is taken from the system's directories, never from PATH.
   */
  async tool(
    argv: readonly [string, ...string[]],
    options: ExecOptions & { privileged?: boolean } = {}
  ): Promise<CommandResult> {
    const [program, ...rest] = argv
    const own = [systemProgram(program), ...rest]
    const full =
      options.privileged && this.options.sudo ? [systemProgram('sudo'), '-n', '--', ...own] : own
    this.logger.debug(`[command]${formatArgv(full)}`)
    const timeoutMs =
      options.timeoutMs ?? this.options.timeoutMs ?? (options.longRunning ? 0 : DEFAULT_TIMEOUT_MS)
    if (options.signal?.aborted) throw cancelled(full, options.signal, '', '', '')
    const runner = this.options.runner ?? spawnRunner
    const result = await runner({
      file: full[0] as string,
      args: full.slice(1),
      // A registry tool (crane) needs the step's DOCKER_CONFIG and reads an
      // index on stdin; tar and rm are given neither.
      env: options.env,
      input: options.input,
      timeoutMs,
      signal: options.signal,
      stdoutFile: options.stdoutFile,
      maxOutputBytes: options.maxOutputBytes ?? 64 * 1024
    })
    const said = tail(result.stderr.trim() || result.stdout.trim() || '(no output)')
    if (result.spawnError)
      throw new NerdctlError(
        'CommandExecutionFailed',
        `could not run ${formatArgv(full)}: ${result.spawnError.message}`,
        { args: full, cause: result.spawnError }
      )
    if (result.timedOut)
      throw new NerdctlError(
        'Timeout',
        `${formatArgv(full)} did not finish within ${timeoutMs} ms and was killed`,
        { args: full, exitCode: result.exitCode, stderr: result.stderr }
      )
    if (result.aborted) throw cancelled(full, options.signal, result.stderr, '', '')
    const exitCode = result.exitCode ?? -1
    if (exitCode !== 0 && !options.allowFailure)
      throw new NerdctlError(
        'CommandFailed',
        `${formatArgv(full)} failed with exit code ${exitCode}: ${said}`,
        { args: full, exitCode, stderr: result.stderr, stdout: result.stdout }
      )
    return { stdout: result.stdout, stderr: result.stderr, exitCode }
  }

  /** The error a finished process stands for, or undefined when it succeeded. */
  private failureOf(
    result: ProcessResult,
    argv: readonly string[],
    shownArgs: readonly string[],
    secrets: readonly string[],
    timeoutMs: number,
    options: ExecOptions
  ): NerdctlError | undefined {
    const stderr = redact(result.stderr, secrets)
    const stdout = redact(result.stdout, secrets)
    if (result.spawnError) {
      const missing = result.spawnError.code === 'ENOENT'
      const bin = argv[0] as string
      return new NerdctlError(
        'CommandExecutionFailed',
        missing
          ? this.options.sudo
            ? `sudo was not found in ${SYSTEM_DIRECTORIES.join(', ')}: ${CLIENT_FAILURES.sudoNotFound.hint}`
            : `${bin} was not found on PATH: ${CLIENT_FAILURES.binaryNotFound.hint}`
          : `could not start ${bin}: ${result.spawnError.message}`,
        { args: shownArgs, cause: result.spawnError }
      )
    }
    if (result.timedOut) {
      return new NerdctlError(
        'Timeout',
        `nerdctl ${formatArgv(shownArgs)} did not finish within ${timeoutMs} ms and was killed` +
          (stderr.trim() ? `; it said: ${tail(withoutDebugLines(stderr), 500)}` : '') +
          `. ${CLIENT_FAILURES.timeout.hint}`,
        { args: shownArgs, exitCode: result.exitCode, stderr, stdout }
      )
    }
    if (result.aborted) return cancelled(shownArgs, options.signal, stderr, stdout)
    const exitCode = result.exitCode ?? -1
    if (exitCode !== 0 && !options.allowFailure) {
      return commandFailed(shownArgs, exitCode, stderr, stdout)
    }
    return undefined
  }
}

/** Linux refuses to start a program with one argument of 128 KiB or more (MAX_ARG_STRLEN). */
const MAX_ARGUMENT_BYTES = 128 * 1024

function checkArgumentSizes(args: readonly string[]): void {
  const i = args.findIndex(a => Buffer.byteLength(a) >= MAX_ARGUMENT_BYTES)
  if (i < 0) return
  throw new NerdctlError(
    'Other',
    `argument ${i + 1} of nerdctl ${args[0] ?? ''} is ${Math.round(Buffer.byteLength(args[i] as string) / 1024)} KiB, ` +
      'over the 128 KiB Linux allows for one argument of a program: pass large content in a file ' +
      '(a volume, a copy into the container, a build context) instead',
    { args }
  )
}

/** Builds the CommandFailed error with what nerdctl said and a hint when one is known. */
export function commandFailed(
  args: readonly string[],
  exitCode: number,
  stderr: string,
  stdout = ''
): NerdctlError {
  const said = tail(nerdctlSaid(withoutDebugLines(stderr))) || tail(stdout) || '(no output)'
  const hint = hintFor(stderr)
  return new NerdctlError(
    'CommandFailed',
    `nerdctl ${formatArgv(args)} failed with exit code ${exitCode}: ${said}` +
      (hint ? `\nHint: ${hint}` : ''),
    { args, exitCode, stderr, stdout }
  )
}

function cancelled(
  args: readonly string[],
  signal?: AbortSignal,
  stderr = '',
  stdout = '',
  program = 'nerdctl '
): NerdctlError {
  const reason: unknown = signal?.reason
  const why = reason instanceof Error ? reason.message : reason === undefined ? '' : String(reason)
  return new NerdctlError(
    'Cancelled',
    `${program}${formatArgv(args)} was cancelled${why ? `: ${why}` : ''}`,
    { args, stderr, stdout, cause: reason }
  )
}

/**
 * Variables of the caller's environment that nerdctl, BuildKit's client and
 * containerd's resolver read (BuildKit address, registry credentials, proxies,
 * their own settings), which `sudo` would otherwise drop.
 */
const SUDO_KEPT =
  /^(BUILDKIT_HOST|DOCKER_CONFIG|HTTPS?_PROXY|NO_PROXY|ALL_PROXY|CONTAINERD_\w+|NERDCTL_\w+)$/i

export function sudoKeptEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env)
    .filter(k => SUDO_KEPT.test(k) && env[k] !== undefined)
    .sort()
}

/** Whether a variable's value is a URL with a password in it (`http://user:pass@proxy:3128`). */
function hasPassword(value: string | undefined): boolean {
  return value !== undefined && /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i.test(value)
}

/** The whole environment of a `sudo -E` call: PATH, what sudo would keep for nerdctl, and `extra`. */
function sudoEnvironment(extra: Readonly<Record<string, string>>): Record<string, string> {
  const base: Record<string, string> = {}
  for (const k of ['PATH', ...sudoKeptEnv(process.env)]) {
    const v = process.env[k]
    if (v !== undefined) base[k] = v
  }
  return { ...base, ...extra }
}

function insecureFor(setting: GlobalOptions['insecureRegistries'], registry?: string): boolean {
  if (setting === true) return true
  if (!setting || !registry) return false
  return setting.includes(registry)
}

/** Replaces every occurrence of each secret with ***. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const s of secrets) if (s) out = out.split(s).join('***')
  return out
}

let defaultClient = new Nerdctl()

/** The client the static functions use when none is passed. */
export function getDefaultClient(): Nerdctl {
  return defaultClient
}

/** Sets the global options the static functions use. */
export function configure(options: GlobalOptions): Nerdctl {
  defaultClient = new Nerdctl(options)
  return defaultClient
}

/** Runs nerdctl with the default client: the library's `execute_nerdctl_command`. */
export function execNerdctl(
  args: readonly string[],
  options?: ExecOptions & { client?: Nerdctl }
): Promise<CommandResult> {
  return (options?.client ?? defaultClient).exec(args, options)
}
