// How a container's environment reaches one nerdctl call (`run`, `create`,
// `exec`) without its values on nerdctl's command line, where any user of the
// machine reads them in /proc: a private env file for the values it carries
// exactly, nerdctl's own environment (`-e NAME`) for the rest. One home, so
// `exec` cannot drift back to `-e NAME=VALUE`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { invalidValue } from '../base/errors.js'
import type { ContainerSpec } from '../base/types.js'
import type { Nerdctl } from '../exec/client.js'
import { containerEnv } from '../pure/run-args.js'

/** An environment made ready for one nerdctl call. */
export interface PreparedEnv {
  /** The env file's path (none when every variable goes by name), and whether nerdctl runs through sudo. */
  args: { sudo: boolean; envFile?: string }
  /** The variables `-e NAME` names, in order. */
  byName: readonly string[]
  /** For the call: the values `-e NAME` names, for nerdctl's environment only. */
  exec: { quietEnv?: Record<string, string> }
  /** Removes the env file; safe to call when there is none. */
  remove(): Promise<void>
}

/**
 * Writes the env file, when one is needed, alone in a directory made for this
 * call (mkdtemp: mode 0700, under TMPDIR, which the action points at its
 * step's scratch directory, so a killed step's file goes with it), the file
 * itself 0600: only its owner reads it, and root, for nerdctl through sudo.
 * Checks every variable first, so a bad one writes nothing.
 */
export async function prepareEnv(env: ContainerSpec['env'], client: Nerdctl): Promise<PreparedEnv> {
  const sudo = client.options.sudo === true
  const made = containerEnv(env, { sudo })
  // The client's own variables are nerdctl's settings; a container's value
  // under the same name would replace them.
  for (const [name] of made.byName) {
    if (client.options.env?.[name] !== undefined)
      throw invalidValue(
        'env',
        `environment variable ${name}: its value cannot go in an env file, and the client sets ${name} for nerdctl itself: ` +
          'give a value on one line without white space at its end'
      )
  }
  const byName = made.byName.map(([k]) => k)
  const exec = made.byName.length > 0 ? { quietEnv: Object.fromEntries(made.byName) } : {}
  if (made.file === '') return { args: { sudo }, byName, exec, remove: async () => {} }
  const dir = await mkdtemp(join(tmpdir(), 'nerdctl-env-'))
  const remove = (): Promise<void> => rm(dir, { recursive: true, force: true })
  const envFile = join(dir, 'env')
  try {
    await writeFile(envFile, made.file, { mode: 0o600, flag: 'wx' })
  } catch (e: unknown) {
    await remove()
    throw e
  }
  return { args: { sudo, envFile }, byName, exec, remove }
}
