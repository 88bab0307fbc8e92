import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { benchCommand } from '../../bin/bench/bench-command.ts'
import type { RunReport } from '../../harness/model/check-result.ts'

// Not a timed test: it proves what the benchmark measures and how it judges
// (one connection per request in close mode, TLS resumption counted, requests
// counted per worker, thresholds deciding the exit code), not how fast anything is.
test('the bench measures every comparison, and an impossible threshold fails the run (exit 1)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'layercheck-bench-'))
  const lines: string[] = []
  const exit = await benchCommand({
    reportDir: dir, connections: 8, durationS: 1, repeats: 1, pin: true,
    thresholds: ['keepalive-http:rps>100000000', 'keepalive-http:rps>1', 'workers-cpu/4:p(99)<0.001'],
  }, (l) => lines.push(l))
  expect(exit).toBe(1)

  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport
  const bench = report.bench!
  expect(bench.gains.map((g) => g.id)).toEqual(['keepalive-http', 'keepalive-tls', 'upstream-keepalive'])
  for (const gain of bench.gains) {
    expect(gain.better.requests).toBeGreaterThan(0)
    expect(gain.baseline.requests).toBeGreaterThan(0)
    expect(Number.isFinite(gain.throughputRatio)).toBe(true)
  }
  const [http, tls] = bench.gains
  // The close mode opened exactly one connection per request (or per failed attempt),
  // and nginx's own counter (stub_status) agrees; the keep-alive side kept its 8.
  for (const close of [http!.baseline, tls!.baseline]) {
    expect(close.connectionsOpened).toBe(close.requests + close.errors)
    expect(close.serverConnections).toBe(close.connectionsOpened)
  }
  for (const kept of [http!.better, tls!.better]) expect(kept.serverConnections).toBe(8 * kept.runs)
  expect(http!.baseline.tlsResumed).toBeUndefined()
  expect(tls!.baseline.tlsResumed).toBeGreaterThan(0)

  expect(bench.scaling.map((s) => [s.id, s.points.map((p) => p.workers)])).toEqual([['workers-cpu', [1, 2, 4]], ['workers-io', [1, 2, 4]]])
  for (const point of bench.scaling.flatMap((s) => s.points)) {
    const [spread] = point.measurement.workerSpread!
    // Counted from the app's log: never more worker processes than the stack ran.
    expect(Object.keys(spread!.requestsByWorker).length).toBeLessThanOrEqual(point.workers)
    expect(Object.values(spread!.requestsByWorker).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
  }

  // The profile's own thresholds are judged too; ours are added to them.
  const verdicts = new Map(bench.thresholds.map((t) => [`${t.measurement}:${t.expression}`, t.verdict]))
  expect(verdicts.get('keepalive-http:rps>100000000')).toBe('fail')
  expect(verdicts.get('keepalive-http:rps>1')).toBe('pass')
  expect(verdicts.get('workers-cpu/4:p(99)<0.001')).toBe('fail')
  expect(verdicts.has('keepalive-tls:keepAliveGain>1.5')).toBe(true)
  const failed = report.checks.find((c) => c.title === 'keepalive-http: rps>100000000')!
  expect(failed).toMatchObject({ id: 'bench.keepalive-http.rps', verdict: 'fail', expected: 'rps > 100000000 req/s' })
  expect(failed.diagnosis).toMatch(/^Measured rps = \d+ req\/s/)
  expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('keepalive-http: rps&gt;100000000')

  const text = lines.join('\n')
  expect(text).toMatch(/FAIL +keepalive-http: rps>100000000 +observed \d+ req\/s/)
  expect(text).toMatch(/PASS +keepalive-http: rps>1 +observed/)
}, 240_000)
