// Which job made a container or network: the runner process that runs the
// job's steps (the parent of this step's process), named by its PID and its
// start time in /proc (a PID alone is reused; the pair is not). A later step
// on the same runner removes what carries a marker whose process is gone: a
// job killed with its runner, or whose post step never ran.
import { readFileSync, readlinkSync } from 'node:fs'

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. */
export function parseStartTime(stat: string): string | undefined {
  // The command name (field 2) is in parentheses and may hold spaces and ")".
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const start = rest[19]
  return start && /^\d+$/.test(start) ? start : undefined
}

function startTimeOf(pid: number): string | undefined {
  try {
    return parseStartTime(readFileSync(`/proc/${pid}/stat`, 'utf8'))
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

/**
 * This job's marker, `PIDNS-PID-START`, or undefined where /proc cannot say
 * (then nothing is marked). The PID namespace is part of it: a step in a
 * container job sees other PIDs, and must not judge markers from the host.
 */
export function jobMarker(pid = process.ppid): string | undefined {
  const ns = pidNamespace()
  const start = startTimeOf(pid)
  return ns && start ? `${ns}-${pid}-${start}` : undefined
}

/**
 * Whether the job a marker names may still run. Only a well-formed marker
 * whose process is gone, or was replaced by another with the same PID, is
 * dead; anything this cannot judge counts as alive and is left alone.
 */
export function markerAlive(
  marker: string,
  startTime = startTimeOf,
  namespace = pidNamespace()
): boolean {
  const m = /^(\d+)-(\d+)-(\d+)$/.exec(marker)
  if (!m || !namespace || m[1] !== namespace) return true
  return startTime(Number(m[2])) === m[3]
}
