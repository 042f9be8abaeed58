// Keeps the structure ARCHITECTURE.md describes: reads every import of src/
// and checks the library's floors, that nothing imports in a circle, and that
// the pure floors cannot start a process.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const SRC = resolve('src')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []
  )
}

/** Every module a file imports (type-only imports included), as paths relative to src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specs = [...text.matchAll(/^(?:import|export)[^'"]*?from\s+'([^']+)'/gm)].map(
    m => m[1] as string
  )
  return specs.map(s =>
    s.startsWith('.') ? relative(SRC, resolve(dirname(file), s.replace(/\.js$/, '.ts'))) : s
  )
}

const files = sources(SRC).map(f => relative(SRC, f))
const graph = new Map(files.map(f => [f, importsOf(join(SRC, f))]))

const FLOORS = ['base', 'pure', 'exec', 'ops', 'builder'] as const
function floorOf(file: string): number {
  if (file === 'nerdctl/index.ts') return FLOORS.length
  const folder = file.split('/')[1] ?? ''
  return FLOORS.indexOf(folder as (typeof FLOORS)[number])
}

describe('architecture', () => {
  test('every library file is on a floor', () => {
    for (const f of files.filter(f => f.startsWith('nerdctl/')))
      expect([f, floorOf(f)]).not.toEqual([f, -1])
  })

  test('library imports run down or across a floor, never up', () => {
    const up: string[] = []
    for (const [f, deps] of graph) {
      if (!f.startsWith('nerdctl/')) continue
      for (const d of deps.filter(d => d.startsWith('nerdctl/'))) {
        if (floorOf(d) > floorOf(f)) up.push(`${f} -> ${d}`)
      }
    }
    expect(up).toEqual([])
  })

  test('the other layers use the library only through its index', () => {
    const inside: string[] = []
    for (const [f, deps] of graph) {
      if (f.startsWith('nerdctl/')) continue
      for (const d of deps)
        if (d.startsWith('nerdctl/') && d !== 'nerdctl/index.ts') inside.push(`${f} -> ${d}`)
    }
    expect(inside).toEqual([])
  })

  test('base/ and pure/ import nothing that can start a process or touch files', () => {
    const io: string[] = []
    for (const [f, deps] of graph) {
      if (floorOf(f) > 1 || !f.startsWith('nerdctl/')) continue
      for (const d of deps)
        if (d.startsWith('node:') || d.startsWith('@actions/')) io.push(`${f} -> ${d}`)
    }
    expect(io).toEqual([])
  })

  test('no import circle anywhere in src/', () => {
    const state = new Map<string, 'visiting' | 'done'>()
    const circles: string[] = []
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return
      if (state.get(f) === 'visiting') {
        circles.push([...path.slice(path.indexOf(f)), f].join(' -> '))
        return
      }
      state.set(f, 'visiting')
      for (const d of graph.get(f) ?? []) if (graph.has(d)) visit(d, [...path, f])
      state.set(f, 'done')
    }
    for (const f of files) visit(f, [])
    expect(circles).toEqual([])
  })

  test('every runtime dependency is imported by src/ (one nothing imports is not a dependency)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      dependencies?: Record<string, string>
    }
    const imported = new Set([...graph.values()].flat())
    const unused = Object.keys(pkg.dependencies ?? {}).filter(
      d => ![...imported].some(i => i === d || i.startsWith(`${d}/`))
    )
    expect(unused).toEqual([])
  })
})
