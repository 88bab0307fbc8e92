// The one failure layout, shared by the terminal, JUnit and Markdown outputs:
// a header line, then labelled lines aligned in one column. A line whose data
// is missing is left out rather than printed empty.
import type { CheckResult } from './check-result.ts'
import { adviceOf, answeredByOf, decisiveExchange, describeProbe, formatAnsweredBy, isWarning, requestTarget, VERDICT_MARKS, WARNING_MARK } from './report-view.ts'
import { stripControlChars } from './sanitize.ts'

const INDENT = '    '
const LABEL_WIDTH = 'expected: '.length

function labelled(label: string, value: string | undefined): string[] {
  const text = value === undefined ? '' : stripControlChars(value).trim()
  if (text === '') return []
  const continuation = '\n' + ' '.repeat(INDENT.length + LABEL_WIDTH)
  return [INDENT + `${label}:`.padEnd(LABEL_WIDTH) + text.split('\n').join(continuation)]
}

function sentLine(check: CheckResult): string | undefined {
  const exchange = decisiveExchange(check)
  if (exchange?.connection) return describeProbe(exchange.connection)
  // Raw-bytes probes: the exact bytes, escaped (harness/raw).
  if (exchange?.raw) return exchange.raw.sent.length > 300 ? `${exchange.raw.sent.slice(0, 300)}… (${exchange.raw.bytesSent} bytes)` : exchange.raw.sent
  const request = exchange?.request
  if (!request) return undefined
  const line = `${request.method} ${requestTarget(request.url)}`
  return request.bodyBytes > 0 ? `${line}  Content-Length: ${request.bodyBytes}` : line
}

function answeredLine(check: CheckResult): string | undefined {
  const answeredBy = answeredByOf(check)
  if (!answeredBy) return undefined
  const who = formatAnsweredBy(answeredBy)
  return answeredBy.reason ? `${who} — ${answeredBy.reason}` : who
}

function clientFailureLine(check: CheckResult): string | undefined {
  const failure = check.evidence.find((exchange) => exchange.failure)?.failure
  if (!failure) return undefined
  // Node's messages usually already name the code: `connect ECONNREFUSED 127.0.0.1:8080`.
  return failure.message.includes(failure.code) ? failure.message : `${failure.code}: ${failure.message}`
}

export function renderFailureBlock(check: CheckResult): string {
  const spec = check.spec ? `  [${check.spec}]` : ''
  const header = stripControlChars(`${isWarning(check) ? WARNING_MARK : VERDICT_MARKS[check.verdict]} ${check.id}  ${check.title}${spec}`)
  if (check.verdict === 'not-applicable') {
    return [header, ...labelled('reason', check.reason)].join('\n')
  }
  return [
    header,
    ...labelled('sent', sentLine(check)),
    ...labelled('expected', check.expected),
    ...labelled('actual', check.actual),
    ...labelled('failed', clientFailureLine(check)),
    ...labelled('answered', answeredLine(check)),
    ...labelled('why', check.diagnosis),
    ...labelled('advice', adviceOf(check)),
    ...labelled('repro', decisiveExchange(check)?.repro),
  ].join('\n')
}
