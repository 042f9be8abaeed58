// The main step: validate every input into a plan, then run the phases in
// order (login, pull, build, push, save, run, wait, exec, copy, commit,
// export, stats), each in a log group. State the post step needs is saved
// before the thing it cleans up is made.
import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  Container,
  Nerdctl,
  configure,
  imageBuild,
  imagePull,
  imagePush,
  imageSave,
  images,
  login,
  copy as copyFiles,
  exportContainer,
  imageCommit,
  logs,
  stats,
  inspect,
  type CallOptions
} from '../nerdctl/index.js'
import * as library from '../nerdctl/index.js'
import { formatResult, runScript } from '../script/run-script.js'
import { cancellation } from './cancellation.js'
import { OWNER_LABEL, Output } from './constants.js'
import type { StepEnvironment } from './environment.js'
import { getInputs, readFromEnvironment, type Inputs, type InputReader } from './inputs/index.js'
import { coreLogger, messageOf } from './logger.js'
import { Report } from './report.js'
import { StepState } from './state.js'
import { writeSummary } from './summary.js'

export async function main(
  read: InputReader = readFromEnvironment,
  environment: StepEnvironment = {}
): Promise<void> {
  const state = new StepState()
  state.markPost()
  const token = randomBytes(8).toString('hex')
  let inputs: Inputs
  try {
    inputs = getInputs(read)
  } catch (e: unknown) {
    core.setFailed(messageOf(e))
    return
  }
  // Saved before anything is created: the post step finds this step's
  // containers by this label even if the main step dies before saving an ID.
  state.saveToken(token)
  state.saveNerdctl(inputs.nerdctl)
  state.saveCleanup(inputs.behaviour.cleanup)

  // A scratch directory for this step (the library's temporary files go there
  // through TMPDIR); the post step removes it, even after a crash.
  const scratch = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'nerdctl-action-'))
  process.env.TMPDIR = scratch
  state.saveScratch(scratch)
  const targets = [
    inputs.images.save,
    inputs.afterStart.export,
    ...inputs.afterStart.copy.filter(c => c.containerSide === 'from').map(c => c.to)
  ]
    .filter((t): t is string => !!t)
    .map(t => resolve(t))
  state.saveTargets(targets)

  const report = new Report()
  const abort = cancellation()
  // Every container made through this client (the run phase's, a script's)
  // carries the step's label, which is how the post step finds them.
  const client = new Nerdctl({
    ...inputs.nerdctl,
    labels: [[OWNER_LABEL, token]],
    logger: coreLogger,
    runner: environment.runner
  })
  const call: CallOptions = { client, signal: abort.signal }
  let container: Container | undefined
  let failure: unknown

  try {
    await runPhases(inputs, report, call, state, c => (container = c))
    await runUserScript(inputs, report, client)
  } catch (e: unknown) {
    failure = e
  }

  if (container?.containerId) {
    await finalState(container, report, call)
    if (
      inputs.behaviour.showLogs === 'always' ||
      (inputs.behaviour.showLogs === 'on-failure' && failure)
    ) {
      await showLogs(container, call)
    }
  }
  report.set(Output.Metadata, report.metadata())
  if (inputs.behaviour.summary)
    await writeSummary(report).catch((e: unknown) =>
      core.warning(`job summary not written: ${String(e)}`)
    )
  abort.dispose()
  if (failure) core.setFailed(messageOf(failure))
}

async function runPhases(
  inputs: Inputs,
  report: Report,
  call: CallOptions,
  state: StepState,
  started: (c: Container) => void
): Promise<void> {
  const streamed: CallOptions = { ...call, stream: true }

  if (inputs.registry.login) {
    const l = inputs.registry.login
    await report.phase('login', async () => {
      await login({
        ...call,
        registry: l.registry || undefined,
        username: l.username,
        password: l.password
      })
      report.note(`logged in to ${l.registry || 'docker.io'} as ${l.username}`)
      if (inputs.registry.logout) state.saveLogout(l.registry || 'docker.io')
    })
  }

  for (const image of inputs.registry.pull) {
    await report.phase(`pull ${image}`, async () => {
      await imagePull(image, streamed)
      report.note(image)
    })
  }

  if (inputs.images.tags.length > 0) report.set(Output.Tags, inputs.images.tags.join('\n'))

  if (inputs.images.build) {
    const b = inputs.images.build
    const [first, ...more] = inputs.images.tags as [string, ...string[]]
    await report.phase('build', async () => {
      const result = await imageBuild(first, b.context, {
        ...streamed,
        file: b.file,
        tags: more,
        buildArgs: b.buildArgs,
        labels: b.labels,
        target: b.target,
        platforms: b.platforms,
        noCache: b.noCache
      })
      report.set(Output.ImageId, result.imageId)
      const [built] = await images({ ...call, reference: first })
      if (built?.digest) report.set(Output.Digest, built.digest)
      report.note(`${inputs.images.tags.join(', ')} (${result.imageId.slice(0, 19)})`)
    })
  }

  if (inputs.images.push) {
    await report.phase('push', async () => {
      for (const tag of inputs.images.tags) {
        const pushed = await imagePush(tag, undefined, streamed)
        // The digest output is the first tag's, as it names the image the step built.
        if (tag === inputs.images.tags[0] && pushed.digest) report.set(Output.Digest, pushed.digest)
        report.note(tag)
      }
    })
  }

  if (inputs.images.save) {
    const path = resolve(inputs.images.save)
    await report.phase('save', async () => {
      await imageSave(inputs.images.tags, path, call)
      report.set(Output.SavePath, path)
      report.note(path)
    })
  }

  const run = inputs.run
  if (!run) return
  const spec = run.spec
  const name = spec.name as string
  report.set(Output.ContainerName, name)
  const container = Container.fromSpec({ ...spec, name }, call)
  await report.phase('run', async () => {
    // The ID `nerdctl images` shows, as for a built image.
    if (!report.outputs[Output.ImageId]) {
      const [local] = await images({ ...call, reference: spec.image }).catch(() => [])
      if (local) report.set(Output.ImageId, local.id)
    }
    await container.build()
    if (container.containerId) {
      started(container)
      state.saveContainers([container.containerId])
      report.set(Output.ContainerId, container.containerId)
    }
    const fg = container.runResult
    if (fg) {
      report.set(Output.ExitCode, fg.exitCode)
      if (fg.stdout) core.info(fg.stdout.trimEnd())
      if (fg.stderr) core.info(fg.stderr.trimEnd())
      report.note(`${name} exited with ${fg.exitCode}`)
      if (fg.exitCode !== 0) throw new Error(`container ${name} exited with code ${fg.exitCode}`)
    } else {
      report.note(`${name} (${container.containerId?.slice(0, 12)})`)
    }
  })

  if (inputs.afterStart.wait) {
    await report.phase('wait', async () => {
      const status = await container.waitForHealthy({
        timeoutMs: inputs.afterStart.waitTimeoutMs,
        onStatus: s => core.info(`${s.name}: ${s.status}`)
      })
      report.set(Output.Health, status.healthStatus)
      report.note(
        `healthy after ${Math.round((Date.now() - Date.parse(status.started)) / 100) / 10}s`
      )
    })
  }

  if (inputs.afterStart.exec.length > 0) {
    await report.phase('exec', async () => {
      for (const cmd of inputs.afterStart.exec) {
        core.info(`$ ${cmd}`)
        const r = await container.exec(cmd, { allowFailure: true })
        if (r.stdout) core.info(r.stdout.trimEnd())
        if (r.stderr) core.info(r.stderr.trimEnd())
        if (r.exitCode !== 0) {
          throw new Error(
            `exec "${cmd}" exited with code ${r.exitCode}:\n${(r.stderr || r.stdout).trim()}`
          )
        }
      }
      report.note(`${inputs.afterStart.exec.length} command(s)`)
    })
  }

  if (inputs.afterStart.copy.length > 0) {
    const id = container.containerId as string
    const side = (p: string): string => (p.startsWith(':') ? `${id}${p}` : p)
    await report.phase('copy', async () => {
      for (const c of inputs.afterStart.copy) {
        await copyFiles(side(c.from), side(c.to), call)
        report.note(`${c.from} -> ${c.to}`)
      }
    })
  }

  if (inputs.afterStart.commit) {
    const image = inputs.afterStart.commit
    await report.phase('commit', async () => {
      const id = await imageCommit(container.containerId as string, image, call)
      report.note(`${image} (${id.slice(0, 19)})`)
    })
  }

  if (inputs.afterStart.export) {
    const path = resolve(inputs.afterStart.export)
    await report.phase('export', async () => {
      await exportContainer(container.containerId as string, path, call)
      report.set(Output.ExportPath, path)
      report.note(path)
    })
  }
}

/**
 * The user's script, with the library in scope. Its static functions use the
 * default client, set to this step's (options, logger, owner label), so what
 * the script creates is cleaned up like the step's own containers.
 */
async function runUserScript(inputs: Inputs, report: Report, client: Nerdctl): Promise<void> {
  const script = inputs.behaviour.script
  if (!script) return
  await report.phase('script', async () => {
    configure(client.options)
    // The script sees the plan, but never the password.
    const login = inputs.registry.login && {
      registry: inputs.registry.login.registry,
      username: inputs.registry.login.username
    }
    const result = await runScript(script.source, script.filename, {
      nerdctl: { ...library },
      core: { ...core },
      inputs: { ...inputs, registry: { ...inputs.registry, login } }
    })
    const text = formatResult(result)
    report.set(Output.Result, text)
    if (text) report.note(text.length > 80 ? `${text.slice(0, 80)}…` : text)
  })
}

/** Status, health and stats at the end, whatever happened before. */
async function finalState(container: Container, report: Report, call: CallOptions): Promise<void> {
  const id = container.containerId as string
  try {
    const status = await inspect(id, call)
    report.set(Output.Status, status.state)
    report.set(Output.Health, status.healthStatus)
    if (!status.running && !report.outputs[Output.ExitCode] && status.state === 'exited') {
      report.set(Output.ExitCode, status.exitCode)
    }
    if (status.running) {
      await report.phase('stats', async () => {
        const usage = await stats(id, call)
        report.set(Output.Stats, JSON.stringify(usage))
        report.note(
          `cpu ${usage.cpuUsage}, memory ${usage.memoryUsage} / ${usage.memoryLimit}, pids ${usage.pids}`
        )
      })
    }
  } catch (e: unknown) {
    core.warning(`could not read the final state of ${id}: ${messageOf(e)}`)
  }
}

async function showLogs(container: Container, call: CallOptions): Promise<void> {
  await core.group(`logs of ${container.name}`, async () => {
    try {
      const r = await logs(container.containerId as string, {
        ...call,
        tail: 500,
        maxBytes: 1024 * 1024
      })
      core.info(
        [r.stdout.trimEnd(), r.stderr.trimEnd()].filter(Boolean).join('\n') || '(no output)'
      )
    } catch (e: unknown) {
      core.warning(`could not read the logs of ${container.name}: ${messageOf(e)}`)
    }
  })
}
