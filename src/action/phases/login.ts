// Logs in to the registry before any pull or push; the post step logs out.
import { login as registryLogin } from '../../nerdctl/index.js'
import type { Phase } from './context.js'

export const login: Phase = async step => {
  const { login: credentials, logout } = step.plan.registry
  if (!credentials) return
  const { registry, username, password } = credentials
  await step.report.phase('login', async () => {
    await registryLogin({ ...step.call, registry: registry || undefined, username, password })
    step.report.note(`logged in to ${registry || 'docker.io'} as ${username}`)
    if (logout) step.state.saveLogout(registry || 'docker.io')
  })
}
