// A script as it is written for actions/github-script (the body of an async
// function with `core`, `exec`, `io`, `glob` and `require` in scope), run
// unchanged by this action's `script-file` input. Besides what github-script
// gives, this action's scripts also have `nerdctl` (the library) and `inputs`.
//
//   - uses: actions/github-script@v7           - uses: OWNER/nerdctl-action@v1
//     with:                                      with:
//       script: |                                  script-file: examples/github-script/toolkit.js
//         const s = require('./toolkit.js')
const fs = require('fs')
const path = require('path')

// io: make a directory, find a program on PATH.
const dir = path.join(process.env.RUNNER_TEMP, 'github-script-example')
await io.mkdirP(dir)
fs.writeFileSync(path.join(dir, 'alpha.txt'), 'alpha\n')
fs.writeFileSync(path.join(dir, 'beta.txt'), 'beta\n')
fs.writeFileSync(path.join(dir, 'skip.log'), 'not matched\n')
const sh = await io.which('sh', true)

// glob: the text files only.
const globber = await glob.create(`${dir}/*.txt`)
const files = (await globber.glob()).sort()

// exec: a program's output, and its exit code.
const { stdout } = await exec.getExecOutput('cat', files, { silent: true })
const code = await exec.exec(sh, ['-c', 'echo "from exec"; exit 0'])

// core: an OIDC token for this job (masked in the log), an output, a summary table.
const token = await core.getIDToken('nerdctl-action-example')
core.setOutput('files', files.map(f => path.basename(f)).join(','))
await core.summary
  .addHeading('github-script example')
  .addTable([
    [
      { data: 'file', header: true },
      { data: 'content', header: true }
    ],
    ...files.map(f => [path.basename(f), fs.readFileSync(f, 'utf8').trim()])
  ])
  .write()
await io.rmRF(dir)

return { lines: stdout.trim().split('\n'), code, tokenParts: token.split('.').length }
