// The action's single entry point: GitHub runs dist/index.js for both `main`
// and `post`; the state the main run saved (isPost) tells them apart.
//
// Kept small on purpose: the runner starts Node twice per step (main, post),
// so this file loads only what tells the two apart, then imports the one it
// runs (ncc puts each dynamic import in a chunk of its own).
//
// Source maps: reading a chunk's map costs about 10 ms of every start, and the
// action reports errors by message, not stack. So Node's own source maps are
// switched on when the runner's debug logging is (RUNNER_DEBUG=1), before the
// chunks load, and stack traces then point at the TypeScript; otherwise
// `NODE_OPTIONS=--enable-source-maps` does the same. (ncc's default, loading
// source-map-support before anything, cost more than both.)
import { StepState } from './state.js'
import * as core from './workflow.js'

if (process.env.RUNNER_DEBUG === '1') process.setSourceMapsEnabled(true)

const step = new StepState().isPost()
  ? import('./post.js').then(m => m.post())
  : import('./main.js').then(m => m.main())

step.catch((e: unknown) => core.setFailed(e instanceof Error ? e.message : String(e)))
