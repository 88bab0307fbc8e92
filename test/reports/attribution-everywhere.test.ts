import { describe, expect, test } from 'vitest'
import { formatAnsweredBy } from '../../harness/model/report-view.ts'
import { renderHtmlReport, renderJsonReport, renderJunit, renderMarkdownSummary, renderTerminalSummary } from '../../reports/index.ts'
import { sampleReport } from './fixtures/sample-report.ts'

// One attribution, one wording: who answered each failing check, and how sure we are, reads the
// same in report.json, the HTML report, JUnit, the Markdown summary and the terminal.
describe('an attribution reads the same in every output', () => {
  const report = sampleReport()
  const failing = report.checks.filter((c) => c.verdict === 'fail' && c.answeredBy)
  const decode = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
  const outputs = {
    terminal: renderTerminalSummary(report, { color: false }),
    junit: decode(renderJunit(report)),
    markdown: renderMarkdownSummary(report),
    html: decode(renderHtmlReport(report)),
  }

  test('the sample report has failing checks with a confidence', () => {
    expect(failing.length).toBeGreaterThan(0)
    for (const check of failing) expect(['certain', 'likely', 'unknown']).toContain(check.answeredBy!.confidence)
  })

  test.each(Object.keys(outputs) as (keyof typeof outputs)[])('%s names who answered with the same words, confidence included', (name) => {
    for (const check of failing) expect(outputs[name], `${check.id} in ${name}`).toContain(formatAnsweredBy(check.answeredBy!))
  })

  test('report.json keeps the tier, product, confidence and signals as data', () => {
    const json = JSON.parse(renderJsonReport(report)) as typeof report
    for (const check of failing) expect(json.checks.find((c) => c.id === check.id)!.answeredBy).toEqual(check.answeredBy)
  })
})
