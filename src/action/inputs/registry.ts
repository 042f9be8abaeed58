// The registry section: whom to log in as (and out again after), and which
// images to pull first.
import * as core from '../workflow.js'
import { Input } from '../constants.js'
import type { RegistryPlan } from './plan.js'
import { InputError, show, type Reader } from './reader.js'

export function readRegistry(r: Reader): RegistryPlan {
  const registry = r.text(Input.Registry)
  const username = r.text(Input.Username)
  // The password is never trimmed, shown or echoed; it is masked at once.
  const password = r.raw(Input.Password)
  if (password) core.setSecret(password)
  if (!!username !== !!password) {
    throw new InputError(
      username ? Input.Password : Input.Username,
      `set both "username" and "password" to log in, or neither`
    )
  }
  if (registry && !username) {
    throw new InputError(
      Input.Registry,
      `${show(registry)} is set but "username" and "password" are not: set them to log in, or remove "registry"`
    )
  }
  return {
    login: username ? { registry, username, password } : undefined,
    logout: r.bool(Input.Logout, true),
    pull: r.lines(Input.Pull)
  }
}
