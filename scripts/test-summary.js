// Reads jest's --json results and prints the closing line CI reads
// ("N passed, N failed, N skipped"). Exits non-zero when a suite could not run,
// when no integration test ran, or when an integration test was skipped: a run
// that did not exercise the real stack is not a green run.
import { existsSync, readFileSync } from 'node:fs'

// The rootless suite's results (third) are judged as integration results are.
const [unitFile, integrationFile, rootlessFile] = process.argv.slice(2)
let passed = 0
let failed = 0
let skipped = 0
let ok = true

for (const [label, file] of [
  ['unit', unitFile],
  ['integration', integrationFile],
  ...(rootlessFile ? [['rootless', rootlessFile]] : [])
]) {
  if (!file || !existsSync(file)) {
    console.error(`[test] no ${label} results (${file}): the ${label} run did not finish`)
    ok = false
    continue
  }
  const r = JSON.parse(readFileSync(file, 'utf8'))
  passed += r.numPassedTests
  failed += r.numFailedTests
  skipped += r.numPendingTests + r.numTodoTests
  if (r.numRuntimeErrorTestSuites > 0) {
    console.error(`[test] ${r.numRuntimeErrorTestSuites} ${label} suite(s) failed to run`)
    failed += r.numRuntimeErrorTestSuites
    ok = false
  }
  console.log(
    `[test] ${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ` +
      `${r.numPendingTests + r.numTodoTests} skipped in ${r.numTotalTestSuites} files`
  )
  if (label !== 'unit') {
    if (r.numTotalTests === 0 || r.numPassedTests === 0) {
      console.error(`[test] no ${label} test ran: that is a failed run`)
      ok = false
    }
    if (r.numPendingTests + r.numTodoTests > 0) {
      console.error(`[test] ${label} tests were skipped: that is a failed run`)
      ok = false
    }
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(ok && failed === 0 ? 0 : 1)
