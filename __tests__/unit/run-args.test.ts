// Spec in, exact argv out: every option of ContainerSpec and of the build
// options, and every validation error, without running anything.
import { NerdctlError } from '../../src/nerdctl/base/errors.js'
import type { BuildSpec as BuildOptions, ContainerSpec } from '../../src/nerdctl/base/types.js'
import { buildArgs } from '../../src/nerdctl/pure/build-args.js'
import { parseDuration } from '../../src/nerdctl/pure/units.js'
import { containerEnv, runArgs, validateSpec } from '../../src/nerdctl/pure/run-args.js'

const IMG = '127.0.0.1:5000/busybox:stable'

/** The NerdctlError a call throws (fails the test when it throws nothing else). */
function errorOf(fn: () => unknown): NerdctlError {
  try {
    fn()
  } catch (e: unknown) {
    expect(e).toBeInstanceOf(NerdctlError)
    return e as NerdctlError
  }
  throw new Error('expected a NerdctlError, but nothing was thrown')
}

const MULTI_LINE_CHECK = `set -e
wget -q -O- http://localhost/health | grep -q "ok"
test -f '/tmp/ready'`

describe('runArgs: one option at a time', () => {
  test.each<[string, Omit<ContainerSpec, 'image'>, string[]]>([
    ['nothing but the image: detached by default', {}, ['run', '-d', IMG]],
    ['detach true', { detach: true }, ['run', '-d', IMG]],
    ['detach false runs in the foreground', { detach: false }, ['run', IMG]],
    ['name', { name: 'web-1.test_x' }, ['run', '-d', '--name', 'web-1.test_x', IMG]],
    ['pull missing', { pull: 'missing' }, ['run', '-d', '--pull', 'missing', IMG]],
    ['pull always', { pull: 'always' }, ['run', '-d', '--pull', 'always', IMG]],
    ['pull never', { pull: 'never' }, ['run', '-d', '--pull', 'never', IMG]],
    ['autoRemove', { autoRemove: true }, ['run', '-d', '--rm', IMG]],
    ['autoRemove false', { autoRemove: false }, ['run', '-d', IMG]],
    [
      'autoRemove with restart policy no',
      { autoRemove: true, restartPolicy: 'no' },
      ['run', '-d', '--rm', '--restart', 'no', IMG]
    ],
    [
      'ports, in order',
      {
        ports: [
          '8080:80',
          '127.0.0.1:8443:443/tcp',
          '53/udp',
          '9000-9001:9000-9001',
          '[::1]:5000:5000',
          '3000'
        ]
      },
      [
        'run',
        '-d',
        '-p',
        '8080:80',
        '-p',
        '127.0.0.1:8443:443/tcp',
        '-p',
        '53/udp',
        '-p',
        '9000-9001:9000-9001',
        '-p',
        '[::1]:5000:5000',
        '-p',
        '3000',
        IMG
      ]
    ],
    [
      'volumes, in order',
      { volumes: ['/data:/var/lib/data:ro', 'named-vol:/cache', '/anonymous'] },
      [
        'run',
        '-d',
        '-v',
        '/data:/var/lib/data:ro',
        '-v',
        'named-vol:/cache',
        '-v',
        '/anonymous',
        IMG
      ]
    ],
    [
      'labels, in order',
      {
        labels: [
          ['org.example/team', 'infra'],
          ['a', 'x=y']
        ]
      },
      ['run', '-d', '--label', 'org.example/team=infra', '--label', 'a=x=y', IMG]
    ],
    ['network', { network: 'my-net' }, ['run', '-d', '--network', 'my-net', IMG]],
    [
      'a network alias becomes the hostname (nerdctl has no --network-alias)',
      { network: 'my-net', networkAliases: ['db'] },
      ['run', '-d', '--network', 'my-net', '--hostname', 'db', IMG]
    ],
    ['cpu limit', { cpuLimit: '0.5' }, ['run', '-d', '--cpus', '0.5', IMG]],
    ['cpu limit, whole', { cpuLimit: '2' }, ['run', '-d', '--cpus', '2', IMG]],
    ['memory limit', { memoryLimit: '512m' }, ['run', '-d', '--memory', '512m', IMG]],
    [
      'memory limit in bytes',
      { memoryLimit: '67108864' },
      ['run', '-d', '--memory', '67108864', IMG]
    ],
    ['memory+swap limit', { memorySwapLimit: '1g' }, ['run', '-d', '--memory-swap', '1g', IMG]],
    ['memory+swap unlimited', { memorySwapLimit: '-1' }, ['run', '-d', '--memory-swap', '-1', IMG]],
    ['cpu shares', { cpuShares: '512' }, ['run', '-d', '--cpu-shares', '512', IMG]],
    ['restart no', { restartPolicy: 'no' }, ['run', '-d', '--restart', 'no', IMG]],
    ['restart always', { restartPolicy: 'always' }, ['run', '-d', '--restart', 'always', IMG]],
    [
      'restart unless-stopped',
      { restartPolicy: 'unless-stopped' },
      ['run', '-d', '--restart', 'unless-stopped', IMG]
    ],
    [
      'restart on-failure',
      { restartPolicy: 'on-failure' },
      ['run', '-d', '--restart', 'on-failure', IMG]
    ],
    [
      'restart on-failure:N',
      { restartPolicy: 'on-failure:3' },
      ['run', '-d', '--restart', 'on-failure:3', IMG]
    ],
    [
      'health check with every option, durations normalised',
      {
        healthCheck: {
          cmd: 'wget -q -O- http://localhost/ || exit 1',
          interval: '90s',
          timeout: '5s',
          retries: 4,
          startPeriod: '1m'
        }
      },
      [
        'run',
        '-d',
        '--health-cmd',
        'wget -q -O- http://localhost/ || exit 1',
        '--health-interval',
        '1m30s',
        '--health-timeout',
        '5s',
        '--health-retries',
        '4',
        '--health-start-period',
        '1m',
        IMG
      ]
    ],
    [
      'health check command only',
      { healthCheck: { cmd: 'true' } },
      ['run', '-d', '--health-cmd', 'true', IMG]
    ],
    [
      'multi-line health command passed intact as one argument',
      { healthCheck: { cmd: MULTI_LINE_CHECK, retries: 1 } },
      ['run', '-d', '--health-cmd', MULTI_LINE_CHECK, '--health-retries', '1', IMG]
    ],
    ['workdir', { workdir: '/srv/app' }, ['run', '-d', '--workdir', '/srv/app', IMG]],
    ['user', { user: '1000:1000' }, ['run', '-d', '--user', '1000:1000', IMG]],
    ['hostname', { hostname: 'box' }, ['run', '-d', '--hostname', 'box', IMG]],
    ['entrypoint string', { entrypoint: '/bin/sh' }, ['run', '-d', '--entrypoint', '/bin/sh', IMG]],
    [
      'entrypoint string with a command',
      { entrypoint: '/bin/sh', command: ['-c', 'echo hi'] },
      ['run', '-d', '--entrypoint', '/bin/sh', IMG, '-c', 'echo hi']
    ],
    [
      'entrypoint array: the rest goes before the command',
      { entrypoint: ['/bin/sh', '-c'], command: ['echo $HOME; exit 3'] },
      ['run', '-d', '--entrypoint', '/bin/sh', IMG, '-c', 'echo $HOME; exit 3']
    ],
    [
      'entrypoint array of one',
      { entrypoint: ['/usr/bin/env'] },
      ['run', '-d', '--entrypoint', '/usr/bin/env', IMG]
    ],
    [
      'command after the image, arguments untouched',
      { command: ['sh', '-c', 'echo "a b"; exit 3', ''] },
      ['run', '-d', IMG, 'sh', '-c', 'echo "a b"; exit 3', '']
    ],
    [
      'extraArgs before the image',
      { extraArgs: ['--privileged', '--cap-add', 'NET_ADMIN'], command: ['true'] },
      ['run', '-d', '--privileged', '--cap-add', 'NET_ADMIN', IMG, 'true']
    ],
    [
      'snapshotter is a global flag: before the subcommand',
      { snapshotter: 'native' },
      ['--snapshotter', 'native', 'run', '-d', IMG]
    ]
  ])('%s', (_title, spec, argv) => {
    expect(runArgs({ image: IMG, ...spec })).toEqual(argv)
  })
})

const ENV_FILE = '/tmp/scratch/nerdctl-env-x/env'

describe('runArgs: env never puts a value on the command line', () => {
  test.each<[string, ContainerSpec['env'], string[]]>([
    [
      'values the file carries: one --env-file, no -e',
      [
        ['ZED', '1'],
        ['EQ', 'a=b=c'],
        ['EMPTY', ''],
        ['SPACES', 'a b  c'],
        ['HASH', 'x # not a comment'],
        ['QUOTED', `"it's" \\n`],
        ['LEAD', '  indented']
      ],
      ['run', '-d', '--env-file', ENV_FILE, IMG]
    ],
    [
      'values the file cannot carry: -e NAME alone',
      [
        ['PEM', '-----BEGIN-----\nabc\n-----END-----'],
        ['TRAIL', 'x\t'],
        ['SPACE', '  x  ']
      ],
      ['run', '-d', '-e', 'PEM', '-e', 'TRAIL', '-e', 'SPACE', IMG]
    ],
    [
      'both: the file first, then each name',
      [
        ['A', '1'],
        ['B', 'two\nlines'],
        ['C', '3']
      ],
      ['run', '-d', '--env-file', ENV_FILE, '-e', 'B', IMG]
    ],
    [
      'a name the file would read as a comment goes by name',
      [['#X', '1']],
      ['run', '-d', '-e', '#X', IMG]
    ],
    ['no env: neither', [], ['run', '-d', IMG]]
  ])('%s', (_title, env, argv) => {
    const spec: ContainerSpec = { image: IMG, env }
    const args = runArgs(spec, 'run', { envFile: ENV_FILE })
    expect(args).toEqual(argv)
    for (const [, value] of env ?? [])
      if (value.length > 1) for (const a of args) expect(a).not.toContain(value)
  })

  test('a spec whose env needs a file and no file given is refused, not passed by value', () => {
    expect(errorOf(() => runArgs({ image: IMG, env: [['A', '1']] })).message).toMatch(
      /env file.*envFile/
    )
  })
})

describe('containerEnv: what the env file holds and what goes by name', () => {
  test('lines in order; a later value for a name replaces the earlier one in its place', () => {
    expect(
      containerEnv([
        ['ZED', '1'],
        ['ALPHA', '2'],
        ['ML', 'a\nb'],
        ['ZED', 'again'],
        ['ML', 'one line now'],
        ['EQ', 'a=b=c'],
        ['EMPTY', '']
      ])
    ).toEqual({
      file: 'ZED=again\nALPHA=2\nML=one line now\nEQ=a=b=c\nEMPTY=\n',
      byName: []
    })
  })

  test('names keep their order, integer-like ones too', () => {
    expect(
      containerEnv([
        ['Z', 'a\nb'],
        ['10', 'x '],
        ['2', 'y ']
      ]).byName
    ).toEqual([
      ['Z', 'a\nb'],
      ['10', 'x '],
      ['2', 'y ']
    ])
  })

  test.each<[string, string]>([
    ['a line break', 'a\nb'],
    ['a CRLF line break', 'a\r\nb'],
    ['a trailing space', 'a '],
    ['a trailing CR', 'a\r'],
    ["a trailing NEL (Go's unicode.IsSpace, not JavaScript's \\s)", 'a\u0085'],
    ['a trailing no-break space', 'a\u00a0'],
    ['a line over 64 KiB', 'x'.repeat(64 * 1024)]
  ])('%s goes by name', (_title, value) => {
    expect(containerEnv([['V', value]])).toEqual({ file: '', byName: [['V', value]] })
  })

  test.each<[string, string]>([
    ['a CR inside', 'a\rb'],
    ['a leading space', ' a'],
    ['a leading tab and space', '\t a'],
    ['a "#" inside', 'a#b'],
    ['a "#" first', '#a'],
    ['quotes', `'a' "b"`],
    ['a backslash', 'a\\nb'],
    ['spaces inside', 'a  b'],
    ['a line just under 64 KiB', 'x'.repeat(64 * 1024 - 3)]
  ])('%s goes in the file', (_title, value) => {
    expect(containerEnv([['V', value]])).toEqual({ file: `V=${value}\n`, byName: [] })
  })

  test.each<[string, string, string]>([
    ['PATH', 'a\nb', 'PATH'],
    ['path', '/x ', 'path'],
    ['DOCKER_CONFIG', '/x\n', 'DOCKER_CONFIG'],
    ['BUILDKIT_HOST', 'unix:///x ', 'BUILDKIT_HOST'],
    ['https_proxy', 'http://p\n', 'https_proxy'],
    ['HTTP_PROXY', 'http://p ', 'HTTP_PROXY'],
    ['CONTAINERD_ADDRESS', '/x\t', 'CONTAINERD_ADDRESS'],
    ['NERDCTL_TOML', '/x ', 'NERDCTL_TOML'],
    ['LD_PRELOAD', '/x.so\n', 'LD_PRELOAD'],
    ['GODEBUG', 'x=1 ', 'GODEBUG'],
    ['HOME', '/x\n/y', 'HOME']
  ])(
    '%s with a value the file cannot carry is refused, naming it and not its value',
    (name, value, named) => {
      const e = errorOf(() => containerEnv([[name, value]]))
      expect(e.message).toContain(`environment variable ${named}`)
      expect(e.message).toMatch(/nerdctl itself/)
      expect(e.message).not.toContain(value.trim())
      // Any of them is fine on one line: it goes in the file.
      expect(containerEnv([[name, 'one-line']]).file).toBe(`${name}=one-line\n`)
    }
  )

  test('a NUL is refused, naming the variable', () => {
    const e = errorOf(() => containerEnv([['A', 'x\0secret-y']]))
    expect(e.message).toContain('environment variable A')
    expect(e.message).not.toContain('secret-y')
  })

  test('a value over 128 KiB that the file cannot carry is refused', () => {
    expect(errorOf(() => containerEnv([['BIG', 'x\n'.repeat(64 * 1024)]])).message).toContain(
      'environment variable BIG'
    )
  })

  test('through sudo, a value starting with "()" that the file cannot carry is refused (sudo drops it)', () => {
    const fn = '() {\n echo hi\n}'
    expect(containerEnv([['F', fn]]).byName).toEqual([['F', fn]])
    const e = errorOf(() => containerEnv([['F', fn]], { sudo: true }))
    expect(e.message).toContain('environment variable F')
    expect(e.message).toContain('sudo')
    // On one line it goes in the file, sudo or not.
    expect(containerEnv([['F', '() x']], { sudo: true }).file).toBe('F=() x\n')
  })

  test('validateSpec refuses the same values before anything runs', () => {
    expect(errorOf(() => validateSpec({ image: IMG, env: [['PATH', 'a\nb']] })).message).toContain(
      'environment variable PATH'
    )
  })
})

describe('runArgs: health check durations are normalised Go durations', () => {
  test.each([
    ['90s', '1m30s'],
    ['30s', '30s'],
    ['120s', '2m'],
    ['1500ms', '1s500ms'],
    ['0.5m', '30s'],
    ['1h0m0s', '1h'],
    ['1.5h', '1h30m'],
    ['3600s', '1h'],
    ['0', '0s']
  ])('%s is passed as %s', (given, passed) => {
    const argv = runArgs({
      image: IMG,
      healthCheck: { cmd: 'true', interval: given, timeout: given, startPeriod: given }
    })
    expect(argv).toEqual([
      'run',
      '-d',
      '--health-cmd',
      'true',
      '--health-interval',
      passed,
      '--health-timeout',
      passed,
      '--health-start-period',
      passed,
      IMG
    ])
  })

  // Whatever form is passed, nerdctl must read the same duration the user gave.
  test.each(['90s', '1500ms', '2h3m4s', '250us', '1.5s'])(
    '%s is passed as a non-empty duration of the same length',
    given => {
      const argv = runArgs({ image: IMG, healthCheck: { cmd: 'true', timeout: given } })
      const passed = argv[argv.indexOf('--health-timeout') + 1] as string
      expect(passed).not.toBe('')
      expect(parseDuration(passed)).toBe(parseDuration(given))
    }
  )
})

describe('runArgs: everything at once', () => {
  const spec: ContainerSpec = {
    image: IMG,
    name: 'all',
    command: ['httpd', '-f'],
    entrypoint: ['/bin/busybox', 'env'],
    ports: ['127.0.0.1:18080:80'],
    volumes: ['/data:/data'],
    env: [
      ['FOO', 'bar'],
      ['ML', 'a\nb'],
      ['EQ', 'a=b']
    ],
    labels: [['fixture', '1']],
    network: 'net',
    networkAliases: ['h'],
    cpuLimit: '0.5',
    memoryLimit: '64m',
    memorySwapLimit: '128m',
    cpuShares: '256',
    restartPolicy: 'on-failure:2',
    healthCheck: {
      cmd: 'test -d /',
      interval: '30s',
      timeout: '2s',
      retries: 3,
      startPeriod: '10s'
    },
    snapshotter: 'overlayfs',
    detach: true,
    workdir: '/w',
    user: 'nobody',
    hostname: 'h',
    pull: 'never',
    autoRemove: false,
    extraArgs: ['--init']
  }
  const expected = [
    '--snapshotter',
    'overlayfs',
    'run',
    '-d',
    '--name',
    'all',
    '--pull',
    'never',
    '-p',
    '127.0.0.1:18080:80',
    '-v',
    '/data:/data',
    '--env-file',
    ENV_FILE,
    '-e',
    'ML',
    '--label',
    'fixture=1',
    '--network',
    'net',
    '--cpus',
    '0.5',
    '--memory',
    '64m',
    '--memory-swap',
    '128m',
    '--cpu-shares',
    '256',
    '--restart',
    'on-failure:2',
    '--health-cmd',
    'test -d /',
    '--health-interval',
    '30s',
    '--health-timeout',
    '2s',
    '--health-retries',
    '3',
    '--health-start-period',
    '10s',
    '--workdir',
    '/w',
    '--user',
    'nobody',
    '--hostname',
    'h',
    '--entrypoint',
    '/bin/busybox',
    '--init',
    IMG,
    'env',
    'httpd',
    '-f'
  ]

  test('run: every flag, in order', () => {
    expect(runArgs(spec, 'run', { envFile: ENV_FILE })).toEqual(expected)
  })

  test('create: the same flags without -d', () => {
    const create = runArgs(spec, 'create', { envFile: ENV_FILE })
    expect(create).not.toContain('-d')
    expect(create).toEqual(
      expected.filter((a, i) => !(a === '-d' && i === 3)).map(a => (a === 'run' ? 'create' : a))
    )
  })

  test('the spec is not changed', () => {
    const copy = structuredClone(spec)
    runArgs(spec, 'run', { envFile: ENV_FILE })
    expect(spec).toEqual(copy)
  })
})

describe('runArgs: create', () => {
  test.each<[string, Omit<ContainerSpec, 'image'>, string[]]>([
    ['no -d by default', {}, ['create', IMG]],
    ['no -d even with detach true', { detach: true, name: 'c' }, ['create', '--name', 'c', IMG]],
    ['detach false', { detach: false }, ['create', IMG]],
    [
      'snapshotter before the subcommand',
      { snapshotter: 'native', command: ['sleep', '60'] },
      ['--snapshotter', 'native', 'create', IMG, 'sleep', '60']
    ]
  ])('%s', (_title, spec, argv) => {
    expect(runArgs({ image: IMG, ...spec }, 'create')).toEqual(argv)
  })
})

describe('runArgs: validation errors name the bad value', () => {
  test.each<[string, Omit<ContainerSpec, 'image'> & { image?: string }, string]>([
    ['port with a service name', { ports: ['8080:http'] }, 'port "8080:http"'],
    ['port that is a word', { ports: ['80', 'web'] }, 'port "web"'],
    ['port with a three-part IP', { ports: ['1.2.3:80:80'] }, 'port "1.2.3:80:80"'],
    ['port with an unknown protocol', { ports: ['80/icmp'] }, 'port "80/icmp"'],
    ['empty port', { ports: [''] }, 'port ""'],
    ['volume without a source', { volumes: [':/data'] }, 'volume ":/data"'],
    ['volume with too many parts', { volumes: ['/a:/b:ro:extra'] }, 'volume "/a:/b:ro:extra"'],
    ['empty volume', { volumes: [''] }, 'volume ""'],
    ['env key with a space', { env: [['MY VAR', '1']] }, 'environment variable name "MY VAR"'],
    ['env key with =', { env: [['A=B', '1']] }, 'environment variable name "A=B"'],
    ['empty env key', { env: [['', 'x']] }, 'environment variable name ""'],
    ['label key with a space', { labels: [['my label', 'x']] }, 'label key "my label"'],
    ['restart policy unknown', { restartPolicy: 'sometimes' }, 'restart policy "sometimes"'],
    ['two network aliases', { networkAliases: ['a', 'b'] }, 'network aliases ["a","b"]'],
    [
      'a network alias other than the hostname',
      { networkAliases: ['a'], hostname: 'b' },
      'network aliases ["a"]'
    ],
    ['a network alias that is no host name', { networkAliases: ['a b'] }, 'network alias "a b"'],
    [
      'restart policy with a bad count',
      { restartPolicy: 'on-failure:x' },
      'restart policy "on-failure:x"'
    ],
    ['restart always with a count', { restartPolicy: 'always:3' }, 'restart policy "always:3"'],
    ['cpus zero', { cpuLimit: '0' }, 'CPU limit "0"'],
    ['cpus negative', { cpuLimit: '-1' }, 'CPU limit "-1"'],
    ['cpus a word', { cpuLimit: 'two' }, 'CPU limit "two"'],
    ['cpu shares fractional', { cpuShares: '1.5' }, 'CPU shares "1.5"'],
    ['cpu shares a word', { cpuShares: 'lots' }, 'CPU shares "lots"'],
    ['cpu shares negative', { cpuShares: '-2' }, 'CPU shares "-2"'],
    ['memory with an unknown unit', { memoryLimit: '512x' }, 'memory limit "512x"'],
    ['memory a word', { memoryLimit: 'lots' }, 'memory limit "lots"'],
    ['memory negative', { memoryLimit: '-5m' }, 'memory limit "-5m"'],
    ['memory+swap bad', { memorySwapLimit: '1.5.5g' }, 'memory+swap limit "1.5.5g"'],
    [
      'autoRemove with restart always',
      { autoRemove: true, restartPolicy: 'always' },
      'autoRemove (--rm) cannot be combined with restart policy "always"'
    ],
    [
      'autoRemove with restart on-failure',
      { autoRemove: true, restartPolicy: 'on-failure:3' },
      'autoRemove (--rm) cannot be combined with restart policy "on-failure:3"'
    ],
    ['empty health command', { healthCheck: { cmd: '' } }, 'health check command is empty'],
    ['blank health command', { healthCheck: { cmd: '  \n\t ' } }, 'health check command is empty'],
    [
      'health interval without a unit',
      { healthCheck: { cmd: 'true', interval: '30' } },
      'health check interval "30"'
    ],
    [
      'health timeout with a space',
      { healthCheck: { cmd: 'true', timeout: '5 s' } },
      'health check timeout "5 s"'
    ],
    [
      'health start period in days',
      { healthCheck: { cmd: 'true', startPeriod: '1d' } },
      'health check start period "1d"'
    ],
    [
      'health retries zero',
      { healthCheck: { cmd: 'true', retries: 0 } },
      'health check retries "0"'
    ],
    [
      'health retries negative',
      { healthCheck: { cmd: 'true', retries: -1 } },
      'health check retries "-1"'
    ],
    [
      'health retries fractional',
      { healthCheck: { cmd: 'true', retries: 1.5 } },
      'health check retries "1.5"'
    ],
    ['empty entrypoint string', { entrypoint: '' }, 'entrypoint is empty'],
    ['empty entrypoint array', { entrypoint: [] }, 'entrypoint is empty'],
    [
      'entrypoint array with an empty executable',
      { entrypoint: ['', '-c'] },
      'entrypoint is empty'
    ],
    ['name starting with -', { name: '-web' }, 'container name "-web"'],
    ['name with a space', { name: 'my web' }, 'container name "my web"'],
    ['name with a slash', { name: 'a/b' }, 'container name "a/b"'],
    ['empty name', { name: '' }, 'container name ""'],
    ['image with a space', { image: 'busy box' }, 'image "busy box"'],
    ['empty image', { image: '' }, 'image ""']
  ])('%s', (_title, spec, named) => {
    const e = errorOf(() => runArgs({ image: IMG, ...spec }))
    expect(e.kind).toBe('Other')
    expect(e.message).toContain(named)
    // Validation happens for create as well.
    expect(errorOf(() => runArgs({ image: IMG, ...spec }, 'create')).message).toBe(e.message)
  })
})

describe('buildArgs', () => {
  const IID = '/tmp/build/iid'

  test.each<[string, string, BuildOptions, string | undefined, string[]]>([
    [
      'one tag',
      'app:1',
      {},
      undefined,
      ['build', '--progress', 'plain', '--iidfile', IID, '--tag', 'app:1', '.']
    ],
    [
      'more tags, in order',
      '127.0.0.1:5000/app:1.0',
      { tags: ['127.0.0.1:5000/app:latest', 'app:2'] },
      undefined,
      [
        'build',
        '--progress',
        'plain',
        '--iidfile',
        IID,
        '--tag',
        '127.0.0.1:5000/app:1.0',
        '--tag',
        '127.0.0.1:5000/app:latest',
        '--tag',
        'app:2',
        '.'
      ]
    ],
    [
      'an empty first tag when tags are given',
      '',
      { tags: ['app:2'] },
      undefined,
      ['build', '--progress', 'plain', '--iidfile', IID, '--tag', 'app:2', '.']
    ],
    [
      'Dockerfile path',
      'app:1',
      { file: 'docker/Dockerfile.prod' },
      undefined,
      [
        'build',
        '--progress',
        'plain',
        '--iidfile',
        IID,
        '--tag',
        'app:1',
        '--file',
        'docker/Dockerfile.prod',
        '.'
      ]
    ],
    [
      'build args in order, = in a value kept',
      'app:1',
      {
        buildArgs: [
          ['VERSION', '1.2'],
          ['OPTS', 'a=b c']
        ]
      },
      undefined,
      [
        'build',
        '--progress',
        'plain',
        '--iidfile',
        IID,
        '--tag',
        'app:1',
        '--build-arg',
        'VERSION=1.2',
        '--build-arg',
        'OPTS=a=b c',
        '.'
      ]
    ],
    [
      'labels',
      'app:1',
      { labels: [['org.opencontainers.image.source', 'https://example.com/x']] },
      undefined,
      [
        'build',
        '--progress',
        'plain',
        '--iidfile',
        IID,
        '--tag',
        'app:1',
        '--label',
        'org.opencontainers.image.source=https://example.com/x',
        '.'
      ]
    ],
    [
      'target',
      'app:1',
      { target: 'runtime' },
      undefined,
      [
        'build',
        '--progress',
        'plain',
        '--iidfile',
        IID,
        '--tag',
        'app:1',
        '--target',
        'runtime',
        '.'
      ]
    ],
    [
      'platforms joined by a comma',
      'app:1',
      { platforms: ['linux/amd64', 'linux/arm64'] },
      undefined,
      [
        'build',
        '--progress',
        'plain',
        '--iidfile',
        IID,
        '--tag',
        'app:1',
        '--platform',
        'linux/amd64,linux/arm64',
        '.'
      ]
    ],
    [
      'no platforms: no flag',
      'app:1',
      { platforms: [] },
      undefined,
      ['build', '--progress', 'plain', '--iidfile', IID, '--tag', 'app:1', '.']
    ],
    [
      'no cache',
      'app:1',
      { noCache: true },
      undefined,
      ['build', '--progress', 'plain', '--iidfile', IID, '--tag', 'app:1', '--no-cache', '.']
    ],
    [
      'pull',
      'app:1',
      { pull: true },
      undefined,
      ['build', '--progress', 'plain', '--iidfile', IID, '--tag', 'app:1', '--pull', '.']
    ],
    [
      'buildkit host',
      'app:1',
      {},
      'unix:///run/buildkit/buildkitd.sock',
      [
        'build',
        '--progress',
        'plain',
        '--iidfile',
        IID,
        '--buildkit-host',
        'unix:///run/buildkit/buildkitd.sock',
        '--tag',
        'app:1',
        '.'
      ]
    ],
    [
      'everything',
      'app:1',
      {
        tags: ['app:latest'],
        file: 'Dockerfile',
        buildArgs: [['A', '1']],
        labels: [['l', 'v']],
        target: 't',
        platforms: ['linux/amd64'],
        noCache: true,
        pull: true
      },
      'tcp://127.0.0.1:1234',
      [
        'build',
        '--progress',
        'plain',
        '--iidfile',
        IID,
        '--buildkit-host',
        'tcp://127.0.0.1:1234',
        '--tag',
        'app:1',
        '--tag',
        'app:latest',
        '--file',
        'Dockerfile',
        '--build-arg',
        'A=1',
        '--label',
        'l=v',
        '--target',
        't',
        '--platform',
        'linux/amd64',
        '--no-cache',
        '--pull',
        '.'
      ]
    ]
  ])('%s', (_title, tag, options, host, argv) => {
    expect(buildArgs(tag, '.', options, IID, host)).toEqual(argv)
  })

  test('the context path comes last, as given', () => {
    const argv = buildArgs('app:1', './sub dir/ctx', {}, IID)
    expect(argv[argv.length - 1]).toBe('./sub dir/ctx')
  })

  test.each<[string, string, BuildOptions, string, string]>([
    ['no tag at all', '', {}, '.', 'at least one tag'],
    ['only empty tags', '', { tags: [''] }, '.', 'at least one tag'],
    ['tag with a space', 'my app:1', {}, '.', 'tag "my app:1"'],
    ['tag starting with -', '-app', {}, '.', 'tag "-app"'],
    ['tag ending with :', 'app:', {}, '.', 'tag "app:"'],
    ['bad extra tag', 'app:1', { tags: ['ok:2', 'not ok'] }, '.', 'tag "not ok"'],
    ['empty context', 'app:1', {}, '', 'build context is empty']
  ])('%s is refused', (_title, tag, options, context, named) => {
    const e = errorOf(() => buildArgs(tag, context, options, IID))
    expect(e.kind).toBe('Other')
    expect(e.message).toContain(named)
  })
})
