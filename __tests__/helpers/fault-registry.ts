// A registry that misbehaves on cue, for tests: an HTTP proxy on 127.0.0.1
// (a random port) in front of a real registry, which answers chosen requests
// with a fault instead of passing them on. Faults are scripted as an ordered
// list of rules; a request takes the first rule that matches it and still has
// answers left, so "three 503s, then a 429" is three rules and a fourth.
// containerd retries some answers by itself (a 5xx once, a 429 up to four
// more times), so a rule meant to fail one nerdctl call counts those tries.
//
// It only imports Node's own modules: scripts/record-fixtures.sh compiles it
// alone and runs it as a command (see `main` at the end).
import { createServer, request, type IncomingMessage, type Server } from 'node:http'
import type { Socket } from 'node:net'

export type Fault =
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Close the connection without an answer (the client sees a reset or EOF). */
  | { reset: true }
  /** Accept the request and never answer (until the proxy stops). */
  | { stall: true }

export interface FaultRule {
  method?: string
  /** Matched against the request path (with its query). */
  path?: RegExp
  fault: Fault
  /** How many matching requests get the fault; default 1. */
  times?: number
}

export interface SeenRequest {
  method: string
  path: string
  /** The status answered, 'reset' or 'stall'. */
  answer: number | 'reset' | 'stall'
}

export interface FaultRegistry {
  /** host:port of the proxy, to use as a registry host. */
  host: string
  port: number
  /** Every request in order, with what it was answered. */
  seen: SeenRequest[]
  /** Appends rules (after those still pending). */
  add(...rules: FaultRule[]): void
  /** Rules with answers left. */
  pending(): number
  close(): Promise<void>
}

/** Starts a proxy to `upstream` (host:port of a plain-HTTP registry). */
export async function startFaultRegistry(
  upstream: string,
  rules: FaultRule[] = [],
  listenHost = '127.0.0.1'
): Promise<FaultRegistry> {
  const [upHost, upPort] = splitHostPort(upstream)
  const left = rules.map(r => ({ rule: r, left: r.times ?? 1 }))
  const seen: SeenRequest[] = []
  const sockets = new Set<Socket>()

  const server: Server = createServer((req, res) => {
    const method = req.method ?? 'GET'
    const path = req.url ?? '/'
    const hit = left.find(
      l =>
        l.left > 0 &&
        (!l.rule.method || l.rule.method === method) &&
        (!l.rule.path || l.rule.path.test(path))
    )
    if (hit) {
      hit.left--
      const f = hit.rule.fault
      if ('reset' in f) {
        seen.push({ method, path, answer: 'reset' })
        req.socket.destroy()
        return
      }
      if ('stall' in f) {
        seen.push({ method, path, answer: 'stall' })
        return
      }
      seen.push({ method, path, answer: f.status })
      drain(req)
      const body = f.body ?? JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'fault' }] })
      res.writeHead(f.status, { 'Content-Type': 'application/json', ...f.headers })
      res.end(body)
      return
    }
    // Host passes unchanged: the registry builds upload URLs from it, which
    // must point back at the proxy.
    const up = request(
      { host: upHost, port: upPort, method, path, headers: req.headers },
      upRes => {
        seen.push({ method, path, answer: upRes.statusCode ?? 0 })
        res.writeHead(upRes.statusCode ?? 502, upRes.headers)
        upRes.pipe(res)
      }
    )
    up.on('error', () => req.socket.destroy())
    req.pipe(up)
  })
  server.on('connection', s => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, listenHost, () => resolve())
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('fault registry has no port')
  return {
    host: `${listenHost}:${address.port}`,
    port: address.port,
    seen,
    add: (...more) => left.push(...more.map(r => ({ rule: r, left: r.times ?? 1 }))),
    pending: () => left.filter(l => l.left > 0).length,
    close: () =>
      new Promise<void>(resolve => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}

function drain(req: IncomingMessage): void {
  req.on('data', () => undefined)
}

function splitHostPort(hostPort: string): [string, number] {
  const i = hostPort.lastIndexOf(':')
  return [hostPort.slice(0, i), Number(hostPort.slice(i + 1))]
}

/**
 * As a command (for the fixture recorder):
 *   node fault-registry.js UPSTREAM 'RULES-JSON' [LISTEN-HOST]
 * prints host:port on its first line, then runs until killed. In the JSON a
 * rule's path is a regular expression's source.
 */
async function main(argv: string[]): Promise<void> {
  const [upstream, json = '[]', listen = '127.0.0.1'] = argv
  if (!upstream) throw new Error('usage: fault-registry UPSTREAM RULES-JSON [LISTEN-HOST]')
  type JsonRule = Omit<FaultRule, 'path'> & { path?: string }
  const rules = (JSON.parse(json) as JsonRule[]).map((r): FaultRule => ({
    ...r,
    path: r.path === undefined ? undefined : new RegExp(r.path)
  }))
  const proxy = await startFaultRegistry(upstream, rules, listen)
  process.stdout.write(`${proxy.host}\n`)
  process.on('SIGTERM', () => {
    for (const s of proxy.seen) process.stderr.write(`${s.method} ${s.path} ${s.answer}\n`)
    void proxy.close().then(() => process.exit(0))
  })
}

if (process.argv[1]?.endsWith('fault-registry.js')) await main(process.argv.slice(2))
