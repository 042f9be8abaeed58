// Registry credentials: `nerdctl login` with the password on standard input
// only (never on argv, never in a log line), and `nerdctl logout`.
import { NerdctlError } from '../base/errors.js'
import { nerdctl, type CallOptions } from '../exec/call.js'
import { checkRegistryHost } from '../pure/validate.js'

export interface LoginOptions extends CallOptions {
  /** Registry host; Docker Hub when empty. */
  registry?: string
  username: string
  password: string
}

/** `nerdctl login` with the password on standard input (`--password-stdin`). */
export async function login(options: LoginOptions): Promise<void> {
  if (!options.username) throw new NerdctlError('Other', 'login needs a username')
  if (!options.password) throw new NerdctlError('Other', 'login needs a password (or token)')
  const args = ['login', '--username', options.username, '--password-stdin']
  if (options.registry) {
    checkRegistryHost(options.registry)
    args.push(options.registry)
  }
  await nerdctl(args, options, {
    input: options.password,
    secrets: [options.password],
    registry: options.registry ?? 'docker.io'
  })
}

/** `nerdctl logout`. */
export async function logout(registry?: string, options: CallOptions = {}): Promise<void> {
  if (registry) checkRegistryHost(registry)
  await nerdctl(registry ? ['logout', registry] : ['logout'], options)
}
