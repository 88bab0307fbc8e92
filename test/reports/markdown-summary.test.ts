import { describe, expect, test } from 'vitest'
import { renderMarkdownSummary } from '../../reports/markdown-summary.ts'
import { sampleReport } from './fixtures/sample-report.ts'
import { expectGolden } from './golden.ts'

describe('renderMarkdownSummary', () => {
  test('matches the golden file', async () => {
    await expectGolden('summary.md', renderMarkdownSummary(sampleReport()))
  })

  test('target text cannot split a table cell or open a code span', () => {
    const row = renderMarkdownSummary(sampleReport()).split('\n').find((line) => line.includes('version-hidden'))
    expect(row).toBe(
      '| PASS | `proxy.server-header.version-hidden` | The Server header does not disclose a version | unknown (edge\\|cache \\`v2\\`) |',
    )
  })

  test('a failure block is fenced longer than any backtick run inside it', () => {
    const markdown = renderMarkdownSummary(sampleReport())
    expect(markdown).toContain('\n````text\n✗ proxy.body-size.413')
    expect(markdown).toContain('"note":"```"})\n')
  })

  test('a clean run says PASS and lists no failures', () => {
    const report = sampleReport()
    report.checks = report.checks.filter((check) => check.verdict === 'pass')
    report.summary = { pass: report.checks.length, fail: 0, 'not-applicable': 0, error: 0, total: report.checks.length }
    const markdown = renderMarkdownSummary(report)
    expect(markdown.split('\n')[0]).toBe('## layercheck: PASS')
    expect(markdown).not.toContain('### Failures')
  })

  test('a failed recommendation the profile does not document is a warning, listed apart from the failures', () => {
    const report = sampleReport()
    const warning = { ...report.checks.find((check) => check.verdict === 'fail')!, id: 'proxy.headers.nosniff', severity: 'info' as const, advisory: 'responseHeaders.nosniff' }
    report.checks = [...report.checks.filter((check) => check.verdict === 'pass'), warning]
    report.summary = { pass: report.checks.length - 1, fail: 0, 'not-applicable': 0, error: 0, total: report.checks.length, warnings: 1 }
    const markdown = renderMarkdownSummary(report)
    expect(markdown.split('\n')[0]).toBe('## layercheck: PASS')
    expect(markdown).toContain('| WARNING | `proxy.headers.nosniff` |')
    expect(markdown).toContain('| WARNING | 1 |')
    expect(markdown).not.toContain('### Failures')
    expect(markdown).toContain('### Warnings')
  })
})
