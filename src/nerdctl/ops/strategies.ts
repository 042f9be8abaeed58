// Readiness checks that look from this machine or at the container's output:
// TCP ports (through the published address and at the container's own
// address on its network), an HTTP answer, a log line, a command. Each is a
// value with one method (`look`); pure/readiness.ts composes them and
// ops/readiness.ts drives them. The health check is ops/health.ts.
import { networkInterfaces } from 'node:os'
import { DEFAULT_NET_PROBE_TIMEOUT_MS } from '../base/defaults.js'
import { errorMessage, tail } from '../base/text.js'
import type {
  ContainerStatus,
  HttpCheck,
  Look,
  LookContext,
  ReadinessCheck
} from '../base/types.js'
import { nerdctl, type CallOptions } from '../exec/call.js'
import { onSubnet } from '../pure/listings.js'
import { checkContainerRef } from '../pure/validate.js'
import { exec } from './containers.js'
import { httpProbe, tcpProbe } from './net-probes.js'

/** Time left before the deadline, for one probe: never past it, never more than `most`. */
function budget(context: LookContext, most: number): number {
  return Math.max(1, Math.min(most, context.deadline - context.clock.now()))
}

/**
 * Whether this machine reaches an address directly, on the network of one of
 * its own interfaces (a container's bridge, loopback): a probe never goes
 * through a gateway, off the machine.
 */
export function reachedDirectly(ip: string): boolean {
  return Object.values(networkInterfaces()).some(list =>
    (list ?? []).some(i => i.family === 'IPv4' && onSubnet(ip, i.address, i.netmask))
  )
}

/** One address a client may use to reach a port. */
interface Address {
  host: string
  port: number
  /** "published" (the runner's way in) or "network" (the container's own address, as other services reach it). */
  via: 'published' | 'network'
}

/**
 * The host a client on this machine uses for a port published on `hostIp`.
 * Every address (IPv4's or IPv6's) is reached through 127.0.0.1: a runner's
 * IPv6 loopback may have no forwarding rule even when the port has one.
 */
function publishedHost(hostIp: string): string {
  if (!hostIp || hostIp === '0.0.0.0' || hostIp === '::') return '127.0.0.1'
  return hostIp
}

/**
 * Every address a client may use to reach container port `port` (TCP): each
 * address it is published on, and the container's own address when this
 * machine reaches it directly (or, for a port named by the user, always).
 * Rootless, published addresses only: the container's own address is inside
 * rootlesskit's network namespace, and the same address on this machine may
 * well be another container's, on the rootful bridge. Every check that
 * connects from the runner (port, http) picks its addresses here.
 */
export function addressesOf(
  status: ContainerStatus,
  port: number,
  named: boolean,
  rootless = false
): Address[] {
  const out: Address[] = []
  for (const p of status.ports)
    if (p.containerPort === `${port}/tcp` && p.hostPort)
      out.push({ host: publishedHost(p.hostIp), port: Number(p.hostPort), via: 'published' })
  const ip = status.ipAddress
  if (!rootless && ip && (named || reachedDirectly(ip)))
    out.push({ host: ip, port, via: 'network' })
  const seen = new Set<string>()
  return out.filter(a => {
    const key = `${a.host}:${a.port}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** Why a rootless container's port has no address the runner reaches. */
function notPublished(port: number): string {
  return `port ${port} is not published, and nerdctl runs rootless: the runner reaches a rootless container only through its published ports`
}

/** The container ports published over TCP (not the ones an image only EXPOSEs). */
export function publishedTcpPorts(status: ContainerStatus): number[] {
  const ports = status.ports
    .filter(p => p.containerPort.endsWith('/tcp') && p.hostPort)
    .map(p => Number.parseInt(p.containerPort, 10))
    .filter(n => n > 0 && n < 65536)
  return [...new Set(ports)]
}

/**
 * A TCP port accepts a connection at every address a client may use. An
 * address that accepted once is not tried again. Looking costs one connection
 * attempt per address, so it is a cheap check.
 */
export function portCheck(
  status: ContainerStatus,
  port: number,
  named: boolean,
  rootless = false
): ReadinessCheck {
  const addresses = addressesOf(status, port, named, rootless)
  const why = new Map<Address, string | undefined>()
  return {
    name: `port ${port}`,
    async look(context: LookContext): Promise<Look> {
      if (addresses.length === 0)
        return rootless
          ? { ready: false, fatal: notPublished(port) }
          : { ready: false, cheap: true, detail: 'the container has no address' }
      const pending = addresses.filter(a => !why.has(a) || why.get(a) !== undefined)
      await Promise.all(
        pending.map(async a =>
          why.set(
            a,
            await tcpProbe(
              a.host,
              a.port,
              budget(context, DEFAULT_NET_PROBE_TIMEOUT_MS),
              context.signal
            )
          )
        )
      )
      const failing = addresses.filter(a => why.get(a) !== undefined)
      return {
        ready: failing.length === 0,
        cheap: true,
        detail: failing.map(a => `${a.host}:${a.port} (${a.via}): ${why.get(a)}`).join('; ')
      }
    }
  }
}

/**
 * An HTTP GET answers as `check` expects: at the container's own address, or
 * rootless at the address its port is published on (see addressesOf).
 */
export function httpCheck(check: HttpCheck, rootless = false): ReadinessCheck {
  return {
    name: `http :${check.port}${check.path ?? '/'}`,
    async look(context: LookContext): Promise<Look> {
      let host = context.status.ipAddress
      let port = check.port
      if (rootless) {
        const published = addressesOf(context.status, check.port, false, true)[0]
        if (!published) return { ready: false, fatal: notPublished(check.port) }
        ;({ host, port } = published)
      }
      if (!host) return { ready: false, cheap: true, detail: 'the container has no address' }
      const why = await httpProbe(
        host,
        { ...check, port },
        budget(context, DEFAULT_NET_PROBE_TIMEOUT_MS),
        context.signal
      )
      return why === undefined ? { ready: true } : { ready: false, cheap: true, detail: why }
    }
  }
}

/** Splits chunks into lines and hands each whole one on; a partial line waits for the next chunk. */
function lineSplitter(onLine: (line: string) => void): (chunk: string) => void {
  let pending = ''
  return chunk => {
    const lines = (pending + chunk).split(/\r?\n/)
    pending = lines.pop() ?? ''
    // A line that never ends is cut, so a chatty container cannot grow it without bound.
    if (pending.length > 64 * 1024) {
      onLine(pending)
      pending = ''
    }
    for (const l of lines) onLine(l)
  }
}

/**
 * `times` lines of the container's output (stdout or stderr) match `pattern`.
 * The logs are followed (`nerdctl logs --follow`) from the first look on, as
 * one stream counted line by line as it comes: a look reads a counter, never
 * the logs again. The follower is handed to the wait, which stops it and waits
 * for it to end.
 */
export function logCheck(
  container: string,
  pattern: RegExp,
  times: number,
  call: CallOptions
): ReadinessCheck {
  checkContainerRef(container)
  let count = 0
  let started = false
  let ended: string | undefined
  const onLine = (line: string): void => {
    if (count < times && pattern.test(line)) count++
  }
  return {
    name: `log /${pattern.source}/${times > 1 ? ` x${times}` : ''}`,
    look(context: LookContext): Promise<Look> {
      if (!started) {
        started = true
        context.keep(
          nerdctl(
            ['logs', '--follow', container],
            { client: call.client, signal: context.signal },
            {
              onStdout: lineSplitter(onLine),
              onStderr: lineSplitter(onLine),
              // Counted as it comes; only a little is kept, for nothing.
              maxOutputBytes: 4096,
              longRunning: true,
              allowFailure: true
            }
          ).then(
            r => {
              ended = `the log follower ended (exit ${r.exitCode})`
            },
            (e: unknown) => {
              ended = context.signal.aborted ? 'stopped' : errorMessage(e)
            }
          )
        )
      }
      const ready = count >= times
      return Promise.resolve({
        ready,
        cheap: true,
        detail: ready
          ? undefined
          : `${count} of ${times} matching line(s) so far${ended ? `; ${ended}` : ''}`
      })
    }
  }
}

/** A command run in the container exits 0. */
export function execCheck(
  container: string,
  command: string | readonly string[],
  call: CallOptions
): ReadinessCheck {
  return {
    name: 'exec',
    async look(context: LookContext): Promise<Look> {
      try {
        const r = await exec(container, command, {
          ...call,
          signal: context.signal,
          timeoutMs: budget(context, DEFAULT_NET_PROBE_TIMEOUT_MS * 5),
          allowFailure: true
        })
        if (r.exitCode === 0) return { ready: true }
        return {
          ready: false,
          detail: `exit ${r.exitCode}: ${tail(`${r.stdout}${r.stderr}`.trim(), 300) || '(no output)'}`
        }
      } catch (e: unknown) {
        return { ready: false, detail: errorMessage(e) }
      }
    }
  }
}
