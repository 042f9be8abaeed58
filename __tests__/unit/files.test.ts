// atomicOutput: a write lands under its name only when it succeeded.
import { mkdir, mkdtemp, readFile, readdir, realpath, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { NerdctlError } from '../../src/nerdctl/base/errors.js'
import { atomicOutput, removePartials } from '../../src/nerdctl/ops/files.js'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'

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
