// The job summary: one table of what each phase did and how long it took,
// then the image and container facts. Built from the report only, so it
// cannot show anything (a password) that the report does not hold.
import * as core from '@actions/core'
import { Output } from './constants.js'
import type { Report } from './report.js'

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

function retried(n: number): string {
  return `retried ${n} time${n === 1 ? '' : 's'}`
}

export async function writeSummary(report: Report): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const o = report.outputs
  const rows = [
    [
      { data: 'phase', header: true },
      { data: 'result', header: true },
      { data: 'details', header: true },
      { data: 'time', header: true }
    ],
    ...report.phases.map(p => [
      p.name,
      p.ok ? '✅ done' : '❌ failed',
      p.retries ? `${p.detail}${p.detail ? '; ' : ''}${retried(p.retries)}` : p.detail,
      seconds(p.ms)
    ])
  ]
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
  const s = core.summary.addHeading('nerdctl-action', 3).addTable(rows)
  if (known.length > 0)
    s.addTable([
      [
        { data: 'what', header: true },
        { data: 'value', header: true }
      ],
      ...known
    ])
  if (report.services.length > 0)
    s.addHeading('services', 4).addTable([
      [
        { data: 'service', header: true },
        { data: 'result', header: true },
        { data: 'details', header: true },
        { data: 'ready after', header: true }
      ],
      ...report.services.map(r => [
        r.key,
        r.ok ? '✅ ready' : '❌ failed',
        r.detail,
        r.readyMs === undefined ? '' : `${r.readyMs} ms`
      ])
    ])
  for (const { title, text } of report.sections) s.addHeading(title, 4).addCodeBlock(text)
  await s.write()
}
