// Registry credentials: `nerdctl login` with the password on standard input
// only (never on argv, never in a log line), and `nerdctl logout`.
import { NerdctlError } from '../base/errors.js'
import { nerdctl, type CallOptions } from '../exec/call.js'
import { checkRegistryHost } from '../pure/validate.js'
import { withRetry, type RetryCallOptions } from './retry.js'

export interface LoginOptions extends RetryCallOptions {
  /** Registry host; Docker Hub when empty. */
  registry?: string
  username: string
  password: string
}

/**
 * `nerdctl login` with the password on standard input (`--password-stdin`),
 * tried again when the registry is unreachable or fails (`retry`); refused
 * credentials fail at once.
 */
export async function login(options: LoginOptions): Promise<void> {
  if (!options.username) throw new NerdctlError('Other', 'login needs a username')
  if (!options.password) throw new NerdctlError('Other', 'login needs a password (or token)')
  const args = ['login', '--username', options.username, '--password-stdin']
  if (options.registry) {
    checkRegistryHost(options.registry)
    args.push(options.registry)
  }
  const registry = options.registry ?? 'docker.io'
  await withRetry(`login to ${registry}`, options, call =>
    nerdctl(args, call, { input: options.password, secrets: [options.password], registry })
  )
}

/** `nerdctl logout`. */
export async function logout(registry?: string, options: CallOptions = {}): Promise<void> {
  if (registry) checkRegistryHost(registry)
  await nerdctl(registry ? ['logout', registry] : ['logout'], options)
}
