// `nerdctl stats --no-stream --format '{{json .}}'` lines, as ResourceUsage.
import type { ResourceUsage } from '../base/types.js'
import { str, type JsonObject } from './json.js'
import { parsePercent, parseSize } from './units.js'

/** One line of `nerdctl stats --no-stream --format '{{json .}}'`. */
export function toResourceUsage(s: JsonObject): ResourceUsage {
  const split = (key: string): [string, string] => {
    const [a = '', b = ''] = str(s, key)
      .split('/')
      .map(x => x.trim())
    return [a, b]
  }
  const [memUsed, memLimit] = split('MemUsage')
  const [netIn, netOut] = split('NetIO')
  const [blockIn, blockOut] = split('BlockIO')
  const pids = str(s, 'PIDs')
  const size = (t: string): number => (t === '' || t === '--' ? 0 : parseSize(t))
  return {
    id: str(s, 'ID'),
    name: str(s, 'Name'),
    cpuUsage: str(s, 'CPUPerc'),
    memoryUsage: memUsed,
    memoryLimit: memLimit,
    memoryPercentage: str(s, 'MemPerc'),
    networkInput: netIn,
    networkOutput: netOut,
    blockInput: blockIn,
    blockOutput: blockOut,
    pids,
    cpuPercent: parsePercent(str(s, 'CPUPerc')),
    memoryUsageBytes: size(memUsed),
    memoryLimitBytes: exactBytes(size(memLimit)),
    memoryPercent: parsePercent(str(s, 'MemPerc')),
    networkInputBytes: size(netIn),
    networkOutputBytes: size(netOut),
    blockInputBytes: size(blockIn),
    blockOutputBytes: size(blockOut),
    pidCount: /^\d+$/.test(pids) ? Number(pids) : 0
  }
}

/**
 * A byte count that JSON carries exactly, or null: "no limit" is 2^63 bytes
 * (8EiB), which a double rounds, so a consumer of the number could not tell
 * it from a real limit.
 */
export function exactBytes(n: number): number | null {
  return Number.isSafeInteger(n) ? n : null
}
