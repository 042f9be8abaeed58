// Brings the compose-file environment up: compose-go's merged model (through
// `nerdctl compose config`), checked before anything exists; bind mounts
// checked against the host-path policy; the project's networks and volumes
// saved for the post step before they exist; then the library's Compose
// environment: each service started through the library's run path with the
// step's labels and job marker, in depends_on condition order, each ready for
// clients by the same code as the services input. Sets the `compose`,
// `compose-project` and `compose-network` outputs and a summary row per
// service. The post step removes what carries the step's label.
import * as core from '../workflow.js'
import {
  Compose,
  NerdctlError,
  errorMessage,
  type ComposePlan,
  type ServiceInfo
} from '../../nerdctl/index.js'
import { Input, Output } from '../constants.js'
import { InputError } from '../inputs/index.js'
import type { ComposeInputs } from '../inputs/plan.js'
import type { Phase, StepContext } from './context.js'
import { pinVerified } from '../signing.js'
import { reapLeftovers } from './services.js'

/** The input a library refusal is about, by the field the library named. */
const INPUT_OF_FIELD: Readonly<Record<string, string>> = {
  composeFile: Input.ComposeFile,
  build: Input.ComposeBuild,
  services: Input.ComposeServices,
  project: Input.ComposeProject,
  profiles: Input.ComposeProfiles
}

/** A refusal of the file or of an input, named as the input; anything else as it is. */
function asInputError(e: unknown): unknown {
  if (e instanceof NerdctlError && e.field && INPUT_OF_FIELD[e.field])
    return new InputError(INPUT_OF_FIELD[e.field] as string, e.message)
  return e
}

/** One service of the `compose` output: the services output's shape, plus exit-code for one-shots. */
function outputOf(s: ServiceInfo): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    ip: s.ip,
    network: s.network,
    ports: s.ports,
    health: s.health,
    'ready-ms': s.readyMs,
    ...(s.exitCode === undefined ? {} : { 'exit-code': s.exitCode })
  }
}

export const compose: Phase = async step => {
  const c = step.plan.compose
  if (!c) return
  await step.report.phase('compose', async () => {
    // The services phase reaps when it runs; otherwise this one does, alongside its own start.
    const reaping =
      step.plan.services.reap && Object.keys(step.plan.services.services).length === 0
        ? reapLeftovers(step.call).catch((e: unknown) => {
            core.warning(`reap: could not look for leftovers: ${errorMessage(e)}`)
            return []
          })
        : Promise.resolve([])
    try {
      await up(step, c)
    } finally {
      const removed = await reaping
      if (removed.length > 0)
        step.report.note(`reaped ${removed.length} leftover(s) of killed jobs`)
    }
  })
}

async function up(step: StepContext, c: ComposeInputs): Promise<void> {
  step.report.set(Output.ComposeProject, c.project)
  let plan: ComposePlan
  try {
    plan = await Compose.plan(c.files, {
      ...step.call,
      project: c.project,
      profiles: c.profiles,
      envFile: c.envFile,
      services: c.services,
      build: c.build
    })
    for (const b of plan.binds) c.checkBind(b.source, b.readOnly)
    if (c.join && plan.network !== `${c.project}_default`)
      throw new InputError(
        Input.ComposeJoin,
        `the Compose file names its default network "${plan.network}": compose-join needs the project's own (${c.project}_default); remove networks.default.name`
      )
  } catch (e: unknown) {
    throw asInputError(e)
  }
  // verify: cosign: every image taken from a registry is verified and runs as
  // the repo@digest verified, before anything of the project exists.
  if (step.plan.signing.verify) plan = await pinnedPlan(step, plan)
  // Saved before they exist: the post step removes them after any crash.
  step.state.saveNetworks([plan.network, ...(plan.spec.networks ?? []).map(n => n.name)])
  for (const v of plan.spec.volumes ?? []) step.state.recordVolume(v.name)
  step.report.set(Output.ComposeNetwork, plan.network)
  const ready: Record<string, ServiceInfo> = {}
  const rows = new Map(
    plan.keys.map(k => [
      k,
      {
        key: `${k} (compose)`,
        ok: false,
        detail: 'not started',
        readyMs: undefined as number | undefined
      }
    ])
  )
  try {
    await Compose.start(plan, {
      ...step.call,
      // The post step removes everything, after the logs phase has shown them.
      keepOnFailure: true,
      onStarted: (key, container) => {
        core.info(`${key}: started ${container.name} (${container.containerId?.slice(0, 12)})`)
        const row = rows.get(key)
        if (row) row.detail = 'started, not ready'
      },
      onReady: s => {
        ready[s.key] = s
        core.info(
          s.exitCode === undefined
            ? `${s.key}: ready after ${s.readyMs} ms at ${s.ip}${Object.keys(s.ports).length ? `, ports ${JSON.stringify(s.ports)}` : ''}`
            : `${s.key}: completed (exit code ${s.exitCode}) after ${s.readyMs} ms`
        )
        const row = rows.get(s.key)
        if (row) {
          row.ok = true
          row.detail = s.exitCode === undefined ? `${s.name} at ${s.ip}` : `${s.name} exited 0`
          row.readyMs = s.readyMs
        }
      }
    })
  } catch (e: unknown) {
    const message = errorMessage(e)
    const failedKey = /^service ([^:\s]+):/.exec(message)?.[1]
    const row = failedKey ? rows.get(failedKey) : undefined
    if (row) row.detail = message.split('\n')[0] ?? ''
    step.report.section(`compose service ${failedKey ?? ''} failed`.replace('  ', ' '), message)
    throw asInputError(e)
  } finally {
    step.report.services.push(...rows.values())
    step.report.set(
      Output.Compose,
      JSON.stringify(Object.fromEntries(Object.entries(ready).map(([k, s]) => [k, outputOf(s)])))
    )
  }
  step.report.note(`${plan.keys.length} Compose service(s) of project ${plan.project}`)
}

/** The plan with each image not built here replaced by the digest verification pinned it to. */
async function pinnedPlan(step: StepContext, plan: ComposePlan): Promise<ComposePlan> {
  const built = new Set(plan.builds.map(b => b.key))
  const refs = [
    ...new Set(
      Object.entries(plan.images)
        .filter(([key]) => !built.has(key))
        .map(([, image]) => image)
    )
  ]
  const verified = await pinVerified(step, refs)
  const pinned = new Map(refs.map((r, i) => [r, verified[i] ?? r]))
  const images = Object.fromEntries(
    Object.entries(plan.images).map(([key, image]) => [
      key,
      built.has(key) ? image : (pinned.get(image) ?? image)
    ])
  )
  const services = Object.fromEntries(
    Object.entries(plan.spec.services).map(([key, svc]) => [
      key,
      built.has(key)
        ? svc
        : { ...svc, container: { ...svc.container, image: images[key] ?? svc.container.image } }
    ])
  )
  return { ...plan, images, spec: { ...plan.spec, services } }
}
