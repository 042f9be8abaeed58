#!/usr/bin/env node
// A stand-in for nerdctl, for unit tests that run the action's bundle as a
// runner does (through the `nerdctl` input) without containerd. It appends
// its argv, as one JSON line, to the file named by STUB_NERDCTL_LOG (the
// record the tests judge), then answers with output recorded from the real
// nerdctl (__tests__/fixtures) so the step goes through every phase. It never
// reads standard input: `login --password-stdin` sends the password there, and
// what is never read cannot end up in the log.
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures')
const fixture = name => readFileSync(join(FIXTURES, name), 'utf8')
const firstLine = name =>
  fixture(name)
    .split('\n')
    .find(l => l.trim() !== '') ?? ''

const args = process.argv.slice(2)
const logFile = process.env.STUB_NERDCTL_LOG
if (!logFile) {
  // A test that forgot the log would judge nothing: fail loudly instead.
  process.stderr.write('stub-nerdctl: STUB_NERDCTL_LOG is not set\n')
  process.exit(2)
}
appendFileSync(logFile, `${JSON.stringify(args)}\n`)

// Global flags the library puts before the subcommand; those with a value
// take the next element, as nerdctl's flag parser does.
const GLOBAL_WITH_VALUE = new Set([
  '--namespace',
  '--address',
  '--snapshotter',
  '--cgroup-manager',
  '--hosts-dir'
])
// `run`/`create` flags with a value, so the scan below skips values (a value
// may start with "-") and stops at the image, where nerdctl stops too.
const RUN_WITH_VALUE = new Set([
  '--name',
  '--pull',
  '-p',
  '-v',
  '-e',
  '--env-file',
  '--label',
  '--network',
  '--cpus',
  '--memory',
  '--memory-swap',
  '--cpu-shares',
  '--restart',
  '--health-cmd',
  '--health-interval',
  '--health-timeout',
  '--health-retries',
  '--health-start-period',
  '--workdir',
  '--user',
  '--hostname',
  '--entrypoint'
])

let i = 0
while (i < args.length && args[i].startsWith('-')) i += GLOBAL_WITH_VALUE.has(args[i]) ? 2 : 1
let command = args[i] ?? ''
let rest = args.slice(i + 1)
// Command groups: `container inspect`, `image inspect`, ...
if ((command === 'container' || command === 'image') && rest.length > 0) {
  command = `${command} ${rest[0]}`
  rest = rest.slice(1)
}

/** The flags of a run/create before its image (nerdctl stops reading flags there). */
function runFlags(argv) {
  const flags = []
  for (let j = 0; j < argv.length && argv[j].startsWith('-') && argv[j] !== '--'; j++) {
    flags.push(argv[j])
    if (RUN_WITH_VALUE.has(argv[j])) j++
  }
  return flags
}

/** The element after the first `flag` (the library writes each of these once, first). */
function valueOf(flag) {
  const at = rest.indexOf(flag)
  return at >= 0 ? rest[at + 1] : undefined
}

/** Whether a container this stub started had a health check: it then reports it healthy. */
function startedWithHealthCheck() {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter(l => l !== '')
    .map(l => JSON.parse(l))
    .some(a => {
      const at = a.findIndex(x => x === 'run' || x === 'create')
      return at >= 0 && runFlags(a.slice(at + 1)).includes('--health-cmd')
    })
}

const out = text => process.stdout.write(`${text}\n`)

/** A tar archive holding one small file of this name, made by the machine's tar. */
function tarOf(name) {
  const dir = mkdtempSync(join(tmpdir(), 'stub-nerdctl-'))
  try {
    writeFileSync(join(dir, name), 'stub copy\n')
    return execFileSync('tar', ['--create', '--file', '-', '--directory', dir, '--', name])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
const CONTAINER_ID = JSON.parse(fixture('inspect-running.json'))[0].Id
const IMAGE_ID = JSON.parse(fixture('inspect-image.json'))[0].Id
/** `NAME:/path` (or `ID:/path`): a path in a container, not on this machine. */
const CONTAINER_PATH = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*:\//

switch (command) {
  // compose-go's merged model, as the real `nerdctl compose ... config` printed it.
  case 'compose':
    process.stdout.write(fixture('compose-config-stack.yaml'))
    break
  case 'run':
    // Detached, nerdctl prints the new container's ID; in the foreground, the
    // program's output (none here).
    if (runFlags(rest).includes('-d')) out(CONTAINER_ID)
    break
  case 'create':
    out(CONTAINER_ID)
    break
  case 'container inspect':
  case 'inspect':
    out(fixture(startedWithHealthCheck() ? 'inspect-healthy.json' : 'inspect-running.json'))
    break
  case 'image inspect':
    out(fixture('inspect-image.json'))
    break
  case 'images':
    out(firstLine('images.jsonl'))
    break
  case 'stats':
    out(firstLine('stats.jsonl'))
    break
  case 'build': {
    const iidfile = valueOf('--iidfile')
    if (iidfile) writeFileSync(iidfile, IMAGE_ID)
    // An output with dest=- (the library asks for that) comes on standard output.
    if (/(^|,)dest=-(,|$)/.test(valueOf('--output') ?? ''))
      process.stdout.write(tarOf('index.html'))
    break
  }
  case 'commit':
    out(IMAGE_ID)
    break
  case 'export': {
    // Without --output, nerdctl streams the tarball to standard output.
    const output = valueOf('--output')
    if (output) writeFileSync(output, 'stub tarball\n')
    else process.stdout.write('stub tarball\n')
    break
  }
  case 'save':
    // An OCI archive as nerdctl streams it: whole, with its index.json.
    process.stdout.write(tarOf('index.json'))
    break
  case 'cp': {
    const dest = rest[rest.length - 1]
    // `cp C:/path -` streams a tar of the path's last name, as nerdctl does.
    if (dest === '-') process.stdout.write(tarOf(basename(rest[rest.length - 2] ?? '') || 'copy'))
    else if (dest && !CONTAINER_PATH.test(dest)) writeFileSync(dest, 'stub copy\n')
    break
  }
  // ps prints nothing (no containers); healthcheck, exec, login, logout,
  // pull, push, tag, rm, stop, logs and the rest succeed silently.
  default:
    break
}
