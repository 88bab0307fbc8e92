import type { CheckContext, Outcome } from './define-check.ts'

/** At most this many failing probes are named in the report's text; the count says how many there were. */
const NAMED_FAILURES = 8

export interface ProbeScope {
  /** What every probe must show. */
  expected: string
  /** What was covered, e.g. "124 probes on 14 of 14 documented paths". */
  scope: string
  measurements: Record<string, number>
}

/**
 * One verdict over many probes, each already judged. The evidence is every
 * failing probe, or the first when all pass (the counts are in the
 * measurements): a hundred passing exchanges per run would bury the report.
 */
export function verdictOverProbes(context: Pick<CheckContext, 'record'>, outcomes: readonly Outcome[], { expected, scope, measurements }: ProbeScope): Outcome {
  const failing = outcomes.filter((o) => !o.pass)
  for (const outcome of failing.length ? failing : outcomes.slice(0, 1)) context.record(outcome.got.exchange)
  const named = failing.slice(0, NAMED_FAILURES).map((o) => `${o.got.exchange.label}: ${o.actual}`)
  return {
    pass: failing.length === 0,
    expected: `${expected} (${scope})`,
    actual: failing.length
      ? `${failing.length} of ${scope} failed: ${named.join(' | ')}${failing.length > named.length ? ` | and ${failing.length - named.length} more` : ''}`
      : `${scope}: every answer as expected`,
    got: (failing[0] ?? outcomes[0]!).got,
    measurements: { ...measurements, failingProbes: failing.length },
  }
}
