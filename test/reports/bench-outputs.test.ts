import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { benchSummaryRows, observedText } from '../../reports/bench-format.ts'
import { renderHtmlReport } from '../../reports/html-report.ts'
import { parseJsonReport, renderJsonReport } from '../../reports/json-report.ts'
import { renderMarkdownSummary } from '../../reports/markdown-summary.ts'
import { renderTerminalSummary } from '../../reports/terminal-summary.ts'
import { benchReport, benchRunReport } from './fixtures/bench-report.ts'
import { expectGolden } from './golden.ts'
import { attr, parseHtml, textOf, walk } from './html-tree.ts'

describe('a bench run in the summaries', () => {
  test('Markdown: one table row per measurement, thresholds beside it', async () => {
    await expectGolden('summary-bench.md', renderMarkdownSummary(benchRunReport()))
  })

  test('terminal: the same rows, one line each', async () => {
    await expectGolden('terminal-bench.txt', renderTerminalSummary(benchRunReport(), { color: false }))
  })

  test('a threshold on a measurement that did not run gets a row of its own', () => {
    const rows = benchSummaryRows(benchReport())
    expect(rows.at(-1)).toEqual({ measurement: 'workers-io/8', name: 'not measured', rps: '–', ratio: '–', thresholds: ['rps>500: not measured → missing'] })
  })

  test('observed values keep their digits: an error rate is not rounded to 0.00', () => {
    expect([0, 0.00042, 0.5, 9.8, 2200.4].map(observedText)).toEqual(['0', '0.00042', '0.50', '9.80', '2200'])
  })

  test('report.json keeps the bench block and reads back', () => {
    const report = benchRunReport()
    const text = renderJsonReport(report)
    expect(parseJsonReport(text)).toEqual(report)
    expect(Object.keys(JSON.parse(text)).at(-1)).toBe('bench')
  })
})

describe('a bench run in the HTML report', () => {
  const report = benchRunReport()
  const html = renderHtmlReport(report)
  const { nodes, elements } = parseHtml(html)
  const scripts = elements('script')
  const section = elements('section').find((s) => attr(s, 'class') === 'bench')!

  test('inlines uPlot and the chart script, each allowed by its hash; no inline script runs otherwise', () => {
    const csp = attr(elements('meta').find((m) => attr(m, 'http-equiv') === 'Content-Security-Policy')!, 'content')!
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
    const classic = scripts.filter((s) => attr(s, 'type') === undefined)
    expect(scripts.map((s) => attr(s, 'type') ?? 'classic')).toEqual(['application/json', 'application/json', 'classic', 'classic', 'classic'])
    expect(textOf(classic[1]!)).toContain('uPlot')
    expect(csp).toContain(`script-src ${classic.map((s) => hash(textOf(s))).join(' ')};`)
    expect(csp).toContain(`style-src ${hash(textOf(elements('style')[0]!))};`)
    expect(csp).not.toContain('unsafe')
    for (const node of nodes) expect(node.attrs?.filter((a) => a.name.startsWith('on') || a.name === 'style') ?? []).toEqual([])
  })

  test('the chart data is script-safe JSON of medians, min and max per series', () => {
    const data = scripts.find((s) => attr(s, 'id') === 'bench-chart-data')!
    expect(textOf(data)).not.toContain('<')
    const charts = JSON.parse(textOf(data))
    expect(charts.scaling.workers).toEqual([1, 2, 4])
    expect(charts.scaling.series.map((s: { label: string; median: number[] }) => [s.label, s.median])).toEqual([
      ['uvicorn workers, CPU-bound route', [650, 700, 690]],
      ['uvicorn workers, I/O-bound route', [600, 610, 605]],
    ])
    expect(charts.gains.map((g: { id: string; chartId: string }) => [g.id, g.chartId])).toEqual([
      ['keepalive-http', 'bench-gain-0'], ['keepalive-tls', 'bench-gain-1'], ['upstream-keepalive', 'bench-gain-2'],
    ])
    expect(charts.gains[1].baseline).toMatchObject({ label: 'close', median: [14.2, 18.9, 31.5] })
  })

  // Each table row of the section as `cell | cell | …`.
  const rows = [...walk(section)].filter((n) => n.nodeName === 'tr')
    .map((tr) => (tr.childNodes ?? []).filter((c) => c.nodeName === 'td').map((td) => textOf(td).replace(/\s+/g, ' ').trim()).join(' | '))

  test('tables: medians with [min–max], generator-bound runs, connections, worker spread, thresholds', () => {
    const text = textOf(section).replace(/\s+/g, ' ')
    expect(text).toContain('690 [656–725]')
    expect(text).toContain('31050 for 10350 requests')
    expect(text).toContain('Generator-bound')
    expect(text).toContain('1 of 3')
    expect(text).toContain('54 % [52–57 %]')
    expect(text).toContain('The server had 1 core: more workers than that measure contention, not scaling.')
    expect(text).toContain('throughput ×3.19 · p50 latency ÷3.16 · p99 latency ÷3.12')
    expect(text).toContain('Server cores1 (pinned)')
    expect(rows).toContain('2 > cores | 700 [665–735] | ×1.08 | 54 % | 20.0 [19.0–21.0] | 44.0 [41.8–46.2] | server 98 %, generator 60 % | 54 % [52–57 %] | 0 of 3')
    expect(rows.find((r) => r.includes('close-loop | 690'))).toContain('baseline · close-loop | 690 [656–725] | 14.2 [13.5–14.9] | 18.9 [18.0–19.8] | 31.5 [29.9–33.1] | 25.2 [23.9–26.5] | 31050 for 10350 requests | 31047 | 0 / 0 | 1 of 3')
    expect(rows).toContain('workers-cpu/2 | rps>1000 | 700 | > 1000 | fail')
    expect(rows).toContain('workers-io/8 | rps>500 | not measured | > 500 | missing')
  })

  test('bench text from the report is escaped in the tables and in the chart data', () => {
    const hostile = benchRunReport()
    hostile.bench!.gains[0]!.name = '</script><img src=x onerror=alert(1)>'
    hostile.bench!.scaling[0]!.caveats = ['<b>bold</b>']
    const page = renderHtmlReport(hostile)
    const { elements: els } = parseHtml(page)
    expect(els('img')).toHaveLength(0)
    expect(els('b')).toHaveLength(0)
    expect(page).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;')
    expect(els('script')).toHaveLength(5)
  })
})
