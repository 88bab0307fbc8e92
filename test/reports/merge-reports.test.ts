import { describe, expect, test } from 'vitest'
import { MergeError, mergeReports } from '../../reports/merge-reports.ts'
import { sampleReport } from './fixtures/sample-report.ts'
import { withVerdicts } from './fixtures/with-verdicts.ts'

describe('mergeReports', () => {
  test('two disjoint shards give back the whole report, recounted, in step order', () => {
    const whole = sampleReport()
    const a = sampleReport()
    const b = sampleReport()
    a.checks = whole.checks.filter((_, i) => i % 2 === 0)
    b.checks = whole.checks.filter((_, i) => i % 2 === 1)
    a.durationMs = 1000
    b.startedAt = new Date(Date.parse(a.startedAt) + 500).toISOString()
    b.durationMs = 2000
    const merged = mergeReports([b, a])
    expect(merged.checks.map((c) => c.id).sort()).toEqual(whole.checks.map((c) => c.id).sort())
    const steps = merged.checks.map((c) => c.step)
    expect(steps).toEqual([...steps].sort((x, y) => x - y))
    expect(merged.summary).toEqual(whole.summary)
    expect(merged.startedAt).toBe(a.startedAt)
    expect(merged.durationMs).toBe(2500)
    expect(merged.baseline).toBeUndefined()
  })

  test('start and end offsets count from the merged start; the floor is recomputed over every check', () => {
    const whole = sampleReport()
    const a = sampleReport()
    const b = sampleReport()
    const timed = (c: (typeof whole.checks)[number]) => ({
      ...c, startedMs: 100, endedMs: 200, waitedMs: 1000, uses: { exclusive: ['target:upstream'], shared: [] },
    })
    a.checks = whole.checks.slice(0, 1).map(timed)
    b.checks = whole.checks.slice(1, 2).map(timed)
    a.floorMs = 1000
    b.startedAt = new Date(Date.parse(a.startedAt) + 500).toISOString()
    const merged = mergeReports([a, b])
    expect(merged.checks.map((c) => [c.startedMs, c.endedMs])).toEqual([[100, 200], [600, 700]])
    // Both held target:upstream alone: their waits add up.
    expect(merged.floorMs).toBe(2000)
  })

  test('a check in several reports keeps its worst verdict', () => {
    const merged = mergeReports([withVerdicts({ 'routing.unknown-path.404': 'fail' }), withVerdicts({})])
    expect(merged.checks.find((c) => c.id === 'routing.unknown-path.404')?.verdict).toBe('fail')
    expect(merged.summary.fail).toBe(2)
    expect(merged.summary.total).toBe(sampleReport().checks.length)
  })

  test('refuses reports of different targets, and nothing at all', () => {
    const other = sampleReport()
    other.target.baseUrl = 'http://elsewhere'
    expect(() => mergeReports([sampleReport(), other])).toThrow(MergeError)
    expect(() => mergeReports([sampleReport(), other])).toThrow('reports of different targets cannot be merged: http://127.0.0.1:8080 and http://elsewhere')
    expect(() => mergeReports([])).toThrow('nothing to merge')
  })
})
