// Writes DIR/licenses.txt for a bundle ncc made in DIR: every package whose
// code the bundle's source maps name (a nested copy, e.g. @actions/glob's own
// minimatch, is its own package), with its license type and text, in ncc's
// format. ncc writes its licenses file once per chunk, so with several lazily
// loaded chunks the last one written wins and the file misses packages.
//   node scripts/licenses.js dist dist/cli
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const PACKAGE =
  /^(?:.*?\/)?(node_modules\/(?:(?:@[^/]+\/)?[^/]+\/node_modules\/)*(?:@[^/]+\/)?[^/]+)\//

function packagesOf(dir) {
  const found = new Set()
  for (const map of readdirSync(dir).filter(f => f.endsWith('.js.map'))) {
    const { sources } = JSON.parse(readFileSync(join(dir, map), 'utf8'))
    for (const source of sources) {
      const m = PACKAGE.exec(source)
      if (m) found.add(m[1])
    }
  }
  return [...found]
}

function licenseText(path) {
  const file = readdirSync(path).find(f => /^(licen[cs]e|copying)(\.|$)/i.test(f))
  return file ? readFileSync(join(path, file), 'utf8').trim() : ''
}

for (const dir of process.argv.slice(2)) {
  const entries = packagesOf(dir)
    .filter(path => existsSync(join(path, 'package.json')))
    .map(path => {
      const { name, license } = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'))
      return { name, license: String(license ?? ''), text: licenseText(path) }
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const seen = new Set()
  const blocks = entries
    .filter(e => !seen.has(`${e.name}\n${e.license}`) && seen.add(`${e.name}\n${e.license}`))
    .map(e => `${e.name}\n${e.license}\n${e.text}\n`)
  writeFileSync(join(dir, 'licenses.txt'), blocks.join('\n'))
}
