// A lock for the whole machine, held by the kernel: `flock` (util-linux) takes
// it on a directory and holds it while its child `cat` runs, and `cat` runs
// until this process closes its standard input, which the kernel does when
// this process ends, however it ends (a kill included). So a lock is never
// left behind by a dead holder, and no lock file needs judging as stale.
// A directory, not a file: with fs.protected_regular (the default on most
// distributions), opening another user's file in sticky /run/lock is refused.
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { systemProgram } from './programs.js'

export interface MachineLock {
  /** Lets the lock go (and ends the holder); safe to call twice. Until then the holder keeps Node running. */
  release(): Promise<void>
}

/**
 * Takes the lock named by `dir` (made, mode 0755, when absent), waiting at
 * most `waitMs`; resolves undefined when it stays taken that long, or when
 * `flock` cannot run (then `why` is told the reason).
 */
export async function machineLock(
  dir: string,
  waitMs: number,
  why: (reason: string) => void = () => {}
): Promise<MachineLock | undefined> {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 })
  } catch (e: unknown) {
    why(`cannot make ${dir}: ${(e as Error).message}`)
    return undefined
  }
  const seconds = Math.max(0, waitMs / 1000).toFixed(1)
  const child = spawn(
    systemProgram('flock'),
    ['--wait', seconds, '--conflict-exit-code', '75', dir, systemProgram('cat')],
    { stdio: ['pipe', 'pipe', 'pipe'] }
  )
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const ended = new Promise<number | null>(resolve => {
    child.on('error', e => {
      stderr += e.message
      resolve(null)
    })
    child.on('close', code => resolve(code))
  })
  // `cat` echoes what it reads: the byte coming back says flock let it start.
  const held = new Promise<boolean>(resolve => {
    child.stdout.once('data', () => resolve(true))
    void ended.then(() => resolve(false))
  })
  child.stdin.on('error', () => {})
  child.stdin.write('x')
  if (!(await held)) {
    const code = await ended
    if (code !== 75) why(`flock failed${code === null ? '' : ` (exit ${code})`}: ${stderr.trim()}`)
    return undefined
  }
  // The holder stays referenced: release() waits for it to end, and Node
  // would exit in the middle of that wait if nothing it awaits were referenced.
  let released: Promise<void> | undefined
  return {
    release: () => {
      released ??= (async () => {
        child.stdin.end()
        await ended
      })()
      return released
    }
  }
}
