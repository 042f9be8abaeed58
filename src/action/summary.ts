// The job summary: one table of what each phase did and how long it took,
// then the image and container facts. Built from the report only, so it
// cannot show anything (a password) that the report does not hold. Written
// as the HTML tables the runner renders, in one append.
import { EOL } from 'node:os'
import { Output } from './constants.js'
import type { Report } from './report.js'
import { appendSummary } from './workflow.js'

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

function retried(n: number): string {
  return `retried ${n} time${n === 1 ? '' : 's'}`
}

/** Values come from nerdctl and the user: shown as text, never read as markup. */
function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const row = (tag: 'th' | 'td', cells: readonly string[]): string =>
    `<tr>${cells.map(c => `<${tag}>${html(c)}</${tag}>`).join('')}</tr>`
  return `<table>${row('th', header)}${rows.map(r => row('td', r)).join('')}</table>${EOL}`
}

export async function writeSummary(report: Report): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const o = report.outputs
  const phases = report.phases.map(p => [
    p.name,
    p.ok ? '✅ done' : '❌ failed',
    p.retries ? `${p.detail}${p.detail ? '; ' : ''}${retried(p.retries)}` : p.detail,
    seconds(p.ms)
  ])
  const facts: [string, string | undefined][] = [
    ['image ID', o[Output.ImageId]],
    ['digest', o[Output.Digest]],
    ['tags', o[Output.Tags]?.split('\n').join(', ')],
    [
      'container',
      o[Output.ContainerName] &&
        `${o[Output.ContainerName]} (${(o[Output.ContainerId] ?? '').slice(0, 12)})`
    ],
    ['status', o[Output.Status]],
    ['health', o[Output.Health]],
    ['exit code', o[Output.ExitCode]],
    ['saved images', o[Output.SavePath]],
    ['exported filesystem', o[Output.ExportPath]],
    ['registry retries', report.retries > 0 ? String(report.retries) : undefined]
  ]
  const known = facts.filter((f): f is [string, string] => !!f[1])
  let text = `<h3>nerdctl-action</h3>${EOL}`
  text += table(['phase', 'result', 'details', 'time'], phases)
  if (known.length > 0) text += table(['what', 'value'], known)
  if (report.services.length > 0) {
    text += `<h4>services</h4>${EOL}`
    text += table(
      ['service', 'result', 'details', 'ready after'],
      report.services.map(r => [
        r.key,
        r.ok ? '✅ ready' : '❌ failed',
        r.detail,
        r.readyMs === undefined ? '' : `${r.readyMs} ms`
      ])
    )
  }
  for (const { title, text: body } of report.sections)
    text += `<h4>${html(title)}</h4>${EOL}<pre><code>${html(body)}</code></pre>${EOL}`
  await appendSummary(text)
}
