// Captures what a test makes the process print (core writes workflow commands
// to stdout), which also keeps the test output clean. Call in beforeEach;
// `restore()` in afterEach.
export interface Captured {
  /** Everything written so far. */
  text(): string
  /** Forgets what was captured so far. */
  clear(): void
  restore(): void
}

export function captureOutput(stream: NodeJS.WriteStream = process.stdout): Captured {
  const real = stream.write
  let text = ''
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
    const cb = rest.find(r => typeof r === 'function') as (() => void) | undefined
    cb?.()
    return true
  }) as typeof stream.write
  return {
    text: () => text,
    clear: () => {
      text = ''
    },
    restore: () => {
      stream.write = real
    }
  }
}
