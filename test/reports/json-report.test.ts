import { describe, expect, test } from 'vitest'
import { parseJsonReport, renderJsonReport } from '../../reports/json-report.ts'
import { sampleReport } from './fixtures/sample-report.ts'

describe('renderJsonReport', () => {
  test('round-trips through parseJsonReport', () => {
    const report = sampleReport()
    expect(parseJsonReport(renderJsonReport(report))).toEqual(report)
  })

  test('writes keys in the model order, with a 2-space indent', () => {
    const report = sampleReport()
    const shuffled = { checks: report.checks, summary: report.summary, startedAt: report.startedAt, durationMs: report.durationMs,
      target: report.target, tool: report.tool, schemaVersion: report.schemaVersion }
    const text = renderJsonReport(shuffled)
    expect(text).toBe(renderJsonReport(report))
    expect(Object.keys(JSON.parse(text))).toEqual(['schemaVersion', 'tool', 'target', 'startedAt', 'durationMs', 'summary', 'checks'])
    expect(Object.keys(JSON.parse(text).checks[1].evidence[0]))
      .toEqual(['label', 'request', 'response', 'timing', 'requestId', 'answeredBy', 'repro'])
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,')
  })
})

describe('parseJsonReport', () => {
  test('refuses another schema version and says which', () => {
    const text = JSON.stringify({ ...sampleReport(), schemaVersion: 2 })
    expect(() => parseJsonReport(text)).toThrow('report schemaVersion must be 1, got 2 (written by a newer layercheck; upgrade to read it)')
    expect(() => parseJsonReport('{"checks":[]}')).toThrow('report schemaVersion must be 1, got undefined')
  })

  test('refuses text that is not a report object', () => {
    expect(() => parseJsonReport('{"schemaVersion":1,')).toThrow(/^report is not valid JSON: /)
    expect(() => parseJsonReport('[1]')).toThrow('report must be a JSON object, got an array')
    expect(() => parseJsonReport('{"schemaVersion":1,"summary":{},"checks":{}}')).toThrow('report checks must be an array, got {}')
  })
})
