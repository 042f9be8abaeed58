// The action's single entry point: GitHub runs dist/index.js for both `main`
// and `post`; the state the main run saved (isPost) tells them apart.
import * as core from '@actions/core'
import { main } from './main.js'
import { post } from './post.js'
import { StepState } from './state.js'
import { errorMessage } from '../nerdctl/index.js'

const step = new StepState().isPost() ? post : main

step().catch((e: unknown) => core.setFailed(errorMessage(e)))
