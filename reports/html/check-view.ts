// The checks of the HTML report as plain data: every text the page shows,
// already worded by the shared presentation helpers, so the page's script
// only places text (textContent, never markup) and words nothing itself. The
// page embeds this once as JSON and renders only the rows in view.
import {
  STEP_NAMES,
  type AnsweredBy,
  type CheckLayer,
  type CheckResult,
  type Exchange,
  type LifecycleStep,
  type Severity,
  type Verdict,
} from '../../harness/model/check-result.ts'
import {
  adviceOf, answeredByOf, describeProbe, formatAnsweredBy, formatDuration, isWarning, LIFECYCLE_STEPS, probeFacts, verdictGroupOf, verdictLabelOf, type VerdictGroup,
} from '../../harness/model/report-view.ts'

export interface AnsweredByView extends AnsweredBy {
  /** The one wording of an attribution (formatAnsweredBy). */
  who: string
  stepName?: string
}

export interface ExchangeView {
  label?: string
  requestHead: string
  requestBody?: string
  requestBodyNote: string
  probeFacts?: string
  responseHead?: string
  responseBody?: string
  responseBodyNote?: string
  failure?: string
  timing: string
  requestId?: string
  answeredBy: string
  repro: string
}

export interface CheckView {
  id: string
  /** The element id deep links (`#check-…`) point at. */
  anchor: string
  title: string
  verdict: Verdict
  verdictLabel: string
  /** A failed recommendation the profile does not document: shown as a warning, not a failure. */
  warning: boolean
  /** The verdict filter and colour it falls under: 'warning' for a warning, else its verdict. */
  group: VerdictGroup
  step: LifecycleStep
  stepName: string
  layer: CheckLayer
  spec: string
  severity: Severity
  duration: string
  expected: string
  actual: string
  diagnosis?: string
  /** A warning's advice: which profile key makes it a requirement or turns it off (adviceOf). */
  advice?: string
  reason?: string
  answeredBy?: AnsweredByView
  exchanges: ExchangeView[]
  /** Shown unfolded when the page opens: what needs reading. */
  expanded: boolean
}

export const checkAnchor = (check: Pick<CheckResult, 'id'>) => `check-${check.id}`

const headerLines = (headers: [string, string][]) => headers.map(([name, value]) => `${name}: ${value}`)
const bytesNote = (bytes: number) => `${bytes} byte${bytes === 1 ? '' : 's'}`

function exchangeView(exchange: Exchange): ExchangeView {
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

export function checkView(check: CheckResult): CheckView {
  const answeredBy = answeredByOf(check)
  return {
    id: check.id,
    anchor: checkAnchor(check),
    title: check.title,
    verdict: check.verdict,
    verdictLabel: verdictLabelOf(check),
    warning: isWarning(check),
    group: verdictGroupOf(check),
    step: check.step,
    stepName: STEP_NAMES[check.step],
    layer: check.layer,
    spec: check.spec,
    severity: check.severity,
    duration: formatDuration(check.durationMs),
    expected: check.expected,
    actual: check.actual,
    diagnosis: check.diagnosis,
    advice: adviceOf(check),
    reason: check.reason,
    answeredBy: answeredBy && {
      ...answeredBy,
      who: formatAnsweredBy(answeredBy),
      stepName: answeredBy.step && STEP_NAMES[answeredBy.step],
    },
    exchanges: check.evidence.map(exchangeView),
    // Open what needs reading, as the terminal prints it: failures, errors and warnings (with their advice); passing checks stay folded.
    expanded: check.verdict === 'fail' || check.verdict === 'error',
  }
}

/** Every check's view in lifecycle order (the run's order within a step): the order the page lists them in. */
export function checkViews(checks: readonly CheckResult[]): CheckView[] {
  return LIFECYCLE_STEPS.flatMap((step) => checks.filter((check) => check.step === step).map(checkView))
}
