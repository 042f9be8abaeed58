// The action's single entry point: GitHub runs dist/index.js for both `main`
// and `post`; the state the main run saved (isPost) tells them apart.
//
// Kept small on purpose: the runner starts Node twice per step (main, post),
// so this file loads only what tells the two apart, then imports the one it
// runs (ncc puts each dynamic import in a chunk of its own). Node's own source
// maps are switched on first, so stack traces from those chunks point at the
// TypeScript; that is cheaper at start-up than the source-map-support module
// ncc would otherwise load before anything.
import { StepState } from './state.js'
import * as core from './workflow.js'

process.setSourceMapsEnabled(true)

const step = new StepState().isPost()
  ? import('./post.js').then(m => m.post())
  : import('./main.js').then(m => m.main())

step.catch((e: unknown) => core.setFailed(e instanceof Error ? e.message : String(e)))
