// Readiness as strategies: the combinators, the one loop over an injectable
// clock (no test here sleeps through a wait), the client rule, the message of
// a wait that ends without ready, the followed logs, and probes bounded by
// the wait's deadline. Over a fake process runner and local sockets.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { Nerdctl } from '../../src/nerdctl/exec/client.js'
import type { ProcessResult, RunSpec } from '../../src/nerdctl/exec/runner.js'
import { NerdctlError } from '../../src/nerdctl/base/errors.js'
import type { Clock, Look, LookContext, ReadinessCheck } from '../../src/nerdctl/base/types.js'
import { all, any, inOrder, pollDelay } from '../../src/nerdctl/pure/readiness.js'
import { waitFor, waitForHealthy } from '../../src/nerdctl/ops/readiness.js'
import { httpProbe } from '../../src/nerdctl/ops/net-probes.js'
import { fixture } from './fixtures.js'

/** A clock whose sleep moves time on at once. */
function fakeClock(): Clock & { slept: () => number } {
  let t = Date.now()
  let slept = 0
  return {
    now: () => t,
    sleep: async ms => {
      t += Math.max(0, ms)
      slept += Math.max(0, ms)
      await new Promise(r => setImmediate(r))
    },
    slept: () => slept
  }
}

const done: ProcessResult = { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false }

/** The recorded `starting` container, changed: health interval, state, address and published ports. */
function container(
  o: {
    intervalNs?: number
    health?: Record<string, unknown>
    port?: number
    noHealthCheck?: boolean
  } = {}
): string {
  const [c] = JSON.parse(fixture('inspect-starting.json')) as [
    Record<string, Record<string, unknown>>
  ]
  const labels = (c.Config as { Labels: Record<string, string> }).Labels
  if (o.noHealthCheck) delete labels['nerdctl/healthcheck']
  else {
    const hc = JSON.parse(labels['nerdctl/healthcheck'] as string) as Record<string, unknown>
    labels['nerdctl/healthcheck'] = JSON.stringify({ ...hc, Interval: o.intervalNs ?? 30e9 })
  }
  if (o.health) c.State = { ...c.State, Health: { FailingStreak: 0, Log: [], ...o.health } }
  if (o.port !== undefined)
    c.NetworkSettings = {
      ...c.NetworkSettings,
      IPAddress: '127.0.0.1',
      Ports: { [`${o.port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(o.port) }] }
    }
  return JSON.stringify([c])
}

/** A free local port and a server that listens on it only when told. */
async function laterServer(onSocket: (s: Socket) => void = s => s.destroy()): Promise<{
  port: number
  listen: () => Promise<void>
  listening: () => boolean
  close: () => Promise<void>
}> {
  const probe = createServer()
  await new Promise<void>(r => probe.listen(0, '127.0.0.1', r))
  const port = (probe.address() as AddressInfo).port
  await new Promise(r => probe.close(r))
  let server: Server | undefined
  return {
    port,
    listen: async () => {
      server = createServer(onSocket)
      await new Promise<void>(r => server?.listen(port, '127.0.0.1', r))
    },
    listening: () => server?.listening ?? false,
    close: () => new Promise<void>(r => (server ? server.close(() => r()) : r()))
  }
}

async function rejection(p: Promise<unknown>): Promise<NerdctlError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err
  )
  expect(e).toBeInstanceOf(NerdctlError)
  return e as NerdctlError
}

/** A check that is ready from its `readyAt`-th look on, counting its looks. */
function counted(
  name: string,
  readyAt: number,
  extra: Partial<Look> = {}
): ReadinessCheck & { looks: number } {
  const c = {
    name,
    looks: 0,
    look: (): Promise<Look> => {
      c.looks++
      return Promise.resolve({ ready: c.looks >= readyAt, detail: `look ${c.looks}`, ...extra })
    }
  }
  return c
}

const context = (): LookContext => ({
  status: JSON.parse('{}') as LookContext['status'],
  deadline: Date.now() + 1000,
  signal: new AbortController().signal,
  clock: fakeClock(),
  keep: () => undefined
})

describe('combinators', () => {
  test('all: ready when every check is; a met one is not looked at again', async () => {
    const a = counted('a', 1)
    const b = counted('b', 3)
    const both = all(a, b)
    expect((await both.look(context())).ready).toBe(false)
    expect((await both.look(context())).ready).toBe(false)
    const last = await both.look(context())
    expect(last.ready).toBe(true)
    expect([a.looks, b.looks]).toEqual([1, 3])
    expect(both.name).toBe('a and b')
  })

  test('any: ready when one is; fails only when every one has', async () => {
    expect((await any(counted('a', 9), counted('b', 1)).look(context())).ready).toBe(true)
    const oneDead = any(counted('a', 9, { fatal: 'gone' }), counted('b', 9))
    expect((await oneDead.look(context())).fatal).toBeUndefined()
    const allDead = any(counted('a', 9, { fatal: 'gone' }), counted('b', 9, { fatal: 'too' }))
    expect((await allDead.look(context())).fatal).toMatch(/a: gone; b: too/)
  })

  test('inOrder: a check is first looked at after the one before passed, in the same look', async () => {
    const a = counted('a', 2)
    const b = counted('b', 1)
    const seq = inOrder(a, b)
    const first = await seq.look(context())
    expect([first.ready, a.looks, b.looks]).toEqual([false, 1, 0])
    expect(first.detail).toMatch(/b: waiting for the check before/)
    expect((await seq.look(context())).ready).toBe(true)
    expect([a.looks, b.looks]).toEqual([2, 1])
  })

  test('the one schedule grows from tens of milliseconds to at most 200 ms', () => {
    expect(pollDelay(0)).toBe(20)
    expect(pollDelay(1)).toBe(30)
    expect(pollDelay(100)).toBe(200)
  })
})

describe('ready for clients', () => {
  test('a health check that passes before the published port accepts (PostgreSQL’s first start) is not ready until the port accepts and health passes after it', async () => {
    const server = await laterServer()
    const clock = fakeClock()
    const t0 = clock.now()
    let probedAt = -1
    const client = new Nerdctl({
      runner: async (spec: RunSpec) => {
        const [sub, what] = spec.args
        // The server's TCP listener comes up 3 s (of the fake clock) into the wait.
        if (clock.now() - t0 >= 3000 && !server.listening()) await server.listen()
        if (sub === 'container' && what === 'healthcheck') {
          probedAt = clock.now()
          return done
        }
        if (sub === 'container' && what === 'inspect')
          return {
            ...done,
            stdout: container({
              port: server.port,
              health: { Status: probedAt >= 0 ? 'healthy' : 'starting' }
            })
          }
        // pg_isready over the unix socket passes from the start.
        return done
      }
    })
    try {
      const status = await waitForHealthy('db', {
        client,
        clock,
        waitTimeoutMs: 60_000,
        nerdctlProbes: true
      })
      expect(status.healthStatus).toBe('healthy')
      expect(server.listening()).toBe(true)
      // The recorded probe that made it healthy ran after the port accepted.
      expect(probedAt - t0).toBeGreaterThanOrEqual(3000)
    } finally {
      await server.close()
    }
  })

  test('clients: false waits for health alone (a published port nothing listens on is not waited for)', async () => {
    const server = await laterServer()
    const { client } = runnerOf({
      'container inspect': () => container({ port: server.port, health: { Status: 'healthy' } })
    })
    const status = await waitForHealthy('db', {
      client,
      clock: fakeClock(),
      clients: false,
      waitTimeoutMs: 5000,
      nerdctlProbes: true
    })
    expect(status.healthStatus).toBe('healthy')
  })

  test('a port nothing listens on ends the wait with why, after the wait’s time (of the clock)', async () => {
    const server = await laterServer()
    const clock = fakeClock()
    const { client, calls } = runnerOf({
      'container inspect': () => container({ port: server.port, noHealthCheck: true })
    })
    const err = await rejection(waitFor('web', { timeoutMs: 5000 }, { client, clock }))
    expect(err.kind).toBe('Timeout')
    expect(err.message).toMatch(
      new RegExp(
        `port ${server.port}: not yet \\(127\\.0\\.0\\.1:${server.port} \\(published\\): .*ECONNREFUSED`
      )
    )
    expect(clock.slept()).toBeGreaterThanOrEqual(4000)
    // The port is tried every 20 ms, the state read on the growing schedule only.
    const inspects = calls.filter(c => c.args[1] === 'inspect').length
    expect(inspects).toBeLessThan(5000 / 200 + 10)
  })
})

/** A client answering by subcommand prefix with stdout text (or a whole result). */
function runnerOf(answers: Record<string, (spec: RunSpec) => string | Partial<ProcessResult>>): {
  client: Nerdctl
  calls: RunSpec[]
} {
  const calls: RunSpec[] = []
  const client = new Nerdctl({
    runner: async spec => {
      calls.push(spec)
      const key = Object.keys(answers).find(k => spec.args.join(' ').startsWith(k))
      const a =
        key === undefined
          ? ''
          : (answers[key] as (s: RunSpec) => string | Partial<ProcessResult>)(spec)
      return typeof a === 'string'
        ? { ...done, stdout: a }
        : { ...done, ...(a as Partial<ProcessResult>) }
    }
  })
  return { client, calls }
}

describe('say why', () => {
  test('a health command that fails for the whole wait: the message shows its quick checks, exit code and output', async () => {
    const { client, calls } = runnerOf({
      'container inspect': () => container(),
      exec: () => ({ exitCode: 2, stderr: 'localhost:5432 - no response' }),
      logs: () => 'starting up'
    })
    const err = await rejection(
      waitForHealthy('db', {
        client,
        clock: fakeClock(),
        waitTimeoutMs: 20_000,
        nerdctlProbes: true
      })
    )
    expect(err.kind).toBe('Timeout')
    const quick = calls.filter(c => c.args[0] === 'exec').length
    expect(quick).toBeGreaterThan(90)
    expect(err.message).toContain(
      `quick checks (nerdctl exec of the health command): ${quick} run, ${quick} failed; the last: exit 2: localhost:5432 - no response`
    )
    expect(err.message).toMatch(/Last log lines of .*:\nstarting up/)
  })
})

describe('logs are followed as a stream', () => {
  test('one `logs --follow`, counted as it comes (a line split between chunks too), stopped before the wait returns', async () => {
    let followerEnded = false
    const { client, calls } = runnerOf({
      'container inspect': () => container({ noHealthCheck: true }),
      logs: () => ''
    })
    const base = client.options.runner as (s: RunSpec) => Promise<ProcessResult>
    const following = new Nerdctl({
      ...client.options,
      runner: async spec => {
        if (spec.args[0] !== 'logs' || !spec.args.includes('--follow')) return base(spec)
        calls.push(spec)
        spec.onStdout?.('init\nready to ')
        spec.onStdout?.('accept connections\n')
        setTimeout(() => spec.onStderr?.('x\nready to accept connections\n'), 30)
        await new Promise(r => spec.signal?.addEventListener('abort', r, { once: true }))
        followerEnded = true
        return { ...done, aborted: true }
      }
    })
    const r = await waitFor(
      'db',
      { log: { pattern: 'ready to accept connections', times: 2 } },
      { client: following, clock: fakeClock() }
    )
    expect(r.met).toEqual(['log /ready to accept connections/ x2'])
    expect(calls.filter(c => c.args[0] === 'logs')).toHaveLength(1)
    expect(followerEnded).toBe(true)
  })
})

describe('nothing runs past the deadline', () => {
  test('a recorded probe is limited to the time left of the wait', async () => {
    const { client, calls } = runnerOf({
      'container inspect': () => container({ intervalNs: 1e6 }),
      exec: () => ({ exitCode: 1 })
    })
    await rejection(
      waitForHealthy('db', {
        client,
        clock: fakeClock(),
        waitTimeoutMs: 1000,
        nerdctlProbes: false
      })
    )
    const probes = calls.filter(c => c.args[1] === 'healthcheck')
    expect(probes.length).toBeGreaterThan(0)
    for (const p of probes) expect(p.timeoutMs).toBeLessThanOrEqual(1000)
  })

  test('an HTTP answer that drips a byte at a time is cut off at the probe’s limit', async () => {
    const server = createServer(socket => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n')
      const t = setInterval(() => socket.write('x'), 50)
      socket.on('close', () => clearInterval(t))
      socket.on('error', () => clearInterval(t))
    })
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    try {
      const t0 = Date.now()
      expect(await httpProbe('127.0.0.1', { port }, 400)).toMatch(/no whole answer within 400 ms/)
      expect(Date.now() - t0).toBeLessThan(2000)
      const stop = new AbortController()
      setTimeout(() => stop.abort(), 100)
      expect(await httpProbe('127.0.0.1', { port }, 60_000, stop.signal)).toBe('cancelled')
    } finally {
      server.close()
    }
  })
})
