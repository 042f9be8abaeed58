// npm run bench: the speed and memory figures of the library against the real
// stack (scripts/stack.sh up first). Each case runs in a fresh Node process so
// its peak memory (maxRSS) is its own; results print as a table and as JSON
// lines, and each has a target it must meet (exit 1 if one is missed).
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const cases =
  process.argv.slice(2).length > 0
    ? process.argv.slice(2)
    : ['logs-to-file', 'logs-tail', 'wait-healthy', 'exec-overhead', 'parse']

let failed = 0
const rows = []
for (const name of cases) {
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, 'cases.js'), name], {
    encoding: 'utf8',
    timeout: 600_000
  })
  const line = r.stdout.trim().split('\n').pop() ?? ''
  let result
  try {
    result = JSON.parse(line)
  } catch {
    console.error(`${name}: no result (exit ${r.status})\n${r.stdout}\n${r.stderr}`)
    failed++
    continue
  }
  rows.push(result)
  if (!result.ok) failed++
}
console.log('| case | figure | target | met |')
console.log('| --- | --- | --- | --- |')
for (const r of rows)
  console.log(`| ${r.name} | ${r.figure} | ${r.target} | ${r.ok ? 'yes' : 'NO'} |`)
for (const r of rows) console.log(JSON.stringify(r))
process.exit(failed === 0 ? 0 : 1)
