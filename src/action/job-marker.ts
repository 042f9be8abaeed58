// Which job made a container, network or volume: the runner process that runs
// the job's steps (the parent of this step's process), named by its PID and
// its start time in /proc (a PID alone is reused; the pair is not), and by
// the user it runs as. A later step on the same runner removes what carries a
// marker whose process is gone: a job killed with its runner, or whose post
// step never ran. Being wrong one way strands a leftover; the other way
// removes a running job's services. So "gone" is only ever concluded from
// what /proc shows for certain, and everything else counts as alive.
import { readFileSync, readlinkSync, statSync } from 'node:fs'

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. */
export function parseStartTime(stat: string): string | undefined {
  // The command name (field 2) is in parentheses and may hold spaces and ")".
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const start = rest[19]
  return start && /^\d+$/.test(start) ? start : undefined
}

/**
 * Which processes /proc may hide from us, from the mount options of the
 * /proc we see (the last mount on /proc in /proc/self/mountinfo, the one on
 * top): `none` without hidepid (every PID of the namespace is listed);
 * `others` with hidepid=1/noaccess or 2/invisible (other users' processes
 * may be hidden, ours never); `any` with hidepid=4/ptraceable, an unknown
 * value, or when the mount cannot be found (nothing absent is proof).
 */
export type ProcHiding = 'none' | 'others' | 'any'

export function procHiding(mountinfo: string | undefined): ProcHiding {
  if (mountinfo === undefined) return 'any'
  let options: string[] | undefined
  for (const line of mountinfo.split('\n')) {
    // ID PARENT MAJ:MIN ROOT MOUNTPOINT MOUNTOPTS [TAGS...] - FSTYPE SOURCE SUPEROPTS
    const fields = line.split(' ')
    const dash = fields.indexOf('-')
    if (fields[4] !== '/proc' || dash < 0 || fields[dash + 1] !== 'proc') continue
    options = [...(fields[5] ?? '').split(','), ...(fields[dash + 3] ?? '').split(',')]
  }
  if (!options) return 'any'
  const hidepid = options.filter(o => o.startsWith('hidepid=')).map(o => o.slice(8))
  if (hidepid.length === 0 || hidepid.every(v => v === '0' || v === 'off')) return 'none'
  if (hidepid.every(v => ['0', 'off', '1', 'noaccess', '2', 'invisible'].includes(v)))
    return 'others'
  return 'any'
}

/** What /proc shows of one PID: its start time, that it has no entry, or nothing for certain. */
export type ProcEntry = { start: string } | 'absent' | 'unreadable'

/** What judging a marker reads from the system; tests give their own. */
export interface ProcView {
  /** The PID namespace we see PIDs in, or undefined when /proc cannot say. */
  namespace: string | undefined
  /** Our own user ID (real). */
  uid: number
  hiding: ProcHiding
  entry(pid: number): ProcEntry
}

function entryOf(pid: number): ProcEntry {
  try {
    const start = parseStartTime(readFileSync(`/proc/${pid}/stat`, 'utf8'))
    return start ? { start } : 'unreadable'
  } catch (e: unknown) {
    // Only "no such entry" says the process is not listed; EACCES (hidepid=1),
    // EPERM and the rest say nothing.
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'unreadable'
  }
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/** The PID namespace we see PIDs in (`pid:[4026531836]` -> 4026531836). */
function pidNamespace(): string | undefined {
  try {
    return /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1]
  } catch {
    return undefined
  }
}

/** The system's /proc, as this process sees it. */
export function systemProcView(): ProcView {
  return {
    namespace: pidNamespace(),
    uid: process.getuid?.() ?? -1,
    hiding: procHiding(readOr('/proc/self/mountinfo')),
    entry: entryOf
  }
}

function ownerOf(pid: number): number | undefined {
  try {
    return statSync(`/proc/${pid}`).uid
  } catch {
    return undefined
  }
}

/**
 * This job's marker, `PIDNS-PID-START-UID`, or undefined where /proc cannot
 * say (then nothing is marked). The PID namespace is part of it: a step in a
 * container job sees other PIDs, and must not judge markers from the host.
 * The user the process runs as is part of it: where /proc hides other users'
 * processes, only a marker of our own user can be judged gone.
 */
export function jobMarker(
  pid = process.ppid,
  view: ProcView = systemProcView()
): string | undefined {
  const entry = view.entry(pid)
  const uid = ownerOf(pid)
  if (!view.namespace || typeof entry !== 'object' || uid === undefined) return undefined
  return `${view.namespace}-${pid}-${entry.start}-${uid}`
}

/**
 * Whether the job a marker names may still run. Dead only when /proc shows
 * for certain that the marker's process is gone: its PID now belongs to a
 * process that started at another time, or it has no entry where /proc lists
 * every process of that user (no hidepid, or hidepid=1/2 and the marker's
 * user is ours). A marker of another PID namespace, one this does not
 * understand (an older one without the user, under hidepid, included) or a
 * PID /proc will not show counts as alive and is left alone.
 */
export function markerAlive(marker: string, view: ProcView = systemProcView()): boolean {
  const m = /^(\d+)-(\d+)-(\d+)(?:-(\d+))?$/.exec(marker)
  if (!m || !view.namespace || m[1] !== view.namespace) return true
  const entry = view.entry(Number(m[2]))
  if (typeof entry === 'object') return entry.start === m[3]
  if (entry === 'unreadable') return true
  if (view.hiding === 'none') return false
  return !(view.hiding === 'others' && m[4] !== undefined && Number(m[4]) === view.uid)
}
