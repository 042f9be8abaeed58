// What actions/github-script hands a script besides its GitHub client: the
// real @actions/core, @actions/exec, @actions/io and @actions/glob, and a
// `require` that finds modules from the working directory first (as
// github-script's wrapRequire does), so a script written for github-script
// runs here unchanged.
//
// This module is only ever reached through a dynamic import (the action's
// script phase, the CLI's `script` command): @actions/core brings an HTTP
// stack for its OIDC client, about +60 ms of a Node start, which only steps
// that run a script pay (ARCHITECTURE.md, "Start-up").
import * as core from '@actions/core'
import * as exec from '@actions/exec'
import * as glob from '@actions/glob'
import * as io from '@actions/io'
import { createRequire } from 'node:module'
import { join } from 'node:path'

export interface Toolkit {
  core: typeof core
  exec: typeof exec
  glob: typeof glob
  io: typeof io
  require: NodeJS.Require
}

/**
 * A require for scripts: a relative or bare name is looked up from the
 * working directory (the workspace, where a workflow's own node_modules is),
 * then as Node would from here (built-in modules).
 */
function scriptRequire(cwd: string): NodeJS.Require {
  const fromCwd = createRequire(join(cwd, 'index.js'))
  const own = createRequire(import.meta.url)
  const req = ((id: string): unknown => {
    try {
      return fromCwd(id)
    } catch (e: unknown) {
      if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND') throw e
      return own(id)
    }
  }) as NodeJS.Require
  return Object.assign(req, {
    resolve: fromCwd.resolve,
    cache: fromCwd.cache,
    main: undefined,
    extensions: fromCwd.extensions
  })
}

export function toolkit(cwd: string = process.cwd()): Toolkit {
  // Spread into plain objects: a script may add to or replace what it was given
  // (a namespace object is frozen), as it can with github-script's arguments.
  return {
    core: { ...core },
    exec: { ...exec },
    glob: { ...glob },
    io: { ...io },
    require: scriptRequire(cwd)
  }
}
