// Logs in to every registry of the step (the single-registry inputs first,
// then `registries`) before any pull or push; the post step logs out.
import { login as registryLogin, type Nerdctl } from '../../nerdctl/index.js'
import { loginsOf } from '../inputs/index.js'
import type { Phase, StepContext } from './context.js'

/**
 * With `logout: false` the logins are meant to stay for later steps, in the
 * runner user's Docker config. When the step has a config of its own (a
 * service's credentials or a script may log in too, and those must not land
 * in the shared one), the step's calls read that one, so each login goes to
 * both; otherwise the client already logs in to the runner user's config.
 */
function keptLoginClient(step: StepContext): Nerdctl | undefined {
  const client = step.call.client
  if (step.plan.registry.logout || !client.options.env?.DOCKER_CONFIG) return undefined
  const env = { ...client.options.env }
  delete env.DOCKER_CONFIG
  return client.with({ env })
}

export const login: Phase = async step => {
  const logins = loginsOf(step.plan.registry)
  if (logins.length === 0) return
  const kept = keptLoginClient(step)
  await step.report.phase('login', async () => {
    const done: string[] = []
    for (const { registry, username, password } of logins) {
      const options = { ...step.call, registry: registry || undefined, username, password }
      await registryLogin(options)
      if (kept) await registryLogin({ ...options, client: kept })
      const said = `logged in to ${registry || 'docker.io'} as ${username}`
      step.call.client.logger.info(said)
      step.report.note(said)
      done.push(registry || 'docker.io')
      // Saved after each, so a later failed login still leaves these to log out of.
      if (step.plan.registry.logout) step.state.saveLogouts(done)
    }
  })
}
