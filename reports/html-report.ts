// One self-contained HTML page: CSS, script and the run's JSON are inlined, and
// a Content-Security-Policy forbids every fetch. Eta escapes each `<%= %>`
// interpolation, which is how all target-controlled text reaches the page;
// `<%~ %>` (raw) is used only for our own CSS and script and the JSON, which
// is escaped for its <script> context here. A bench run's page also inlines
// uPlot and its chart script; other pages carry none of those bytes.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Eta } from 'eta'
import { describeChange, findingStatusLabel, formatBaselineCounts } from './baseline-diff.ts'
import { num, percentText } from './bench-format.ts'
import { benchView } from './html/bench-view.ts'
import {
  STEP_NAMES,
  type AnsweredBy,
  type CheckResult,
  type Exchange,
  type RunReport,
  type Verdict,
} from '../harness/model/check-result.ts'
import {
  answeredByOf,
  formatLayers,
  describeProbe,
  formatAnsweredBy,
  formatDuration,
  LIFECYCLE_STEPS,
  overallVerdict,
  probeFacts,
  VERDICT_LABELS,
  VERDICTS,
} from '../harness/model/report-view.ts'

const asset = (name: string) => readFileSync(new URL(`./html/${name}`, import.meta.url), 'utf8')
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

const COUNT_WORDS: Record<Verdict, string> = {
  pass: 'passed', fail: 'failed', 'not-applicable': 'not applicable', error: 'errors',
}
const FILTER_LABELS: Record<Verdict | 'all', string> = {
  all: 'All', pass: 'Passed', fail: 'Failed', 'not-applicable': 'Not applicable', error: 'Errors',
}

const anchor = (check: CheckResult) => `check-${check.id}`
const headerLines = (headers: [string, string][]) => headers.map(([name, value]) => `${name}: ${value}`)
const bytesNote = (bytes: number) => `${bytes} byte${bytes === 1 ? '' : 's'}`

function answeredByView(answeredBy: AnsweredBy) {
  return { ...answeredBy, who: formatAnsweredBy(answeredBy) }
}

function exchangeView(exchange: Exchange) {
  const { request, response, failure, timing } = exchange
  const timingParts = [`started ${timing.startedAt}`, `${formatDuration(timing.totalMs)} total`]
  if (timing.headersMs !== undefined) timingParts.push(`${formatDuration(timing.headersMs)} to headers`)
  const probe = exchange.connection
  return {
    label: exchange.label,
    requestHead: probe
      ? describeProbe(probe)
      : [`${request.method} ${request.url}`, ...headerLines(request.headers)].join('\n'),
    requestBody: request.bodyExcerpt,
    requestBodyNote: probe ? 'no HTTP request: a probe below HTTP' : request.bodyBytes > 0 ? `body: ${bytesNote(request.bodyBytes)}` : 'no body',
    probeFacts: probe && probeFacts(probe).join('\n'),
    responseHead: response && [
      [response.status, response.statusText].filter(Boolean).join(' '),
      ...headerLines(response.headers),
    ].join('\n'),
    responseBody: response?.bodyExcerpt,
    responseBodyNote: response &&
      `body: ${bytesNote(response.bodyBytes)} read` + (response.bodyTruncated ? ", cut at the client's byte cap" : ''),
    failure: failure && `No HTTP response: ${failure.code} — ${failure.message}`,
    timing: timingParts.join(' · '),
    requestId: exchange.requestId,
    answeredBy: `${formatAnsweredBy(exchange.answeredBy)} — ${exchange.answeredBy.reason}`,
    repro: exchange.repro,
  }
}

function checkView(check: CheckResult) {
  const answeredBy = answeredByOf(check)
  return {
    ...check,
    anchor: anchor(check),
    verdictLabel: VERDICT_LABELS[check.verdict],
    duration: formatDuration(check.durationMs),
    answeredBy: answeredBy && answeredByView(answeredBy),
    exchanges: check.evidence.map(exchangeView),
    // Open what needs reading; passing checks stay folded.
    open: check.verdict === 'fail' || check.verdict === 'error',
  }
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

export function renderHtmlReport(full: RunReport): string {
  const report = cappedForHtml(full)
  const verdict = overallVerdict(report.summary)
  const steps = LIFECYCLE_STEPS.map((step) => {
    const checks = report.checks.filter((check) => check.step === step).map(checkView)
    return { step, name: STEP_NAMES[step], checks }
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
    reportJson: scriptSafeJson(report),
    target: report.target,
    layers,
    startedAt: report.startedAt,
    duration: formatDuration(report.durationMs),
    toolVersion: report.tool.version,
    verdict,
    verdictLabel: VERDICT_LABELS[verdict],
    total: report.summary.total,
    counts: VERDICTS.map((v) => ({ verdict: v, n: report.summary[v], word: COUNT_WORDS[v] })),
    filters: (['all', ...VERDICTS] as const).map((value) => ({
      value,
      label: FILTER_LABELS[value],
      n: value === 'all' ? report.summary.total : report.summary[value],
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
    stepNames: STEP_NAMES,
    steps,
    groups: steps.filter((step) => step.checks.length > 0),
  })
}
