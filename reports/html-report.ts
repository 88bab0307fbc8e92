// One self-contained HTML page: CSS, script and the checks' JSON are inlined
// (html/check-view.ts: the script draws only the rows in view from it), and
// a Content-Security-Policy forbids every fetch. Eta escapes each `<%= %>`
// interpolation, which is how all target-controlled text reaches the page;
// `<%~ %>` (raw) is used only for our own CSS and script and the JSON, which
// is escaped for its <script> context here. A bench run's page also inlines
// uPlot and its chart script; other pages carry none of those bytes.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Eta } from 'eta'
import { describeChange, findingStatusLabel, formatBaselineCounts } from './baseline-diff.ts'
import { num, percentText } from './bench-format.ts'
import { benchView } from './html/bench-view.ts'
import { checkViews } from './html/check-view.ts'
import {
  STEP_NAMES,
  type AnsweredBy,
  type Exchange,
  type RunReport,
} from '../harness/model/check-result.ts'
import {
  formatLayers,
  formatDuration,
  LIFECYCLE_STEPS,
  overallVerdict,
  VERDICT_GROUPS,
  VERDICT_LABELS,
  type VerdictGroup,
} from '../harness/model/report-view.ts'
import { PROJECT_ROOT } from '../harness/paths.ts'
import { overheadRatio } from '../harness/model/floor.ts'

// Shipped as they are beside the code (package.json `files`), read from the package root whether the code runs from its sources or from dist/.
const asset = (name: string) => readFileSync(join(PROJECT_ROOT, 'reports', 'html', name), 'utf8')
const CSS = asset('report.css')
const SCRIPT = asset('report.js')

/** What only a bench run's page needs: uPlot (inlined, never fetched), its CSS and our chart script, read on first use. */
let benchAssets: { css: string; scripts: string[] } | undefined
function loadBenchAssets() {
  const uplot = (file: string) => readFileSync(new URL(import.meta.resolve(`uplot/dist/${file}`)), 'utf8')
  benchAssets ??= {
    css: `${uplot('uPlot.min.css')}\n${asset('bench.css')}`,
    scripts: [uplot('uPlot.iife.min.js'), asset('bench-charts.js')],
  }
  return benchAssets
}

const eta = new Eta({ autoEscape: true, useWith: false })
const template = eta.compile(asset('report.eta'))

// The page's only style and script, allowed by hash: were anything to slip
// past escaping, the browser would still neither run it nor load anything.
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
const cspFor = (css: string, scripts: readonly string[]) => [
  "default-src 'none'",
  `style-src ${sha256(css)}`,
  `script-src ${scripts.map(sha256).join(' ')}`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')
const CSP = cspFor(CSS, [SCRIPT])

// JSON inside <script> ends at the first `</script`, and `<!--` changes how the
// script's text is parsed: with no raw `<` neither can occur. `>` and `&` are
// escaped too so no HTML tokeniser sees markup, and U+2028/9 so the text is
// also a valid JavaScript literal if pasted into a script.
const scriptSafeJson = (value: unknown) =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

// The lifecycle overview links each check by a chip up to this many per step;
// past it a step offers its count as a filter: 300 chips in one cell are not an
// overview, and each is an element the page lays out.
const CHIPS_PER_STEP = 40

const COUNT_WORDS: Record<VerdictGroup, string> = {
  pass: 'passed', fail: 'failed', warning: 'warnings', 'not-applicable': 'not applicable', error: 'errors',
}
const FILTER_LABELS: Record<VerdictGroup | 'all', string> = {
  all: 'All', pass: 'Passed', fail: 'Failed', warning: 'Warnings', 'not-applicable': 'Not applicable', error: 'Errors',
}

// A page for people: a 10 MB body would make it slow to open and no easier to
// read. Target text is cut here, for the page and its embedded JSON alike;
// report.json keeps what the client read.
export const HTML_BODY_MAX_CHARS = 16_384
export const HTML_TEXT_MAX_CHARS = 4_096

function cap(text: string, max: number): string {
  if (text.length <= max) return text
  // Never split a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max
  return `${text.slice(0, end)}\n… ${text.length - end} more characters not shown here (report.json keeps them)`
}

const capHeaders = (headers: [string, string][]) =>
  headers.map(([name, value]): [string, string] => [cap(name, HTML_TEXT_MAX_CHARS), cap(value, HTML_TEXT_MAX_CHARS)])

function cappedExchange(exchange: Exchange): Exchange {
  const { request, response } = exchange
  return {
    ...exchange,
    request: {
      ...request, url: cap(request.url, HTML_TEXT_MAX_CHARS), headers: capHeaders(request.headers),
      ...(request.bodyExcerpt !== undefined && { bodyExcerpt: cap(request.bodyExcerpt, HTML_BODY_MAX_CHARS) }),
    },
    ...(response && {
      response: {
        ...response, headers: capHeaders(response.headers), bodyExcerpt: cap(response.bodyExcerpt, HTML_BODY_MAX_CHARS),
        ...(response.statusText !== undefined && { statusText: cap(response.statusText, HTML_TEXT_MAX_CHARS) }),
      },
    }),
    ...(exchange.failure && { failure: { ...exchange.failure, message: cap(exchange.failure.message, HTML_TEXT_MAX_CHARS) } }),
    answeredBy: cappedAnsweredBy(exchange.answeredBy),
    repro: cap(exchange.repro, HTML_TEXT_MAX_CHARS),
  }
}

const cappedAnsweredBy = (answeredBy: AnsweredBy): AnsweredBy => ({
  ...answeredBy, reason: cap(answeredBy.reason, HTML_TEXT_MAX_CHARS), signals: answeredBy.signals.map((s) => cap(s, HTML_TEXT_MAX_CHARS)),
})

/** The report as the page shows it: every target-controlled text capped. */
export function cappedForHtml(report: RunReport): RunReport {
  return {
    ...report,
    checks: report.checks.map((check) => ({
      ...check,
      expected: cap(check.expected, HTML_TEXT_MAX_CHARS),
      actual: cap(check.actual, HTML_TEXT_MAX_CHARS),
      ...(check.diagnosis !== undefined && { diagnosis: cap(check.diagnosis, HTML_TEXT_MAX_CHARS) }),
      ...(check.reason !== undefined && { reason: cap(check.reason, HTML_TEXT_MAX_CHARS) }),
      ...(check.answeredBy && { answeredBy: cappedAnsweredBy(check.answeredBy) }),
      evidence: check.evidence.map(cappedExchange),
    })),
  }
}

/** `floor 39.0 s, 1.12× the floor`: the waits the checks had to make, and how far above them the run came. */
function floorText(report: RunReport): string | undefined {
  if (report.floorMs === undefined) return undefined
  const ratio = overheadRatio({ durationMs: report.durationMs, floorMs: report.floorMs })
  return `floor ${formatDuration(report.floorMs)}${ratio === undefined ? '' : `, ${ratio.toFixed(2)}× the floor`}`
}

export function renderHtmlReport(full: RunReport): string {
  const report = cappedForHtml(full)
  const verdict = overallVerdict(report.summary)
  // The page's one copy of the checks: its script lists them from this JSON,
  // putting in the document only the rows in view.
  const checks = checkViews(report.checks)
  // The summary counts warnings apart from failures (summarize), as the page's filters group them (CheckView.group);
  // the warnings' tile and filter are there only when there are some.
  const countOf = (group: VerdictGroup) => (group === 'warning' ? report.summary.warnings ?? 0 : report.summary[group])
  const groups = VERDICT_GROUPS.filter((group) => group !== 'warning' || countOf(group) > 0)
  const steps = LIFECYCLE_STEPS.map((step) => {
    const inStep = checks.flatMap((check, index) => (check.step === step ? [{ ...check, index }] : []))
    return {
      step,
      name: STEP_NAMES[step],
      n: inStep.length,
      chips: inStep.slice(0, CHIPS_PER_STEP),
      more: Math.max(0, inStep.length - CHIPS_PER_STEP),
    }
  })
  // What the profile names, and what the run saw of the layers it does not name.
  const layers = report.target.inferredLayers ? formatLayers(report.target) : report.target.layers &&
    Object.entries(report.target.layers).map(([layer, product]) => `${layer}: ${product}`).join(' · ')
  const bench = report.bench && benchView(report.bench)
  const extra = report.bench && loadBenchAssets()
  const css = extra ? `${CSS}\n${extra.css}` : CSS
  const scripts = extra ? [SCRIPT, ...extra.scripts] : [SCRIPT]
  return template.call(eta, {
    csp: extra ? cspFor(css, scripts) : CSP,
    css,
    scripts,
    bench: bench && { ...bench, chartJson: scriptSafeJson(bench.charts) },
    checksJson: scriptSafeJson({ checks }),
    target: report.target,
    layers,
    startedAt: report.startedAt,
    duration: formatDuration(report.durationMs),
    // The waits the checks had to make, and how far above them the run came (as the terminal says it).
    floor: floorText(report),
    toolVersion: report.tool.version,
    verdict,
    verdictLabel: VERDICT_LABELS[verdict],
    total: report.summary.total,
    counts: groups.map((group) => ({ verdict: group, n: countOf(group), word: COUNT_WORDS[group] })),
    filters: (['all', ...groups] as const).map((value) => ({
      value,
      label: FILTER_LABELS[value],
      n: value === 'all' ? report.summary.total : countOf(value),
    })),
    baseline: report.baseline && {
      baseUrl: report.baseline.baseUrl,
      startedAt: report.baseline.startedAt,
      countsText: formatBaselineCounts(report.baseline),
      findings: report.baseline.findings.map((f) => ({ ...f, label: findingStatusLabel(f.status), change: describeChange(f) })),
      benchRegressions: (report.baseline.benchRegressions ?? []).map((r) => {
        const digits = Math.abs(r.before) >= 100 ? 0 : 2
        return { ...r, before: num(r.before, digits), after: num(r.after, digits), change: `${r.change > 0 ? '+' : '−'}${percentText(Math.abs(r.change))}` }
      }),
    },
    steps,
    stepFilters: steps.filter((step) => step.n > 0),
    layerFilters: [...new Set(checks.map((check) => check.layer))].sort(),
  })
}
