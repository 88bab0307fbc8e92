import type { Exchange, Tier } from '../model/check-result.ts'
import { headerValue } from '../http/http-client.ts'
import { formatAnsweredBy } from '../model/report-view.ts'
import type { Got, Outcome } from './define-check.ts'
import { COMMON, problem, problemText, type Problem } from './problem.ts'

/** A predicate on the response that returns a typed problem, or undefined. */
export type ResponseRule = (exchange: Exchange) => Problem | undefined

export interface ResponseExpectation {
  status: number | readonly number[]
  /** The tier that must have answered. */
  from?: Tier
  rules?: ResponseRule[]
  /** How the expectation reads in a report, beyond status and tier. */
  describe?: string
}

const describeTier = (exchange: Exchange) => formatAnsweredBy(exchange.answeredBy)

/**
 * Whether the answer is blamed on the wrong layer: only when the evidence names
 * another one. An unknown attribution never fails a check by itself.
 */
export const wrongLayer = (exchange: Exchange, expected: Tier | undefined) =>
  expected !== undefined && exchange.answeredBy.tier !== 'unknown' && exchange.answeredBy.tier !== expected

export function actualOf(exchange: Exchange): string {
  if (!exchange.response) return `no HTTP response: ${exchange.failure?.code ?? 'unknown failure'} (${exchange.answeredBy.reason})`
  return `${exchange.response.status} from ${describeTier(exchange)}`
}

/** The one way checks compare a response with what the profile documents. */
export function expectResponse(exchange: Exchange, expectation: ResponseExpectation): Outcome {
  const statuses = typeof expectation.status === 'number' ? [expectation.status] : [...expectation.status]
  const problems: Problem[] = []
  const response = exchange.response
  if (!response) {
    problems.push(problem(COMMON.noResponse, `no HTTP response (${exchange.failure?.code})`))
  } else {
    if (!statuses.includes(response.status)) problems.push(problem(COMMON.status, `status ${response.status}, expected ${statuses.join(' or ')}`))
    if (wrongLayer(exchange, expectation.from)) {
      problems.push(problem(COMMON.wrongLayer, `answered by ${describeTier(exchange)}, expected the ${expectation.from}`))
    }
    for (const rule of expectation.rules ?? []) {
      const found = rule(exchange)
      if (found) problems.push(found)
    }
  }
  const expected = `${statuses.join(' or ')}${expectation.from ? ` from ${expectation.from}` : ''}${expectation.describe ? `, ${expectation.describe}` : ''}`
  const actual = problems.length && response ? `${actualOf(exchange)}: ${problemText(problems)}` : actualOf(exchange)
  return { pass: problems.length === 0, expected, actual, got: gotOf(exchange, problems) }
}

export function gotOf(exchange: Exchange, problems: Problem[]): Got {
  return {
    exchange,
    status: exchange.response?.status,
    tier: exchange.answeredBy.tier,
    product: exchange.answeredBy.product,
    answeredBy: exchange.answeredBy,
    problems,
  }
}

/** Several probes, one verdict: passes when all pass; the first failure decides the diagnosis. */
export function allOf(outcomes: Outcome[]): Outcome {
  const failing = outcomes.filter((o) => !o.pass)
  const label = (o: Outcome) => (o.got.exchange.label ? `${o.got.exchange.label}: ` : '')
  return {
    pass: failing.length === 0,
    expected: outcomes.map((o) => `${label(o)}${o.expected}`).join(' | '),
    actual: (failing.length ? failing : outcomes).map((o) => `${label(o)}${o.actual}`).join(' | '),
    got: (failing[0] ?? outcomes[0]!).got,
    measurements: outcomes.some((o) => o.measurements) ? Object.assign({}, ...outcomes.map((o) => o.measurements ?? {})) : undefined,
  }
}

export const header = (exchange: Exchange, name: string) =>
  exchange.response ? headerValue(exchange.response, name) : undefined

/** Whether a comma-separated header value (Vary, Allow-Methods, …) lists `item`, case-insensitively. */
export const listHas = (value: string | undefined, item: string) =>
  (value ?? '').split(',').map((v) => v.trim().toLowerCase()).includes(item.toLowerCase())

/** The response body parsed as JSON, or undefined. */
export function jsonOf(exchange: Exchange): unknown {
  try {
    return JSON.parse(exchange.response?.bodyExcerpt ?? '')
  } catch {
    return undefined
  }
}
