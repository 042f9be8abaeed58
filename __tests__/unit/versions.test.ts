// Versions: the table (pure/versions.ts), the reading and its cache
// (ops/versions.ts) with a fake runner answering what the real nerdctl 2.3.5
// and 1.7.7 printed (recorded by scripts/record-fixtures.sh), and the action's
// choice of features (src/action/versions.ts).
import { describe, expect, test } from '@jest/globals'
import { chmodSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { NerdctlError } from '../../src/nerdctl/base/errors.js'
import { Nerdctl } from '../../src/nerdctl/exec/client.js'
import type { ProcessResult, RunSpec } from '../../src/nerdctl/exec/runner.js'
import {
  FEATURES,
  MINIMUM_VERSIONS,
  parseVersionOutput,
  versionAtLeast,
  versionProblems,
  type Feature
} from '../../src/nerdctl/pure/versions.js'
import {
  checkMinimumVersions,
  explainFailure,
  oldVersionMayExplain,
  requireFeatures
} from '../../src/nerdctl/ops/versions.js'
import { planFeatures, versionCacheDir } from '../../src/action/versions.js'
import type { Inputs } from '../../src/action/inputs/index.js'
import { fixture, fixtureMeta } from './fixtures.js'

const NEW = fixture('version.json')
const OLD = fixture('version-old.json')

describe('the version table', () => {
  test('the recorded readings: 2.3.5 on containerd 2.3.7 with buildctl 0.34.2, and 1.7.7', () => {
    expect(parseVersionOutput(NEW)).toEqual({
      nerdctl: 'v2.3.5',
      containerd: 'v2.3.7',
      buildkit: 'v0.34.2'
    })
    expect(parseVersionOutput(OLD).nerdctl).toBe('v1.7.7')
  })

  test.each([
    ['v2.3.5', '2.0.0', true],
    ['2.0.0', '2.0.0', true],
    ['v1.7.7', '2.0.0', false],
    ['2.1.2', '2.1.3', false],
    ['2.10.0', '2.9.9', true],
    ['v2.1.0-rc.1', '2.1.0', true],
    ['1.7.22+unknown', '1.7.0', true],
    ['garbage', '1.0.0', false]
  ])('%s at least %s: %s', (have, min, ok) => {
    expect(versionAtLeast(have, min)).toBe(ok)
  })

  test('the runner of this project meets every minimum and every feature', () => {
    expect(versionProblems(parseVersionOutput(NEW), Object.keys(FEATURES) as Feature[])).toEqual([])
  })

  test('nerdctl 1.7.7 is below the minimum, said with the fix', () => {
    expect(versionProblems(parseVersionOutput(OLD), [])).toEqual([
      `nerdctl v1.7.7 is older than ${MINIMUM_VERSIONS.nerdctl}, the oldest this action and library support: upgrade nerdctl to ${MINIMUM_VERSIONS.nerdctl} or newer`
    ])
  })

  test('a feature that needs more than the runner has fails by its name', () => {
    const problems = versionProblems({ nerdctl: '2.0.5', containerd: '2.0.0' }, [
      'manifest',
      'health-check',
      'compose'
    ])
    expect(problems).toEqual([
      'manifest needs nerdctl 2.1.0 or newer, but this runner has nerdctl 2.0.5: upgrade nerdctl, or do without manifest',
      'health-check needs nerdctl 2.1.3 or newer, but this runner has nerdctl 2.0.5: upgrade nerdctl, or do without health-check'
    ])
  })

  test('an unknown version (no containerd answer, no buildctl) is not judged', () => {
    expect(versionProblems({ nerdctl: '2.3.5' }, ['build'])).toEqual([])
  })
})

// ---- reading and keeping -----------------------------------------------------------------

/** A nerdctl binary on disk (the cache stats it) and a fake runner answering `version`. */
function setup(answer: string = NEW): {
  client: Nerdctl
  calls: RunSpec[]
  bin: string
  dir: string
  cacheDir: string
  done: () => void
} {
  const dir = mkdtempSync(join(tmpdir(), 'versions-'))
  const bin = join(dir, 'nerdctl')
  writeFileSync(bin, '#!/bin/sh\n')
  chmodSync(bin, 0o755)
  const calls: RunSpec[] = []
  const client = new Nerdctl({
    binary: bin,
    runner: async (spec): Promise<ProcessResult> => {
      calls.push(spec)
      return { stdout: answer, stderr: '', exitCode: 0, timedOut: false, aborted: false }
    }
  })
  return {
    client,
    calls,
    bin,
    dir,
    cacheDir: join(dir, 'cache'),
    done: () => rmSync(dir, { recursive: true, force: true })
  }
}

describe('requireFeatures: one reading per binary', () => {
  test('read once, then kept for the same binary: no call the second time', async () => {
    const s = setup()
    try {
      await requireFeatures(s.client, ['build'], { cacheDir: s.cacheDir })
      await requireFeatures(s.client, ['build', 'manifest'], { cacheDir: s.cacheDir })
      expect(s.calls.map(c => c.args)).toEqual([['version', '--format', '{{json .}}']])
    } finally {
      s.done()
    }
  })

  test('a new binary at the same path (another mtime) is read again', async () => {
    const s = setup()
    try {
      await requireFeatures(s.client, ['build'], { cacheDir: s.cacheDir })
      utimesSync(s.bin, new Date(2001, 1, 1), new Date(2001, 1, 1))
      await requireFeatures(s.client, ['build'], { cacheDir: s.cacheDir })
      expect(s.calls).toHaveLength(2)
    } finally {
      s.done()
    }
  })

  test('without a cache directory the versions are read each time', async () => {
    const s = setup()
    try {
      await requireFeatures(s.client, ['build'])
      await requireFeatures(s.client, ['build'])
      expect(s.calls).toHaveLength(2)
    } finally {
      s.done()
    }
  })

  test('an old nerdctl fails by name before anything else runs', async () => {
    const s = setup(OLD)
    try {
      const e = await requireFeatures(s.client, ['build'], { cacheDir: s.cacheDir }).catch(
        (x: unknown) => x
      )
      expect(e).toBeInstanceOf(NerdctlError)
      expect((e as Error).message).toMatch(/^nerdctl v1\.7\.7 is older than 2\.0\.0/)
      expect(s.calls).toHaveLength(1)
    } finally {
      s.done()
    }
  })

  test('a step without features: read once per binary, then checked with no call', async () => {
    const s = setup(NEW)
    try {
      await checkMinimumVersions({ client: s.client, cacheDir: s.cacheDir })
      await checkMinimumVersions({ client: s.client, cacheDir: s.cacheDir })
      expect(s.calls).toHaveLength(1)
    } finally {
      s.done()
    }
  })

  test('a step without features and no cache reads nothing', async () => {
    const s = setup(OLD)
    try {
      await checkMinimumVersions({ client: s.client })
      expect(s.calls).toEqual([])
    } finally {
      s.done()
    }
  })

  test('a kept reading below the minimum fails every step (read again first)', async () => {
    const s = setup(OLD)
    try {
      const first = checkMinimumVersions({ client: s.client, cacheDir: s.cacheDir })
      await expect(first).rejects.toThrow(/older than 2\.0\.0/)
      const again = checkMinimumVersions({ client: s.client, cacheDir: s.cacheDir })
      await expect(again).rejects.toThrow(/older than 2\.0\.0/)
    } finally {
      s.done()
    }
  })
})

describe('a failure an old nerdctl explains', () => {
  const failure = (name: string): NerdctlError => {
    const meta = fixtureMeta(name)
    return new NerdctlError('CommandFailed', 'nerdctl failed', {
      args: meta.args,
      exitCode: meta.exitCode,
      stderr: meta.stderr
    })
  }

  test.each([
    ['error-old-unknown-flag.txt', true],
    ['error-old-config.txt', true],
    ['error-bad-flag.txt', true],
    ['error-no-such-image.txt', false],
    ['error-push-unauthorized.txt', false],
    ['error-name-in-use.txt', false]
  ])('%s: %s', (name, explains) => {
    expect(oldVersionMayExplain(failure(name))).toBe(explains)
  })

  test('an unknown flag from nerdctl 1.7.7: the versions are read and named', async () => {
    const s = setup(OLD)
    try {
      const why = await explainFailure(failure('error-old-unknown-flag.txt'), ['health-check'], {
        client: s.client
      })
      expect(why?.message).toMatch(/^this runner's tools are too old:\n- nerdctl v1\.7\.7 is older/)
      expect(why?.message).toContain('health-check needs nerdctl 2.1.3 or newer')
    } finally {
      s.done()
    }
  })

  test('any other failure reads nothing', async () => {
    const s = setup(OLD)
    try {
      expect(
        await explainFailure(failure('error-no-such-image.txt'), [], { client: s.client })
      ).toBeUndefined()
      expect(s.calls).toEqual([])
    } finally {
      s.done()
    }
  })

  test('on a new enough nerdctl an unknown flag stays nerdctl`s own error', async () => {
    const s = setup(NEW)
    try {
      expect(
        await explainFailure(failure('error-bad-flag.txt'), [], { client: s.client })
      ).toBeUndefined()
    } finally {
      s.done()
    }
  })
})

describe('the action: which features a plan uses, where readings are kept', () => {
  const plan = (p: {
    build?: boolean
    health?: boolean
    serviceHealth?: boolean
    sign?: boolean
    verify?: boolean
    compose?: boolean
  }): Inputs =>
    ({
      images: { build: p.build ? {} : undefined },
      signing: { sign: p.sign ? {} : undefined, verify: p.verify ? {} : undefined },
      compose: p.compose ? { files: ['compose.yml'] } : undefined,
      run: { spec: { healthCheck: p.health ? { cmd: 'true' } : undefined } },
      services: {
        services: p.serviceHealth
          ? { db: { spec: { container: { healthCheck: { cmd: 'true' } } } } }
          : {}
      }
    }) as unknown as Inputs

  test.each([
    [{}, []],
    [{ build: true }, ['build']],
    [{ health: true }, ['health-check']],
    [{ serviceHealth: true }, ['health-check']],
    [{ build: true, health: true }, ['build', 'health-check']],
    [{ sign: true }, ['sign']],
    [{ verify: true }, ['sign']],
    [{ compose: true }, ['compose']]
  ])('%j -> %j', (p, features) => {
    expect(planFeatures(plan(p))).toEqual(features)
  })

  test('readings are kept under RUNNER_TOOL_CACHE, which outlives the job; nowhere without it', () => {
    expect(versionCacheDir({ RUNNER_TOOL_CACHE: '/opt/hostedtoolcache' })).toBe(
      '/opt/hostedtoolcache/nerdctl-action'
    )
    expect(versionCacheDir({})).toBeUndefined()
  })
})

describe('the README states the table', () => {
  test('its Requirements table is MINIMUM_VERSIONS and FEATURES, row for row', () => {
    const readme = readFileSync(
      join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'),
      'utf8'
    )
    const block = /<!-- versions:start -->\n([\s\S]*?)<!-- versions:end -->/.exec(readme)?.[1] ?? ''
    const names = {
      nerdctl: 'nerdctl',
      containerd: 'containerd',
      buildkit: 'BuildKit (the `buildctl` nerdctl runs)'
    }
    const rows = [
      `| nerdctl | ${MINIMUM_VERSIONS.nerdctl} | every step |`,
      `| containerd | ${MINIMUM_VERSIONS.containerd} | every step |`,
      ...Object.entries(FEATURES).flatMap(([feature, row]) =>
        Object.entries(row).map(
          ([tool, v]) => `| ${names[tool as keyof typeof names]} | ${v} | \`${feature}\` |`
        )
      )
    ]
    expect(block.trim().split('\n').slice(2)).toEqual(rows)
  })
})
