import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { pollUntil } from './poll.ts'
import { allPids, procStat } from './proc-stat.ts'
import { onExit, onInterrupt } from './shutdown.ts'

/**
 * A server process started in its own process group, so stopping it also stops
 * whatever it forked (gunicorn's workers, nginx's workers). Every group started
 * here is remembered and killed on exit, SIGINT and SIGTERM of this process, so
 * an interrupted run leaves no orphan behind.
 */
export interface ManagedProcess {
  readonly name: string
  readonly pid: number
  readonly logFile: string
  exited(): boolean
  stop(graceMs?: number): Promise<void>
  /** Leave it running after this process exits (for `layercheck stack up`). */
  release(): void
}

const live = new Map<number, ManagedProcess>()
let hooksInstalled = false

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal)
    return true
  } catch {
    return false
  }
}

/**
 * Live (non-zombie) members of the process groups led by `leaders`, read from
 * /proc. kill(-pgid, 0) is not enough: a leader whose parent has exited can stay
 * a zombie where PID 1 does not reap, and a zombie is not a running process.
 */
export function liveGroupMembers(leaders: readonly number[]): number[] {
  return allPids().filter((pid) => {
    const stat = procStat(pid) // undefined: it ended while we looked
    return stat !== undefined && stat.state !== 'Z' && leaders.includes(stat.pgrp)
  })
}

/**
 * SIGKILLs this process's own children other than the server groups started
 * here (for the run: vitest's workers, which could otherwise go on injecting
 * faults after an interrupt).
 */
export function killChildProcesses(): number[] {
  const killed: number[] = []
  for (const pid of allPids()) {
    const stat = procStat(pid)
    if (!stat || stat.state === 'Z' || stat.ppid !== process.pid || live.has(stat.pgrp)) continue
    try {
      process.kill(pid, 'SIGKILL')
      killed.push(pid)
    } catch { /* gone already */ }
  }
  return killed
}

export function groupAlive(pid: number): boolean {
  return liveGroupMembers([pid]).length > 0
}

function installExitHooks(): void {
  if (hooksInstalled) return
  hooksInstalled = true
  // On interruption, SIGKILL whatever is left once the async hooks (fault cleanup) ran.
  onExit(() => {
    for (const child of live.values()) killGroup(child.pid, 'SIGKILL')
  })
  onInterrupt(async () => {
    for (const child of live.values()) killGroup(child.pid, 'SIGTERM')
  }, 2)
}

export interface StartOptions {
  name: string
  command: string
  args: string[]
  logFile: string
  env?: NodeJS.ProcessEnv
  cwd?: string
}

export function startProcess(options: StartOptions): ManagedProcess {
  installExitHooks()
  const log = openSync(options.logFile, 'a')
  let child: ChildProcess
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
    })
  } finally {
    closeSync(log)
  }
  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`)
  const pid = child.pid
  let exitedFlag = false
  child.once('exit', () => {
    exitedFlag = true
  })
  child.once('error', () => {
    exitedFlag = true
  })
  child.unref()

  const managed: ManagedProcess = {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited: () => exitedFlag,
    release: () => {
      live.delete(pid)
    },
    async stop(graceMs = 5000) {
      live.delete(pid)
      if (!killGroup(pid, 'SIGTERM')) return
      try {
        await pollUntil(`${options.name} (pid ${pid}) to stop`, async () => (groupAlive(pid) ? undefined : true), {
          timeoutMs: graceMs,
        })
      } catch {
        killGroup(pid, 'SIGKILL')
        await pollUntil(`${options.name} (pid ${pid}) to die`, async () => (groupAlive(pid) ? undefined : true), {
          timeoutMs: 2000,
        })
      }
    },
  }
  live.set(pid, managed)
  return managed
}

/** Stops a process group recorded by an earlier run (for `layercheck stack down`). */
export async function stopRecordedGroup(pid: number, graceMs = 5000): Promise<boolean> {
  if (!killGroup(pid, 'SIGTERM')) return false
  try {
    await pollUntil(`process group ${pid} to stop`, async () => (groupAlive(pid) ? undefined : true), { timeoutMs: graceMs })
  } catch {
    killGroup(pid, 'SIGKILL')
  }
  return true
}
