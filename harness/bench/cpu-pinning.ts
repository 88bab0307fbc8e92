import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'
import { liveGroupMembers } from '../process/process-group.ts'

/** Which cores the server side and the load generator get. */
export interface CorePlan {
  /** Cores of the machine (taskset masks are not counted: once pinned, this process would see one). */
  cores: number
  pinned: boolean
  server: number[]
  generator: number[]
}

const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

/**
 * The generator gets the last core, the server every other one — a generator
 * and a server competing for the same core measure the scheduler, not the
 * server (benchmarking.md: pinned, wrk gained 19 % and its lowest p99). With a
 * single core, or without taskset, nothing is pinned and both share every core.
 */
export function planCores(pin: boolean): CorePlan {
  const all = Array.from({ length: cpus().length }, (_, i) => i)
  if (!pin || !hasTaskset || all.length < 2) return { cores: all.length, pinned: false, server: all, generator: all }
  return { cores: all.length, pinned: true, server: all.slice(0, -1), generator: all.slice(-1) }
}

function setAffinity(pid: number, cores: readonly number[]): boolean {
  try {
    // -a: every thread of the process (libuv's pool, nginx's, Python's).
    execFileSync('taskset', ['-a', '-p', '-c', cores.join(','), String(pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false // the process ended meanwhile
  }
}

function affinityOf(pid: number): number[] | undefined {
  try {
    const out = execFileSync('taskset', ['-p', '-c', String(pid)], { encoding: 'utf8' })
    const list = out.slice(out.lastIndexOf(':') + 1).trim()
    return list.split(',').flatMap((part) => {
      const [from, to] = part.split('-').map(Number) as [number, number | undefined]
      return Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i)
    })
  } catch {
    return undefined
  }
}

/**
 * Pins every live process of the server's process groups (workers forked or
 * respawned later inherit their master's affinity).
 */
export function pinServer(plan: CorePlan, groups: readonly number[]): void {
  if (!plan.pinned) return
  for (const pid of liveGroupMembers(groups)) setAffinity(pid, plan.server)
}

/** Pins this process (the in-process load generator); returns how to undo it. */
export function pinGenerator(plan: CorePlan): () => void {
  if (!plan.pinned) return () => {}
  const before = affinityOf(process.pid)
  setAffinity(process.pid, plan.generator)
  return () => {
    if (before) setAffinity(process.pid, before)
  }
}
