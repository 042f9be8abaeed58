// The library's volume operations: the argv each one runs, the names it
// refuses before running anything, and what it reads from recorded output.
import {
  Nerdctl,
  namedVolumeOf,
  volumeCreate,
  volumeInspect,
  volumeList,
  volumeRemove,
  type ProcessResult,
  type RunSpec
} from '../../src/nerdctl/index.js'
import { networkCreateIsolated } from '../../src/nerdctl/ops/networks.js'
import { fixture, fixtureMeta } from './fixtures.js'

function client(answer: Partial<ProcessResult> = {}): { c: Nerdctl; calls: string[][] } {
  const calls: string[][] = []
  const c = new Nerdctl({
    labels: [
      ['io.github.nerdctl-action.step', 'tok'],
      ['io.github.nerdctl-action.job', '1-2-3-4']
    ],
    runner: async (spec: RunSpec) => {
      calls.push(spec.args.slice())
      return { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false, ...answer }
    }
  })
  return { c, calls }
}

describe('volume operations', () => {
  test.each<[string, (c: Nerdctl) => Promise<unknown>, string[]]>([
    [
      'create carries the client labels',
      c => volumeCreate('data-1', { client: c }),
      [
        'volume',
        'create',
        '--label',
        'io.github.nerdctl-action.step=tok',
        '--label',
        'io.github.nerdctl-action.job=1-2-3-4',
        'data-1'
      ]
    ],
    [
      'ls with label filters',
      c => volumeList({ client: c, filters: ['label=a=b'] }),
      ['volume', 'ls', '--format', '{{json .}}', '--filter', 'label=a=b']
    ],
    ['rm', c => volumeRemove('data-1', { client: c }), ['volume', 'rm', 'data-1']]
  ])('%s', async (_what, op, argv) => {
    const { c, calls } = client()
    await op(c)
    expect(calls.map(a => a.slice(a.indexOf('volume')))).toEqual([argv])
  })

  test.each(['-x', '--label=a', 'a b', '../x', ''])(
    'a name nerdctl could read as an option or a path is refused before any call: %j',
    async name => {
      const { c, calls } = client()
      await expect(volumeCreate(name, { client: c })).rejects.toThrow(/volume name/)
      await expect(volumeRemove(name, { client: c })).rejects.toThrow(/volume name/)
      expect(calls).toEqual([])
    }
  )

  test.each<[string, string | undefined]>([
    ['data:/data', 'data'],
    ['data:/data:ro', 'data'],
    ['/anon', undefined],
    ['/host:/in', undefined],
    ['./rel:/in', undefined],
    ['~/home:/in', undefined]
  ])('namedVolumeOf(%j) is %j', (entry, name) => {
    expect(namedVolumeOf(entry)).toBe(name)
  })

  test('inspect and ls read the recorded output; a missing volume is undefined', async () => {
    const shown = client({ stdout: fixture('volume-inspect.json') })
    const v = await volumeInspect('x', { client: shown.c })
    expect(v?.labels['io.github.nerdctl-action.step']).toBe('fixture')
    const listed = client({ stdout: fixture('volume-ls.jsonl') })
    const [l] = await volumeList({ client: listed.c })
    expect(l?.labels).toEqual({ 'io.github.nerdctl-action.step': 'fixture', fixture: '1' })
    const meta = fixtureMeta('error-volume-inspect-missing.txt')
    const missing = client({
      exitCode: meta.exitCode,
      stderr: meta.stderr,
      stdout: fixture('error-volume-inspect-missing.txt')
    })
    expect(await volumeInspect('x', { client: missing.c })).toBeUndefined()
    const broken = client({ exitCode: 1, stderr: 'level=fatal msg="containerd is down"' })
    await expect(volumeInspect('x', { client: broken.c })).rejects.toThrow()
  })
})

describe('networkCreateIsolated: two steps picking the same subnet at once', () => {
  test('a create nerdctl refuses for an overlapping subnet is tried again on another subnet', async () => {
    const overlap = fixtureMeta('error-network-subnet-overlap.txt')
    const creates: string[][] = []
    let refused = false
    const c = new Nerdctl({
      runner: async (spec: RunSpec) => {
        const args = spec.args.slice()
        const ok = { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false }
        if (args.includes('ls')) return { ...ok, stdout: '' }
        if (args.includes('create')) {
          creates.push(args)
          if (!refused) {
            refused = true
            return { ...ok, exitCode: overlap.exitCode, stderr: overlap.stderr }
          }
          return { ...ok, stdout: `${'a'.repeat(64)}\n` }
        }
        return ok
      }
    })
    await networkCreateIsolated('job-net', { client: c })
    expect(creates).toHaveLength(2)
    expect(creates.every(a => a.includes('--subnet') && a.at(-1) === 'job-net')).toBe(true)
  })

  test('any other failure of the create is not tried again', async () => {
    const missing = fixtureMeta('error-network-rm-missing.txt')
    let creates = 0
    const c = new Nerdctl({
      runner: async (spec: RunSpec) => {
        const ok = { stdout: '', stderr: '', exitCode: 0, timedOut: false, aborted: false }
        if (spec.args.includes('create')) {
          creates++
          return { ...ok, exitCode: missing.exitCode, stderr: missing.stderr }
        }
        return ok
      }
    })
    await expect(networkCreateIsolated('job-net', { client: c })).rejects.toThrow()
    expect(creates).toBe(1)
  })
})
