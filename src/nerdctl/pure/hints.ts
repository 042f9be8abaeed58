// What to tell a user when nerdctl fails: a sentence on the fix for each cause
// users hit most, found by what nerdctl prints for it. Pure: stderr in, a
// hint out. The troubleshooting guide (docs/troubleshooting.md) has one entry
// per id here, under that id as its anchor; a unit test keeps the two in step.
import { retryAfterIn, withoutDebugLines } from './registry-errors.js'

export interface Hint {
  /** Stable: the anchor of the guide's entry. Never reuse or rename one. */
  id: string
  match: RegExp
  hint: string
}

/** A failure the client finds itself, not in what nerdctl printed. */
export interface ClientFailure {
  id: string
  /** The fix, as the client's message ends with it (none for a cancellation). */
  hint?: string
}

/** The failures exec/client.ts reports on its own, with the fix each message ends with. */
export const CLIENT_FAILURES = {
  binaryNotFound: {
    id: 'nerdctl-not-found',
    hint: 'install nerdctl, or set the binary option to its path'
  },
  sudoNotFound: {
    id: 'sudo-not-found',
    hint: 'install sudo, or run as root without the sudo option'
  },
  timeout: {
    id: 'timeout',
    hint: 'Raise the timeout if the command is slow, or check that containerd answers.'
  },
  cancelled: { id: 'cancelled' }
} as const satisfies Record<string, ClientFailure>

// The causes users hit most, by what nerdctl prints for them.
export const HINTS: readonly Hint[] = [
  {
    id: 'containerd-down',
    match:
      /containerd\.sock.*(no such file|connection refused)|failed to dial.*containerd|cannot access containerd socket/i,
    hint: 'containerd is not running or its socket is elsewhere: start containerd, or set the `address` option to its socket.'
  },
  {
    id: 'buildkit-down',
    match: /buildkitd|buildctl|buildkit.*(sock|connect)|no buildkit host/i,
    hint: 'nerdctl build needs a running buildkitd and buildctl on PATH: start buildkitd, or set the `buildkitHost` option (BUILDKIT_HOST).'
  },
  {
    // Before not-root: sudo refused, so nerdctl never ran.
    id: 'sudo-password',
    match:
      /^sudo: (a password is required|a terminal is required)|is not in the sudoers file|is not allowed to (run|execute)/im,
    hint: "sudo refused to run nerdctl without a password (the `sudo` option runs `sudo -n`): give the runner's user password-less sudo in a sudoers drop-in (e.g. `runner ALL=(ALL:ALL) NOPASSWD: ALL`), or run as root, or use rootless nerdctl without `sudo`."
  },
  {
    // Before not-root: the bind is refused with "permission denied" in rootless mode.
    id: 'rootless-privileged-port',
    match: /cannot expose privileged port|ip_unprivileged_port_start/i,
    hint: 'nerdctl runs rootless, and a user cannot bind a host port below net.ipv4.ip_unprivileged_port_start (1024 by default): publish a host port of 1024 or more (e.g. 8080:80), or have the administrator lower net.ipv4.ip_unprivileged_port_start (sysctl).'
  },
  {
    id: 'rootless-cp-stopped',
    match: /cannot use cp with stopped containers in rootless mode/i,
    hint: 'nerdctl runs rootless, and rootless nerdctl copies only to and from a running container: copy while it runs (keep it running with a long command), or take its files with export or commit.'
  },
  {
    // Before not-root, which any message naming rootless matches.
    id: 'rootless-cgroup-v1',
    match: /requires cgroup v2 for rootless containers|cgroups not configured for container/i,
    hint: 'nerdctl runs rootless on a cgroup v1 host (or cgroup v2 without systemd), where rootless containers have no cgroups: stats, pause and resource limits need cgroup v2 with systemd delegating the controllers to the user; leave them out here.'
  },
  {
    id: 'not-root',
    match: /permission denied|operation not permitted|must be run as root|rootless/i,
    hint: 'nerdctl was refused access: run as root, or set the `sudo` option so commands run through `sudo -n`.'
  },
  {
    // Before the unreachable-registry hint: a TLS hello answered in plain HTTP.
    id: 'tls-insecure',
    match:
      /http: server gave HTTP response to HTTPS client|first record does not look like a TLS handshake|x509|certificate/i,
    hint: 'the registry speaks plain HTTP or has an untrusted certificate: add its host to the insecure registries (the `insecure-registries` input, the `insecureRegistries` option); loopback registries need nothing.'
  },
  {
    id: 'rate-limited',
    match: /\b429 Too Many Requests|TOOMANYREQUESTS|rate limit/i,
    hint: 'the registry is rate limiting this runner (HTTP 429): give retries more time (`retries`, `retry-delay`), log in (logged-in clients get higher limits), or pull through a mirror.'
  },
  {
    id: 'registry-error',
    match: /unexpected status from \w+ request to \S+: 5\d\d\b/,
    hint: 'the registry failed (HTTP 5xx): it is down, restarting or overloaded; transient failures are retried (`retries`, `retry-delay`), so if they all failed, try again later or ask its operator.'
  },
  {
    id: 'registry-unreachable',
    match:
      /connection refused|connection reset|use of closed network connection|broken pipe|no such host|server misbehaving|temporary failure in name resolution|lookup \S+ on \S+: |i\/o timeout|TLS handshake timeout/i,
    hint: "could not reach the registry (connection refused, reset or timed out, or its name does not resolve): check its host and port, that it runs, and the runner's network, proxy and DNS."
  },
  {
    id: 'name-in-use',
    match: /name .* (is )?already used|already in use|already exists/i,
    hint: 'a container or image with that name already exists: choose another name, or remove the existing one first.'
  },
  {
    id: 'container-not-found',
    match: /no such (container|object)|container .* not found|no such id/i,
    hint: 'the container does not exist (anymore): check its name or ID with `nerdctl ps -a`.'
  },
  {
    id: 'unauthorized',
    // Before the image hint: a refused push also says "repository does not exist".
    match:
      /unauthorized|authentication required|authorization failed|no basic auth credentials|push access denied|\b401\b/i,
    hint: 'the registry refused the request for want of credentials: log in first (login, or the registry/username/password inputs), or check them.'
  },
  {
    id: 'image-not-found',
    match:
      /image not available|image "[^"]*": not found|failed to resolve image: \S+: not found|no such image|failed to resolve reference|pull access denied|manifest unknown/i,
    hint: 'the image was not found: check its name and tag, pull it, or log in to its registry first.'
  },
  {
    id: 'sudo-secure-path',
    match: /^sudo: .*(command not found|not found)/im,
    hint: "sudo could not find nerdctl on its secure_path: set the binary option to nerdctl's full path."
  }
]

/** A sentence on how to fix the failure, when its cause is a common one. */
export function hintFor(stderr: string): string | undefined {
  // Debug lines log every response of a normal exchange (a 401 before the
  // token, a 404 for a blob not yet pushed): not causes.
  const text = withoutDebugLines(stderr)
  const hint = HINTS.find(h => h.match.test(text))?.hint
  const wait = retryAfterIn(stderr)
  if (hint?.includes('HTTP 429') && wait !== undefined)
    return hint.replace('(HTTP 429)', `(HTTP 429; it asked to wait ${Math.ceil(wait / 1000)} s)`)
  return hint
}
