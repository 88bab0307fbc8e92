import { execFile } from 'node:child_process'
import { open } from 'node:fs/promises'
import { pollUntil } from '../process/poll.ts'
import type { LogSource } from '../profile/schema.ts'

const TAIL_BYTES = 1 << 20

/** The tail of a log: the last MiB of a file, or what a command prints (bounded in time and size). */
export async function readLog(source: LogSource): Promise<string> {
  if ('file' in source) {
    const handle = await open(source.file, 'r')
    try {
      const { size } = await handle.stat()
      const start = Math.max(0, size - TAIL_BYTES)
      const buffer = Buffer.alloc(size - start)
      await handle.read(buffer, 0, buffer.length, start)
      return buffer.toString('utf8')
    } finally {
      await handle.close()
    }
  }
  return await new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', source.command], { timeout: source.timeoutMs, maxBuffer: TAIL_BYTES * 4 }, (error, stdout) => {
      if (error) reject(new Error(`the log command failed: ${error.message.split('\n')[0]}`))
      else resolve(stdout)
    })
  })
}

export class LogSourceError extends Error {
  readonly code = 'LAYERCHECK_LOG_SOURCE'
}

/**
 * Whether `probeMarker` reached the app, judged against a control request whose
 * marker must appear: only once the control shows up do we know the log is
 * current, so an absent probe marker then means the app never saw the probe.
 */
export async function appSawMarker(source: LogSource, probeMarker: string, controlMarker: string, timeoutMs = 5000): Promise<boolean> {
  const text = await pollUntil('the control request to appear in the app log', async () => {
    const log = await readLog(source)
    return log.includes(controlMarker) ? log : undefined
  }, { timeoutMs, intervalMs: 100 }).catch((error) => {
    throw new LogSourceError(`logs.app: the control request (${controlMarker}) never appeared in the app log within ${timeoutMs} ms, so the log cannot prove anything; check the file or command (${(error as Error).message})`)
  })
  return text.includes(probeMarker)
}
