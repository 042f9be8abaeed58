// getInputs: every input read and checked into one typed plan before any
// command runs, section by section in the order of action.yml. A section may
// depend on the ones before it (run on the tags, after-start on the run).
import { checkCopyContainers, readAfterStart } from './after-start.js'
import { readBehaviour } from './behaviour.js'
import { readDisk } from './disk.js'
import { readImages } from './images.js'
import { readNerdctl } from './nerdctl.js'
import type { Inputs } from './plan.js'
import { Reader, readFromEnvironment, type InputReader } from './reader.js'
import { readRegistry } from './registry.js'
import { readRun } from './run.js'
import { readServices } from './services.js'
import { loadYaml } from './yaml.js'
import { Input } from '../constants.js'
import { readHostPaths } from '../host-paths.js'

export type * from './plan.js'
export { loginsOf } from './plan.js'
export { copyContainerOf } from './after-start.js'
export { InputError, readFromEnvironment, type InputReader } from './reader.js'

/**
 * What reading the inputs needs loaded first: the YAML parser, when the
 * registries or services input is given (most steps give neither).
 */
export async function prepareInputs(read: InputReader = readFromEnvironment): Promise<void> {
  if ([Input.Registries, Input.Services].some(name => read(name).trim() !== '')) await loadYaml()
}

export function getInputs(read: InputReader = readFromEnvironment): Inputs {
  const r = new Reader(read)
  const nerdctl = readNerdctl(r)
  const paths = readHostPaths(r, nerdctl.sudo === true)
  nerdctl.hostRoots = paths.realRoots
  const registry = readRegistry(r)
  const images = readImages(r, paths)
  const run = readRun(r, images, paths)
  const afterStart = readAfterStart(r, run, paths)
  const behaviour = readBehaviour(r)
  const services = readServices(r, paths)
  checkCopyContainers(afterStart.copy, run?.spec.name, Object.keys(services.services))
  const disk = readDisk(r)
  return { nerdctl, registry, images, run, afterStart, behaviour, services, disk }
}
