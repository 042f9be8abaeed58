// The host facts rootless rules need (pure/rootless.ts), read from files, and
// where a user's rootless containerd is: no nerdctl call, so knowing costs a
// few stat calls and nothing on steps that never ask.
import { createSocket } from 'node:dgram'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Nerdctl } from '../exec/client.js'
import type { ContainerSpec } from '../base/types.js'
import {
  parsePublish,
  publishHost,
  withHostPort,
  type RootlessHostFacts
} from '../pure/rootless.js'

/** Linux's default when the sysctl cannot be read. */
const DEFAULT_UNPRIVILEGED_PORT_START = 1024

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** `cgroup_manager = "…"` in nerdctl.toml, if set. */
export function configuredCgroupManager(toml: string): string | undefined {
  return /^\s*cgroup_manager\s*=\s*"([^"]*)"/m.exec(toml)?.[1] || undefined
}

/** nerdctl's config file for this client: NERDCTL_TOML, else the rootless user's own. */
function nerdctlToml(client: Nerdctl): string {
  const path =
    client.options.env?.NERDCTL_TOML ??
    process.env.NERDCTL_TOML ??
    join(
      process.env.XDG_CONFIG_HOME || join(process.env.HOME || homedir(), '.config'),
      'nerdctl/nerdctl.toml'
    )
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

/** The facts of this host for rootless containers of `client`. */
export function rootlessHostFacts(client: Nerdctl): RootlessHostFacts {
  let start = DEFAULT_UNPRIVILEGED_PORT_START
  try {
    const n = Number.parseInt(
      readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'),
      10
    )
    if (Number.isInteger(n)) start = n
  } catch {
    // not Linux, or /proc hidden: the kernel's default
  }
  return {
    cgroupV2: existsSync('/sys/fs/cgroup/cgroup.controllers'),
    systemd: isDirectory('/run/systemd/system'),
    cgroupManager: client.options.cgroupManager ?? configuredCgroupManager(nerdctlToml(client)),
    unprivilegedPortStart: start
  }
}

/**
 * The state directory of the rootless containerd of the user this process
 * runs as, where nerdctl looks for it (ROOTLESSKIT_STATE_DIR, else
 * $XDG_RUNTIME_DIR/containerd-rootless), when rootlesskit's child is there
 * (its `child_pid` file, which nerdctl enters); undefined as root or when
 * none runs.
 */
export function rootlessStateDir(
  env: NodeJS.ProcessEnv = process.env,
  euid: number | undefined = process.geteuid?.()
): string | undefined {
  if (euid === undefined || euid === 0) return undefined
  const dir =
    env.ROOTLESSKIT_STATE_DIR ||
    (env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'containerd-rootless') : undefined)
  return dir && existsSync(join(dir, 'child_pid')) ? dir : undefined
}

/** A port free on `host` ('' for every address) right now, for TCP or UDP. */
function freePort(host: string, protocol: string): Promise<number> {
  const address = host || (protocol === 'udp' ? '0.0.0.0' : '0.0.0.0')
  return new Promise((resolve, reject) => {
    if (protocol === 'udp') {
      const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4')
      socket.once('error', reject)
      socket.bind(0, address, () => {
        const { port } = socket.address()
        socket.close(() => resolve(port))
      })
      return
    }
    const server = createServer()
    server.once('error', reject)
    server.listen(0, address, () => {
      const a = server.address()
      server.close(() =>
        typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))
      )
    })
  })
}

/**
 * The spec with a host port picked for each `-p` that leaves it to nerdctl:
 * rootless nerdctl refuses those ("automatic port allocation is not
 * implemented for rootless mode"). A port free now may be taken before
 * rootlesskit binds it; nerdctl then fails with "address already in use".
 */
export async function withRootlessHostPorts(spec: ContainerSpec): Promise<ContainerSpec> {
  if (!spec.ports?.some(p => parsePublish(p)?.hostPort === 0)) return spec
  const ports = await Promise.all(
    spec.ports.map(async p => {
      const parsed = parsePublish(p)
      if (!parsed || parsed.hostPort !== 0) return p
      return withHostPort(p, await freePort(publishHost(p), parsed.protocol)) ?? p
    })
  )
  return { ...spec, ports }
}
