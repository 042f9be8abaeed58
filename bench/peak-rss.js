// Preloaded into the action's main by the peak-rss case (node --import): as
// the process exits, writes its own peak resident set size (KiB) to the file
// BENCH_PEAK_FILE names. Its own, not its children's: nerdctl's memory is not
// the action's.
import { writeFileSync } from 'node:fs'

const file = process.env.BENCH_PEAK_FILE
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)))
