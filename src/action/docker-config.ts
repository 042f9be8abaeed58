// The step's own Docker config directory: where its logins go while `logout`
// is true, so a logout in one job never removes a login another job on the
// same runner still uses, and the runner user's config is left as it was. It
// starts as a copy of the runner user's config.json, so credentials made
// before the step (an earlier login step, a login by hand) keep working in
// the same push as the step's own. It lives in the step's scratch directory,
// which the post step removes; the file holding credentials is 0600.
import * as core from './workflow.js'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Where nerdctl and BuildKit's client read credentials when DOCKER_CONFIG is not set for them. */
export function userDockerConfig(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || join(homedir(), '.docker')
}

/**
 * Makes `scratch/docker-config`, seeded from the runner user's config; returns
 * its path. `ownLogins` are the registries the step logs in to ('' is Docker
 * Hub): a seed that sends credentials to a helper (`credsStore`,
 * `credHelpers`) would send the step's logins, and its logouts, to the store
 * every job of the runner user shares; an empty helper for each of them keeps
 * them in the step's own file, while other registries still read the helper.
 */
export function stepDockerConfig(
  scratch: string,
  env: NodeJS.ProcessEnv = process.env,
  ownLogins: readonly string[] = []
): string {
  const dir = join(scratch, 'docker-config')
  mkdirSync(dir, { mode: 0o700 })
  const from = join(userDockerConfig(env), 'config.json')
  let seed = '{}'
  try {
    const text = readFileSync(from, 'utf8')
    JSON.parse(text)
    seed = text
  } catch (e: unknown) {
    // No config of the user's is the common case: nothing to carry over.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      core.warning(`the runner user's ${from} was not carried into the step's logins: ${String(e)}`)
  }
  writeFileSync(join(dir, 'config.json'), withOwnLogins(seed, ownLogins), { mode: 0o600 })
  return dir
}

/** The names nerdctl looks a registry's helper up by, for login, use and logout alike. */
function helperKeys(registry: string): string[] {
  const hosts =
    registry === '' ? ['docker.io', 'index.docker.io', 'registry-1.docker.io'] : [registry]
  const keys = hosts.flatMap(h => [h, `https://${h}`, `http://${h}`])
  return registry === '' ? ['https://index.docker.io/v1/', ...keys] : keys
}

function withOwnLogins(seed: string, ownLogins: readonly string[]): string {
  const config = JSON.parse(seed) as Record<string, unknown>
  const helpers = config.credHelpers
  const usesHelpers =
    (typeof config.credsStore === 'string' && config.credsStore !== '') ||
    (typeof helpers === 'object' && helpers !== null && Object.keys(helpers).length > 0)
  if (!usesHelpers || ownLogins.length === 0) return seed
  const pinned: Record<string, unknown> =
    typeof helpers === 'object' && helpers !== null ? { ...helpers } : {}
  // An empty helper name means the config file itself (docker/cli's rule, which nerdctl and BuildKit follow).
  for (const registry of ownLogins) for (const key of helperKeys(registry)) pinned[key] = ''
  return JSON.stringify({ ...config, credHelpers: pinned })
}
