// The HTML report in a real browser: Debian's chromium (scripts/setup.sh
// installs it) driven by playwright-core; never a downloaded browser. Each
// page is opened from a file with the context offline and every request
// other than that file recorded, so "no network" is checked, not assumed.
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { CheckResult, RunReport } from '../../harness/model/check-result.ts'
import { PROJECT_ROOT } from '../../harness/paths.ts'
import { HTML_BODY_MAX_CHARS, renderHtmlReport } from '../../reports/html-report.ts'
import { FAILING_CHECK_ID, sampleReport } from './fixtures/sample-report.ts'
import { benchRunReport } from './fixtures/bench-report.ts'

const CHROMIUM = '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run']
const ARTIFACTS = join(PROJECT_ROOT, 'test-artifacts')
const scratch = mkdtempSync(join(tmpdir(), 'layercheck-html-'))

let browser: Browser
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
})
afterAll(async () => {
  await browser?.close()
})

interface Opened {
  page: Page
  /** URLs the page asked for besides its own file. */
  requests: string[]
  dialogs: string[]
  /** Console errors (CSP violations are reported there) and uncaught page errors. */
  errors: string[]
  loadMs: number
  close(): Promise<void>
}

async function open(name: string, report: RunReport): Promise<Opened & { file: string }> {
  const file = join(scratch, name)
  writeFileSync(file, renderHtmlReport(report))
  const url = pathToFileURL(file).href
  const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  const requests: string[] = []
  const dialogs: string[] = []
  const errors: string[] = []
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()) })
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('request', (request) => { if (request.url() !== url) requests.push(request.url()) })
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`)
    void dialog.dismiss()
  })
  const started = performance.now()
  await page.goto(url, { waitUntil: 'load' })
  const loadMs = performance.now() - started
  return { page, requests, dialogs, errors, loadMs, file, close: () => context.close() }
}

/** Clicks a filter and waits for the next frame: how long the page took to apply it. */
async function timedFilter(page: Page, filter: string): Promise<number> {
  return page.evaluate(async (value) => {
    const started = performance.now()
    document.querySelector<HTMLButtonElement>(`[data-filter="${value}"]`)!.click()
    await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)))
    return performance.now() - started
  }, filter)
}

describe('the HTML report in chromium', () => {
  test('offline: the verdict, the counts and the failing check\'s evidence are visible; filters work; screenshot saved', async () => {
    const { page, requests, dialogs, close } = await open('sample.html', sampleReport())
    try {
      await expect.poll(() => page.locator('.overall').innerText()).toBe('FAIL')
      const tiles = await page.locator('.counts .tile').allInnerTexts()
      expect(tiles.map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(['9 checks', '6 passed', '1 failed', '1 not applicable', '1 errors'])

      const failing = page.locator(`details.check[id="check-${FAILING_CHECK_ID}"]`)
      expect(await failing.getAttribute('open')).not.toBeNull()
      const evidence = failing.locator('pre', { hasText: '"name":"<script>alert(1)</script>"' })
      await expect.poll(() => evidence.first().isVisible()).toBe(true)
      expect(await failing.innerText()).toContain('x-debug-note: <b>trusted</b>')

      const visibleIds = () => page.locator('details.check:not([hidden])').evaluateAll((els) => els.map((e) => e.id))
      await timedFilter(page, 'fail')
      expect(await visibleIds()).toEqual([`check-${FAILING_CHECK_ID}`])
      expect(await page.locator('[data-filter="fail"]').getAttribute('aria-pressed')).toBe('true')
      await timedFilter(page, 'not-applicable')
      expect(await visibleIds()).toEqual(['check-middleware.rate-limit.429'])
      await timedFilter(page, 'all')
      expect(await visibleIds()).toHaveLength(9)

      mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: join(ARTIFACTS, 'html-report.png'), fullPage: true })
      expect(statSync(join(ARTIFACTS, 'html-report.png')).size).toBeGreaterThan(10_000)
      expect(requests).toEqual([])
      expect(dialogs).toEqual([])
    } finally {
      await close()
    }
  })

  test('a hostile report executes nothing, fetches nothing, and a 10 MB body becomes a capped excerpt', async () => {
    const report = sampleReport()
    const flags = ['pwnBody', 'pwnHeader', 'pwnTitle', 'pwnClose', 'pwnSvg', 'pwnName', 'pwnStatus']
    const payload = (flag: string) =>
      `<script>window.${flag}=1;alert('${flag}')</script><img src=x onerror="window.${flag}=1;alert('${flag}')">` +
      `</script><script>window.${flag}=1</script><svg onload="window.${flag}=1"></svg><!--<script>`
    const garbage = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)) + '\uD800\uFFFE\u0000'
    const huge = '<b>' + 'A'.repeat(10 * 1024 * 1024) + '</b>'
    const failing = report.checks.find((c) => c.id === FAILING_CHECK_ID)!
    const exchange = failing.evidence[0]!
    exchange.response!.bodyExcerpt = payload('pwnBody') + garbage + huge
    exchange.response!.bodyBytes = exchange.response!.bodyExcerpt.length
    exchange.response!.headers.push(['x-evil', payload('pwnHeader')], [payload('pwnName'), 'v'])
    exchange.response!.statusText = payload('pwnStatus')
    exchange.request.bodyExcerpt = garbage
    failing.title = payload('pwnTitle')
    failing.actual = `</script>${payload('pwnClose')}`
    failing.diagnosis = `<svg><script>window.pwnSvg=1</script></svg>${payload('pwnSvg')}`
    report.target.name = payload('pwnName')

    const { page, requests, dialogs, file, close } = await open('hostile.html', report)
    try {
      // Give anything that might run (onerror after a failed load, timers) a moment by waiting for two frames.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
      const set = await page.evaluate((names) => names.filter((name) => (window as unknown as Record<string, unknown>)[name] !== undefined), flags)
      expect(set).toEqual([])
      expect(dialogs).toEqual([])
      expect(requests).toEqual([])
      expect(await page.locator('img, svg, iframe, object, embed').count()).toBe(0)
      expect(await page.locator('script').count()).toBe(2) // the report's own script and its JSON data

      const body = page.locator(`details.check[id="check-${FAILING_CHECK_ID}"] pre`, { hasText: 'more characters not shown here' })
      const text = await body.first().innerText()
      expect(text.length).toBeLessThan(HTML_BODY_MAX_CHARS + 200)
      expect(text).toContain("<script>window.pwnBody=1;alert('pwnBody')</script>")
      expect(statSync(file).size).toBeLessThan(300_000)
    } finally {
      await close()
    }
  })

  test('5,000 checks: the page renders and a filter applies within generous bounds', async () => {
    const base = sampleReport()
    const template = base.checks.find((c) => c.id === FAILING_CHECK_ID)!
    const checks: CheckResult[] = Array.from({ length: 5000 }, (_, i) => {
      const verdict = (['pass', 'pass', 'pass', 'fail', 'not-applicable'] as const)[i % 5]
      return { ...structuredClone(template), id: `synthetic.check-${i}`, verdict, step: ((i % 15) + 1) as CheckResult['step'] }
    })
    const summary = { pass: 3000, fail: 1000, 'not-applicable': 1000, error: 0, total: 5000 }
    const { page, loadMs, dialogs, close } = await open('large.html', { ...base, checks, summary })
    try {
      // The same generous bound as the load itself: a busy 2-core machine parses 5,000 sections slowly (expect.poll's default is 1 s).
      await expect.poll(() => page.locator('details.check').count(), { timeout: 15_000 }).toBe(5000)
      const failMs = await timedFilter(page, 'fail')
      expect(await page.locator('details.check:not([hidden])').count()).toBe(1000)
      const allMs = await timedFilter(page, 'all')
      console.log(`5,000 checks: load ${Math.round(loadMs)} ms, filter "fail" ${Math.round(failMs)} ms, "all" ${Math.round(allMs)} ms`)
      expect(loadMs).toBeLessThan(15_000)
      expect(failMs).toBeLessThan(3_000)
      expect(allMs).toBeLessThan(3_000)
      expect(dialogs).toEqual([])
    } finally {
      await close()
    }
  })

  test('a bench report: uPlot draws throughput and latency charts under the strict CSP; tables show the medians; screenshot saved', async () => {
    const { page, requests, dialogs, errors, close } = await open('bench.html', benchRunReport())
    try {
      const charts = ['#bench-scaling', '#bench-gain-0', '#bench-gain-1', '#bench-gain-2']
      for (const chart of charts) await expect.poll(() => page.locator(`${chart} canvas`).count(), { message: chart }).toBe(1)
      // Something was drawn: count the canvases' non-transparent pixels.
      const inked = await page.evaluate((selectors) => selectors.map((selector) => {
        const canvas = document.querySelector<HTMLCanvasElement>(`${selector} canvas`)!
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
        let n = 0
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) n++
        return n
      }), charts)
      for (const n of inked) expect(n).toBeGreaterThan(1000)

      // The scaling legend gives each point's efficiency under the cursor.
      const over = page.locator('#bench-scaling .u-over')
      const box = (await over.boundingBox())!
      await page.mouse.move(box.x + 2, box.y + box.height / 2)
      await expect.poll(() => page.locator('#bench-scaling .u-legend').innerText()).toContain('650 req/s [618–683], efficiency 100 %')
      expect(await page.locator('#bench-scaling .u-legend .u-series:not([hidden])').count()).toBe(3) // x, then one row per scaling

      const section = await page.locator('section.bench').innerText()
      expect(section).toContain('2200 [2090–2310]')
      expect(section).toContain('The server had 1 core: more workers than that measure contention, not scaling.')
      expect(section).toContain('31050 for 10350 requests')
      expect(await page.locator('#bench-workers-cpu h3').textContent()).toContain('workers-cpu · /work/cpu · 1 server core')
      expect(section).toMatch(/rps>1000\s+700\s+> 1000\s+fail/)
      expect(await page.locator('script').count()).toBe(5) // data, chart data, report script, uPlot, chart script

      mkdirSync(ARTIFACTS, { recursive: true })
      await page.mouse.move(0, 0)
      await page.locator('section.bench').screenshot({ path: join(ARTIFACTS, 'html-report-bench.png') })
      expect(statSync(join(ARTIFACTS, 'html-report-bench.png')).size).toBeGreaterThan(10_000)
      expect(errors).toEqual([])
      expect(requests).toEqual([])
      expect(dialogs).toEqual([])
    } finally {
      await close()
    }
  })

  test('bench names and caveats are text in the tables and in the chart legends', async () => {
    const report = benchRunReport()
    const payload = '<img src=x onerror="window.pwnBench=1"><script>window.pwnBench=1</script>'
    report.bench!.scaling[0]!.name = payload
    report.bench!.gains[0]!.caveats = [payload]
    report.bench!.gains[1]!.better.label = payload
    const { page, errors, dialogs, close } = await open('bench-hostile.html', report)
    try {
      await expect.poll(() => page.locator('#bench-scaling canvas').count()).toBe(1)
      expect(await page.evaluate(() => (window as unknown as Record<string, unknown>).pwnBench)).toBeUndefined()
      expect(await page.locator('img').count()).toBe(0)
      expect(await page.locator('#bench-scaling .u-legend').innerText()).toContain(payload)
      expect(await page.locator('#bench-gain-1 .u-legend').innerText()).toContain(payload)
      expect(await page.locator('#bench-keepalive-http .caveats').innerText()).toBe(payload)
      expect(errors).toEqual([])
      expect(dialogs).toEqual([])
    } finally {
      await close()
    }
  })
})
