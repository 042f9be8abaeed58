// Compose files through the reference implementation: `nerdctl compose
// config` merges the files, applies profiles, the env file and `${VAR}`
// interpolation (compose-go), and prints the model, which pure/compose.ts
// reads. Starting is never `nerdctl compose up` (it puts env values on argv
// and ignores every depends_on condition but "started"): the builder starts
// each service through the library's own run path. Here too: the one
// function every Compose image goes through before a container of it runs,
// the fixed host ports checked before anything starts, and the builds.
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { isAbsolute, join } from 'node:path'
import { NerdctlError, invalidValue } from '../base/errors.js'
import { errorMessage } from '../base/text.js'
import { nerdctl, type CallOptions } from '../exec/call.js'
import {
  checkComposeProfile,
  checkComposeProject,
  checkShortVolumes,
  composeModel,
  publishedHostPorts,
  type ComposeHostPort,
  type ComposeModel,
  type ComposePlan
} from '../pure/compose.js'
import { list } from './containers.js'
import { imageBuild, imageExists, imagePull, type BuildResult } from './images.js'
import type { RetryCallOptions } from './retry.js'

export interface ComposeConfigOptions extends CallOptions {
  /** The project name (`-p`); default the file's `name:` or its directory's name. */
  project?: string | undefined
  profiles?: readonly string[] | undefined
  /** An env file for interpolation (`--env-file`). */
  envFile?: string | undefined
}

/** What nerdctl's logrus line says (`level=fatal msg="..."`), else the text as it is. */
function nerdctlMessage(stderr: string): string {
  const m = /level=fatal msg="((?:[^"\\]|\\.)*)"/.exec(stderr)
  if (!m?.[1]) return stderr.trim()
  try {
    return JSON.parse(`"${m[1]}"`) as string
  } catch {
    return m[1]
  }
}

/**
 * The merged model of Compose files, as `nerdctl compose -f A -f B config`
 * prints it, typed and checked (see pure/compose.ts). Fails with field
 * `composeFile` and compose-go's own words on a file that does not load: a
 * missing file, a YAML error, an unknown service in depends_on, a cycle.
 */
export async function composeConfig(
  files: readonly string[],
  options: ComposeConfigOptions = {}
): Promise<ComposeModel> {
  if (files.length === 0) throw invalidValue('composeFile', 'give at least one Compose file')
  const args = ['compose']
  for (const f of files) {
    if (!f) throw invalidValue('composeFile', 'a Compose file path is empty')
    args.push('--file', f)
  }
  if (options.project !== undefined) {
    checkComposeProject(options.project)
    args.push('--project-name', options.project)
  }
  for (const p of options.profiles ?? []) {
    checkComposeProfile(p)
    args.push('--profile', p)
  }
  if (options.envFile !== undefined) args.push('--env-file', options.envFile)
  args.push('config')
  const r = await nerdctl(args, options, { allowFailure: true })
  if (r.exitCode !== 0)
    throw invalidValue('composeFile', `the Compose file does not load: ${nerdctlMessage(r.stderr)}`)
  const { parse } = await import('yaml')
  let doc: unknown
  try {
    doc = parse(r.stdout, { logLevel: 'error' })
  } catch (e: unknown) {
    throw new NerdctlError('JsonParseError', `compose config printed no model: ${errorMessage(e)}`)
  }
  // What compose config drops silently, read from the files as written.
  for (const f of files) {
    let raw: unknown
    try {
      raw = parse(await readFile(f, 'utf8'), { logLevel: 'error' })
    } catch {
      // compose config read it; a file this process cannot read is its business.
      continue
    }
    checkShortVolumes(raw, f)
  }
  return composeModel(doc)
}

/**
 * Makes one Compose image ready to run: every image reference of a Compose
 * environment comes through here, once, before any container of it starts
 * (the place a signature check belongs). `missing` pulls only what the store
 * lacks; `always` pulls; `never` only checks it is there.
 */
export async function composeImage(
  image: string,
  policy: 'missing' | 'always' | 'never',
  options: RetryCallOptions = {}
): Promise<void> {
  if (policy === 'always') {
    await imagePull(image, { ...options, quiet: true })
    return
  }
  if (await imageExists(image, options)) return
  if (policy === 'never')
    throw invalidValue(
      'composeFile',
      `image ${image} is not on this machine and pull_policy is never`
    )
  await imagePull(image, { ...options, quiet: true })
}

/** Whether something on this machine listens on the TCP port (a bind says so at once). */
function listening(port: number, host: string | undefined): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer()
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRINUSE'))
    server.listen({ port, host: host || '0.0.0.0', exclusive: true }, () =>
      server.close(() => resolve(false))
    )
  })
}

/**
 * Fails, naming the service and port, when a fixed host port is taken: by a
 * running container that publishes it (nerdctl's port mapping listens on no
 * socket, so only the listing shows it) or by a process of this machine.
 */
export async function checkComposeHostPorts(
  ports: readonly ComposeHostPort[],
  options: CallOptions = {}
): Promise<void> {
  if (ports.length === 0) return
  const published = publishedHostPorts((await list(false, options)).map(c => c.ports))
  for (const p of ports) {
    const taken =
      published.some(q => q.port === p.port && q.protocol === p.protocol) ||
      (p.protocol === 'tcp' && (await listening(p.port, p.hostIp)))
    if (taken)
      throw invalidValue(
        'composeFile',
        `service "${p.key}": key "ports": host port ${p.port}/${p.protocol} is taken on this machine: publish the port without a host port (e.g. "${p.target}" instead of "${p.port}:${p.target}") so a free one is picked, and read it from the service's ports`
      )
  }
}

/** Builds the images of services with `build:` (through the client's BuildKit), one after another. */
export async function composeBuilds(
  plan: ComposePlan,
  options: CallOptions = {}
): Promise<BuildResult[]> {
  const results: BuildResult[] = []
  for (const b of plan.builds) {
    const file =
      b.build.dockerfile === undefined || isAbsolute(b.build.dockerfile)
        ? b.build.dockerfile
        : join(b.build.context, b.build.dockerfile)
    results.push(
      await imageBuild(b.image, b.build.context, {
        ...options,
        file,
        buildArgs: b.build.args,
        target: b.build.target,
        readMetadata: false
      })
    )
  }
  return results
}
