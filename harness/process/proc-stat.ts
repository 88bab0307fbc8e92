import { readdirSync, readFileSync } from 'node:fs'

/** A process as Linux's /proc/<pid>/stat describes it. */
export interface ProcStat {
  /** The command name, at most 15 characters (a title set by process.title shows here). */
  comm: string
  /** R, S, D, Z (zombie), … */
  state: string
  ppid: number
  pgrp: number
}

/** /proc/<pid>/stat, or undefined once the process is gone (or not on Linux). */
export function procStat(pid: number | string): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name is in parentheses and may hold ') ' itself: the fields follow the last one.
    const close = stat.lastIndexOf(')')
    const [state = '', ppid, pgrp] = stat.slice(close + 2).split(' ')
    return { comm: stat.slice(stat.indexOf('(') + 1, close), state, ppid: Number(ppid), pgrp: Number(pgrp) }
  } catch {
    return undefined
  }
}

/** /proc/<pid>/cmdline as argv, or undefined once the process is gone. */
export function procArgv(pid: number): string[] | undefined {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    if (argv.at(-1) === '') argv.pop()
    return argv
  } catch {
    return undefined
  }
}

/** Every process on the machine, by pid. */
export function allPids(): number[] {
  try {
    return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number)
  } catch {
    return []
  }
}
