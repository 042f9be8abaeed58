// The action's single entry point: GitHub runs dist/index.js for both `main`
// and `post`; the state saved by the main run tells them apart.
import * as core from '@actions/core'
import { Nerdctl } from '../nerdctl/client.js'

async function run(): Promise<void> {
  const { stdout } = await new Nerdctl().exec(['--version'])
  core.info(stdout.trim())
}

run().catch((e: unknown) => core.setFailed(e instanceof Error ? e.message : String(e)))
