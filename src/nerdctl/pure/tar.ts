// Reading a tar archive's headers (POSIX ustar and GNU long names), without
// its contents: enough to tell whether an archive a tool wrote is whole.

/** One 512-byte header, read: undefined for the zero block that ends an archive. */
export interface TarHeader {
  name: string
  size: number
  /** The next entry's name comes in this one's data (GNU 'L'). */
  longName: boolean
}

function text(block: Uint8Array, from: number, length: number): string {
  const bytes = block.subarray(from, from + length)
  const end = bytes.indexOf(0)
  return Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString('utf8')
}

/** The size field: octal text, or base-256 when its first byte's high bit is set (over 8 GiB). */
function sizeOf(block: Uint8Array): number {
  const field = block.subarray(124, 136)
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let n = 0
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] ?? 0)
    return n
  }
  const digits = text(block, 124, 12).trim()
  return digits === '' ? 0 : parseInt(digits, 8)
}

/** Reads one header block; undefined at the end-of-archive zero block. */
export function tarHeader(block: Uint8Array): TarHeader | undefined {
  if (block.every(b => b === 0)) return undefined
  const prefix = text(block, 345, 155)
  const name = text(block, 0, 100)
  const type = String.fromCharCode(block[156] ?? 0)
  return { name: prefix ? `${prefix}/${name}` : name, size: sizeOf(block), longName: type === 'L' }
}

/** Where the next header starts after one whose data is `size` bytes. */
export function nextHeader(offset: number, size: number): number {
  return offset + 512 + Math.ceil(size / 512) * 512
}
