import { create } from 'xmlbuilder2'
import { describe, expect, test } from 'vitest'
import { renderJunit } from '../../reports/junit.ts'
import { sampleReport } from './fixtures/sample-report.ts'
import { expectGolden } from './golden.ts'

// Parsed back with the same library, as a CI server would read it.
function parse(xml: string): Element {
  return create(xml).root().node as unknown as Element
}

const elements = (root: Element, name: string) => Array.from(root.getElementsByTagName(name))

describe('renderJunit', () => {
  test('matches the golden file', async () => {
    await expectGolden('junit.xml', renderJunit(sampleReport()))
  })

  test('one testsuite per lifecycle step with checks, one testcase per check', () => {
    const root = parse(renderJunit(sampleReport()))
    expect(root.getAttribute('tests')).toBe('9')
    expect(elements(root, 'testsuite').map((suite) => suite.getAttribute('name'))).toEqual([
      'step 2 · TCP connection',
      'step 6 · Reverse proxy',
      'step 7 · Proxy → app hop',
      'step 10 · Middleware (outer)',
      'step 11 · Middleware (auth, limits)',
      'step 12 · Routing',
      'step 14 · Validation',
    ])
    expect(elements(root, 'testcase')).toHaveLength(9)
    expect(elements(root, 'failure')).toHaveLength(1)
    expect(elements(root, 'error')).toHaveLength(1)
    expect(elements(root, 'skipped')).toHaveLength(1)
  })

  test('a failure carries the failure block, target markup as text', () => {
    const root = parse(renderJunit(sampleReport()))
    const [failure] = elements(root, 'failure')
    const testcase = failure?.parentNode as Element
    expect(testcase.getAttribute('classname')).toBe('layercheck.proxy')
    expect(testcase.getAttribute('name')).toBe('proxy.body-size.413 — A body over the documented limit is refused by the proxy with 413')
    expect(testcase.getAttribute('time')).toBe('0.431')
    expect(failure?.getAttribute('message')).toMatch(/^expected 413 from proxy \(nginx\), got 201 from app/)
    expect(failure?.textContent).toContain('"name":"<script>alert(1)</script>"')
    expect(failure?.textContent).toContain('    why:      The app answered')
  })

  test('an error names the client failure; a skip gives the reason', () => {
    const root = parse(renderJunit(sampleReport()))
    expect(elements(root, 'error')[0]?.getAttribute('type')).toBe('ECONNREFUSED')
    expect(elements(root, 'skipped')[0]?.getAttribute('message')).toMatch(/^The profile declares no rate limit/)
  })

  test('characters XML 1.0 forbids are dropped, so the file still parses', () => {
    const report = sampleReport()
    report.checks[1]!.actual = 'nul\u0000 esc\u001b[2J vt\u000b lone\ud800 ok'
    report.checks[1]!.title = 'title\u0001'
    const xml = renderJunit(report)
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/)
    const [failure] = elements(parse(xml), 'failure')
    expect(failure?.textContent).toContain('actual:   nul esc[2J vt lone ok')
  })
})
