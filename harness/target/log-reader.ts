import { glob, stat } from 'node:fs/promises'
import { pollUntil } from '../process/poll.ts'
import type { LogSource } from '../profile/schema.ts'
import { readCommandTail } from './command-tail.ts'
import { readFileTail } from './file-tail.ts'
import { DEFAULT_TAIL_BYTES, describeReach, findLine, type LogTail } from './log-tail.ts'

/** A layer's log in the profile: one source, or several (an app writing to more than one file). */
export type LogSources = LogSource | readonly LogSource[]

export class LogSourceError extends Error {
  readonly code = 'LAYERCHECK_LOG_SOURCE'
}

const GLOB_CHARACTERS = /[*?[{]/

/** The files a `file` setting names: itself, or what its glob matches (sorted), directories left out. */
async function filesOf(pattern: string): Promise<string[]> {
  if (!GLOB_CHARACTERS.test(pattern)) return [pattern]
  const files: string[] = []
  for await (const path of glob(pattern)) {
    if ((await stat(path).catch(() => undefined))?.isFile()) files.push(path)
  }
  if (files.length === 0) throw new LogSourceError(`no file matches the log glob ${pattern}`)
  return files.sort()
}

/**
 * A layer's log as bounded tails, one per file or command: each file (every
 * match of a glob) is read from its last `tailBytes`, each command's output
 * keeps its last `tailBytes`, so no log size ends a check in a harness error.
 */
export async function readLog(sources: LogSources): Promise<LogTail[]> {
  const list: readonly LogSource[] = Array.isArray(sources) ? sources : [sources as LogSource]
  const tails = await Promise.all(list.map(async (source) => {
    const tailBytes = source.tailBytes ?? DEFAULT_TAIL_BYTES
    if ('command' in source) return [await readCommandTail(source.command, { tailBytes, timeoutMs: source.timeoutMs })]
    return await Promise.all((await filesOf(source.file)).map((file) => readFileTail(file, tailBytes)))
  }))
  return tails.flat()
}

/** What the app log showed about a probe, and what of the log was left unread (for the evidence). */
export interface MarkerSighting {
  seen: boolean
  /** `searched the last 8 MiB of 12 MiB of …` when a tail was cut or a command stopped; undefined when read whole. */
  reach?: string
}

/**
 * Whether `probeMarker` reached the app, judged against a control request whose
 * marker must appear: only once the control shows up do we know the log is
 * current, so an absent probe marker then means the app never saw the probe.
 */
export async function appSawMarker(sources: LogSources, probeMarker: string, controlMarker: string, timeoutMs = 5000): Promise<MarkerSighting> {
  const tails = await pollUntil('the control request to appear in the app log', async () => {
    const read = await readLog(sources)
    return findLine(read, controlMarker) ? read : undefined
  }, { timeoutMs, intervalMs: 100 }).catch((error) => {
    throw new LogSourceError(`logs.app: the control request (${controlMarker}) never appeared in the app log within ${timeoutMs} ms, so the log cannot prove anything; check the file or command (${(error as Error).message})`)
  })
  const reach = describeReach(tails)
  return { seen: findLine(tails, probeMarker) !== undefined, ...(reach && { reach }) }
}
