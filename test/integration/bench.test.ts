import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { benchCommand } from '../../bin/bench-command.ts'
import type { BenchReport } from '../../harness/model/bench-result.ts'

// Not a timed test: it proves the benchmark measures what it says (one
// connection per request in close mode, TLS resumption counted, plain data
// written), not how fast anything is.
test('the keep-alive benchmark counts connections and writes its report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'layercheck-bench-'))
  const lines: string[] = []
  expect(await benchCommand({ reportDir: dir, connections: 4, durationS: 1, repeats: 1 }, (l) => lines.push(l))).toBe(0)
  const report = JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8')) as BenchReport
  expect(report.gains.map((g) => g.name)).toEqual(['client keep-alive gain, HTTP', 'client keep-alive gain, TLS'])
  for (const gain of report.gains) {
    const close = gain.baseline
    expect(close.requests).toBeGreaterThan(0)
    expect(close.connectionsOpened).toBe(close.requests + close.errors)
    expect(gain.better.requests).toBeGreaterThan(0)
    expect(Number.isFinite(gain.throughputRatio)).toBe(true)
  }
  expect(report.gains[0]!.baseline.tlsResumed).toBeUndefined()
  expect(report.gains[1]!.baseline.tlsResumed).toBeGreaterThan(0)
  expect(lines.join('\n')).toContain('throughput ×')
}, 120_000)
