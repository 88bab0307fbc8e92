import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { renderHtmlReport } from '../../reports/html-report.ts'
import { sampleReport } from './fixtures/sample-report.ts'
import { attr, parseHtml, textOf } from './html-tree.ts'

const html = renderHtmlReport(sampleReport())
const { nodes, elements } = parseHtml(html)
const pageText = textOf(elements('body')[0]!)

describe('renderHtmlReport', () => {
  test('target markup is shown as text, never as markup', () => {
    expect(html).not.toContain('<script>alert(1)')
    expect(html).not.toContain('<b>trusted')
    expect(pageText).toContain('"name":"<script>alert(1)</script>"')
    expect(pageText).toContain('"avatar":"<img src=x onerror=alert(2)>"')
    expect(pageText).toContain('x-debug-note: <b>trusted</b>')
    expect(elements('img')).toHaveLength(0)
    expect(elements('b')).toHaveLength(0)
  })

  test('"onerror=" appears only inside escaped text', () => {
    const outsideData = html.replace(/<script type="application\/json"[^>]*>[^<]*<\/script>/, '')
    expect(outsideData.match(/onerror=/g)?.length).toBeGreaterThan(0)
    expect(outsideData.match(/onerror=/g)?.length).toBe(outsideData.match(/&lt;img src=x onerror=/g)?.length)
    for (const node of nodes) {
      expect(node.attrs?.filter((a) => a.name.startsWith('on')) ?? []).toEqual([])
    }
  })

  test('only our two scripts: the JSON data and the filter script', () => {
    expect(elements('script').map((s) => attr(s, 'type') ?? 'classic')).toEqual(['application/json', 'classic'])
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

  test('the embedded JSON cannot end its script element and reads back as the report', () => {
    const data = elements('script').find((s) => attr(s, 'type') === 'application/json')!
    expect(textOf(data)).not.toContain('<')
    expect(JSON.parse(textOf(data))).toEqual(sampleReport())
  })

  test('shows every check id, its verdict filter and a step cell for all 15 steps', () => {
    for (const check of sampleReport().checks) {
      const details = elements('details').find((d) => attr(d, 'id') === `check-${check.id}`)
      expect(details, check.id).toBeDefined()
      expect(attr(details!, 'data-verdict')).toBe(check.verdict)
      expect(textOf(details!)).toContain(check.id)
    }
    expect(elements('button').map((b) => attr(b, 'data-filter'))).toEqual(['all', 'pass', 'fail', 'not-applicable', 'error'])
    expect(elements('li').filter((li) => attr(li, 'class')?.startsWith('step'))).toHaveLength(15)
  })

  test('fail and error checks are open; evidence shows request, response and repro', () => {
    const open = elements('details').filter((d) => attr(d, 'open') !== undefined).map((d) => attr(d, 'id'))
    expect(open).toEqual(['check-proxy.body-size.413', 'check-faults.upstream-down.502'])
    expect(pageText).toContain('POST http://127.0.0.1:8080/items?source=layercheck\ncontent-type: application/json')
    expect(pageText).toContain('201 Created\ncontent-type: application/json')
    expect(pageText).toContain('No HTTP response: ECONNREFUSED — connect ECONNREFUSED 127.0.0.1:8080')
    expect(pageText).toContain("--data-binary @body-1048577.bin 'http://127.0.0.1:8080/items?source=layercheck'")
  })

  test('without a bench block: no Benchmarks section and none of the chart library\'s bytes', () => {
    expect(html).not.toContain('uPlot')
    expect(html).not.toContain('Benchmarks')
    const csp = attr(elements('meta').find((m) => attr(m, 'http-equiv') === 'Content-Security-Policy')!, 'content')!
    expect(csp.match(/'sha256-/g)).toHaveLength(2) // the style and the one script
  })

  test('is deterministic', () => {
    expect(renderHtmlReport(sampleReport())).toBe(html)
  })
})
