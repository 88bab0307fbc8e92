import { describe, expect, test } from 'vitest'
import type { RunReport } from '../../harness/model/check-result.ts'
import { compareWithBaseline, gatingRegressions } from '../../reports/baseline-diff.ts'
import { parseJsonReport, renderJsonReport } from '../../reports/json-report.ts'
import { renderHtmlReport } from '../../reports/html-report.ts'
import { renderMarkdownSummary } from '../../reports/markdown-summary.ts'
import { renderTerminalSummary } from '../../reports/terminal-summary.ts'
import { baselineExitCode } from '../../bin/report-command.ts'
import { withVerdicts } from './fixtures/with-verdicts.ts'
import { expectGolden } from './golden.ts'

// In the sample: proxy.body-size.413 fails, middleware.rate-limit.429 is n/a,
// faults.upstream-down.502 errored, the rest pass.
const BODY = 'proxy.body-size.413'
const UNKNOWN = 'routing.unknown-path.404'
const RATE = 'middleware.rate-limit.429'
const FAULT = 'faults.upstream-down.502'

describe('compareWithBaseline', () => {
  test('a check that passed and now fails is a NEW finding and a regression', () => {
    const baseline = withVerdicts({}, '2025-06-01T00:00:00.000Z')
    const current = withVerdicts({ [UNKNOWN]: 'fail' })
    const comparison = compareWithBaseline(baseline, current)
    expect(comparison.counts).toEqual({ new: 1, existing: 1, fixed: 0, regressions: 1 })
    expect(comparison.findings.map((f) => [f.status, f.id, f.before, f.after, f.regression])).toEqual([
      ['new', UNKNOWN, 'pass', 'fail', true],
      ['existing', BODY, 'fail', 'fail', false],
    ])
    expect(comparison.startedAt).toBe('2025-06-01T00:00:00.000Z')
    expect(gatingRegressions(comparison).map((f) => f.id)).toEqual([UNKNOWN])
    expect(baselineExitCode({ ...current, baseline: comparison }, 'info')).toBe(1)
  })

  test('a fix and an unchanged failure are no regression: exit 0', () => {
    const comparison = compareWithBaseline(withVerdicts({ [UNKNOWN]: 'fail', [FAULT]: 'pass' }), withVerdicts({ [FAULT]: 'pass' }))
    expect(comparison.findings.map((f) => [f.status, f.id])).toEqual([['existing', BODY], ['fixed', UNKNOWN]])
    expect(comparison.counts.regressions).toBe(0)
    const current = withVerdicts({ [FAULT]: 'pass' })
    expect(baselineExitCode({ ...current, baseline: comparison }, 'info')).toBe(0)
  })

  test('a failure of a check that was not applicable, errored or absent is NEW but not a regression', () => {
    const baseline = withVerdicts({ [BODY]: 'pass' })
    baseline.checks = baseline.checks.filter((c) => c.id !== UNKNOWN)
    const comparison = compareWithBaseline(baseline, withVerdicts({ [BODY]: 'pass', [RATE]: 'fail', [FAULT]: 'fail', [UNKNOWN]: 'fail' }))
    expect(comparison.findings.map((f) => [f.id, f.status, f.before ?? 'absent', f.regression])).toEqual([
      [RATE, 'new', 'not-applicable', false],
      [FAULT, 'new', 'error', false],
      [UNKNOWN, 'new', 'absent', false],
    ])
    expect(comparison.counts).toEqual({ new: 3, existing: 0, fixed: 0, regressions: 0 })
  })

  test('a failure whose check now errors is not called fixed: an error proves nothing', () => {
    const comparison = compareWithBaseline(withVerdicts({}), withVerdicts({ [BODY]: 'error' }))
    expect(comparison.findings).toEqual([])
  })

  test('harness errors stay apart from regressions: exit 4 without a regression, 1 with one', () => {
    const current = withVerdicts({}) // the sample's fault check errored
    expect(baselineExitCode({ ...current, baseline: compareWithBaseline(withVerdicts({}), current) }, 'info')).toBe(4)
    const regressed = withVerdicts({ [UNKNOWN]: 'fail' })
    expect(baselineExitCode({ ...regressed, baseline: compareWithBaseline(withVerdicts({}), regressed) }, 'info')).toBe(1)
  })

  test('--fail-on applies to regressions: a regressed warning does not gate at error', () => {
    const baseline = withVerdicts({ [FAULT]: 'pass' })
    const current = withVerdicts({ [FAULT]: 'pass', [UNKNOWN]: 'fail' })
    current.checks = current.checks.map((c) => (c.id === UNKNOWN ? { ...c, severity: 'warning' } : c))
    const comparison = compareWithBaseline(baseline, current)
    expect(gatingRegressions(comparison, 'warning').map((f) => f.id)).toEqual([UNKNOWN])
    expect(gatingRegressions(comparison, 'error')).toEqual([])
    expect(baselineExitCode({ ...current, baseline: comparison }, 'error')).toBe(0)
  })
})

describe('the baseline block in every output', () => {
  const baseline = withVerdicts({ [FAULT]: 'pass' }, '2025-06-01T00:00:00.000Z')
  const current = withVerdicts({ [FAULT]: 'pass', [UNKNOWN]: 'fail' })
  const report: RunReport = { ...current, baseline: compareWithBaseline(baseline, current) }

  test('JSON: an optional block after checks, keys in model order, round-trips', () => {
    const text = renderJsonReport(report)
    expect(parseJsonReport(text)).toEqual(report)
    const written = JSON.parse(text)
    expect(Object.keys(written).at(-1)).toBe('baseline')
    expect(Object.keys(written.baseline)).toEqual(['startedAt', 'baseUrl', 'counts', 'findings'])
    expect(Object.keys(written.baseline.counts)).toEqual(['new', 'existing', 'fixed', 'regressions'])
    expect(Object.keys(written.baseline.findings[0])).toEqual(['id', 'title', 'severity', 'status', 'before', 'after', 'regression'])
    expect(Object.keys(JSON.parse(renderJsonReport(current)))).not.toContain('baseline')
  })

  test('terminal: one line per finding, NEW first', async () => {
    await expectGolden('terminal-baseline.txt', renderTerminalSummary(report, { color: false }))
  })

  test('Markdown: a table of findings', async () => {
    await expectGolden('summary-baseline.md', renderMarkdownSummary(report))
  })

  test('HTML: a findings table linking each check, target text escaped', () => {
    const html = renderHtmlReport(report)
    expect(html).toContain('<h2>Compared with the baseline</h2>')
    expect(html).toContain('<tr class="finding-new"><td>NEW</td><td><a href="#check-routing.unknown-path.404"><code>routing.unknown-path.404</code></a></td>')
    expect(html).toContain('<td>passed → failed (regression)</td>')
    const hostile = { ...report, baseline: { ...report.baseline!, findings: [{ ...report.baseline!.findings[0]!, title: '<img src=x onerror=alert(1)>' }] } }
    expect(renderHtmlReport(hostile)).toContain('<td>&lt;img src=x onerror=alert(1)&gt;</td>')
    expect(renderHtmlReport(current)).not.toContain('Compared with the baseline')
  })

  test('without a baseline the outputs are unchanged', () => {
    expect(renderTerminalSummary(current, { color: false })).not.toContain('baseline')
    expect(renderMarkdownSummary(current)).not.toContain('baseline')
  })
})
