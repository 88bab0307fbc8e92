import { open } from 'node:fs/promises'
import { tailOf, type LogTail } from './log-tail.ts'

/**
 * The last `tailBytes` of a file, read by seeking to them: a log of any size
 * costs at most `tailBytes` of memory and reading. Bytes appended while it is
 * read are left for the next read; a file truncated meanwhile (rotated) yields
 * what was still there.
 */
export async function readFileTail(path: string, tailBytes: number): Promise<LogTail> {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    const start = Math.max(0, size - tailBytes)
    const buffer = Buffer.alloc(size - start)
    let filled = 0
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    return tailOf(path, 'file', buffer.subarray(0, filled), start)
  } finally {
    await handle.close()
  }
}
