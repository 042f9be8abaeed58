// Probes from this machine to a container's address on its network: a TCP
// connection, an HTTP GET. The readiness waiter's port and HTTP checks use
// them, and the health waiter watches published ports with the first to see a
// service start listening.
import { connect } from 'node:net'
import { DEFAULT_NET_PROBE_TIMEOUT_MS as PROBE_TIMEOUT_MS } from '../base/defaults.js'
import type { HttpCheck } from '../base/types.js'
import { httpMismatch } from '../pure/readiness.js'

/**
 * Opens and closes a TCP connection; resolves to undefined, or why it failed.
 * `timeoutMs` bounds the whole attempt, and an abort of `signal` ends it at
 * once (nothing is left open to keep the process alive).
 */
export function tcpProbe(
  host: string,
  port: number,
  timeoutMs = PROBE_TIMEOUT_MS,
  signal?: AbortSignal
): Promise<string | undefined> {
  return new Promise(resolve => {
    if (signal?.aborted) {
      resolve('cancelled')
      return
    }
    const socket = connect({ host, port })
    const cancel = (): void => done('cancelled')
    const timer = setTimeout(() => done(`no answer within ${timeoutMs} ms`), timeoutMs)
    const done = (why: string | undefined): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', cancel)
      socket.destroy()
      resolve(why)
    }
    signal?.addEventListener('abort', cancel, { once: true })
    socket.once('connect', () => done(undefined))
    socket.once('error', e => done(e.message))
  })
}

/**
 * One GET; resolves to undefined when the answer is what the check expects,
 * else why not. `timeoutMs` bounds the whole exchange, not the quiet between
 * two packets: a server that drips its answer a byte at a time is cut off at
 * the limit, and an abort of `signal` ends it at once.
 */
export async function httpProbe(
  host: string,
  check: HttpCheck,
  timeoutMs = PROBE_TIMEOUT_MS,
  signal?: AbortSignal
): Promise<string | undefined> {
  if (signal?.aborted) return 'cancelled'
  // Loaded on first use: node:http is a few ms of every start of the action,
  // and only an http readiness check needs it.
  const { request } = await import('node:http')
  return new Promise(resolve => {
    let settled = false
    const finish = (why: string | undefined): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal?.removeEventListener('abort', cancel)
      req.destroy()
      resolve(why)
    }
    const cancel = (): void => finish('cancelled')
    const req = request(
      { host, port: check.port, path: check.path ?? '/', method: 'GET', agent: false },
      res => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          if (body.length < 65536) body += chunk
        })
        res.on('end', () => finish(httpMismatch(check, res.statusCode ?? 0, body)))
        res.on('error', e => finish(e.message))
      }
    )
    const timer = setTimeout(() => finish(`no whole answer within ${timeoutMs} ms`), timeoutMs)
    signal?.addEventListener('abort', cancel, { once: true })
    req.on('error', e => finish(e.message))
    req.end()
  })
}
