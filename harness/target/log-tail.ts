// A log as layercheck reads it: never the whole thing, only its end, so no log
// size can stall a check or exhaust memory. Older bytes are skipped, and a
// check says so in its evidence: a marker older than the tail is not proven absent.

/** How much of each log is read from its end when the profile sets no `tailBytes`: minutes of a busy app. */
export const DEFAULT_TAIL_BYTES = 8 * 1024 * 1024

/** The end of one file, or of what one command printed. Plain data. */
export interface LogTail {
  /** The file's path, or the command line. */
  readonly origin: string
  readonly kind: 'file' | 'command'
  readonly text: string
  /** Bytes before the tail that were not read (a file) or were dropped as they streamed by (a command). */
  readonly skippedBytes: number
  /** Whether older bytes were left out: `skippedBytes > 0`. */
  readonly cut: boolean
  /** The log's whole size as far as it was seen: the file's size, or all a command printed. */
  readonly totalBytes: number
  /** Why reading ended before the source did, when it did: a command stopped at its time bound. */
  readonly note?: string
}

export function tailOf(origin: string, kind: LogTail['kind'], bytes: Buffer, skippedBytes: number, note?: string): LogTail {
  return {
    origin, kind, text: bytes.toString('utf8'), skippedBytes, cut: skippedBytes > 0,
    totalBytes: bytes.length + skippedBytes, ...(note && { note }),
  }
}

/** The last `limit` bytes of a stream of chunks, and how many bytes came before them. */
export class ByteTail {
  private chunks: Buffer[] = []
  private kept = 0
  skipped = 0
  readonly limit: number
  constructor(limit: number) {
    this.limit = limit
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.kept += chunk.length
    while (this.kept > this.limit) {
      const first = this.chunks[0]!
      const excess = this.kept - this.limit
      const dropped = Math.min(excess, first.length)
      if (dropped === first.length) this.chunks.shift()
      else this.chunks[0] = first.subarray(dropped)
      this.kept -= dropped
      this.skipped += dropped
    }
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.kept)
  }
}

const MIB = 1024 * 1024

/** Sizes as people read them in a report: `8 MiB`, `12.5 MiB`, `300 KiB`, `512 bytes`. */
export function formatBytes(bytes: number): string {
  const [value, unit] = bytes >= MIB ? [bytes / MIB, 'MiB'] : bytes >= 1024 ? [bytes / 1024, 'KiB'] : [bytes, 'bytes']
  return `${Number(value.toFixed(1))} ${unit}`
}

/**
 * What the reading left out, for a check's actual text: `searched the last 8 MiB of
 * 12 MiB of /var/log/app.log`, and any command stopped at its bound. Undefined when
 * every log was read whole.
 */
export function describeReach(tails: readonly LogTail[]): string | undefined {
  const parts = tails.flatMap((tail) => {
    const where = tail.kind === 'file' ? tail.origin : `the output of \`${tail.origin}\``
    return [
      ...(tail.cut ? [`searched the last ${formatBytes(tail.totalBytes - tail.skippedBytes)} of ${formatBytes(tail.totalBytes)} of ${where}`] : []),
      ...(tail.note ? [tail.note] : []),
    ]
  })
  return parts.length ? parts.join('; ') : undefined
}

/** The first line of any tail that contains `needle`, with where it was found. */
export function findLine(tails: readonly LogTail[], needle: string): { tail: LogTail; line: string } | undefined {
  for (const tail of tails) {
    const at = tail.text.indexOf(needle)
    if (at === -1) continue
    const start = tail.text.lastIndexOf('\n', at) + 1
    const end = tail.text.indexOf('\n', at)
    return { tail, line: tail.text.slice(start, end === -1 ? undefined : end) }
  }
  return undefined
}
