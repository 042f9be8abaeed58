// What the library writes on this machine is written by this process, so it
// belongs to its user even when nerdctl runs through sudo: export, save and a
// build's dest stream nerdctl's standard output into a file of ours; a copy
// out and a type=local output come as a tar that tar, run as this user,
// unpacks. nerdctl is faked (it answers into the file the runner was given);
// tar is the machine's own.
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { Nerdctl } from '../../src/nerdctl/exec/client.js'
import { systemProgram } from '../../src/nerdctl/exec/programs.js'
import { spawnRunner, type ProcessResult, type RunSpec } from '../../src/nerdctl/exec/runner.js'
import { copy, exportContainer } from '../../src/nerdctl/ops/containers.js'
import { removeTree, unpackOutput } from '../../src/nerdctl/ops/files.js'
import { imageBuild, imageSave } from '../../src/nerdctl/ops/images.js'

const ok: ProcessResult = { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false }

let root = ''
let savedUmask = 0
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'owned-output-'))
  // Not the usual 022: what lands must show this process's umask was applied.
  savedUmask = process.umask(0o027)
})
afterEach(() => {
  process.umask(savedUmask)
  rmSync(root, { recursive: true, force: true })
})

/** A tar archive of `dir`'s entries `names`, as nerdctl streams it. */
function archiveOf(dir: string, names: string[]): Buffer {
  return execFileSync('tar', ['--create', '--file', '-', '--directory', dir, '--', ...names])
}

/** A tree as a container has it: a 0777 file, a 0600 one, a link, a subdirectory. */
function containerTree(): string {
  const src = join(root, 'container')
  mkdirSync(join(src, 'www', 'sub'), { recursive: true })
  writeFileSync(join(src, 'www', 'index.html'), 'hello\n', { mode: 0o777 })
  execFileSync('chmod', ['0777', join(src, 'www', 'index.html')])
  writeFileSync(join(src, 'www', 'sub', 'a'), 'private\n', { mode: 0o600 })
  symlinkSync('index.html', join(src, 'www', 'link'))
  return src
}

/** A client whose nerdctl writes `stdout` into the file it is given; other programs run for real. */
function client(stdout: Buffer | string = ''): { client: Nerdctl; calls: RunSpec[] } {
  const calls: RunSpec[] = []
  return {
    calls,
    client: new Nerdctl({
      sudo: true,
      runner: async spec => {
        calls.push(spec)
        if (basename(spec.file) !== 'sudo') return spawnRunner(spec)
        if (spec.stdoutFile) writeFileSync(spec.stdoutFile, stdout)
        return ok
      }
    })
  }
}

const nerdctlArgs = (spec: RunSpec): string[] => spec.args.slice(spec.args.indexOf('nerdctl') + 1)
const mode = (path: string): number => lstatSync(path).mode & 0o7777

describe('copy out of a container', () => {
  test('nerdctl streams the tree; tar unpacks it as this user, umask applied, links kept', async () => {
    const c = client(archiveOf(containerTree(), ['www']))
    const dest = join(root, 'out', 'www')
    await copy('c1:/www', dest, { client: c.client })

    const [cp, tar] = c.calls
    expect(nerdctlArgs(cp as RunSpec)).toEqual(['cp', 'c1:/www', '-'])
    expect(cp?.stdoutFile).toMatch(/nerdctl-cp-[^/]+\/copy\.tar$/)
    // tar runs as this user: never through sudo.
    expect(tar?.file).toBe(systemProgram('tar'))
    expect(tar?.args).toEqual(
      expect.arrayContaining(['--no-same-owner', '--no-same-permissions', '--extract'])
    )
    expect(readFileSync(join(dest, 'index.html'), 'utf8')).toBe('hello\n')
    expect(mode(join(dest, 'index.html'))).toBe(0o750)
    expect(mode(join(dest, 'sub', 'a'))).toBe(0o600)
    expect(readlinkSync(join(dest, 'link'))).toBe('index.html')
    // Nothing half-done beside it, and the archive is gone.
    expect(readdirSync(join(root, 'out'))).toEqual(['www'])
    expect(existsSync(dirname(cp?.stdoutFile ?? '/'))).toBe(false)
  })

  test('one file lands under the name asked for', async () => {
    const src = containerTree()
    const c = client(archiveOf(join(src, 'www'), ['index.html']))
    await copy('c1:/www/index.html', join(root, 'page.html'), { client: c.client })
    expect(readFileSync(join(root, 'page.html'), 'utf8')).toBe('hello\n')
    expect(readdirSync(root).sort()).toEqual(['container', 'page.html'])
  })

  test('DIR/. copies what is in DIR', async () => {
    const c = client(archiveOf(join(containerTree(), 'www'), ['.']))
    await copy('c1:/www/.', join(root, 'site'), { client: c.client })
    expect(readdirSync(join(root, 'site')).sort()).toEqual(['index.html', 'link', 'sub'])
  })

  test('the container root: what is in it, as nerdctl sends it', async () => {
    const c = client(archiveOf(join(containerTree(), 'www'), ['.']))
    await copy('c1:/', join(root, 'rootfs'), { client: c.client })
    expect(readdirSync(join(root, 'rootfs')).sort()).toEqual(['index.html', 'link', 'sub'])
  })

  test('into an existing tree: merged, a link there is replaced and never followed', async () => {
    const c = client(archiveOf(containerTree(), ['www']))
    const outside = join(root, 'outside')
    mkdirSync(outside)
    const dest = join(root, 'out')
    mkdirSync(join(dest, 'www'), { recursive: true })
    writeFileSync(join(dest, 'www', 'kept.txt'), 'was here\n')
    symlinkSync(outside, join(dest, 'www', 'sub'))
    await copy('c1:/www', dest, { client: c.client })
    expect(readFileSync(join(dest, 'www', 'kept.txt'), 'utf8')).toBe('was here\n')
    expect(readFileSync(join(dest, 'www', 'index.html'), 'utf8')).toBe('hello\n')
    expect(lstatSync(join(dest, 'www', 'sub')).isDirectory()).toBe(true)
    expect(readdirSync(outside)).toEqual([])
    expect(readdirSync(dest)).toEqual(['www'])
  })

  test('an archive tar cannot read fails the copy and leaves nothing', async () => {
    const c = client('not a tar archive')
    await expect(copy('c1:/www', join(root, 'out', 'www'), { client: c.client })).rejects.toThrow(
      /tar .* failed with exit code 2/
    )
    expect(readdirSync(join(root, 'out'))).toEqual([])
  })

  test('a copy into a container is unchanged: nerdctl reads the host path', async () => {
    const c = client()
    writeFileSync(join(root, 'in.txt'), 'x')
    await copy(join(root, 'in.txt'), 'c1:/tmp/in.txt', { client: c.client })
    expect(c.calls.map(nerdctlArgs)).toEqual([['cp', join(root, 'in.txt'), 'c1:/tmp/in.txt']])
  })
})

describe('export and save stream into a file of this process', () => {
  test('export: no --output; the tarball is the streamed output, with this umask', async () => {
    const c = client('a tarball')
    const path = join(root, 'out', 'fs.tar')
    await exportContainer('c1', path, { client: c.client })
    expect(nerdctlArgs(c.calls[0] as RunSpec)).toEqual(['export', 'c1'])
    expect(readFileSync(path, 'utf8')).toBe('a tarball')
    expect(mode(path)).toBe(0o640)
    expect(readdirSync(join(root, 'out'))).toEqual(['fs.tar'])
  })

  /** An OCI archive as nerdctl save streams it (index.json last). */
  function ociArchive(): Buffer {
    const dir = join(root, 'oci')
    mkdirSync(join(dir, 'blobs'), { recursive: true })
    writeFileSync(join(dir, 'blobs', 'layer'), 'x'.repeat(3000))
    writeFileSync(join(dir, 'index.json'), '{"schemaVersion":2}')
    const tar = archiveOf(dir, ['blobs', 'index.json'])
    rmSync(dir, { recursive: true, force: true })
    return tar
  }

  test('save: no --output; the tarball is the streamed output', async () => {
    const archive = ociArchive()
    const c = client(archive)
    const path = join(root, 'images.tar')
    await imageSave(['127.0.0.1:5000/a:1', '127.0.0.1:5000/b:1'], path, { client: c.client })
    expect(nerdctlArgs(c.calls[0] as RunSpec)).toEqual([
      'save',
      '127.0.0.1:5000/a:1',
      '127.0.0.1:5000/b:1'
    ])
    expect(readFileSync(path).equals(archive)).toBe(true)
    expect(mode(path)).toBe(0o640)
  })

  test.each([
    ['cut short', (a: Buffer) => a.subarray(0, 2048)],
    ['without index.json', () => archiveOf(containerTree(), ['www'])]
  ])(
    'save: an archive %s, though nerdctl exited 0, is saved once more, and never takes the name',
    async (_how, bad) => {
      const archive = ociArchive()
      const path = join(root, 'kept.tar')
      writeFileSync(path, 'what the user had')
      const cut = bad(archive)
      const twice = client(cut)
      await expect(imageSave('127.0.0.1:5000/a:1', path, { client: twice.client })).rejects.toThrow(
        /exited 0 but wrote an archive that is (cut short|without index\.json); nothing was written/
      )
      expect(twice.calls.filter(c => basename(c.file) === 'sudo')).toHaveLength(2)
      expect(readFileSync(path, 'utf8')).toBe('what the user had')
      expect(readdirSync(root).filter(f => f.includes('kept') && f !== 'kept.tar')).toEqual([])
      // A second save that writes the whole archive succeeds.
      let n = 0
      const once = new Nerdctl({
        sudo: true,
        runner: async spec => {
          if (basename(spec.file) !== 'sudo') return spawnRunner(spec)
          if (spec.stdoutFile) writeFileSync(spec.stdoutFile, n++ === 0 ? cut : archive)
          return ok
        }
      })
      await imageSave('127.0.0.1:5000/a:1', path, { client: once })
      expect(readFileSync(path).equals(archive)).toBe(true)
    }
  )
})

describe('build outputs on this machine', () => {
  test('type=local comes as a tar on standard output and is unpacked as this user', async () => {
    const src = containerTree()
    const c = client(archiveOf(src, ['www']))
    const dest = join(root, 'site')
    const r = await imageBuild('', root, { client: c.client, output: `type=local,dest=${dest}` })
    expect(r.imageId).toBe('')
    const args = nerdctlArgs(c.calls[0] as RunSpec)
    expect(args[args.indexOf('--output') + 1]).toBe('type=tar,dest=-')
    expect(readFileSync(join(dest, 'www', 'index.html'), 'utf8')).toBe('hello\n')
    expect(mode(join(dest, 'www', 'index.html'))).toBe(0o750)
    expect(readdirSync(root).sort()).toEqual(['container', 'site'])
  })

  test('type=tar is the streamed output itself', async () => {
    const c = client('an archive')
    const dest = join(root, 'site.tar')
    await imageBuild('', root, { client: c.client, output: `type=tar,dest=${dest}` })
    const args = nerdctlArgs(c.calls[0] as RunSpec)
    expect(args[args.indexOf('--output') + 1]).toBe('type=tar,dest=-')
    expect(readFileSync(dest, 'utf8')).toBe('an archive')
    expect(mode(dest)).toBe(0o640)
  })
})

describe('host programs and the scratch directory', () => {
  test('tool: through sudo -n only when privileged and the client uses sudo', async () => {
    const specs: RunSpec[] = []
    const runner = async (spec: RunSpec): Promise<ProcessResult> => {
      specs.push(spec)
      return ok
    }
    await new Nerdctl({ sudo: true, runner }).tool(['rm', '-rf', '--', '/x'], { privileged: true })
    await new Nerdctl({ sudo: false, runner }).tool(['rm', '-rf', '--', '/x'], { privileged: true })
    await new Nerdctl({ sudo: true, runner }).tool(['tar', '--version'])
    expect(specs.map(s => [s.file, ...s.args])).toEqual([
      [systemProgram('sudo'), '-n', '--', systemProgram('rm'), '-rf', '--', '/x'],
      [systemProgram('rm'), '-rf', '--', '/x'],
      [systemProgram('tar'), '--version']
    ])
    // Bounded like every control call.
    for (const s of specs) expect(s.timeoutMs).toBeGreaterThan(0)
  })

  test('tool: a failure names the program, its exit code and what it said', async () => {
    const runner = async (): Promise<ProcessResult> => ({
      ...ok,
      exitCode: 1,
      stderr: 'rm: cannot remove'
    })
    await expect(new Nerdctl({ runner }).tool(['rm', '/x'])).rejects.toMatchObject({
      kind: 'CommandFailed',
      message: expect.stringMatching(
        /^\/(usr\/)?s?bin\/rm \/x failed with exit code 1: rm: cannot remove/
      ) as unknown
    })
  })

  test('tool: cancelled by the call signal, named as the program it is', async () => {
    const abort = new AbortController()
    abort.abort(new Error('job cancelled'))
    await expect(
      new Nerdctl().tool(['tar', '--version'], { signal: abort.signal })
    ).rejects.toMatchObject({
      kind: 'Cancelled',
      message: `${systemProgram('tar')} --version was cancelled: job cancelled`
    })
  })

  test('removeTree removes what this user may, and refuses a relative path', async () => {
    mkdirSync(join(root, 'scratch', 'a', 'b'), { recursive: true })
    writeFileSync(join(root, 'scratch', 'a', 'b', 'f'), 'x')
    await removeTree(join(root, 'scratch'))
    expect(readdirSync(root)).toEqual([])
    await expect(removeTree('scratch')).rejects.toThrow(/absolute path/)
  })

  test('unpackOutput onto an existing directory without a name to go in is refused', async () => {
    mkdirSync(join(root, 'dir'))
    await expect(
      unpackOutput(join(root, 'dir'), join(root, 'none.tar'), { contents: true })
    ).rejects.toThrow(/is a directory/)
  })
})
