import { existsSync, readFileSync } from 'node:fs'
import { liveGroupMembers } from '../process/process-group.ts'

// CPU time of processes, read from /proc (utime + stime, in clock ticks).
const TICKS_PER_S = 100

/**
 * Whether the server's CPU can be measured here, and why not: only for processes this run
 * started (a remote or external deployment's are not ours to read, and not on this machine),
 * and only where /proc exists (Linux; not macOS, Windows or a container without it).
 * Undefined when it can; else the note a report shows beside "not measured".
 */
export function serverCpuUnmeasurable(groups: readonly number[], procDir = '/proc'): string | undefined {
  if (groups.length === 0) return 'the server is not a process this run started (a remote or external deployment)'
  if (!existsSync(`${procDir}/self/stat`)) return `no ${procDir} on this system to read the server's CPU time from`
  return undefined
}

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // After the command: state(0) … utime(11) stime(12).
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return 0
  }
}

/**
 * Measures the CPU the server's processes use while `fn` runs, as a percentage
 * of one core (200 = both cores of this machine). Processes are the live
 * members of the given process groups, read at the start and the end.
 * `cpuPercent` is undefined, with the reason in `notMeasured`, where it cannot be measured: /proc is then not read.
 */
export async function serverCpuDuring<T>(groups: readonly number[], fn: () => Promise<T>): Promise<{ result: T; cpuPercent?: number; notMeasured?: string; wallMs: number }> {
  const notMeasured = serverCpuUnmeasurable(groups)
  if (notMeasured) {
    const started = performance.now()
    const result = await fn()
    return { result, notMeasured, wallMs: performance.now() - started }
  }
  const pids = liveGroupMembers(groups)
  const before = new Map(pids.map((pid) => [pid, cpuTicks(pid)]))
  const started = performance.now()
  const result = await fn()
  const wallMs = performance.now() - started
  let ticks = 0
  for (const pid of new Set([...pids, ...liveGroupMembers(groups)])) ticks += cpuTicks(pid) - (before.get(pid) ?? 0)
  return { result, cpuPercent: Math.round((ticks / TICKS_PER_S) / (wallMs / 1000) * 1000) / 10, wallMs }
}

/** This process's own CPU (the load generator when it runs in-process), % of one core. */
export async function ownCpuDuring<T>(fn: () => Promise<T>): Promise<{ result: T; cpuPercent: number }> {
  const before = process.cpuUsage()
  const started = performance.now()
  const result = await fn()
  const used = process.cpuUsage(before)
  const wallMs = performance.now() - started
  return { result, cpuPercent: Math.round(((used.user + used.system) / 1000) / wallMs * 1000) / 10 }
}
