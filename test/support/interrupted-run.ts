import { spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { expect } from 'vitest'
import { STACKS_DIR } from '../../harness/paths.ts'
import { liveGroupMembers } from '../../harness/process/process-group.ts'
import { pollUntil } from '../../harness/process/poll.ts'
import { allPids, procStat } from '../../harness/process/proc-stat.ts'
import type { InterruptSignal } from '../../harness/process/shutdown.ts'
import type { StackInfo } from '../../targets/nginx-fastapi/stack.ts'

/**
 * Who is signalled: the whole process group, as a terminal's Ctrl-C or
 * hang-up and `timeout` do, or only the process that was started, as a
 * service manager, a CI runner cancelling a step or `kill <pid>` do.
 */
export type SignalTarget = 'group' | 'started process'

export interface InterruptCase {
  signal: InterruptSignal
  to: SignalTarget
  /** The started process's exit status: 128 + the signal's number. */
  status: number
}

export const INTERRUPT_CASES: readonly InterruptCase[] = [
  { signal: 'SIGINT', to: 'group', status: 130 },
  { signal: 'SIGINT', to: 'started process', status: 130 },
  { signal: 'SIGTERM', to: 'group', status: 143 },
  { signal: 'SIGTERM', to: 'started process', status: 143 },
  { signal: 'SIGHUP', to: 'group', status: 129 },
  { signal: 'SIGHUP', to: 'started process', status: 129 },
]

/** The acceptance bound: nothing of an interrupted run is left this long after it was signalled. */
export const CLEANUP_MS = 5000

function nodeMajor(node: string): number | undefined {
  const run = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 5000 })
  return run.status === 0 ? Number(run.stdout.split('.')[0]) : undefined
}

/**
 * A Node other than the project's 24 (Debian's, on PATH), to start
 * bin/layercheck.js as a new user does: its launcher re-runs the command under
 * Node 24 as a child. Undefined when the machine has none.
 */
export const OTHER_NODE: string | undefined = [
  ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'node')), '/usr/bin/node', '/usr/local/bin/node',
].find((node) => existsSync(node) && ![undefined, 24].includes(nodeMajor(node)))

export function sendSignal(child: ChildProcess, signal: NodeJS.Signals, to: SignalTarget): void {
  if (to === 'group') process.kill(-child.pid!, signal)
  else process.kill(child.pid!, signal)
}

/**
 * The embedded stack of the run started as `startedPid`, once its stack.json
 * is written: the run is the started process, or the launcher's child when
 * the launcher re-ran it.
 */
export function embeddedStackOf(startedPid: number): StackInfo | undefined {
  const runs = [startedPid, ...allPids().filter((pid) => procStat(pid)?.ppid === startedPid)]
  // A folder of an earlier process with the same pid (a run killed outright) has no live group.
  return readdirSync(STACKS_DIR)
    .filter((name) => runs.some((pid) => name.startsWith(`compliant-${pid}-`)))
    .map((name) => join(STACKS_DIR, name, 'stack.json'))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as StackInfo)
    .find((info) => liveGroupMembers(info.pids).length > 0)
}

/** No live process in the groups led by `leaders`, within CLEANUP_MS. */
export async function expectNoProcessLeft(leaders: readonly number[], since: number): Promise<void> {
  const left = await pollUntil('the interrupted run\'s processes to be gone', async () => {
    const members = liveGroupMembers(leaders)
    return members.length === 0 || Date.now() - since > CLEANUP_MS ? members : undefined
  }, { timeoutMs: CLEANUP_MS + 1000 })
  expect(left, `processes of the groups ${leaders.join(', ')} still alive ${CLEANUP_MS} ms after the signal`).toEqual([])
}

/** SIGKILLs what is left of the groups led by `leaders` (a test's own cleanup, whatever its assertions said). */
export function killGroups(leaders: readonly number[]): void {
  for (const leader of leaders) {
    try {
      if (leader > 0) process.kill(-leader, 'SIGKILL')
    } catch { /* gone, as it should be */ }
  }
}

/**
 * An interrupted run writes no report: the checks it cut short have no
 * verdict, and a report of the others would read as the whole run's.
 */
export function expectNoReport(reportDir: string): void {
  expect(existsSync(reportDir) ? readdirSync(reportDir) : []).toEqual([])
}
