// Random names (partial files beside a target) from the kernel's generator,
// read directly: as strong as node:crypto's, without loading node:crypto,
// which costs about 12 ms of every start of the action (main and post).
import { closeSync, openSync, readSync } from 'node:fs'

/** `bytes` random bytes as hex, from /dev/urandom (Web Crypto where there is none). */
export function randomHex(bytes: number): string {
  const buf = Buffer.alloc(bytes)
  let fd: number
  try {
    fd = openSync('/dev/urandom', 'r')
  } catch {
    globalThis.crypto.getRandomValues(buf)
    return buf.toString('hex')
  }
  try {
    for (let n = 0; n < bytes;) n += readSync(fd, buf, n, bytes - n, null)
  } finally {
    closeSync(fd)
  }
  return buf.toString('hex')
}
