import { createHash } from 'node:crypto'
// The typed parsers over output recorded from the real nerdctl. IDs, names,
// times and addresses are machine-specific: they are read from the fixtures
// themselves; what the recording script asked for (`-p 127.0.0.1:18080:80`,
// `--memory 64m`, `exit 3`, the health checks) is asserted as such.
import type { ContainerStatus } from '../../src/nerdctl/base/types.js'
import { buildSteps, pushedDigest } from '../../src/nerdctl/pure/command-output.js'
import { parseContainerInspect } from '../../src/nerdctl/pure/inspect.js'
import { parseJsonArray, parseJsonLines } from '../../src/nerdctl/pure/json.js'
import { toBuildMetadata, toContainerSummary, toImage } from '../../src/nerdctl/pure/listings.js'
import { toResourceUsage } from '../../src/nerdctl/pure/stats.js'
import { fixture, fixtureMeta } from './fixtures.js'

/** The raw fields of a recorded `nerdctl inspect`, read without the code under test. */
interface RawInspect {
  Id: string
  Name: string
  Created: string
  Image: string
  RestartCount: number
  State: {
    Status: string
    Pid: number
    StartedAt: string
    FinishedAt: string
    Health?: { Log: { Start: string; End: string }[] }
  }
  HostConfig: { Memory: number }
  Config: { Labels: Record<string, string> }
  NetworkSettings: { IPAddress: string }
}

function raw(name: string): RawInspect {
  return (JSON.parse(fixture(name)) as RawInspect[])[0] as RawInspect
}

function status(name: string): ContainerStatus {
  return parseContainerInspect(fixture(name))
}

/** The container name the recording script inspected (its last argument). */
function inspectedName(name: string): string {
  const args = fixtureMeta(name).args
  return args[args.length - 1] as string
}

const INSPECTS = [
  'inspect-running.json',
  'inspect-exited.json',
  'inspect-created.json',
  'inspect-healthy.json',
  'inspect-unhealthy.json',
  'inspect-starting.json'
]

describe('parseContainerInspect: fields every container has', () => {
  test.each(INSPECTS)('%s', name => {
    const s = status(name)
    const r = raw(name)
    expect(s.id).toBe(r.Id)
    expect(s.id).toMatch(/^[0-9a-f]{64}$/)
    expect(s.name).toBe(inspectedName(name))
    expect(s.name).toBe(r.Name)
    expect(s.image).toBe(r.Image)
    expect(s.created).toBe(r.Created)
    expect(s.started).toBe(r.State.StartedAt)
    expect(s.finished).toBe(r.State.FinishedAt)
    expect(s.pid).toBe(r.State.Pid)
    expect(s.restartCount).toBe(r.RestartCount)
    expect(s.ipAddress).toBe(r.NetworkSettings.IPAddress)
    expect(s.paused).toBe(false)
    expect(s.restarting).toBe(false)
    expect(s.error).toBe('')
    expect(s.labels['nerdctl/name']).toBe(s.name)
    expect(s.labels).toEqual(r.Config.Labels)
  })
})

describe('parseContainerInspect: state, status and health', () => {
  test.each<[string, Partial<ContainerStatus>]>([
    [
      'inspect-running.json',
      {
        state: 'running',
        status: 'running',
        running: true,
        exitCode: 0,
        healthStatus: 'none',
        health: undefined,
        healthCheck: undefined
      }
    ],
    [
      'inspect-exited.json',
      {
        state: 'exited',
        status: 'exited (3)',
        running: false,
        exitCode: 3,
        healthStatus: 'none',
        health: undefined,
        healthCheck: undefined
      }
    ],
    [
      'inspect-created.json',
      {
        state: 'created',
        status: 'created',
        running: false,
        exitCode: 0,
        pid: 0,
        started: '',
        healthStatus: 'none',
        health: undefined,
        healthCheck: undefined
      }
    ],
    [
      'inspect-healthy.json',
      {
        state: 'running',
        status: 'running (healthy)',
        running: true,
        healthStatus: 'healthy',
        healthCheck: {
          cmd: 'test -d /',
          interval: '30s',
          timeout: '30s',
          retries: 3,
          startPeriod: undefined
        }
      }
    ],
    [
      'inspect-unhealthy.json',
      {
        state: 'running',
        status: 'running (unhealthy)',
        running: true,
        healthStatus: 'unhealthy',
        healthCheck: {
          cmd: 'echo probe-said-no; exit 1',
          interval: '30s',
          timeout: '30s',
          retries: 1,
          startPeriod: undefined
        }
      }
    ],
    [
      'inspect-starting.json',
      {
        state: 'running',
        status: 'running (starting)',
        running: true,
        healthStatus: 'starting',
        // No probe has run yet: nerdctl shows no State.Health at all.
        health: undefined,
        healthCheck: {
          cmd: 'true',
          interval: '30s',
          timeout: '30s',
          retries: 3,
          startPeriod: undefined
        }
      }
    ]
  ])('%s', (name, expected) => {
    expect(status(name)).toMatchObject(expected)
    for (const [key, value] of Object.entries(expected)) {
      if (value === undefined) expect(status(name)[key as keyof ContainerStatus]).toBeUndefined()
    }
  })

  test('created: the empty Status nerdctl prints means created', () => {
    expect(raw('inspect-created.json').State.Status).toBe('')
    expect(status('inspect-created.json').state).toBe('created')
  })

  test('exited: finished after it started', () => {
    const s = status('inspect-exited.json')
    expect(s.finished).not.toBe('')
    expect(Date.parse(s.finished)).toBeGreaterThanOrEqual(Date.parse(s.started))
  })

  test('healthy: the passing probe', () => {
    const s = status('inspect-healthy.json')
    const log = raw('inspect-healthy.json').State.Health?.Log ?? []
    expect(s.health).toEqual({
      status: 'healthy',
      failingStreak: 0,
      log: [{ start: log[0]?.Start, end: log[0]?.End, exitCode: 0, output: '' }]
    })
  })

  test('unhealthy: the failing probe and what it printed', () => {
    const s = status('inspect-unhealthy.json')
    expect(s.health?.status).toBe('unhealthy')
    expect(s.health?.failingStreak).toBe(1)
    expect(s.health?.log).toHaveLength(1)
    const [probe] = s.health?.log ?? []
    expect(probe?.exitCode).toBe(1)
    expect(probe?.output.trim()).toBe('probe-said-no')
    expect(probe?.start).toBe(raw('inspect-unhealthy.json').State.Health?.Log[0]?.Start)
  })
})

describe('parseContainerInspect: ports and labels', () => {
  test('running: 80/tcp published on 127.0.0.1:18080', () => {
    expect(status('inspect-running.json').ports).toEqual([
      { containerPort: '80/tcp', hostIp: '127.0.0.1', hostPort: '18080' }
    ])
  })

  test.each(INSPECTS.filter(n => n !== 'inspect-running.json'))('%s: no ports', name => {
    expect(status(name).ports).toEqual([])
  })

  test('running: the label it was created with', () => {
    const s = status('inspect-running.json')
    expect(s.labels.fixture).toBe('1')
    expect(s.labels['nerdctl/namespace']).toBe('default')
  })

  test('labels are strings, health check label included', () => {
    const s = status('inspect-healthy.json')
    expect(JSON.parse(s.labels['nerdctl/healthcheck'] ?? '')).toMatchObject({
      Test: ['CMD-SHELL', 'test -d /'],
      Interval: 30_000_000_000
    })
  })
})

/** A stats size in bytes, by a unit table of the test's own. */
function bytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGTPE]i)?B$/.exec(text)
  if (!m) throw new Error(`not a binary size: ${text}`)
  const power = ' KMGTPE'.indexOf((m[2] ?? ' ')[0] as string)
  return Math.round(Number(m[1]) * 1024 ** power)
}

interface RawStats {
  ID: string
  Name: string
  CPUPerc: string
  MemUsage: string
  MemPerc: string
  NetIO: string
  BlockIO: string
  PIDs: string
}

describe('toResourceUsage over stats.jsonl', () => {
  const lines = fixture('stats.jsonl')
    .split('\n')
    .filter(l => l.trim())
  const raws = lines.map(l => JSON.parse(l) as RawStats)
  const usages = parseJsonLines(fixture('stats.jsonl')).map(toResourceUsage)
  const meta = fixtureMeta('stats.jsonl').args

  test('one line per container asked for', () => {
    expect(usages.map(u => u.name)).toEqual(meta.slice(meta.length - 2))
    expect(usages.map(u => u.id)).toEqual(raws.map(r => r.ID))
  })

  test.each([0, 1])('line %d: raw text kept as nerdctl printed it', i => {
    const u = usages[i]
    const r = raws[i] as RawStats
    const [memUsed, memLimit] = r.MemUsage.split(' / ')
    const [netIn, netOut] = r.NetIO.split(' / ')
    const [blockIn, blockOut] = r.BlockIO.split(' / ')
    expect(u).toMatchObject({
      id: r.ID,
      name: r.Name,
      cpuUsage: r.CPUPerc,
      memoryUsage: memUsed,
      memoryLimit: memLimit,
      memoryPercentage: r.MemPerc,
      networkInput: netIn,
      networkOutput: netOut,
      blockInput: blockIn,
      blockOutput: blockOut,
      pids: r.PIDs
    })
  })

  test.each([0, 1])('line %d: parsed numbers', i => {
    const u = usages[i]
    const r = raws[i] as RawStats
    expect(u?.cpuPercent).toBe(Number(r.CPUPerc.replace('%', '')))
    expect(u?.memoryPercent).toBe(Number(r.MemPerc.replace('%', '')))
    expect(u?.memoryUsageBytes).toBe(bytes(u?.memoryUsage ?? ''))
    expect(u?.memoryUsageBytes).toBeGreaterThan(0)
    expect(u?.blockInputBytes).toBe(0)
    expect(u?.blockOutputBytes).toBe(0)
    expect(u?.pidCount).toBe(Number(r.PIDs))
    expect(u?.pidCount).toBeGreaterThanOrEqual(1)
    expect(Number.isInteger(u?.networkInputBytes)).toBe(true)
    expect(u?.networkInputBytes).toBeGreaterThan(0)
    expect(u?.networkOutputBytes).toBeGreaterThan(0)
  })

  test('network sizes in decimal units (kB, B)', () => {
    const [running] = usages
    const [netIn, netOut] = (raws[0] as RawStats).NetIO.split(' / ') as [string, string]
    const dec = (t: string): number => {
      const m = /^(\d+(?:\.\d+)?)(k|M|G)?B$/.exec(t)
      if (!m) throw new Error(`not a decimal size: ${t}`)
      return Math.round(Number(m[1]) * 1000 ** ' kMG'.indexOf(m[2] ?? ' '))
    }
    expect(running?.networkInputBytes).toBe(dec(netIn))
    expect(running?.networkOutputBytes).toBe(dec(netOut))
  })

  test('running: the 64m memory limit it was created with', () => {
    const [running] = usages
    expect(running?.name).toBe(inspectedName('inspect-running.json'))
    expect(running?.memoryLimit).toBe('64MiB')
    expect(running?.memoryLimitBytes).toBe(64 * 1024 ** 2)
    expect(running?.memoryLimitBytes).toBe(raw('inspect-running.json').HostConfig.Memory)
  })

  test('healthy: no limit, which stats shows as 8EiB', () => {
    const healthy = usages[1]
    expect(healthy?.name).toBe(inspectedName('inspect-healthy.json'))
    expect(healthy?.memoryLimit).toBe('8EiB')
    // 2^63 is past what a JSON number holds exactly: no limit is null.
    expect(healthy?.memoryLimitBytes).toBeNull()
    expect(healthy?.memoryPercent).toBe(0)
  })
})

describe('toImage over images.jsonl', () => {
  const raws = fixture('images.jsonl')
    .split('\n')
    .filter(l => l.trim())
    .map(
      l =>
        JSON.parse(l) as {
          ID: string
          Repository: string
          Tag: string
          Name: string
          Digest: string
          Size: string
          BlobSize: string
          CreatedAt: string
          Platform: string
        }
    )
  const images = parseJsonLines(fixture('images.jsonl')).map(toImage)

  test('one image per line, every field', () => {
    expect(images).toHaveLength(raws.length)
    images.forEach((img, i) => {
      const r = raws[i]
      expect(img).toEqual({
        id: r?.ID,
        repository: r?.Repository,
        tag: r?.Tag,
        name: r?.Name,
        digest: r?.Digest,
        size: r?.Size,
        sizeBytes: expect.any(Number) as number,
        blobSize: r?.BlobSize,
        created: r?.CreatedAt,
        platform: r?.Platform
      })
    })
  })

  test('the base image of the recording, with its decimal size in bytes', () => {
    const base = images.find(i => i.name === fixtureMeta('inspect-image.json').args[2])
    expect(base).toBeDefined()
    expect(base?.repository).toBe('127.0.0.1:5000/busybox')
    expect(base?.tag).toBe('stable')
    expect(base?.name).toBe(`${base?.repository}:${base?.tag}`)
    expect(base?.id).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(base?.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(base?.platform).toBe('linux/amd64')
    const m = /^(\d+(?:\.\d+)?)MB$/.exec(base?.size ?? '')
    expect(m).not.toBeNull()
    expect(base?.sizeBytes).toBe(Math.round(Number(m?.[1]) * 1e6))
  })
})

describe('toContainerSummary over ps.jsonl', () => {
  interface RawPs {
    ID: string
    Names: string
    Image: string
    Command: string
    CreatedAt: string
    Status: string
    Ports: string
    Platform: string
  }
  const raws = fixture('ps.jsonl')
    .split('\n')
    .filter(l => l.trim())
    .map(l => JSON.parse(l) as RawPs)
  const summaries = parseJsonLines(fixture('ps.jsonl')).map(toContainerSummary)
  const byName = (name: string) => summaries.find(s => s.name === name)

  test('every field of every line', () => {
    expect(summaries).toEqual(
      raws.map(r => ({
        id: r.ID,
        name: r.Names,
        image: r.Image,
        command: r.Command,
        created: r.CreatedAt,
        status: r.Status,
        ports: r.Ports,
        platform: r.Platform
      }))
    )
  })

  test('the six containers of the recording, with the IDs inspect shows', () => {
    expect(summaries).toHaveLength(INSPECTS.length)
    for (const name of INSPECTS) {
      const s = byName(inspectedName(name))
      expect(s).toBeDefined()
      expect(s?.id).toBe(raw(name).Id)
      expect(s?.created).toBe(raw(name).Created)
    }
  })

  test.each<[string, RegExp]>([
    ['inspect-running.json', /^Up$/],
    ['inspect-exited.json', /^Exited \(3\) /],
    ['inspect-created.json', /^Created$/],
    ['inspect-healthy.json', /^Up \(healthy\)$/],
    ['inspect-unhealthy.json', /^Up \(unhealthy\)$/],
    ['inspect-starting.json', /^Up$/]
  ])('%s: status text', (name, text) => {
    expect(byName(inspectedName(name))?.status).toMatch(text)
  })

  test('running: its published port and command', () => {
    const s = byName(inspectedName('inspect-running.json'))
    expect(s?.ports).toBe('127.0.0.1:18080->80/tcp')
    expect(s?.command).toBe('"httpd -f -p 80 -h /var/www"')
    expect(s?.image).toBe(raw('inspect-running.json').Image)
  })
})

describe('pushedDigest over recorded pushes', () => {
  // Each push was recorded with the manifest the registry then served
  // (*.registry.json): its sha256 is the digest the registry holds. A
  // two-platform image loaded from an archive (its index named in the
  // progress), pushed whole and reduced; a single-platform one with provenance
  // that BuildKit stored itself (an index with no name), pushed whole; one
  // without attestations, pushed as nerdctl pushes by default.
  test.each(['push-all-platforms', 'push-reduced-platform', 'push-attested', 'push-single'])(
    '%s: the digest of what the registry serves',
    name => {
      const meta = fixtureMeta(`${name}.txt`)
      const served = createHash('sha256')
        .update(fixture(`${name}.registry.json`))
        .digest('hex')
      expect(pushedDigest(meta.stderr + fixture(`${name}.txt`))).toBe(`sha256:${served}`)
    }
  )
})

describe('pushedDigest over the recorded push', () => {
  const stderr = fixtureMeta('error-push-unauthorized.txt').stderr

  test('the reduced-platform line names the manifest digest', () => {
    const line = stderr.split('\n').find(l => l.includes('pushing as a reduced-platform image'))
    expect(line).toBeDefined()
    const digest = /sha256:[0-9a-f]{64}/.exec(line ?? '')?.[0]
    expect(digest).toBeDefined()
    expect(pushedDigest(stderr)).toBe(digest)
  })

  test('it is the digest of the image that was pushed', () => {
    const [image] = parseJsonLines(fixture('images.jsonl')).map(toImage)
    expect(pushedDigest(stderr)).toBe(image?.digest)
  })

  test('stdout progress after stderr still finds it', () => {
    expect(pushedDigest(stderr + fixture('error-push-unauthorized.txt'))).toBe(
      /sha256:[0-9a-f]{64}/.exec(stderr)?.[0]
    )
  })

  test('no digest in the output: undefined', () => {
    expect(pushedDigest('time="x" level=fatal msg="push access denied"')).toBeUndefined()
    expect(pushedDigest('')).toBeUndefined()
  })
})

describe('buildx metadata from a recorded `image inspect --mode=native`', () => {
  interface RawNative {
    Image: { Target: { mediaType: string; digest: string; size: number } }
    Manifest?: { config?: { digest: string } }
  }
  const rawNative = (name: string): RawNative =>
    (JSON.parse(fixture(name)) as RawNative[])[0] as RawNative

  test('a single-platform image: the manifest, its config digest', () => {
    const r = rawNative('inspect-image-native.json')
    const [entry] = parseJsonArray(fixture('inspect-image-native.json'))
    const m = toBuildMetadata(entry, ['a:1', 'a:2'])
    expect(m?.['containerimage.digest']).toBe(r.Image.Target.digest)
    expect(m?.['containerimage.config.digest']).toBe(r.Manifest?.config?.digest)
    expect(m?.['containerimage.config.digest']).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(m?.['containerimage.descriptor']).toMatchObject({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: r.Image.Target.digest,
      size: r.Image.Target.size
    })
    expect(m?.['image.name']).toBe('a:1,a:2')
  })

  test('a two-platform image: the index, and no single config digest', () => {
    const r = rawNative('inspect-image-native-index.json')
    const [entry] = parseJsonArray(fixture('inspect-image-native-index.json'))
    const m = toBuildMetadata(entry, ['m:1'])
    expect(m?.['containerimage.digest']).toBe(r.Image.Target.digest)
    expect(m?.['containerimage.descriptor'].mediaType).toBe(
      'application/vnd.oci.image.index.v1+json'
    )
    expect(m?.['containerimage.config.digest']).toBeUndefined()
  })

  test('a single-platform image with provenance: the index a whole push then made the registry serve', () => {
    const [entry] = parseJsonArray(fixture('inspect-image-native-attested.json'))
    const m = toBuildMetadata(entry, ['p:1'])
    const served = createHash('sha256').update(fixture('push-attested.registry.json')).digest('hex')
    expect(m?.['containerimage.digest']).toBe(`sha256:${served}`)
    expect(m?.['containerimage.descriptor'].mediaType).toBe(
      'application/vnd.oci.image.index.v1+json'
    )
    expect(m?.['containerimage.config.digest']).toBeUndefined()
  })

  test('no target: no metadata', () => {
    expect(toBuildMetadata({}, ['x'])).toBeUndefined()
  })
})

describe('build steps from recorded BuildKit progress', () => {
  test('a rebuild: every instruction after FROM is CACHED', () => {
    expect(buildSteps(fixture('build-cached.txt'))).toEqual([
      { step: '[2/4] RUN echo one > /one', cached: true },
      { step: '[3/4] RUN echo two > /two', cached: true },
      { step: '[4/4] COPY note.txt /note.txt', cached: true }
    ])
  })

  test('with --no-cache: none is', () => {
    const steps = buildSteps(fixture('build-uncached.txt'))
    expect(steps).toHaveLength(3)
    expect(steps.some(s => s.cached)).toBe(false)
  })
})
