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
import { adviceOf } from '../../harness/model/report-view.ts'
import { FAILING_CHECK_ID, sampleReport } from './fixtures/sample-report.ts'
import { WARNING_CHECK_ID, withWarning } from './fixtures/with-verdicts.ts'
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

/** After the next frame is painted: a rAF callback runs before the frame's style and layout, a task queued from it after. */
const afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))

/** Clicks a filter and waits until the frame showing it is painted: how long the page took to apply it (ms). */
async function timedFilter(page: Page, filter: string): Promise<number> {
  return page.evaluate(async (value) => {
    const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))
    const started = performance.now()
    document.querySelector<HTMLButtonElement>(`[data-filter="${value}"]`)!.click()
    await painted()
    return performance.now() - started
  }, filter)
}

/** Types into the search box and waits for the painted frame (ms). */
async function timedSearch(page: Page, text: string): Promise<number> {
  return page.evaluate(async (value) => {
    const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))
    const started = performance.now()
    const box = document.querySelector<HTMLInputElement>('#filter-text')!
    box.value = value
    box.dispatchEvent(new Event('input'))
    await painted()
    return performance.now() - started
  }, text)
}

/** The rows in the document (the list draws only those in or near view), by element id. */
const drawnIds = (page: Page) => page.locator('#checks [role="listitem"]').evaluateAll((els) => els.map((e) => e.id))
const row = (page: Page, id: string) => page.locator(`#checks [role="listitem"][id="check-${id}"]`)
const shownCount = (page: Page) => page.locator('#shown-count').innerText()
/** The id of the row holding the focus. */
const focusedRow = (page: Page) => page.evaluate(() => document.activeElement?.closest('[role="listitem"]')?.id)

/** The order the page lists checks in: by lifecycle step, the run's order within a step. */
const listOrder = (checks: readonly CheckResult[]) => [...checks].sort((a, b) => a.step - b.step)

describe('the HTML report in chromium', () => {
  test('offline: the verdict, the counts and the failing check\'s evidence are visible; filters work; screenshot saved', async () => {
    const { page, requests, dialogs, close } = await open('sample.html', sampleReport())
    try {
      await expect.poll(() => page.locator('.overall').innerText()).toBe('FAIL')
      const tiles = await page.locator('.counts .tile').allInnerTexts()
      expect(tiles.map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(['9 checks', '6 passed', '1 failed', '1 not applicable', '1 errors'])
      // No warnings, no warnings filter.
      expect(await page.locator('[data-filter]').allInnerTexts()).toEqual(['All (9)', 'Passed (6)', 'Failed (1)', 'Not applicable (1)', 'Errors (1)'])

      const failing = row(page, FAILING_CHECK_ID)
      expect(await failing.locator('.toggle').getAttribute('aria-expanded')).toBe('true')
      const evidence = failing.locator('pre', { hasText: '"name":"<script>alert(1)</script>"' })
      await expect.poll(() => evidence.first().isVisible()).toBe(true)
      expect(await failing.innerText()).toContain('x-debug-note: <b>trusted</b>')
      expect(await failing.innerText()).toContain('answered by app (fastapi), likely')
      expect(await drawnIds(page)).toEqual(listOrder(sampleReport().checks).map((c) => `check-${c.id}`))

      await timedFilter(page, 'fail')
      expect(await drawnIds(page)).toEqual([`check-${FAILING_CHECK_ID}`])
      expect(await page.locator('[data-filter="fail"]').getAttribute('aria-pressed')).toBe('true')
      expect(await shownCount(page)).toBe('Showing 1 of 9 checks')
      await timedFilter(page, 'not-applicable')
      expect(await drawnIds(page)).toEqual(['check-middleware.rate-limit.429'])
      expect(await page.locator('.chip.dimmed').count()).toBe(8)
      await timedFilter(page, 'all')
      expect(await drawnIds(page)).toHaveLength(9)
      expect(await shownCount(page)).toBe('9 checks')

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

      const body = row(page, FAILING_CHECK_ID).locator('pre', { hasText: 'more characters not shown here' })
      const text = await body.first().innerText()
      expect(text.length).toBeLessThan(HTML_BODY_MAX_CHARS + 200)
      expect(text).toContain("<script>window.pwnBody=1;alert('pwnBody')</script>")
      expect(statSync(file).size).toBeLessThan(300_000)
    } finally {
      await close()
    }
  })

  test('a small report: layer, step and search filters; a row unfolds from the keyboard; deep links; arrow keys', async () => {
    const { page, errors, close } = await open('sample-keys.html', sampleReport())
    try {
      await page.selectOption('#filter-layer', 'router')
      expect(await drawnIds(page)).toEqual(['check-routing.unknown-path.404', 'check-routing.method.405'])
      await page.selectOption('#filter-step', '14')
      expect(await drawnIds(page)).toEqual([])
      expect(await shownCount(page)).toBe('No checks match these filters (of 9).')
      await page.selectOption('#filter-layer', '')
      expect(await drawnIds(page)).toEqual(['check-validation.body.422'])
      await page.selectOption('#filter-step', '')
      await timedSearch(page, 'RFC 9110 §15.5.6')
      expect(await drawnIds(page)).toEqual(['check-routing.method.405'])
      await timedSearch(page, '')

      // A folded row: a button saying so, its evidence not in the document until it unfolds.
      const passing = row(page, 'routing.unknown-path.404')
      const toggle = passing.locator('button.toggle')
      expect(await toggle.getAttribute('aria-expanded')).toBe('false')
      expect(await passing.locator('.check-body').count()).toBe(0)
      await toggle.focus()
      await page.keyboard.press('Enter')
      expect(await toggle.getAttribute('aria-expanded')).toBe('true')
      expect(await passing.locator('.check-body').getAttribute('id')).toBe(await toggle.getAttribute('aria-controls'))
      expect(await passing.locator('pre').last().innerText()).toContain('curl')
      await page.keyboard.press('ArrowDown')
      expect(await focusedRow(page)).toBe('check-routing.method.405')
      await page.keyboard.press('Home')
      expect(await focusedRow(page)).toBe('check-connection.tcp.connect')

      // A deep link to a check the filter hides clears the filter and unfolds the check.
      await timedFilter(page, 'fail')
      await page.evaluate(() => { location.hash = '#check-validation.body.422' })
      await expect.poll(() => row(page, 'validation.body.422').locator('.toggle').getAttribute('aria-expanded')).toBe('true')
      expect(await page.locator('[data-filter="all"]').getAttribute('aria-pressed')).toBe('true')
      expect(await row(page, 'validation.body.422').isVisible()).toBe(true)
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })

  test('a small report with a warning: its own tile and filter, never under "fail"; each filter shows the number it names; unfolded with its advice', async () => {
    const report = withWarning()
    const { page, errors, close } = await open('sample-warning.html', report)
    try {
      // A warning fails nothing: the page's verdict is the failing check's, the warning counted apart.
      expect(await page.locator('.overall').innerText()).toBe('FAIL')
      const tiles = await page.locator('.counts .tile').allInnerTexts()
      expect(tiles.map((t) => t.replace(/\s+/g, ' ').trim())).toEqual(['9 checks', '5 passed', '1 failed', '1 warnings', '1 not applicable', '1 errors'])
      expect(await page.locator('.counts .tile.v-warning').count()).toBe(1)

      // Every verdict filter shows as many checks as its button says, and the same as the summary counts.
      const buttons = await page.locator('[data-filter]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-filter'), e.textContent]))
      expect(buttons.map(([, label]) => label)).toEqual(['All (9)', 'Passed (5)', 'Failed (1)', 'Warnings (1)', 'Not applicable (1)', 'Errors (1)'])
      for (const [value, label] of buttons) {
        await timedFilter(page, value!)
        const n = Number(/\((\d+)\)/.exec(label!)![1])
        expect(await drawnIds(page), label!).toHaveLength(n)
        expect(await shownCount(page)).toBe(n === 9 ? '9 checks' : `Showing ${n} of 9 checks`)
      }
      await timedFilter(page, 'fail')
      expect(await drawnIds(page)).toEqual([`check-${FAILING_CHECK_ID}`])
      await timedFilter(page, 'warning')
      expect(await drawnIds(page)).toEqual([`check-${WARNING_CHECK_ID}`])
      expect(await page.locator('[data-filter="warning"]').getAttribute('aria-pressed')).toBe('true')
      expect(await page.locator('.chip.dimmed').count()).toBe(8)

      // Shown as the terminal prints a warning: unfolded, labelled WARNING, in the warning colour, with its advice.
      const warning = row(page, WARNING_CHECK_ID)
      expect(await warning.locator('.toggle').getAttribute('aria-expanded')).toBe('true')
      expect(await warning.locator('.pill').innerText()).toBe('WARNING')
      expect(await warning.locator('.check').getAttribute('class')).toBe('check v-warning')
      const advice = warning.locator('.note', { hasText: 'Advice' })
      expect(await advice.locator('.text').innerText()).toBe(adviceOf(report.checks.find((c) => c.id === WARNING_CHECK_ID)!))
      expect(await advice.innerText()).toContain('responseHeaders.hideServerVersion: true makes it a requirement')
      const chip = page.locator(`.chip[href="#check-${WARNING_CHECK_ID}"]`)
      expect(await chip.getAttribute('class')).toContain('v-warning')
      expect(await chip.getAttribute('title')).toMatch(/^WARNING · /)

      // The word finds it too, from any filter's "all".
      await timedFilter(page, 'all')
      await timedSearch(page, 'warning')
      expect(await drawnIds(page)).toEqual([`check-${WARNING_CHECK_ID}`])
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })

  test('5,000 checks: only the rows in view are drawn; scrolling, filters, search, unfolding and printing work over the data', async () => {
    const base = sampleReport()
    const template = base.checks.find((c) => c.id === FAILING_CHECK_ID)!
    const checks: CheckResult[] = Array.from({ length: 5000 }, (_, i) => {
      const verdict = (['pass', 'pass', 'pass', 'fail', 'not-applicable'] as const)[i % 5]
      return { ...structuredClone(template), id: `synthetic.check-${i}`, verdict, step: ((i % 15) + 1) as CheckResult['step'] }
    })
    const summary = { pass: 3000, fail: 1000, 'not-applicable': 1000, error: 0, total: 5000 }
    const inList = listOrder(checks)
    // Far fewer than the checks: what a tall window shows, plus what is drawn above and below it.
    const MAX_DRAWN = 200
    const { page, loadMs, dialogs, errors, close } = await open('large.html', { ...base, checks, summary })
    try {
      // Time to interactive: from navigation start (performance.timeOrigin) to the first frame painted
      // after the script has drawn the list's first rows and installed its handlers (the mark it sets).
      const { readyMs, paintedMs } = await page.evaluate(async () => {
        const readyMs = performance.getEntriesByName('layercheck:list-ready')[0]!.startTime
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))
        return { readyMs, paintedMs: performance.now() }
      })
      expect(await shownCount(page)).toBe('5000 checks')
      const first = await drawnIds(page)
      expect(first[0]).toBe(`check-${inList[0]!.id}`)
      expect(first.length).toBeGreaterThan(0)
      expect(first.length).toBeLessThanOrEqual(MAX_DRAWN)

      // Scrolled to the middle and to the end: still a bounded window, and the end shows the last checks.
      await page.evaluate(async () => { scrollTo(0, document.documentElement.scrollHeight / 2) })
      await page.evaluate(afterPaint)
      expect((await drawnIds(page)).length).toBeLessThanOrEqual(MAX_DRAWN)
      const lastId = `check-${inList.at(-1)!.id}`
      await expect.poll(async () => {
        await page.evaluate(async () => { scrollTo(0, document.documentElement.scrollHeight) })
        await page.evaluate(afterPaint)
        return (await drawnIds(page)).at(-1)
      }).toBe(lastId)
      expect(await page.locator(`[id="${lastId}"]`).isVisible()).toBe(true)
      expect((await drawnIds(page)).length).toBeLessThanOrEqual(MAX_DRAWN)
      await page.evaluate(() => scrollTo(0, 0))

      // A filter: exactly the matching checks, counted from the data.
      const failing = inList.filter((c) => c.verdict === 'fail')
      const failMs = await timedFilter(page, 'fail')
      expect(await shownCount(page)).toBe(`Showing ${failing.length} of 5000 checks`)
      const drawn = await drawnIds(page)
      expect(drawn.length).toBeLessThanOrEqual(MAX_DRAWN)
      expect(drawn).toEqual(failing.slice(0, drawn.length).map((c) => `check-${c.id}`))
      expect(await page.locator('#checks [role="listitem"]').first().getAttribute('aria-setsize')).toBe(String(failing.length))
      // End jumps to the last failing check.
      await page.locator('#checks .toggle').first().focus()
      await page.keyboard.press('End')
      expect(await focusedRow(page)).toBe(`check-${failing.at(-1)!.id}`)
      expect(await page.evaluate(() => document.activeElement?.closest('[role="listitem"]')?.getAttribute('aria-posinset'))).toBe(String(failing.length))
      const allMs = await timedFilter(page, 'all')

      // Search: every check whose text holds the words, and no other.
      const searchMs = await timedSearch(page, 'synthetic.check-499')
      const found = inList.filter((c) => c.id.includes('synthetic.check-499'))
      expect(await shownCount(page)).toBe(`Showing ${found.length} of 5000 checks`)
      // Walked with the Down key from the first row: the matches, in list order, and no other.
      await page.locator('#checks .toggle').first().focus()
      const walked = [await focusedRow(page)]
      for (let n = 0; n < found.length; n++) {
        await page.keyboard.press('ArrowDown')
        walked.push(await focusedRow(page))
      }
      expect([...new Set(walked)]).toEqual(found.map((c) => `check-${c.id}`))
      await timedSearch(page, '')

      // Unfolding a passing check draws its evidence.
      await timedFilter(page, 'pass')
      const firstPass = row(page, inList.find((c) => c.verdict === 'pass')!.id)
      expect(await firstPass.locator('.check-body').count()).toBe(0)
      await firstPass.locator('.toggle').click()
      expect(await firstPass.locator('.toggle').getAttribute('aria-expanded')).toBe('true')
      expect(await firstPass.locator('pre', { hasText: '"name":"<script>alert(1)</script>"' }).first().isVisible()).toBe(true)
      await timedFilter(page, 'all')

      // Printing draws every row that passes the filters, then the window again.
      await page.selectOption('#filter-step', '6')
      const inStep = inList.filter((c) => c.step === 6)
      await page.evaluate(() => dispatchEvent(new Event('beforeprint')))
      expect(await drawnIds(page)).toEqual(inStep.map((c) => `check-${c.id}`))
      await page.evaluate(() => dispatchEvent(new Event('afterprint')))
      expect((await drawnIds(page)).length).toBeLessThanOrEqual(MAX_DRAWN)

      console.log(`5,000 checks: navigation start → list ready ${Math.round(readyMs)} ms → first frame painted ${Math.round(paintedMs)} ms ` +
        `(goto → load ${Math.round(loadMs)} ms); filter "fail" ${Math.round(failMs)} ms, "all" ${Math.round(allMs)} ms, ` +
        `search ${Math.round(searchMs)} ms (click or input → frame painted); rows drawn at most ${MAX_DRAWN}, at start ${first.length}`)
      expect(dialogs).toEqual([])
      expect(errors).toEqual([])
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
