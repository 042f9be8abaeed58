// The action's single entry point: GitHub runs dist/index.js for both `main`
// and `post`; the state the main run saved (isPost) tells them apart.
import * as core from '@actions/core'
import { State } from './constants.js'
import { main } from './main.js'
import { post } from './post.js'

const step = core.getState(State.IsPost) === 'true' ? post : main

step().catch((e: unknown) => core.setFailed(e instanceof Error ? e.message : String(e)))
