// Hostile inputs, end to end: every input of action.yml is driven with values
// that look like nerdctl flags (and, for a sample, shell syntax and huge
// values) through the committed bundle, run as a runner runs it (LocalStep:
// INPUT_* variables, GITHUB_OUTPUT/STATE/STEP_SUMMARY files, main then post),
// with a stub nerdctl (__tests__/helpers/stub-nerdctl.mjs) that records every
// argv it receives. Each value must be either refused before any nerdctl call
// with a message naming its input, or reach nerdctl only where nerdctl's flag
// parser (modelled below) reads it as data, never as a flag.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { State } from '../../src/action/constants.js'
import { LocalStep, type PhaseRun } from '../../src/cli/step.js'
import { ROOT, actionYaml, inputEnv } from '../helpers/action-defaults.js'

const BUNDLE = join(ROOT, 'dist', 'index.js')
const STUB = join(ROOT, '__tests__', 'helpers', 'stub-nerdctl.mjs')
const IMAGE = 'busybox:stable'

// ---- nerdctl's flag parser, as far as the library's calls need it ----------------------

/** Flag -> whether it takes a value (pflag then reads the next element as that value, whatever it is). */
type FlagTable = Readonly<Record<string, boolean>>

/** Global flags the client puts before the subcommand (src/nerdctl/exec/client.ts). */
const GLOBAL_FLAGS: FlagTable = {
  '--namespace': true,
  '--address': true,
  '--snapshotter': true,
  '--cgroup-manager': true,
  '--hosts-dir': true,
  '--insecure-registry': false,
  // Registry calls that retry read the registry's Retry-After from debug lines.
  '--debug': false
}

/** What pure/run-args.ts writes for `run` and `create`. */
const CONTAINER_FLAGS: FlagTable = {
  '--name': true,
  '--pull': true,
  '--rm': false,
  '-p': true,
  '-v': true,
  '--env-file': true,
  '-e': true,
  '--label': true,
  '--network': true,
  '--cpus': true,
  '--memory': true,
  '--memory-swap': true,
  '--cpu-shares': true,
  '--restart': true,
  '--health-cmd': true,
  '--health-interval': true,
  '--health-timeout': true,
  '--health-retries': true,
  '--health-start-period': true,
  '--workdir': true,
  '--user': true,
  '--hostname': true,
  '--entrypoint': true
}

/**
 * Every flag the library itself writes, by subcommand (pure/run-args.ts,
 * pure/build-args.ts, ops/*.ts, builder/container.ts). A flag nerdctl reads
 * that is not here was injected by a value.
 */
const LIBRARY_FLAGS: Readonly<Record<string, FlagTable>> = {
  // A foreground run knows its container by the ID file nerdctl writes.
  run: { '-d': false, '--cidfile': true, ...CONTAINER_FLAGS },
  create: CONTAINER_FLAGS,
  start: {},
  exec: { '-i': false, '--user': true, '--workdir': true, '--env-file': true, '-e': true },
  cp: {},
  stop: { '--time': true },
  rm: { '--force': false, '--volumes': false },
  ps: { '--no-trunc': false, '--format': true, '--all': false, '--filter': true },
  'container inspect': {},
  'container healthcheck': {},
  stats: { '--no-stream': false, '--no-trunc': false, '--format': true },
  export: {},
  logs: { '--tail': true, '--since': true, '--timestamps': false },
  images: { '--no-trunc': false, '--format': true, '--all': false, '--filter': true },
  'image inspect': { '--mode=native': false },
  pull: { '--platform': true, '--quiet': false },
  tag: {},
  push: { '--platform': true, '--all-platforms': false },
  rmi: { '--force': false },
  commit: { '--message': true, '--author': true, '--change': true, '--pause=false': false },
  // `--pull` is a switch in `build` (a value in `run`).
  build: {
    '--progress': true,
    '--iidfile': true,
    '--buildkit-host': true,
    '--tag': true,
    '--file': true,
    '--build-arg': true,
    '--label': true,
    '--target': true,
    '--platform': true,
    '--no-cache': false,
    '--pull': false,
    '--cache-from': true,
    '--cache-to': true,
    '--secret': true,
    '--ssh': true,
    '--attest': true,
    '--sbom': true,
    '--provenance': true,
    '--output': true,
    '--build-context': true,
    '--network': true,
    '--add-host': true,
    '--allow': true
  },
  save: { '--platform': true, '--all-platforms': false },
  load: { '--input': true },
  login: { '--username': true, '--password-stdin': false },
  logout: {},
  // The post step lists and removes the networks a script made.
  'network create': { '--label': true, '--subnet': true },
  // `nerdctl compose --file F --project-name P config`: compose-go's model, never `up`.
  compose: { '--file': true, '--project-name': true, '--profile': true, '--env-file': true },
  'network ls': { '--format': true, '--filter': true },
  'network inspect': {},
  'network rm': {},
  // Named volumes the step makes itself, and the post step lists and removes.
  'volume create': { '--label': true },
  'volume inspect': {},
  'volume ls': { '--format': true, '--filter': true },
  'volume rm': {},
  // The version check (a build or a health check reads the versions first).
  version: { '--format': true }
}

/** Commands whose subcommand is the next word (`container inspect`). */
const GROUPS = new Set(['container', 'image', 'network', 'volume'])

/** nerdctl sets SetInterspersed(false) on these: the first positional (image, container) ends the flags. */
const FLAGS_END_AT_FIRST_POSITIONAL = new Set(['run', 'create', 'exec'])

const isFlag = (a: string): boolean => a.startsWith('-') && a !== '-'

/** How many of the next elements a flag takes as its value, as pflag decides. */
function valueElements(flag: string, table: FlagTable): number {
  if (flag.startsWith('--')) return !flag.includes('=') && table[flag] === true ? 1 : 0
  // A cluster of shorthands (-abc): the first that takes a value takes the
  // rest of the element, or the next element when nothing is left.
  for (let k = 1; k < flag.length; k++) {
    if (table[`-${flag[k]}`] === true) return k === flag.length - 1 ? 1 : 0
  }
  return 0
}

interface ParsedCall {
  /** `run`, `container inspect`, ... */
  command: string
  /** Elements read as flags before the subcommand. */
  globalFlags: string[]
  /** Elements read as flags of the subcommand. */
  commandFlags: string[]
}

/**
 * Walks one argv (after the binary) the way cobra and pflag do: global flags,
 * the subcommand, then its flags, where a flag that takes a value consumes the
 * next element whatever it looks like, `--` ends the flags, and for run, create
 * and exec so does the first positional (the rest is the container's command).
 */
function parseCall(argv: readonly string[]): ParsedCall {
  const globalFlags: string[] = []
  const commandFlags: string[] = []
  let i = 0
  while (i < argv.length && isFlag(argv[i] as string) && argv[i] !== '--') {
    const flag = argv[i] as string
    globalFlags.push(flag)
    i += 1 + valueElements(flag, GLOBAL_FLAGS)
  }
  let command = argv[i++] ?? ''
  if (GROUPS.has(command) && i < argv.length) command = `${command} ${argv[i++] as string}`
  // nerdctl's global flags are persistent: they are read after the subcommand too.
  const table = { ...GLOBAL_FLAGS, ...LIBRARY_FLAGS[command] }
  const interspersed = !FLAGS_END_AT_FIRST_POSITIONAL.has(command)
  while (i < argv.length) {
    const a = argv[i] as string
    if (a === '--') break
    if (isFlag(a)) {
      commandFlags.push(a)
      i += 1 + valueElements(a, table)
    } else if (!interspersed) break
    else i++
  }
  return { command, globalFlags, commandFlags }
}

/** A long value shortened for a message or a test name. */
const shown = (s: string, max = 120): string =>
  s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s

/** What is wrong with one argv: flags the library never writes, or a probe read as (part of) a flag. */
function violations(argv: readonly string[], probes: readonly string[]): string[] {
  const { command, globalFlags, commandFlags } = parseCall(argv)
  const line = shown(argv.map(shown).join(' '))
  const own = LIBRARY_FLAGS[command]
  if (!own) return [`nerdctl ${line}: the model does not know the subcommand "${command}"`]
  const out: string[] = []
  for (const f of globalFlags)
    if (!(f in GLOBAL_FLAGS))
      out.push(`nerdctl ${line}: ${shown(f)} is a global flag the library never writes`)
  for (const f of commandFlags)
    if (!(f in own))
      out.push(`nerdctl ${line}: ${shown(f)} is a flag the library never writes for ${command}`)
  for (const f of [...globalFlags, ...commandFlags])
    for (const p of probes)
      if (f.includes(p))
        out.push(`nerdctl ${line}: the value ${shown(p)} is read as the flag ${shown(f)}`)
  return out
}

// ---- the cases ---------------------------------------------------------------------------

interface Case {
  title: string
  /** Inputs given to the step (the nerdctl input defaults to the stub); the rest take action.yml's defaults. */
  with: Record<string, string>
  /** The inputs under test, each with the option-like (or shell, or huge) text to look for. */
  probes: Record<string, readonly string[]>
  env?: Record<string, string>
}

const NONCE = randomBytes(4).toString('hex')
/** What a shell, if anything ran one, would create. */
const PWNED = join(tmpdir(), `hostile-inputs-pwned-${NONCE}`)
// Never "reboot": if a value did reach a shell, the test must not take the machine down.
const SHELL = {
  subst: `$(touch ${PWNED})`,
  chain: `; touch ${PWNED}`,
  ticks: `\`touch ${PWNED}\``,
  pipe: `| touch ${PWNED}`,
  and: `&& touch ${PWNED}`
}

// Linux's MAX_ARG_STRLEN is 32 pages (128 KiB): the most one argv or
// environment string may hold, and a runner passes each input as one
// environment string (INPUT_NAME=value).
/** Over the limit. */
const OVER_ARG_LIMIT = 300 * 1024
/** Under it with room for "INPUT_NAME=": about the largest input a runner can hand a step. */
const UNDER_ARG_LIMIT = 120 * 1024
const sized = (prefix: string, size: number): string => prefix + 'x'.repeat(size - prefix.length)

/** Unique, so finding one anywhere is a leak and not a coincidence. */
const PASSWORD = {
  flag: `--password=S3cret-${NONCE}`,
  shell: `${SHELL.chain} #pw-${NONCE}`,
  plain: `pw-${NONCE}`,
  large: sized(`--password=${NONCE}-`, UNDER_ARG_LIMIT)
}

const CONTAINER = { image: IMAGE }
const HEALTH = { image: IMAGE, 'health-cmd': 'true' }
const BUILD = { context: '.', tags: 'app:1' }
const LOGIN = { username: 'u', password: PASSWORD.plain }
const NO_COSIGN = '/nonexistent/cosign'
const PUSHED = { tags: 'app:1', push: 'true' }
const SIGNED = { ...PUSHED, sign: 'cosign', 'cosign-key': 'cosign.key', cosign: NO_COSIGN }
const VERIFIED = {
  ...CONTAINER,
  verify: 'cosign',
  'cosign-public-key': 'cosign.pub',
  cosign: NO_COSIGN
}
const KEYLESS = { ...CONTAINER, verify: 'cosign', cosign: NO_COSIGN }
const KEYLESS_ISSUER = { ...KEYLESS, 'cosign-certificate-oidc-issuer': 'https://issuer.invalid' }
const KEYLESS_IDENTITY = { ...KEYLESS, 'cosign-certificate-identity': 'someone' }

/** One input under test, with what it needs to mean something. */
function alone(
  input: string,
  value: string,
  needs: Record<string, string> = {},
  probes: readonly string[] = [value]
): Case {
  return {
    title: `${input}: ${shown(value, 48)}`,
    with: { ...needs, [input]: value },
    probes: { [input]: probes }
  }
}

/** Several inputs under test in one run; each value is its own probe unless `probes` says otherwise. */
function batch(
  title: string,
  tested: Record<string, string>,
  needs: Record<string, string> = {},
  probes: Record<string, readonly string[]> = {}
): Case {
  return {
    title,
    with: { ...needs, ...tested },
    probes: Object.fromEntries(
      Object.keys(tested).map(k => [k, probes[k] ?? [tested[k] as string]])
    )
  }
}

/**
 * Option-like values, looking like real nerdctl flags. Inputs the plan takes
 * share a run per section, each with its own probe and none of them a flag
 * the library writes in that run, so a probe read as a flag is always an
 * injection. Inputs it refuses run alone: the first refusal ends the step.
 */
const BATCHES: readonly Case[] = [
  batch(
    'nerdctl options, login, build and save',
    {
      namespace: '--privileged',
      address: '-v/:/h',
      snapshotter: '--mount=type=bind,src=/,dst=/h',
      'buildkit-host': '--output=type=local,dest=/',
      username: '--username=root',
      password: PASSWORD.flag,
      context: '--secret=id=x,src=/etc/shadow',
      file: '--file=/etc/shadow',
      'build-args': '--allow=security.insecure',
      labels: '--ssh=default=/root/.ssh/id_rsa',
      target: '--iidfile=/etc/passwd',
      platforms: '--progress=tty',
      save: '-o/etc/passwd'
    },
    { tags: 'app:1' }
  ),
  batch(
    'a detached container with a health check, and what follows',
    {
      command: '--privileged -v/:/h --mount=type=bind,src=/,dst=/h',
      volumes: '--volumes-from=other',
      env: '--cap-add=ALL',
      network: '--net=host',
      // Valid, and option-like: nerdctl must read it as the value of --memory-swap.
      'memory-swap': '-1',
      'health-cmd': '--security-opt=seccomp=unconfined',
      exec: '--pid=host\n--userns=host',
      copy: '--follow-link -> :/tmp/in\n:/etc/hostname -> -L',
      export: '--output=/etc/shadow'
    },
    CONTAINER,
    {
      command: ['--privileged', '-v/:/h', '--mount=type=bind,src=/,dst=/h'],
      exec: ['--pid=host', '--userns=host'],
      copy: ['--follow-link', '-L']
    }
  ),
  // In the foreground the library writes no -d, so a -d read as a flag would show.
  batch(
    'a foreground container whose command is -d --rm',
    { command: '-d --rm' },
    {
      ...CONTAINER,
      detach: 'false'
    },
    { command: ['-d', '--rm'] }
  )
]

/** Refused by the library only when their phase comes (see the known defects). */
const LATE = {
  registry: alone('registry', '--privileged', LOGIN),
  // The first image is fine: it is pulled before the second is refused.
  pull: alone('pull', `${IMAGE}\n--privileged`, {}, ['--privileged']),
  tags: alone('tags', '--privileged', { context: '.' }),
  // After the container has run.
  commit: alone('commit', '--privileged', CONTAINER)
} satisfies Record<string, Case>

const CASES: readonly Case[] = [
  ...BATCHES,
  ...Object.values(LATE),
  // Not found on PATH: a file name to spawn, never an argument of nerdctl (but see sudo below).
  alone('nerdctl', '--privileged', CONTAINER),
  alone('insecure-registries', '--net=host'),
  // Not absolute: refused; an allowed directory is never an argument of nerdctl.
  alone('host-paths', '--privileged'),
  alone('reap', '--privileged'),
  alone('stats', '--privileged'),
  // The build inputs of docker/build-push-action: each value is a flag's value or refused.
  alone('add-hosts', '--privileged', BUILD),
  alone('allow', '--privileged', BUILD),
  alone('annotations', '--privileged', BUILD),
  alone('attests', '--privileged', BUILD),
  alone('build-contexts', '--privileged', BUILD),
  alone('build-network', '--privileged', BUILD),
  alone('build-pull', '--privileged', BUILD),
  alone('cache-from', '--privileged', BUILD),
  alone('cache-to', '--privileged', BUILD),
  alone('outputs', '--privileged', BUILD),
  alone('provenance', '--privileged', BUILD),
  alone('sbom', '--privileged', BUILD),
  alone('secret-envs', '--privileged', BUILD),
  alone('secret-files', '--privileged', BUILD),
  alone('secrets', '--privileged', BUILD),
  alone('ssh', '--privileged', BUILD),
  alone('retries', '--privileged'),
  alone('retry-delay', '-1s'),
  alone('registries', '- registry: --privileged\n  username: u\n  password: p\n'),
  // A service's image, and its key (a host name): never options. Its `options`
  // are nerdctl run flags by design, a flag list, so they are not probed here.
  alone('services', 'db:\n  image: --mount=type=bind,src=/,dst=/h\n'),
  { ...alone('services', '--privileged:\n  image: busybox:stable\n'), title: 'services key' },
  alone('sudo', '--privileged'),
  alone('timeout', '-1s'),
  alone('logout', '--privileged'),
  alone('build-args', '--privileged', BUILD),
  alone('no-cache', '--privileged'),
  alone('push', '--privileged'),
  // Builds across runners: a switch, and digests or directories (never an argument of nerdctl).
  alone('push-by-digest', '--privileged', { ...BUILD, platforms: 'linux/amd64' }),
  alone('merge', '--privileged', { tags: '127.0.0.1:5000/app:1' }),
  alone('merge', `--privileged@sha256:${'a'.repeat(64)}`, { tags: '127.0.0.1:5000/app:1' }),
  alone('image', '--mount=type=bind,src=/,dst=/h', { command: 'sh' }),
  alone('run', '--privileged'),
  alone('name', '--privileged', CONTAINER),
  alone('ports', '-v/:/h', CONTAINER),
  alone('env', '--privileged', CONTAINER),
  alone('network-aliases', '--privileged', CONTAINER),
  alone('cpus', '--privileged', CONTAINER),
  alone('memory', '--privileged', CONTAINER),
  alone('memory-swap', '--privileged', CONTAINER),
  alone('cpu-shares', '--privileged', CONTAINER),
  alone('restart', '--privileged', CONTAINER),
  alone('detach', '--privileged', CONTAINER),
  alone('health-interval', '--privileged', HEALTH),
  alone('health-timeout', '-1s', HEALTH),
  alone('health-retries', '-1', HEALTH),
  alone('health-start-period', '--privileged', HEALTH),
  alone('wait', '--privileged', HEALTH),
  alone('wait-for-clients', '--privileged', HEALTH),
  alone('wait-timeout', '--privileged', CONTAINER),
  // Signing and verification: refused, or a value of cosign's own flags. cosign
  // is named where it is not installed, so no case reaches a registry.
  alone('sign', '--privileged', PUSHED),
  alone('cosign-key', '--privileged', { ...PUSHED, sign: 'cosign' }),
  alone('cosign-password', '--privileged', SIGNED),
  alone('cosign-tlog', '--privileged', VERIFIED),
  alone('verify', '--privileged', CONTAINER),
  alone('cosign-public-key', '--privileged', { ...CONTAINER, verify: 'cosign' }),
  alone('cosign-certificate-identity', '--privileged', KEYLESS_ISSUER),
  alone('cosign-certificate-identity-regexp', '--privileged', KEYLESS_ISSUER),
  alone('cosign-certificate-oidc-issuer', '--privileged', KEYLESS_IDENTITY),
  alone('cosign-certificate-oidc-issuer-regexp', '--privileged', KEYLESS_IDENTITY),
  alone('cosign', '--privileged', VERIFIED),
  // JavaScript run in-process: a ReferenceError, never a nerdctl argument.
  alone('script', '--privileged'),
  alone('script-file', '--privileged'),
  alone('cleanup', '--privileged'),
  alone('show-logs', '--privileged'),
  alone('summary', '--privileged'),
  // The disk budget: sizes, an age and a switch, refused before any call; never arguments.
  alone('disk-budget', '--privileged'),
  alone('prune-until', '-1s', { 'disk-budget': '100%' }),
  alone('build-cache-keep', '--privileged', { 'disk-budget': '100%' }),
  alone('prune-dry-run', '--privileged', { 'disk-budget': '100%' }),
  // A path (made absolute in the workspace), the value of --file; the rest refused by name.
  alone('compose-file', '--privileged'),
  alone('compose-env-file', '--privileged', { 'compose-file': 'compose.yml' }),
  alone('compose-project', '--privileged', { 'compose-file': 'compose.yml' }),
  alone('compose-profiles', '--privileged', { 'compose-file': 'compose.yml' }),
  alone('compose-services', '--privileged', { 'compose-file': 'compose.yml' }),
  alone('compose-build', '--privileged', { 'compose-file': 'compose.yml' }),
  alone('compose-join', '--privileged', { 'compose-file': 'compose.yml' })
]

/** Shell syntax in a sample of inputs: nothing goes through a shell, so nothing is created. */
const SHELL_BATCHES: readonly Case[] = [
  batch(
    'shell syntax in container inputs',
    {
      command: `sh -c "${SHELL.subst}" ${SHELL.chain}`,
      env: `X=${SHELL.subst}`,
      // Run inside the container by design (the stub runs nothing): here only their argv matters.
      'health-cmd': SHELL.chain,
      exec: SHELL.subst,
      export: SHELL.pipe,
      copy: `:/etc/hostname -> ${SHELL.and}`
    },
    CONTAINER
  ),
  batch(
    'shell syntax in registry and build inputs',
    {
      namespace: SHELL.ticks,
      username: SHELL.subst,
      password: PASSWORD.shell,
      context: SHELL.subst,
      'build-args': `X=${SHELL.chain}`,
      target: SHELL.and
    },
    { tags: 'app:1' }
  )
]
const SHELL_CASES: readonly Case[] = [
  ...SHELL_BATCHES,
  alone('image', SHELL.subst),
  // Not a host path, so a volume name: refused as one, naming the input.
  alone('volumes', `${SHELL.ticks}:/x`, CONTAINER),
  alone('name', SHELL.chain, CONTAINER),
  alone('pull', SHELL.pipe)
]

/**
 * Values under the per-string limit reach the action; these are about as
 * large as a runner can pass (what happens above it: OVER_LIMIT_CASES).
 */
const LARGE = {
  container: batch(
    '120 KiB option-like values in container inputs',
    {
      command: sized('--privileged=', UNDER_ARG_LIMIT),
      env: sized('--cap-add=', UNDER_ARG_LIMIT),
      'health-cmd': sized('--security-opt=', UNDER_ARG_LIMIT),
      exec: sized('--pid=', UNDER_ARG_LIMIT)
    },
    CONTAINER
  ),
  image: alone('image', sized('--privileged=', UNDER_ARG_LIMIT), { command: 'sh' }),
  password: alone('password', PASSWORD.large, { username: 'u' })
} satisfies Record<string, Case>

/** Over the limit: no runner can start a step with one of these (see the test). */
const OVER_LIMIT_CASES: readonly Case[] = [
  alone('image', sized('--privileged=', OVER_ARG_LIMIT)),
  alone('command', sized('--privileged=', OVER_ARG_LIMIT), CONTAINER),
  alone('env', sized('--cap-add=', OVER_ARG_LIMIT), CONTAINER),
  alone('exec', sized('--pid=', OVER_ARG_LIMIT), CONTAINER),
  alone('password', sized(`--password=${NONCE}-`, OVER_ARG_LIMIT), { username: 'u' })
]

const WORK = mkdtempSync(join(tmpdir(), 'hostile-inputs-'))
/** Holds a fake sudo (the stub under that name) for the sudo defect. */
const FAKE_SUDO_DIR = join(WORK, 'bin')

/** Runs that show the defects listed at the end (src/ is not changed by this test). */
const DEFECT_CASES = {
  tagsRun: alone('tags', '--privileged', { run: 'true' }),
  sudo: {
    ...alone('nerdctl', '-s', { sudo: 'true', ...CONTAINER }),
    env: { PATH: `${FAKE_SUDO_DIR}:${process.env.PATH ?? ''}` }
  },
  // Built inside a script, since no input can carry it (see OVER_LIMIT_CASES).
  hugeArgument: alone(
    'script',
    `await nerdctl.Container.fromImage('huge', '${IMAGE}').withCommand(['echo', '-'.repeat(${OVER_ARG_LIMIT})]).build()`
  )
} satisfies Record<string, Case>

// Shared runners: values from untrusted text (a branch name) in attribute
// lists, and the spellings of a reserved flag nerdctl's parser accepts in a
// service's `options`. Each must be refused before any nerdctl call, naming
// its input.
const BRANCH = 'x,type=local,dest=/tmp/hostile-inputs-never'
const SERVICE = (options: string): string =>
  `db:\n  image: ${IMAGE}\n  options: ${JSON.stringify(options)}\n`
const SHARED_CASES = {
  cacheTo: alone('cache-to', `type=registry,ref=127.0.0.1:5000/app:cache-${BRANCH}`, BUILD),
  cacheFrom: alone('cache-from', `type=registry,ref=127.0.0.1:5000/app:cache-${BRANCH}`, BUILD),
  cacheToBare: alone('cache-to', `127.0.0.1:5000/app:cache-${BRANCH}`, BUILD),
  outputs: alone('outputs', `type=tar,dest=./out-${BRANCH}`, BUILD),
  attests: alone('attests', `type=sbom,generator=img-${BRANCH}`, BUILD),
  provenance: alone('provenance', `mode=max,x=${BRANCH}`, BUILD),
  ssh: alone('ssh', 'default\ndefault=/k', BUILD),
  buildContexts: alone('build-contexts', 'base=./a\nbase=docker-image://alpine', BUILD),
  tagUpper: alone('tags', 'App:1', { context: '.' }),
  tagDigest: alone('tags', 'app@sha256:abc', { context: '.' }),
  optionsAttached: alone('services', SERVICE('-lio.github.nerdctl-action.job=x')),
  optionsEquals: alone('services', SERVICE('-l=io.github.nerdctl-action.job=x')),
  optionsBundled: alone('services', SERVICE('-dlio.github.nerdctl-action.job=x')),
  optionsLabelFile: alone('services', SERVICE('--label-file=./labels')),
  optionsHostname: alone('services', SERVICE('-hother')),
  optionsNamespace: alone('services', SERVICE('--namespace=other')),
  optionsPositional: alone('services', SERVICE('--privileged other-image'))
} satisfies Record<string, Case>

// ---- running them ------------------------------------------------------------------------

interface StepRecord {
  case: Case
  /** Why the runner could not start the step, if it could not. */
  startError: string | undefined
  main: PhaseRun | undefined
  post: PhaseRun | undefined
  /** Every argv the stub received (after the binary), main then post. */
  calls: string[][]
  /** The step's failure message ('' when it succeeded). */
  failure: string
  /** The plan took every input: main saved the post step's token. */
  accepted: boolean
  /** GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY of both phases, as written. */
  written: string
  /** The stub's log, as written. */
  stubLog: string
}

let runs = 0

const readOr = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '')

/** The message core.setFailed printed (a `::error::` command, with %, CR and LF escaped). */
function failureOf(run: PhaseRun): string {
  return run.log
    .split('\n')
    .filter(l => l.startsWith('::error::'))
    .map(l =>
      l.slice('::error::'.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
    )
    .join('\n')
}

async function runCase(c: Case): Promise<StepRecord> {
  const log = join(WORK, `stub-${++runs}.jsonl`)
  const step = new LocalStep({
    bundle: BUNDLE,
    inputEnv: inputEnv({ nerdctl: STUB, ...c.with }),
    env: { STUB_NERDCTL_LOG: log, ...c.env }
  })
  try {
    let main: PhaseRun | undefined
    let startError: string | undefined
    try {
      main = await step.main()
    } catch (e: unknown) {
      startError = String(e)
    }
    const accepted = main?.state[State.Token] !== undefined
    // A post step without the token returns before any call (src/action/post.ts):
    // skipping it saves a node start for each refused case.
    const post = accepted ? await step.post() : undefined
    const written = ['main', 'post']
      .flatMap(p => ['output', 'state', 'summary'].map(f => readOr(join(step.dir, `${p}-${f}`))))
      .join('\n')
    const stubLog = readOr(log)
    const calls = stubLog
      .split('\n')
      .filter(l => l !== '')
      .map(l => JSON.parse(l) as string[])
    const failure = main ? failureOf(main) : ''
    return { case: c, startError, main, post, calls, failure, accepted, written, stubLog }
  } finally {
    step.remove()
  }
}

/** Runs the cases `size` at a time (each is a node process, plus one per nerdctl call). */
async function runAll(cases: readonly Case[], size: number): Promise<Map<Case, StepRecord>> {
  const out = new Map<Case, StepRecord>()
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const c = cases[next++] as Case
      out.set(c, await runCase(c))
    }
  }
  await Promise.all(Array.from({ length: size }, worker))
  return out
}

let records = new Map<Case, StepRecord>()

beforeAll(async () => {
  mkdirSync(FAKE_SUDO_DIR)
  symlinkSync(STUB, join(FAKE_SUDO_DIR, 'sudo'))
  records = await runAll(
    [
      ...CASES,
      ...SHELL_CASES,
      ...Object.values(LARGE),
      ...OVER_LIMIT_CASES,
      ...Object.values(DEFECT_CASES),
      ...Object.values(SHARED_CASES)
    ],
    Math.max(2, availableParallelism())
  )
}, 180_000)

afterAll(() => rmSync(WORK, { recursive: true, force: true }))

function recordOf(c: Case): StepRecord {
  const r = records.get(c)
  if (!r) throw new Error(`case "${c.title}" did not run`)
  return r
}

/** Refused before any nerdctl call, with a message naming the input. */
const refusedNaming = (r: StepRecord, input: string): boolean =>
  r.main !== undefined &&
  r.main.exitCode !== 0 &&
  r.calls.length === 0 &&
  r.failure.includes(`Input "${input}"`)

/**
 * The rule for one input of one run: refused before any nerdctl call with a
 * message naming it; or taken by the plan, and then every argv nerdctl got
 * has only the library's own flags and none of the input's probes in a flag.
 */
function expectSafe(r: StepRecord, input: string): void {
  if (refusedNaming(r, input)) return
  const problems: string[] = []
  if (r.startError) problems.push(`the step did not start: ${shown(r.startError)}`)
  else if (!r.accepted)
    problems.push(`the step refused its inputs without naming "${input}": ${shown(r.failure)}`)
  const probes = r.case.probes[input] ?? []
  for (const argv of r.calls) problems.push(...violations(argv, probes))
  expect({ case: r.case.title, input, problems }).toEqual({
    case: r.case.title,
    input,
    problems: []
  })
}

// ---- the tests ---------------------------------------------------------------------------

const INPUTS = Object.keys(actionYaml().inputs)

describe('the model of nerdctl flag parsing', () => {
  test('a value after a flag that takes one is data; a bare one is a flag', () => {
    expect(
      violations(['run', '-d', '--name', '--privileged', IMAGE, '--rm'], ['--privileged', '--rm'])
    ).toEqual([])
    expect(violations(['run', '-d', '--privileged', IMAGE], ['--privileged'])).toHaveLength(2)
  })

  test('shorthands: -v takes the rest of its element or the next one', () => {
    expect(parseCall(['run', '-v', '-v/:/h', IMAGE]).commandFlags).toEqual(['-v'])
    expect(parseCall(['run', '-v/:/h', IMAGE]).commandFlags).toEqual(['-v/:/h'])
  })

  test('run, create and exec stop at their first positional; others read flags anywhere', () => {
    expect(parseCall(['exec', 'c1', '/bin/sh', '-c', '--privileged']).commandFlags).toEqual([])
    expect(parseCall(['cp', 'c1:/a', '--privileged']).commandFlags).toEqual(['--privileged'])
    expect(parseCall(['pull', '--', '--privileged']).commandFlags).toEqual([])
  })

  test('global flags before the subcommand, and command groups', () => {
    expect(parseCall(['--namespace', '--privileged', 'container', 'inspect', 'c1'])).toEqual({
      command: 'container inspect',
      globalFlags: ['--namespace'],
      commandFlags: []
    })
  })
})

describe('option-like values, input by input', () => {
  test.each(INPUTS)('%s', input => {
    const cases = CASES.filter(c => input in c.probes)
    if (cases.length === 0)
      throw new Error(`input "${input}" has no hostile-value case: add one to CASES`)
    const probes = cases.flatMap(c => c.probes[input] ?? [])
    expect({ input, optionLike: probes.some(p => p.startsWith('-')) }).toEqual({
      input,
      optionLike: true
    })
    for (const c of cases) expectSafe(recordOf(c), input)
  })

  test('each case probes only inputs it sets', () => {
    for (const c of [...CASES, ...SHELL_CASES, ...Object.values(LARGE)])
      for (const input of Object.keys(c.probes))
        expect([c.title, input in c.with]).toEqual([c.title, true])
  })

  // A batch that failed would test only the phases before its failure.
  test('the batched runs go through every phase and succeed', () => {
    for (const c of [...BATCHES, ...SHELL_BATCHES, LARGE.container]) {
      const r = recordOf(c)
      expect({ case: c.title, exitCode: r.main?.exitCode, failure: r.failure }).toEqual({
        case: c.title,
        exitCode: 0,
        failure: ''
      })
    }
  })
})

describe('shell syntax', () => {
  test.each(SHELL_CASES.map(c => [c.title, c] as const))('%s', (_title, c) => {
    for (const input of Object.keys(c.probes)) expectSafe(recordOf(c), input)
  })

  test('nothing was run through a shell: the file the payloads would create does not exist', () => {
    expect(existsSync(PWNED)).toBe(false)
  })
})

describe('huge values', () => {
  // 300 KiB in one input: the runner passes inputs as INPUT_* environment
  // variables, and Linux refuses any single argv or environment string over
  // MAX_ARG_STRLEN (128 KiB) at execve. So the step's own node process never
  // starts: LocalStep's spawn throws "spawn E2BIG", as the runner's would fail
  // to start the step. No runner can hand the action such a value.
  test.each(OVER_LIMIT_CASES.map(c => [c.title, c] as const))(
    '%s: the step cannot start',
    (_t, c) => {
      const r = recordOf(c)
      expect(r.startError).toMatch(/E2BIG/)
      expect(r.calls).toEqual([])
    }
  )

  // 120 KiB (about the most an input can hold) goes through: the container
  // inputs reach nerdctl whole, as data, and the step succeeds.
  test('120 KiB option-like container inputs reach nerdctl as data', () => {
    const r = recordOf(LARGE.container)
    for (const input of Object.keys(r.case.probes)) expectSafe(r, input)
    expect(r.main?.exitCode).toBe(0)
    const all = r.calls.flat()
    // An env value goes to nerdctl in an env file, never on its command line.
    for (const [input, [probe]] of Object.entries(r.case.probes))
      expect([input, all.some(a => a.includes(probe as string))]).toEqual([input, input !== 'env'])
  })

  // A refused huge value is shown cut to 200 characters (a message of about 330).
  test('a 120 KiB image is refused with a short message naming the input', () => {
    const r = recordOf(LARGE.image)
    expect(refusedNaming(r, 'image')).toBe(true)
    expect(r.failure.length).toBeLessThan(1000)
  })
})

describe('the password', () => {
  const withPassword = (): StepRecord[] => [...records.values()].filter(r => r.case.with.password)

  test('is in no argv, output, state file or summary', () => {
    const seen = withPassword()
    // The login batch, the shell batch, the registry case, the 120 KiB one (the 300 KiB one never starts).
    expect(seen.filter(r => r.main !== undefined).length).toBeGreaterThanOrEqual(4)
    for (const r of seen) {
      const password = r.case.with.password as string
      expect({ case: r.case.title, inStubLog: r.stubLog.includes(password) }).toEqual({
        case: r.case.title,
        inStubLog: false
      })
      expect({ case: r.case.title, inFiles: r.written.includes(password) }).toEqual({
        case: r.case.title,
        inFiles: false
      })
    }
  })

  test('the logins happened (on standard input)', () => {
    const logins = withPassword()
      .filter(r => r.accepted)
      .flatMap(r => r.calls.filter(a => parseCall(a).command === 'login'))
    expect(logins.length).toBeGreaterThanOrEqual(3)
    for (const a of logins) expect(a).toContain('--password-stdin')
  })
})

// Defects this test found in src/ when it was written, each kept as the
// behaviour wanted: values refused late or without the input's name, sudo
// reading the binary as its own option, an unclear E2BIG.
describe('found by this test, now held', () => {
  // pull, registry, tags and commit are not validated by the plan: the library
  // refuses them when their phase comes, in a message without the input's
  // name; `pull` has already pulled the first image then, `commit` has started
  // the container and run the phases before it.
  test.each(Object.keys(LATE) as (keyof typeof LATE)[])(
    '%s: refused before any nerdctl call, naming the input',
    input => {
      expect(refusedNaming(recordOf(LATE[input]), input)).toBe(true)
    }
  )

  // run: true with a bad first tag: the message blames "image", which is empty.
  test('run: true with a bad first tag names "tags"', () => {
    expect(recordOf(DEFECT_CASES.tagsRun).failure).toContain('Input "tags"')
  })

  // sudo: true runs `sudo -n BINARY ...` with nothing ending sudo's options:
  // a binary starting with "-" is read by sudo as its own option (`sudo -n -s
  // images ...` hands the command line to a shell as root; -E, -u, -D, -R...).
  // The fake sudo on PATH is the stub, which logs sudo's argv.
  test('sudo: a nerdctl value starting with "-" is refused, or not read by sudo', () => {
    const r = recordOf(DEFECT_CASES.sudo)
    if (refusedNaming(r, 'nerdctl')) return
    for (const argv of r.calls) {
      const at = argv.findIndex(a => !a.startsWith('-') || a === '--')
      const options = argv.slice(0, at < 0 ? argv.length : at)
      for (const o of options) expect(o === '-n' || o.startsWith('--preserve-env=')).toBe(true)
    }
  })

  // An argument over 128 KiB (possible from a script, not from an input): the
  // step fails, which is right, but its message is "script:1:1: could not run
  // <the whole argv>: Error: spawn E2BIG" plus "command: nerdctl <the whole
  // argv>" (about 600 KB for a 300 KiB argument), and nothing in it says which
  // argument is too long or what the limit is.
  test('an argument over the limit fails the step', () => {
    const r = recordOf(DEFECT_CASES.hugeArgument)
    expect(r.main?.exitCode).not.toBe(0)
    expect(r.failure).toMatch(/128 KiB/)
    expect(r.calls.some(a => a[0] === 'run')).toBe(false)
  })

  test('an argument over the limit: the message is short and names the limit', () => {
    const failure = recordOf(DEFECT_CASES.hugeArgument).failure
    expect(failure.length).toBeLessThan(10_000)
    expect(failure).toMatch(/too long|128 ?KiB|131072/i)
  })
})

describe('shared runners: attribute lists and options', () => {
  test.each(Object.keys(SHARED_CASES) as (keyof typeof SHARED_CASES)[])(
    '%s: refused before any nerdctl call, naming the input',
    name => {
      const c = SHARED_CASES[name]
      const input = Object.keys(c.probes)[0] as string
      const r = recordOf(c)
      expect({ name, failure: r.failure, refused: refusedNaming(r, input) }).toEqual({
        name,
        failure: expect.stringContaining(`Input "${input}"`) as unknown,
        refused: true
      })
    }
  )
})
