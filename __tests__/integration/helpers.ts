// What the integration tests share: the stack's addresses (from scripts/stack.sh
// env), unique names so runs never collide, and cleanup of what a test made.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Nerdctl } from '../../src/nerdctl/exec/client.js'

export const REGISTRY = process.env.NERDCTL_TEST_REGISTRY ?? '127.0.0.1:5000'
export const AUTH_REGISTRY = process.env.NERDCTL_TEST_AUTH_REGISTRY ?? '127.0.0.1:5001'
export const AUTH_USER = process.env.NERDCTL_TEST_AUTH_USER ?? 'nerdctl-test'
export const AUTH_PASSWORD = process.env.NERDCTL_TEST_AUTH_PASSWORD ?? 'nerdctl-test-password'
export const BASE_IMAGE = process.env.NERDCTL_TEST_BASE_IMAGE ?? `${REGISTRY}/busybox:stable`
/** The same busybox as an index of linux/amd64 and linux/arm64 (scripts/stack.sh makes it). */
export const MULTI_IMAGE = process.env.NERDCTL_TEST_MULTI_IMAGE ?? `${REGISTRY}/busybox:multi`
export const BUILDKIT_HOST = process.env.BUILDKIT_HOST ?? 'unix:///run/buildkit/buildkitd.sock'
/** Label on everything the tests create, so a failed run's leftovers can be found. */
export const TEST_LABEL = 'io.github.nerdctl-action.test=1'

export function uniqueName(prefix: string): string {
  return `itg-${prefix}-${randomBytes(4).toString('hex')}`
}

/** A scratch directory removed by the returned function. */
export function tempDir(prefix = 'nerdctl-itg-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))
      )
    })
  })
}

/** GETs a URL until it answers or the deadline passes (a service takes a moment). */
export async function httpGet(
  url: string,
  timeoutMs = 10000
): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
      return { status: res.status, body: await res.text() }
    } catch (e: unknown) {
      last = e
      await new Promise(r => setTimeout(r, 200))
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${String(last)}`)
}

/** Force-removes containers and images by name, ignoring those already gone. */
export async function removeQuietly(
  client: Nerdctl,
  what: { containers?: string[]; images?: string[] }
): Promise<void> {
  if (what.containers?.length)
    await client.exec(['rm', '-f', ...what.containers], { allowFailure: true })
  if (what.images?.length) await client.exec(['rmi', '-f', ...what.images], { allowFailure: true })
}
