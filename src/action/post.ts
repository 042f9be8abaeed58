// The post step (runs even when the job failed or was cancelled): removes
// exactly the containers this step started, found by their saved IDs and by
// the step's own label, logs out, and warns instead of failing when a cleanup
// does not work out. It never touches a container the step did not create.
import * as core from '@actions/core'
import {
  Nerdctl,
  isNoSuchContainer,
  list,
  logout,
  remove,
  removePartials,
  type GlobalOptions
} from '../nerdctl/index.js'
import { rm } from 'node:fs/promises'
import { OWNER_LABEL, State } from './constants.js'
import { coreLogger, type StepEnvironment } from './main.js'

function savedJson<T>(name: string, fallback: T): T {
  const raw = core.getState(name)
  if (!raw) return fallback
  try {
    return JSON.parse(raw) as T
  } catch {
    core.warning(`post step: saved state "${name}" is unreadable; skipping what it described`)
    return fallback
  }
}

export async function post(environment: StepEnvironment = {}): Promise<void> {
  const token = core.getState(State.Token)
  if (!token) {
    core.info('Nothing to clean up: the main step stopped before it created anything.')
    return
  }
  const tool = savedJson<GlobalOptions>(State.Tool, {})
  // Cleanup must not hang the job: a short timeout per call.
  const client = new Nerdctl({
    ...tool,
    timeoutMs: Math.min(tool.timeoutMs ?? 120_000, 120_000),
    logger: coreLogger,
    runner: environment.runner
  })
  const call = { client }

  if (core.getState(State.Cleanup) === 'false') {
    core.info('cleanup is false: containers of this step are kept.')
  } else {
    const ids = new Set(savedJson<string[]>(State.Containers, []))
    try {
      for (const c of await list(true, { ...call, filters: [`label=${OWNER_LABEL}=${token}`] }))
        ids.add(c.id)
    } catch (e: unknown) {
      core.warning(
        `post step: could not list this step's containers: ${e instanceof Error ? e.message : String(e)}`
      )
    }
    for (const id of ids) {
      try {
        await remove(id, { ...call, force: true })
        core.info(`removed container ${id.slice(0, 12)}`)
      } catch (e: unknown) {
        const msg = e instanceof Error ? e.message : String(e)
        if (isNoSuchContainer(e)) core.info(`container ${id.slice(0, 12)} was already gone`)
        else core.warning(`post step: could not remove container ${id.slice(0, 12)}: ${msg}`)
      }
    }
  }

  for (const target of savedJson<string[]>(State.Targets, [])) {
    for (const gone of await removePartials(target).catch(() => []))
      core.info(`removed partial file ${gone}`)
  }
  const scratch = core.getState(State.TempDir)
  if (scratch)
    await rm(scratch, { recursive: true, force: true }).catch((e: unknown) =>
      core.warning(`post step: could not remove ${scratch}: ${String(e)}`)
    )

  const registry = core.getState(State.LogoutRegistry)
  if (registry) {
    try {
      await logout(registry === 'docker.io' ? undefined : registry, call)
      core.info(`logged out of ${registry}`)
    } catch (e: unknown) {
      core.warning(
        `post step: logout from ${registry} failed: ${e instanceof Error ? e.message : String(e)}`
      )
    }
  }
}
