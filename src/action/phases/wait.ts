// Waits until the container is ready for clients (its published ports accept,
// then its health check passes), or, with wait-for-clients false, until its
// health check passes; fails when it turns unhealthy, stops, or time is up.
import * as core from '../workflow.js'
import { Output } from '../constants.js'
import { startedContainer, type Phase } from './context.js'

export const wait: Phase = async step => {
  const { wait, waitForClients, waitTimeoutMs } = step.plan.afterStart
  if (!wait) return
  const { container } = startedContainer(step)
  await step.report.phase('wait', async () => {
    const status = await container.waitForHealthy({
      waitTimeoutMs,
      clients: waitForClients,
      onStatus: s => core.info(`${s.name}: ${s.status}`)
    })
    step.report.set(Output.Health, status.healthStatus)
    // Counted with this phase, which is recorded by now: current until another phase runs.
    step.lastStatus = { status, phases: step.report.phases.length }
    const seconds = Math.round((Date.now() - Date.parse(status.started)) / 100) / 10
    step.report.note(`${waitForClients ? 'ready for clients' : 'healthy'} after ${seconds}s`)
  })
}
