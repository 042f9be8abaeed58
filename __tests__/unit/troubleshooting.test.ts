// docs/troubleshooting.md and the hints in code stay in step: every hint
// (matched on nerdctl's output) and every failure the client reports itself
// has an entry under its id, each entry shows the hint as the user reads it,
// and no entry is left for a hint that is gone.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CLIENT_FAILURES, HINTS, hintFor } from '../../src/nerdctl/pure/hints.js'
import { ROOT } from '../helpers/action-defaults.js'
import { fixtureMeta } from './fixtures.js'

const guide = readFileSync(join(ROOT, 'docs', 'troubleshooting.md'), 'utf8')

/** Each entry's text, by the id of its `<a id="…"></a>` anchor. */
function entries(): Map<string, string> {
  const out = new Map<string, string>()
  const parts = guide.split(/^<a id="([^"]+)"><\/a>$/m)
  for (let i = 1; i < parts.length; i += 2) {
    const id = parts[i] as string
    if (out.has(id)) throw new Error(`docs/troubleshooting.md has two entries for ${id}`)
    out.set(id, parts[i + 1] as string)
  }
  return out
}

const clientFailures = Object.values(CLIENT_FAILURES)
const codeIds = [...HINTS.map(h => h.id), ...clientFailures.map(f => f.id)]

test('ids are unique and stable-looking (kebab-case)', () => {
  expect(new Set(codeIds).size).toBe(codeIds.length)
  for (const id of codeIds) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
})

test.each(HINTS.map(h => [h.id, h.hint]))(
  'hint %s has an entry that shows it as the user reads it',
  (id, hint) => {
    const entry = entries().get(id)
    expect(entry).toBeDefined()
    expect(entry).toContain(`Hint: ${hint}`)
    for (const part of ['**You see**', '**Why.**', '**Fix.**']) expect(entry).toContain(part)
  }
)

test.each(clientFailures.map(f => [f.id, 'hint' in f ? f.hint : undefined]))(
  'client failure %s has an entry',
  (id, hint) => {
    const entry = entries().get(id)
    expect(entry).toBeDefined()
    if (hint) expect(entry).toContain(hint)
    for (const part of ['**You see**', '**Why.**', '**Fix.**']) expect(entry).toContain(part)
  }
)

test('every entry is for an id in code, and the table lists every entry', () => {
  const inCode = new Set(codeIds)
  for (const id of entries().keys()) {
    expect({ id, inCode: inCode.has(id) }).toEqual({ id, inCode: true })
    expect(guide).toContain(`[\`${id}\`](#${id})`)
  }
})

// The messages shown for hints come from the recorded fixtures: the hint the
// code gives for each fixture is the one its entry shows.
test.each([
  ['error-containerd-down.txt', 'containerd-down'],
  ['error-buildkit-down.txt', 'buildkit-down'],
  ['error-not-root.txt', 'not-root'],
  ['error-rootless-privileged-port.txt', 'rootless-privileged-port'],
  ['error-rootless-stats.txt', 'rootless-cgroup-v1'],
  ['error-rootless-cp-stopped.txt', 'rootless-cp-stopped'],
  ['error-sudo-password.txt', 'sudo-password'],
  ['error-name-in-use.txt', 'name-in-use'],
  ['error-no-such-container.txt', 'container-not-found'],
  ['error-no-such-image.txt', 'image-not-found'],
  ['error-push-unauthorized.txt', 'unauthorized']
])('%s gets the hint of entry %s', (fixture, id) => {
  const hint = hintFor(fixtureMeta(fixture).stderr)
  expect(hint).toBe(HINTS.find(h => h.id === id)?.hint)
  expect(entries().get(id)).toContain(`Hint: ${hint}`)
})
