// Logs in to every registry of the step (the single-registry inputs first,
// then `registries`) before any pull or push; the post step logs out.
import { login as registryLogin } from '../../nerdctl/index.js'
import { loginsOf } from '../inputs/index.js'
import type { Phase } from './context.js'

export const login: Phase = async step => {
  const logins = loginsOf(step.plan.registry)
  if (logins.length === 0) return
  await step.report.phase('login', async () => {
    const done: string[] = []
    for (const { registry, username, password } of logins) {
      await registryLogin({ ...step.call, registry: registry || undefined, username, password })
      const said = `logged in to ${registry || 'docker.io'} as ${username}`
      step.call.client.logger.info(said)
      step.report.note(said)
      done.push(registry || 'docker.io')
      // Saved after each, so a later failed login still leaves these to log out of.
      if (step.plan.registry.logout) step.state.saveLogouts(done)
    }
  })
}
