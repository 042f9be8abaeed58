// atomicOutput: a write lands under its name only when it succeeded.
import { mkdir, mkdtemp, readFile, readdir, realpath, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { NerdctlError } from '../../src/nerdctl/base/errors.js'
import {
  atomicOutput,
  removePartials,
  removeRecordedPartials,
  unpackOutput
} from '../../src/nerdctl/ops/files.js'
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'

let root = ''
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'atomic-test-'))
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false
  )
}

describe('atomicOutput', () => {
  test('success: written to a temporary name beside the target, renamed into place', async () => {
    const target = join(root, 'image.tar')
    const seen: string[] = []
    const final = await atomicOutput(target, {}, async tmp => {
      seen.push(tmp)
      await writeFile(tmp, 'tarball')
      // Nothing under the target's name while it is being written.
      expect(await exists(target)).toBe(false)
    })
    expect(final).toBe(resolve(target))
    expect(await readFile(target, 'utf8')).toBe('tarball')
    expect(seen).toHaveLength(1)
    const tmp = seen[0] as string
    expect(tmp).not.toBe(target)
    expect(dirname(tmp)).toBe(root)
    // The temporary file is gone: only the target is left.
    expect(await readdir(root)).toEqual(['image.tar'])
  })

  test('success replaces a file that was there', async () => {
    const target = join(root, 'out.log')
    await writeFile(target, 'old')
    await atomicOutput(target, {}, tmp => writeFile(tmp, 'new'))
    expect(await readFile(target, 'utf8')).toBe('new')
    expect(await readdir(root)).toEqual(['out.log'])
  })

  test('a relative target is resolved', async () => {
    const cwd = process.cwd()
    process.chdir(root)
    try {
      const final = await atomicOutput('rel/out.txt', {}, tmp => writeFile(tmp, 'x'))
      // process.cwd() has symlinks resolved (macOS: /var -> /private/var).
      expect(final).toBe(join(await realpath(root), 'rel', 'out.txt'))
    } finally {
      process.chdir(cwd)
    }
    expect(await readFile(join(root, 'rel', 'out.txt'), 'utf8')).toBe('x')
  })

  test('failure: the error comes through and no partial file is left', async () => {
    const target = join(root, 'image.tar')
    const boom = new Error('nerdctl save failed')
    await expect(
      atomicOutput(target, {}, async tmp => {
        await writeFile(tmp, 'half a tarb')
        throw boom
      })
    ).rejects.toBe(boom)
    expect(await exists(target)).toBe(false)
    expect(await readdir(root)).toEqual([])
  })

  test('failure: a file that was there is untouched', async () => {
    const target = join(root, 'image.tar')
    await writeFile(target, 'the good old one')
    await expect(
      atomicOutput(target, {}, async tmp => {
        await writeFile(tmp, 'partial')
        throw new Error('failed')
      })
    ).rejects.toThrow('failed')
    expect(await readFile(target, 'utf8')).toBe('the good old one')
    expect(await readdir(root)).toEqual(['image.tar'])
  })

  test('failure after writing a directory (cp of a directory): removed too', async () => {
    const target = join(root, 'copied')
    await expect(
      atomicOutput(target, {}, async tmp => {
        // The temporary name is made as an empty file first; a writer of a tree replaces it.
        await rm(tmp)
        await mkdir(join(tmp, 'sub'), { recursive: true })
        await writeFile(join(tmp, 'sub', 'f'), 'x')
        throw new Error('cp failed')
      })
    ).rejects.toThrow('cp failed')
    expect(await readdir(root)).toEqual([])
  })

  test('failure before anything was written', async () => {
    const target = join(root, 'x.tar')
    await expect(
      atomicOutput(target, {}, async () => {
        throw new Error('could not start')
      })
    ).rejects.toThrow('could not start')
    expect(await readdir(root)).toEqual([])
  })

  test('a directory target is refused without intoDirectory, and nothing runs', async () => {
    const target = join(root, 'outdir')
    await mkdir(target)
    let ran = false
    let error: unknown
    try {
      await atomicOutput(target, {}, async () => {
        ran = true
      })
    } catch (e: unknown) {
      error = e
    }
    expect(error).toBeInstanceOf(NerdctlError)
    expect((error as NerdctlError).kind).toBe('Other')
    expect((error as NerdctlError).message).toContain(`${target} is a directory`)
    expect(ran).toBe(false)
    expect(await readdir(target)).toEqual([])
  })

  test('intoDirectory: written inside the directory under that name', async () => {
    const target = join(root, 'outdir')
    await mkdir(target)
    const final = await atomicOutput(target, { intoDirectory: 'app.log' }, async tmp => {
      expect(dirname(tmp)).toBe(target)
      await writeFile(tmp, 'log')
    })
    expect(final).toBe(join(target, 'app.log'))
    expect(await readFile(final, 'utf8')).toBe('log')
    expect(await readdir(target)).toEqual(['app.log'])
  })

  test('intoDirectory does not apply to a file target', async () => {
    const target = join(root, 'plain.txt')
    const final = await atomicOutput(target, { intoDirectory: 'ignored' }, tmp =>
      writeFile(tmp, 'x')
    )
    expect(final).toBe(target)
    expect(await readFile(target, 'utf8')).toBe('x')
  })

  test('intoDirectory onto an existing directory merges into it in place', async () => {
    const target = join(root, 'dest')
    await mkdir(join(target, 'etc'), { recursive: true })
    await writeFile(join(target, 'etc', 'old'), 'old')
    const seen: string[] = []
    const final = await atomicOutput(target, { intoDirectory: 'etc' }, async tmp => {
      seen.push(tmp)
      await writeFile(join(tmp, 'new'), 'new')
    })
    expect(final).toBe(join(target, 'etc'))
    expect(seen).toEqual([join(target, 'etc')])
    expect((await readdir(join(target, 'etc'))).sort()).toEqual(['new', 'old'])
  })

  test('parent directories are created', async () => {
    const target = join(root, 'a', 'b', 'c', 'out.tar')
    const final = await atomicOutput(target, {}, tmp => writeFile(tmp, 'deep'))
    expect(final).toBe(target)
    expect(await readFile(target, 'utf8')).toBe('deep')
    expect(await readdir(join(root, 'a', 'b', 'c'))).toEqual(['out.tar'])
  })

  test.each(['', '   '])('an empty path "%s" is refused', async target => {
    await expect(atomicOutput(target, {}, async () => {})).rejects.toThrow(/output path is empty/)
  })
})

describe('removePartials', () => {
  test('removes only the partial names of that target, files and directories', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'partials-'))
    try {
      const target = join(dir, 'fs.tar')
      writeFileSync(target, 'the real one')
      writeFileSync(join(dir, '.fs.tar.partial-1234abcd'), 'half')
      mkdirSync(join(dir, '.fs.tar.partial-dir00000'))
      writeFileSync(join(dir, '.other.tar.partial-1234abcd'), 'not ours')
      writeFileSync(join(dir, 'fs.tar.partial-1234abcd'), 'not hidden, not ours')
      const gone = await removePartials(target)
      expect(gone.sort()).toEqual(
        [join(dir, '.fs.tar.partial-1234abcd'), join(dir, '.fs.tar.partial-dir00000')].sort()
      )
      expect(readdirSync(dir).sort()).toEqual(
        ['.other.tar.partial-1234abcd', 'fs.tar', 'fs.tar.partial-1234abcd'].sort()
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a missing directory is nothing to remove', async () => {
    expect(await removePartials('/no/such/dir/x.tar')).toEqual([])
  })
})

describe('the write-time guard: a link cannot lead an output outside its roots', () => {
  let ws = ''
  let outside = ''
  beforeEach(async () => {
    const top = await realpath(root)
    ws = join(top, 'ws')
    outside = join(top, 'outside')
    mkdirSync(ws)
    mkdirSync(outside)
    writeFileSync(join(outside, 'canary'), 'canary')
  })

  test('a parent that is a link leading out: refused before anything is written or made', async () => {
    symlinkSync(outside, join(ws, 'planted'))
    let wrote = false
    await expect(
      atomicOutput(join(ws, 'planted', 'new', 'canary'), { roots: [ws] }, async () => {
        wrote = true
      })
    ).rejects.toThrow(`leads to ${join(outside, 'new')}`)
    await expect(
      atomicOutput(join(ws, 'planted', 'canary'), { roots: [ws] }, async () => {
        wrote = true
      })
    ).rejects.toThrow('outside the directories this step may write')
    expect(wrote).toBe(false)
    expect(readdirSync(outside)).toEqual(['canary'])
  })

  test('a target that is a link leading out: refused, the canary unchanged', async () => {
    symlinkSync(join(outside, 'canary'), join(ws, 'out.tar'))
    await expect(
      atomicOutput(join(ws, 'out.tar'), { roots: [ws] }, tmp => writeFile(tmp, 'x'))
    ).rejects.toThrow('outside')
    expect(readFileSync(join(outside, 'canary'), 'utf8')).toBe('canary')
  })

  test('a directory swapped for a link while the output is written: the rename is refused', async () => {
    mkdirSync(join(ws, 'out'))
    await expect(
      atomicOutput(join(ws, 'out', 'canary'), { roots: [ws] }, async tmp => {
        await writeFile(tmp, 'tarball')
        // What another process on the runner could do meanwhile.
        renameSync(join(ws, 'out'), join(ws, 'was-out'))
        symlinkSync(outside, join(ws, 'out'))
      })
    ).rejects.toThrow('outside')
    expect(readFileSync(join(outside, 'canary'), 'utf8')).toBe('canary')
    expect(readdirSync(outside)).toEqual(['canary'])
  })

  test('inside the roots, through a link that stays inside: written, the temporary name told first', async () => {
    mkdirSync(join(ws, 'real'))
    symlinkSync(join(ws, 'real'), join(ws, 'alias'))
    const told: string[] = []
    let given = ''
    await atomicOutput(
      join(ws, 'alias', 'x.tar'),
      { roots: [ws], onPartial: p => told.push(p) },
      async tmp => {
        given = tmp
        // Made (empty, new, not through a link) before the writer gets it.
        expect(readFileSync(tmp, 'utf8')).toBe('')
        await writeFile(tmp, 'data')
      }
    )
    expect(told).toEqual([given])
    expect(dirname(given)).toBe(join(ws, 'real'))
    expect(readFileSync(join(ws, 'real', 'x.tar'), 'utf8')).toBe('data')
  })

  test('unpackOutput into a directory that is a link leading out: refused before tar runs', async () => {
    symlinkSync(outside, join(ws, 'dir'))
    await expect(
      unpackOutput(join(ws, 'dir'), join(root, 'none.tar'), {
        intoDirectory: 'canary',
        roots: [ws]
      })
    ).rejects.toThrow('outside')
    expect(readFileSync(join(outside, 'canary'), 'utf8')).toBe('canary')
  })
})

describe('removeRecordedPartials', () => {
  test('removes the recorded partial names of this user, nothing else', async () => {
    const partial = join(root, '.fs.tar.partial-0badf00d')
    const dirPartial = join(root, '.www.partial-00c0ffee')
    const unrecorded = join(root, '.fs.tar.partial-12345678')
    const notPartial = join(root, 'fs.tar')
    const link = join(root, '.link.partial-abcdef01')
    writeFileSync(partial, 'half')
    mkdirSync(dirPartial)
    writeFileSync(join(dirPartial, 'f'), 'half')
    writeFileSync(unrecorded, 'another writer')
    writeFileSync(notPartial, 'kept')
    const canary = join(root, 'canary')
    mkdirSync(canary)
    symlinkSync(canary, link)
    const gone = await removeRecordedPartials([
      partial,
      dirPartial,
      notPartial,
      link,
      'rel/.x.partial-00000000'
    ])
    expect(gone).toEqual([partial, dirPartial])
    expect(readdirSync(root).sort()).toEqual([
      '.fs.tar.partial-12345678',
      '.link.partial-abcdef01',
      'canary',
      'fs.tar'
    ])
  })
})
