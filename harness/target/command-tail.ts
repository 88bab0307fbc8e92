import { spawn } from 'node:child_process'
import { onExit } from '../process/shutdown.ts'
import { ByteTail, tailOf, type LogTail } from './log-tail.ts'

/** After SIGTERM, how long the command's process group has to let go of its output before SIGKILL. */
const STOP_GRACE_MS = 500
/** How much of stderr is kept to explain a failed command. */
const STDERR_BYTES = 4096

export class LogCommandError extends Error {
  readonly code = 'LAYERCHECK_LOG_COMMAND'
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch { /* the group is gone already */ }
}

/**
 * What a log command prints on stdout, its last `tailBytes` kept as it streams
 * (no output size is an error). The command runs in a process group of its own;
 * one still running after `timeoutMs` (`journalctl -f`, `tail -f`) is stopped,
 * the whole group, and what it printed so far is used, with a note saying so.
 * A command that exits non-zero on its own is an error naming its stderr.
 */
export async function readCommandTail(command: string, { tailBytes, timeoutMs }: { tailBytes: number; timeoutMs: number }): Promise<LogTail> {
  const child = spawn('/bin/sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  // An interrupted run must not leave a `tail -f` behind.
  const forget = onExit(() => signalGroup(child.pid, 'SIGKILL'))
  const stdout = new ByteTail(tailBytes)
  const stderr = new ByteTail(STDERR_BYTES)
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))

  let stopped = false
  const timers: NodeJS.Timeout[] = []
  try {
    const exit = await new Promise<string | undefined>((resolve, reject) => {
      child.once('error', reject)
      child.once('close', (code, signal) => resolve(code === 0 ? undefined : signal ? `was ended by ${signal}` : `exited with status ${code}`))
      timers.push(setTimeout(() => {
        stopped = true
        signalGroup(child.pid, 'SIGTERM')
        // A process that ignores SIGTERM, or one that left the group and still holds the pipe:
        // SIGKILL, let go of the pipes, and wait for the shell's exit no longer than one more grace period.
        timers.push(setTimeout(() => {
          signalGroup(child.pid, 'SIGKILL')
          child.stdout.destroy()
          child.stderr.destroy()
          timers.push(setTimeout(() => resolve(undefined), STOP_GRACE_MS))
        }, STOP_GRACE_MS))
      }, timeoutMs))
    })
    if (stopped) {
      return tailOf(command, 'command', stdout.bytes(), stdout.skipped,
        `the log command \`${command}\` did not exit within ${timeoutMs} ms: it was stopped and what it printed by then was searched`)
    }
    if (exit) {
      const reason = stderr.bytes().toString('utf8').trim().split('\n').at(-1) || 'no message on stderr'
      throw new LogCommandError(`the log command \`${command}\` ${exit}: ${reason}`)
    }
    return tailOf(command, 'command', stdout.bytes(), stdout.skipped)
  } finally {
    for (const timer of timers) clearTimeout(timer)
    forget()
  }
}
