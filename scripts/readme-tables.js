// Writes the README's tables of inputs and outputs from action.yml, between
// the <!-- inputs:start/end --> and <!-- outputs:start/end --> markers.
//   node scripts/readme-tables.js           rewrite README.md
//   node scripts/readme-tables.js --check   exit 1 if README.md is not in sync
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const readmePath = join(root, 'README.md')

const cell = text =>
  String(text)
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim()

export function renderTables(actionYamlText) {
  const action = parse(actionYamlText)
  const inputs = [
    '| input | default | description |',
    '| --- | --- | --- |',
    ...Object.entries(action.inputs).map(
      ([name, spec]) =>
        `| \`${name}\` | ${spec.default ? `\`${cell(spec.default)}\`` : ''} | ${cell(spec.description)} |`
    )
  ].join('\n')
  const outputs = [
    '| output | description |',
    '| --- | --- |',
    ...Object.entries(action.outputs).map(
      ([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`
    )
  ].join('\n')
  return { inputs, outputs }
}

export function syncReadme(readme, tables) {
  let out = readme
  for (const [key, table] of Object.entries(tables)) {
    const re = new RegExp(`(<!-- ${key}:start -->\\n)[\\s\\S]*?(<!-- ${key}:end -->)`)
    if (!re.test(out))
      throw new Error(`README.md has no <!-- ${key}:start --> ... <!-- ${key}:end --> markers`)
    out = out.replace(re, (_m, a, b) => `${a}${table}\n${b}`)
  }
  return out
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readme = readFileSync(readmePath, 'utf8')
  const synced = syncReadme(readme, renderTables(readFileSync(join(root, 'action.yml'), 'utf8')))
  if (process.argv.includes('--check')) {
    if (synced !== readme) {
      console.error('README.md tables differ from action.yml: run `npm run docs`')
      process.exit(1)
    }
  } else if (synced !== readme) {
    writeFileSync(readmePath, synced)
    console.log('README.md tables updated from action.yml')
  }
}
