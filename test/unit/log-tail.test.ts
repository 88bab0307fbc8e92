import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { pollUntil } from '../../harness/process/poll.ts'
import { groupAlive } from '../../harness/process/process-group.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import { LogCommandError, readCommandTail } from '../../harness/target/command-tail.ts'
import { readFileTail } from '../../harness/target/file-tail.ts'
import { LogSourceError, readLog } from '../../harness/target/log-reader.ts'
import { ByteTail, describeReach, findLine } from '../../harness/target/log-tail.ts'

const dir = mkdtempSync(join(tmpdir(), 'layercheck-log-tail-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** `lines` numbered lines of 20 bytes each: `line 000001 .......\n`. */
const numberedLines = (lines: number) => Array.from({ length: lines }, (_, i) => `line ${String(i + 1).padStart(6, '0')} .......\n`).join('')

describe('ByteTail', () => {
  test('keeps the last bytes across chunk boundaries and counts the rest', () => {
    const tail = new ByteTail(5)
    for (const chunk of ['abc', 'defg', 'h', 'ij']) tail.push(Buffer.from(chunk))
    expect(tail.bytes().toString()).toBe('fghij')
    expect(tail.skipped).toBe(5)
  })
})

describe('readFileTail', () => {
  const file = join(dir, 'numbered.log')
  writeFileSync(file, numberedLines(500)) // 10,000 bytes

  test('a file larger than the bound: only its last bytes, marked as cut', async () => {
    const tail = await readFileTail(file, 4000)
    expect(tail).toMatchObject({ kind: 'file', origin: file, cut: true, skippedBytes: 6000, totalBytes: 10_000 })
    expect(tail.text).toBe(readFileSync(file, 'utf8').slice(6000))
    expect(tail.text.endsWith('line 000500 .......\n')).toBe(true)
    expect(describeReach([tail])).toBe(`searched the last 3.9 KiB of 9.8 KiB of ${file}`)
  })

  test('a file within the bound: read whole, not cut, nothing to say', async () => {
    const tail = await readFileTail(file, 1 << 20)
    expect(tail).toMatchObject({ cut: false, skippedBytes: 0, totalBytes: 10_000 })
    expect(describeReach([tail])).toBeUndefined()
  })
})

describe('readCommandTail', () => {
  /** The group led by the shell whose pid the command wrote is gone (SIGKILL lands asynchronously: a short, bounded wait). */
  const stoppedSoon = (pidFile: string) => {
    const pid = Number(readFileSync(pidFile, 'utf8'))
    return pollUntil(`log command group ${pid} to be gone`, async () => (groupAlive(pid) ? undefined : true), { timeoutMs: 1000 })
  }

  test('output far past any buffer (12 MiB) keeps its last bytes: no maxBuffer error', async () => {
    const tail = await readCommandTail('head -c 12582912 /dev/zero | tr "\\0" a; echo; echo the-end', { tailBytes: 1 << 20, timeoutMs: 20_000 })
    expect(tail).toMatchObject({ kind: 'command', cut: true, totalBytes: 12 * 1024 * 1024 + 9 })
    expect(tail.text.length).toBe(1 << 20)
    expect(findLine([tail], 'the-end')?.line).toBe('the-end')
    expect(describeReach([tail])).toContain('searched the last 1 MiB of 12 MiB of the output of `head -c')
  })

  test('a command that never exits is stopped (its whole process group) within the bound; what it printed is kept, with a note', async () => {
    const pidFile = join(dir, 'never-exits.pid')
    const started = performance.now()
    // The shell forks `sleep`, so the group has two members.
    const tail = await readCommandTail(`echo $$ > ${pidFile}; echo printed-before-the-bound; sleep 60; echo never`, { tailBytes: 1 << 20, timeoutMs: 300 })
    expect(performance.now() - started).toBeLessThan(300 + 1500)
    expect(tail.text).toBe('printed-before-the-bound\n')
    expect(tail.note).toContain('did not exit within 300 ms')
    expect(describeReach([tail])).toContain('did not exit within 300 ms')
    await stoppedSoon(pidFile)
  })

  test('a command that ignores SIGTERM is killed after the grace period', async () => {
    const pidFile = join(dir, 'ignores-term.pid')
    const started = performance.now()
    const tail = await readCommandTail(`trap '' TERM; echo $$ > ${pidFile}; echo stubborn; sleep 60`, { tailBytes: 1024, timeoutMs: 300 })
    expect(performance.now() - started).toBeLessThan(300 + 2000)
    expect(tail.text).toBe('stubborn\n')
    await stoppedSoon(pidFile)
  })

  test('a command that fails on its own is an error naming its status and stderr', async () => {
    const failing = readCommandTail('echo "journal not found" >&2; exit 3', { tailBytes: 1024, timeoutMs: 5000 })
    await expect(failing).rejects.toThrow(LogCommandError)
    await expect(failing).rejects.toThrow('exited with status 3: journal not found')
  })
})

describe('readLog', () => {
  const logs = join(dir, 'app')
  mkdirSync(join(logs, 'archive.log'), { recursive: true }) // a directory the glob matches: left out
  writeFileSync(join(logs, 'b.log'), numberedLines(100))
  writeFileSync(join(logs, 'a.log'), 'first file\n')
  writeFileSync(join(logs, 'other.txt'), 'not a log\n')

  test('a glob: every matching file, sorted, each read as its own bounded tail', async () => {
    const tails = await readLog({ file: join(logs, '*.log'), tailBytes: 1024 })
    expect(tails.map((t) => t.origin)).toEqual([join(logs, 'a.log'), join(logs, 'b.log')])
    expect(tails.map((t) => t.cut)).toEqual([false, true])
    expect(findLine(tails, 'line 000100')?.tail.origin).toBe(join(logs, 'b.log'))
  })

  test('a list of sources: files and commands together', async () => {
    const tails = await readLog([{ file: join(logs, 'a.log') }, { command: 'echo from-a-command', timeoutMs: 5000 }])
    expect(tails.map((t) => t.text)).toEqual(['first file\n', 'from-a-command\n'])
  })

  test('a glob that matches no file is a clear error', async () => {
    await expect(readLog({ file: join(logs, '*.gz') })).rejects.toThrow(LogSourceError)
  })
})

describe('the logs section of a profile', () => {
  test('a layer takes one source or a list, files may be globs, each may set tailBytes', () => {
    const profile = parseProfile({
      baseUrl: 'http://127.0.0.1:8000',
      logs: { app: [{ file: '/var/log/app/*.log', tailBytes: 1 << 20 }, { command: 'journalctl -u api -o cat' }], proxy: { file: '/var/log/nginx/error.log' } },
    })
    expect(profile.logs?.app).toEqual([{ file: '/var/log/app/*.log', tailBytes: 1 << 20 }, { command: 'journalctl -u api -o cat', timeoutMs: 5000 }])
  })

  test('a tail too small to hold a line is refused, naming the key', () => {
    expect(() => parseProfile({ baseUrl: 'http://127.0.0.1:8000', logs: { app: { file: '/var/log/app.log', tailBytes: 10 } } })).toThrow(/logs\.app/)
  })
})
