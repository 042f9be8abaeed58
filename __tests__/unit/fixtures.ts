// Reads what scripts/record-fixtures.sh recorded from the real nerdctl.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures')

export function fixture(name: string): string {
  return readFileSync(join(DIR, name), 'utf8')
}

export interface RecordedCall {
  args: string[]
  exitCode: number
  stderr: string
}

/** The argv, exit code and stderr the recording script saw for a fixture. */
export function fixtureMeta(name: string): RecordedCall {
  return JSON.parse(fixture(`${name}.meta.json`)) as RecordedCall
}
