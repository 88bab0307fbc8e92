import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { formatAnsweredBy } from '../../harness/model/report-view.ts'
import { renderHtmlReport } from '../../reports/html-report.ts'
import { checkView, type CheckView } from '../../reports/html/check-view.ts'
import { FAILING_CHECK_ID, sampleReport } from './fixtures/sample-report.ts'
import { withWarning } from './fixtures/with-verdicts.ts'
import { attr, parseHtml, textOf } from './html-tree.ts'

const html = renderHtmlReport(sampleReport())
const { nodes, elements } = parseHtml(html)
// The page lists its checks from this JSON (the browser tests see them drawn); the markup has none.
const dataScript = elements('script').find((s) => attr(s, 'id') === 'checks-data')!
const { checks } = JSON.parse(textOf(dataScript)) as { checks: CheckView[] }
const failing = checks.find((c) => c.id === FAILING_CHECK_ID)!

describe('renderHtmlReport', () => {
  test('target markup is shown as text, never as markup', () => {
    expect(html).not.toContain('<script>alert(1)')
    expect(html).not.toContain('<b>trusted')
    expect(failing.exchanges[0]!.responseBody).toContain('"name":"<script>alert(1)</script>"')
    expect(failing.exchanges[0]!.responseBody).toContain('"avatar":"<img src=x onerror=alert(2)>"')
    expect(failing.exchanges[0]!.responseHead).toContain('x-debug-note: <b>trusted</b>')
    expect(elements('img')).toHaveLength(0)
    expect(elements('b')).toHaveLength(0)
  })

  test('"onerror=" appears only inside escaped text or the script-safe JSON', () => {
    const outsideData = html.replace(/<script type="application\/json"[^>]*>[^<]*<\/script>/, '')
    expect(outsideData.match(/onerror=/g)?.length ?? 0).toBe(outsideData.match(/&lt;img src=x onerror=/g)?.length ?? 0)
    expect(textOf(dataScript)).toContain('\\u003cimg src=x onerror=alert(2)\\u003e')
    for (const node of nodes) {
      expect(node.attrs?.filter((a) => a.name.startsWith('on')) ?? []).toEqual([])
    }
  })

  test('only our two scripts: the JSON data and the filter script', () => {
    expect(elements('script').map((s) => attr(s, 'type') ?? 'classic')).toEqual(['application/json', 'classic'])
  })

  test("the run's time beside its floor, as the terminal says it; no floor, no words about one", () => {
    const meta = (html: string) => textOf(parseHtml(html).elements('p').find((n) => attr(n, 'class') === 'meta')!)
    expect(meta(renderHtmlReport({ ...sampleReport(), durationMs: 43_700, floorMs: 39_000 }))).toContain('43.7 s (floor 39.0 s, 1.12× the floor)')
    expect(meta(renderHtmlReport(sampleReport()))).not.toContain('floor')
  })

  test('loads nothing from the network', () => {
    for (const node of nodes) {
      for (const name of ['src', 'href', 'action', 'srcset', 'poster', 'data']) {
        const value = attr(node, name)
        if (value !== undefined) expect(value, `${node.nodeName}[${name}]`).toMatch(/^#/)
      }
    }
    expect(elements('link')).toHaveLength(0)
    const css = textOf(elements('style')[0]!)
    expect(css).not.toMatch(/url\(|@import/)
  })

  test('the Content-Security-Policy allows exactly the inline style and script', () => {
    const csp = attr(elements('meta').find((m) => attr(m, 'http-equiv') === 'Content-Security-Policy')!, 'content')
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
    const script = elements('script').find((s) => attr(s, 'type') === undefined)!
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain(`script-src ${hash(textOf(script))}`)
    expect(csp).toContain(`style-src ${hash(textOf(elements('style')[0]!))}`)
  })

  // The page ships its checks once, as the view the script draws (reports/html/check-view.ts), not the
  // report itself: report.json beside it is the data to read; this is what the page shows, worded.
  test('the embedded JSON cannot end its script element and holds every check once, in lifecycle order', () => {
    expect(textOf(dataScript)).not.toContain('<')
    const report = sampleReport()
    const inOrder = [...report.checks].sort((a, b) => a.step - b.step)
    expect(checks.map((c) => [c.id, c.verdict, c.step])).toEqual(inOrder.map((c) => [c.id, c.verdict, c.step]))
    for (const check of report.checks.filter((c) => c.answeredBy)) {
      expect(checks.find((c) => c.id === check.id)!.answeredBy!.who).toBe(formatAnsweredBy(check.answeredBy!))
    }
  })

  test('a filter per verdict, layer and step, a search box, a chip linking each check, a step cell for all 15 steps', () => {
    const chips = elements('a').filter((a) => attr(a, 'class')?.startsWith('chip'))
    expect(chips.map((a) => attr(a, 'href'))).toEqual(checks.map((c) => `#check-${c.id}`))
    expect(chips.map((a) => Number(attr(a, 'data-check')))).toEqual(checks.map((_, i) => i))
    expect(elements('button').map((b) => attr(b, 'data-filter'))).toEqual(['all', 'pass', 'fail', 'not-applicable', 'error'])
    const options = (id: string) => [...elements('select').find((s) => attr(s, 'id') === id)!.childNodes!]
      .filter((n) => n.nodeName === 'option').map((o) => attr(o, 'value'))
    expect(options('filter-layer')).toEqual(['', ...new Set(checks.map((c) => c.layer).sort())])
    expect(options('filter-step')).toEqual(['', ...new Set(checks.map((c) => String(c.step)))])
    expect(elements('input').map((i) => attr(i, 'type'))).toEqual(['search'])
    expect(elements('li').filter((li) => attr(li, 'class')?.startsWith('step'))).toHaveLength(15)
    const list = elements('div').find((d) => attr(d, 'id') === 'checks')!
    expect([attr(list, 'role'), list.childNodes]).toEqual(['list', []])
  })

  test('fail and error checks start unfolded; evidence has request, response and repro', () => {
    expect(checks.filter((c) => c.expanded).map((c) => c.id)).toEqual(['proxy.body-size.413', 'faults.upstream-down.502'])
    const evidence = checks.flatMap((c) => c.exchanges)
    expect(evidence.map((e) => e.requestHead)).toContain('POST http://127.0.0.1:8080/items?source=layercheck\ncontent-type: application/json\ncontent-length: 1048577\nauthorization: Bearer [redacted]')
    expect(failing.exchanges[0]!.responseHead).toMatch(/^201 Created\ncontent-type: application\/json/)
    expect(evidence.map((e) => e.failure)).toContain('No HTTP response: ECONNREFUSED — connect ECONNREFUSED 127.0.0.1:8080')
    expect(failing.exchanges[0]!.repro).toContain("--data-binary @body-1048577.bin 'http://127.0.0.1:8080/items?source=layercheck'")
  })

  test('a run of 5,000 checks still links at most 40 chips a step, and offers the step as a filter', () => {
    const template = sampleReport().checks[0]!
    const many = Array.from({ length: 5000 }, (_, i) => ({ ...template, id: `synthetic.check-${i}`, step: ((i % 15) + 1) as typeof template.step }))
    const big = parseHtml(renderHtmlReport({ ...sampleReport(), checks: many, summary: { pass: 5000, fail: 0, 'not-applicable': 0, error: 0, total: 5000 } }))
    expect(big.elements('a').filter((a) => attr(a, 'class')?.startsWith('chip'))).toHaveLength(15 * 40)
    const more = big.elements('button').filter((b) => attr(b, 'class') === 'more')
    expect(more.map((b) => [attr(b, 'data-step'), textOf(b)])).toContainEqual(['1', 'all 334 checks of step 1'])
  })

  test('without a bench block: no Benchmarks section and none of the chart library\'s bytes', () => {
    expect(html).not.toContain('uPlot')
    expect(html).not.toContain('Benchmarks')
    const csp = attr(elements('meta').find((m) => attr(m, 'http-equiv') === 'Content-Security-Policy')!, 'content')!
    expect(csp.match(/'sha256-/g)).toHaveLength(2) // the style and the one script
  })

  test('a failed recommendation the profile does not document reads as a warning, not a failure', () => {
    const failing = sampleReport().checks.find((check) => check.id === FAILING_CHECK_ID)!
    expect(checkView(failing)).toMatchObject({ verdictLabel: 'FAIL', warning: false, group: 'fail', expanded: true })
    expect(checkView(failing).advice).toBeUndefined()
    // Unfolded, as the terminal prints a warning, with its advice.
    const warning = checkView({ ...failing, severity: 'info', advisory: 'responseHeaders.nosniff' })
    expect(warning).toMatchObject({ verdict: 'fail', verdictLabel: 'WARNING', warning: true, group: 'warning', expanded: true })
    expect(warning.advice).toContain('responseHeaders.nosniff: true makes it a requirement')
    // Its own filter and tile, counted apart from the failures; none without warnings (above).
    const page = parseHtml(renderHtmlReport(withWarning()))
    expect(page.elements('button').flatMap((b) => attr(b, 'data-filter') ?? [])).toEqual(['all', 'pass', 'fail', 'warning', 'not-applicable', 'error'])
    expect(page.elements('button').filter((b) => attr(b, 'data-filter')).map((b) => textOf(b).trim())).toContain('Warnings (1)')
  })

  test('is deterministic', () => {
    expect(renderHtmlReport(sampleReport())).toBe(html)
  })
})
