// Runs the user's script last, with the library, the real @actions toolkit
// (core, exec, glob, io: what actions/github-script gives) and the plan in scope. The library's static functions use the step's client (options,
// logger, owner label), so what the script creates is cleaned up like the
// step's own containers.
import * as library from '../../nerdctl/index.js'
import { formatResult, runScript } from '../../script/run-script.js'
import { toolkit } from '../../script/toolkit.js'
import { Output } from '../constants.js'
import type { Inputs } from '../inputs/index.js'
import type { Phase } from './context.js'

/** The plan as the script sees it: everything but the passwords and secret values. */
function withoutPassword(plan: Inputs): Record<string, unknown> {
  const login = plan.registry.login
  const build = plan.images.build
  const services = Object.fromEntries(
    Object.entries(plan.services.services).map(([k, d]) => [
      k,
      { ...d, credentials: d.credentials && { username: d.credentials.username } }
    ])
  )
  return {
    ...plan,
    registry: {
      ...plan.registry,
      login: login && { registry: login.registry, username: login.username },
      registries: plan.registry.registries.map(l => ({
        registry: l.registry,
        username: l.username
      }))
    },
    services: { ...plan.services, services },
    signing: {
      ...plan.signing,
      sign: plan.signing.sign && {
        ...plan.signing.sign,
        signing:
          'key' in plan.signing.sign.signing
            ? { key: plan.signing.sign.signing.key }
            : plan.signing.sign.signing
      }
    },
    images: {
      ...plan.images,
      build: build && {
        ...build,
        // Ids and where they come from, never a value given inline.
        secrets: build.secrets.map(s => ('value' in s ? { id: s.id } : s))
      }
    }
  }
}

export const script: Phase = async step => {
  const userScript = step.plan.behaviour.script
  if (!userScript) return
  await step.report.phase('script', async () => {
    library.configure(step.call.client.options)
    const result = await runScript(userScript.source, userScript.filename, {
      nerdctl: { ...library },
      ...toolkit(),
      inputs: withoutPassword(step.plan)
    })
    const text = formatResult(result)
    step.report.set(Output.Result, text)
    if (text) step.report.note(text.length > 80 ? `${text.slice(0, 80)}…` : text)
  })
}
