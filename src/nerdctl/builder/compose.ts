// Compose environments: a Compose file brought up as an Environment, so every
// service starts through the library's run path (env in an env file, the
// client's labels and job marker, Compose's own labels) and is waited for by
// the same readiness code as the services of an environment, with depends_on
// conditions honoured: service_started, service_healthy (the healthcheck,
// probed by the readiness loop whether or not nerdctl's timers run) and
// service_completed_successfully (a one-shot that must exit 0).
//
// In order, nothing started until each step passed: the model (compose
// config), the plan (every key checked), the caller's look at the plan (host
// paths, state for a cleanup), the fixed host ports, the images (built or
// made ready through `composeImage`), then the environment.
import type { ComposeModel, ComposePlan, ComposePlanOptions } from '../pure/compose.js'
import { composePlan } from '../pure/compose.js'
import {
  checkComposeHostPorts,
  composeBuilds,
  composeConfig,
  composeImage,
  type ComposeConfigOptions
} from '../ops/compose.js'
import type { RetryCallOptions } from '../ops/retry.js'
import { Environment, type EnvironmentOptions } from './environment.js'

export interface ComposeUpOptions
  extends EnvironmentOptions, Omit<ComposeConfigOptions, keyof EnvironmentOptions | 'stream'> {
  /** Bring up only these services and what they depend on. */
  services?: readonly string[] | undefined
  /** Build services that have `build:` (through the client's BuildKit) instead of needing an image. */
  build?: boolean | undefined
  /** Labels for every container, network and volume, besides the client's and Compose's. */
  labels?: readonly (readonly [string, string])[] | undefined
  /** Time each service may take to be ready, or a one-shot to complete. */
  readyTimeoutMs?: number | undefined
  /** How registry pulls retry. */
  retry?: RetryCallOptions['retry']
  /** Sees the plan before anything is created: throw to stop (a host-path policy), or save what a cleanup needs. */
  onPlan?: ((plan: ComposePlan) => void | Promise<void>) | undefined
  /**
   * Makes each image ready before any container runs (default `composeImage`:
   * pull what is missing, or per pull_policy): the place for a signature check.
   */
  prepareImage?:
    | ((
        image: string,
        policy: 'missing' | 'always' | 'never',
        options: RetryCallOptions
      ) => Promise<void>)
    | undefined
}

export const Compose = {
  /** The merged, checked model of the files (`nerdctl compose config`). */
  config(files: readonly string[], options: ComposeConfigOptions = {}): Promise<ComposeModel> {
    return composeConfig(files, options)
  },

  /** The environment the files stand for, checked, before anything is created. */
  async plan(files: readonly string[], options: ComposeUpOptions = {}): Promise<ComposePlan> {
    const model = await composeConfig(files, {
      client: options.client,
      signal: options.signal,
      project: options.project,
      profiles: options.profiles,
      envFile: options.envFile
    })
    return composePlan(model, planOptions(options))
  },

  /**
   * Brings the files up: checks everything, then starts the services in
   * condition order and waits until each is ready (or a one-shot has exited
   * 0). Returns the same handle as Environment.start; `stop()` removes the
   * containers, networks and the volumes it created.
   */
  async up(files: readonly string[], options: ComposeUpOptions = {}): Promise<Environment> {
    return Compose.start(await Compose.plan(files, options), options)
  },

  /** Starts a plan (see `up`). */
  async start(plan: ComposePlan, options: ComposeUpOptions = {}): Promise<Environment> {
    await options.onPlan?.(plan)
    const call: RetryCallOptions = {
      client: options.client,
      signal: options.signal,
      retry: options.retry
    }
    await checkComposeHostPorts(plan.hostPorts, call)
    const built = new Set(plan.builds.map(b => b.key))
    const prepare = options.prepareImage ?? composeImage
    // Each image once, however many services run it.
    const policies = new Map<string, 'missing' | 'always' | 'never'>()
    for (const [key, image] of Object.entries(plan.images)) {
      if (built.has(key)) continue
      const pull = plan.spec.services[key]?.container.pull ?? 'missing'
      if (policies.get(image) !== 'always') policies.set(image, pull)
    }
    await Promise.all([...policies].map(([image, policy]) => prepare(image, policy, call)))
    await composeBuilds(plan, { ...call, stream: true })
    return Environment.start(plan.spec, options)
  }
}

function planOptions(options: ComposeUpOptions): ComposePlanOptions {
  return {
    select: options.services,
    build: options.build,
    labels: options.labels,
    timeoutMs: options.readyTimeoutMs
  }
}
