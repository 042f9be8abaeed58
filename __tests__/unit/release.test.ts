// What a team checks before adopting the action, kept true: the license, the
// third-party licenses of what the bundles contain, a changelog in Keep a
// Changelog form, usage pinned to a major tag, and a package that holds what
// users need and nothing else.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ROOT } from '../helpers/action-defaults.js'

const read = (...path: string[]): string => readFileSync(join(ROOT, ...path), 'utf8')
const pkg = JSON.parse(read('package.json')) as {
  name: string
  version: string
  license: string
  engines: { node: string }
  dependencies?: Record<string, string>
}

describe('license', () => {
  test('LICENSE is the license package.json names', () => {
    expect(pkg.license).toBe('Apache-2.0')
    const text = read('LICENSE')
    expect(text).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/)
    expect(text).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION')
    expect(text).toContain('END OF TERMS AND CONDITIONS')
  })

  /**
   * The packages a bundle holds code of, by the paths in its source map: where
   * each package is under node_modules (a nested copy, e.g. @actions/glob's
   * own minimatch, is its own package, with its own license).
   */
  function bundledPackages(map: string): string[] {
    const { sources } = JSON.parse(read(map)) as { sources: string[] }
    const dirs = new Set<string>()
    for (const source of sources) {
      const m =
        /^(?:.*?\/)?(node_modules\/(?:(?:@[^/]+\/)?[^/]+\/node_modules\/)*(?:@[^/]+\/)?[^/]+)\//.exec(
          source
        )
      if (m) dirs.add(m[1] as string)
    }
    return [...dirs].sort()
  }

  test.each(['dist', join('dist', 'cli')])(
    '%s/licenses.txt names every package bundled, with its license',
    dir => {
      // The entry and the chunks it loads lazily (the script phase's).
      const maps = readdirSync(dir).filter(f => f.endsWith('.js.map'))
      const packages = [...new Set(maps.flatMap(m => bundledPackages(join(dir, m))))].sort()
      // Both bundle the YAML parser; an empty list means the map changed shape.
      expect(packages).toContain('node_modules/yaml')
      const lines = read(dir, 'licenses.txt').split('\n')
      for (const path of packages) {
        const { name, license } = JSON.parse(read(path, 'package.json')) as {
          name: string
          license: string
        }
        const at = lines.indexOf(name)
        expect({ name, listed: at >= 0 }).toEqual({ name, listed: true })
        expect({ name, license: lines[at + 1] }).toEqual({ name, license })
      }
    }
  )
})

describe('changelog', () => {
  const changelog = read('CHANGELOG.md')
  const KINDS = ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security']

  test('Keep a Changelog form: Unreleased first, then versions, sections by kind', () => {
    const versions = [...changelog.matchAll(/^## (.*)$/gm)].map(m => m[1] as string)
    expect(versions[0]).toBe('[Unreleased]')
    for (const v of versions.slice(1)) expect(v).toMatch(/^\[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}$/)
    for (const [, kind] of changelog.matchAll(/^### (.*)$/gm)) expect(KINDS).toContain(kind)
    // Every version says what changed.
    for (const part of changelog.split(/^## /m).slice(1)) expect(part).toMatch(/^### /m)
  })

  test('a released version is package.json version or older, and not listed twice', () => {
    const released = [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\]/gm)].map(m => m[1] as string)
    expect(new Set(released).size).toBe(released.length)
    const num = (v: string): number[] => v.split('.').map(Number)
    const newer = (a: number[], b: number[]): boolean => {
      for (let i = 0; i < 3; i++)
        if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) > (b[i] as number)
      return false
    }
    for (const v of released) expect(newer(num(v), num(pkg.version))).toBe(false)
  })
})

describe('README', () => {
  const readme = read('README.md')

  test('usage pins one major tag of the action, never a branch', () => {
    const pins = [...readme.matchAll(/uses: [\w.-]+\/nerdctl-action@(\S+)/g)].map(m => m[1])
    expect(pins.length).toBeGreaterThan(0)
    expect(new Set(pins)).toEqual(new Set(['v1']))
  })

  test('says how releases move the major tag, and links the changelog, license and guide', () => {
    expect(readme).toMatch(/^## Releases/m)
    expect(readme).toMatch(/git tag -f v1/)
    for (const link of ['CHANGELOG.md', 'LICENSE', 'docs/troubleshooting.md'])
      expect(readme).toContain(`(${link})`)
  })

  test('states the Node the bundle runs on and the lowest the library supports', () => {
    expect(pkg.engines.node).toBe('>=20')
    expect(readme).toMatch(/Node 24/)
    expect(readme).toMatch(/Node 20/)
  })
})

describe('npm package', () => {
  // What `npm pack` puts in the package, as npm itself decides from `files`.
  // Scripts are skipped (prepare would build); lib/ must exist to be listed,
  // so it is built first when missing.
  function packed(): string[] {
    if (!existsSync(join(ROOT, 'lib', 'nerdctl', 'index.js'))) {
      execFileSync(
        process.execPath,
        ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
        {
          cwd: ROOT
        }
      )
    }
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    })
    const [report] = JSON.parse(out) as [{ files: { path: string }[] }]
    return report.files.map(f => f.path).sort()
  }

  // The bundles carry the packages they use; the library uses none but Node's
  // own modules. So installing the package installs nothing more.
  test('has no runtime dependencies: the library imports only Node built-ins', () => {
    expect(pkg.dependencies ?? {}).toEqual({})
    const dir = join(ROOT, 'src', 'nerdctl')
    for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (!f.endsWith('.ts')) continue
      for (const [, spec] of read('src', 'nerdctl', f).matchAll(
        /^(?:(?:import|export|\})[^'\n]*\bfrom |import )'([^']+)'/gm
      )) {
        expect({ f, spec, ok: /^(\.|node:)/.test(spec as string) }).toEqual({ f, spec, ok: true })
      }
    }
  })

  const BUNDLE = ['index.js', 'index.js.map', 'licenses.txt', 'package.json']
  /** What ncc wrote into a bundle directory: the entry, its lazily loaded chunks, their maps. */
  const bundleFiles = (dir: string): string[] =>
    readdirSync(dir)
      .filter(
        f =>
          BUNDLE.includes(f) || /^\d+\.index\.js(\.map)?$/.test(f) || f === 'sourcemap-register.cjs'
      )
      .map(f => `${dir}/${f}`)

  test('holds the library, the bundles, action.yml and the documents users read, nothing else', () => {
    const files = packed()
    const rest = files.filter(f => !f.startsWith('lib/'))
    expect(rest).toEqual(
      [
        'package.json',
        'README.md',
        'LICENSE',
        'CHANGELOG.md',
        'action.yml',
        ...bundleFiles('dist'),
        ...bundleFiles('dist/cli')
      ].sort()
    )
    // The library: its compiled modules and their types, no maps to sources
    // that are not shipped, none of the action's or the CLI's modules (the
    // bundles hold those).
    const lib = files.filter(f => f.startsWith('lib/'))
    for (const f of lib) expect(f).toMatch(/^lib\/nerdctl\/.+\.(js|d\.ts)$/)
    const sources = readdirSync(join(ROOT, 'src', 'nerdctl'), { recursive: true, encoding: 'utf8' })
      .filter(f => f.endsWith('.ts'))
      .map(f => relative('.', f).replace(/\.ts$/, ''))
    for (const s of sources) {
      expect(lib).toContain(`lib/nerdctl/${s}.js`)
      expect(lib).toContain(`lib/nerdctl/${s}.d.ts`)
    }
  }, 120_000)
})
