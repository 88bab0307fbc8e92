import { closeSync, openSync, readSync, statSync } from 'node:fs'
import type { WorkerSpread } from '../model/bench-result.ts'

const MAX_READ_BYTES = 64 * 1024 * 1024

function sizeOf(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

function readFrom(file: string, offset: number): string {
  const length = Math.min(MAX_READ_BYTES, sizeOf(file) - offset)
  if (length <= 0) return ''
  const fd = openSync(file, 'r')
  try {
    const buffer = Buffer.alloc(length)
    readSync(fd, buffer, 0, length, offset)
    return buffer.toString('utf8')
  } finally {
    closeSync(fd)
  }
}

/**
 * How requests spread over pre-fork workers, counted from the app's own log:
 * every worker writes `pid=… method=… path=…` once per request. The kernel
 * hands each accepted connection to whichever worker wins it, and a burst of
 * keep-alive connections can land on one worker — the bimodal 2-worker figures
 * of benchmarking.md — so a scaling figure means little without its spread.
 */
export class WorkerSpreadCounter {
  readonly #file: string
  readonly #path: string
  #offset = 0

  constructor(appLog: string, path: string) {
    this.#file = appLog
    this.#path = path
  }

  start(): void {
    this.#offset = sizeOf(this.#file)
  }

  /** Requests per worker since start(); undefined when the log shows none. */
  finish(): WorkerSpread | undefined {
    const text = readFrom(this.#file, this.#offset)
    const requestsByWorker: Record<string, number> = {}
    const line = /pid=(\d+) request_id=\S+ method=\S+ path=(\S+) status=/g
    for (const match of text.matchAll(line)) {
      if (match[2] !== this.#path) continue
      requestsByWorker[match[1]!] = (requestsByWorker[match[1]!] ?? 0) + 1
    }
    const counts = Object.values(requestsByWorker)
    const total = counts.reduce((a, b) => a + b, 0)
    if (total === 0) return undefined
    return { requestsByWorker, busiestShare: Math.max(...counts) / total }
  }
}
