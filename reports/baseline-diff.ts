// Compares a run with a baseline run: which findings (failed checks) are new,
// still there, or fixed, and which checks regressed (passed then, fail now).
// Pure: two reports in, one BaselineComparison out; the CLI decides the exit code.
import type {
  BaselineComparison,
  BaselineFinding,
  CheckResult,
  FindingStatus,
  RunReport,
  Severity,
} from '../harness/model/check-result.ts'
import { SEVERITIES } from '../harness/model/check-result.ts'

const STATUS_ORDER: readonly FindingStatus[] = ['new', 'existing', 'fixed']

/**
 * A finding is a check whose verdict is `fail`. A check that errored (the
 * harness broke) is not a finding either way: an error proves nothing about
 * the target, so it can neither fix nor introduce one.
 */
export function compareWithBaseline(baseline: RunReport, current: RunReport): BaselineComparison {
  const before = new Map(baseline.checks.map((check) => [check.id, check]))
  const after = new Map(current.checks.map((check) => [check.id, check]))
  const findings: BaselineFinding[] = []
  const finding = (check: CheckResult, status: FindingStatus, then?: CheckResult, now?: CheckResult): BaselineFinding => ({
    id: check.id, title: check.title, severity: check.severity, status,
    ...(then && { before: then.verdict }), ...(now && { after: now.verdict }),
    regression: status === 'new' && then?.verdict === 'pass',
  })
  for (const now of current.checks) {
    if (now.verdict !== 'fail') continue
    const then = before.get(now.id)
    findings.push(finding(now, then?.verdict === 'fail' ? 'existing' : 'new', then, now))
  }
  for (const then of baseline.checks) {
    if (then.verdict !== 'fail') continue
    const now = after.get(then.id)
    // Fixed only when it ran and did not fail; an error now leaves it unproven, so it stays out.
    if (now?.verdict === 'fail' || now?.verdict === 'error') continue
    findings.push(finding(now ?? then, 'fixed', then, now))
  }
  findings.sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status))
  const count = (status: FindingStatus) => findings.filter((f) => f.status === status).length
  return {
    startedAt: baseline.startedAt,
    baseUrl: baseline.target.baseUrl,
    counts: { new: count('new'), existing: count('existing'), fixed: count('fixed'), regressions: findings.filter((f) => f.regression).length },
    findings,
  }
}

/**
 * The regressions that gate a release: checks that passed in the baseline and
 * fail now, at or above `failOn`.
 *
 * Hook for benchmarks: when benchmark results join the report model, compare
 * them here (e.g. p95 latency beyond the baseline by more than its threshold
 * string) and return them alongside, so `--baseline` and `report diff` gate on
 * both without the CLI changing.
 */
export function gatingRegressions(comparison: BaselineComparison, failOn: Severity = 'info'): BaselineFinding[] {
  const threshold = SEVERITIES.indexOf(failOn)
  return comparison.findings.filter((f) => f.regression && SEVERITIES.indexOf(f.severity) >= threshold)
}

const STATUS_LABELS: Readonly<Record<FindingStatus, string>> = { new: 'NEW', existing: 'EXISTING', fixed: 'FIXED' }

export function findingStatusLabel(status: FindingStatus): string {
  return STATUS_LABELS[status]
}

/** `1 new (1 regression), 2 existing, 0 fixed` */
export function formatBaselineCounts(comparison: BaselineComparison): string {
  const { counts } = comparison
  const regressions = counts.regressions ? ` (${counts.regressions} regression${counts.regressions === 1 ? '' : 's'})` : ''
  return `${counts.new} new${regressions}, ${counts.existing} existing, ${counts.fixed} fixed`
}

/** What changed for one finding, in words: `passed → failed (regression)`. */
export function describeChange(finding: BaselineFinding): string {
  const words: Record<string, string> = { pass: 'passed', fail: 'failed', 'not-applicable': 'not applicable', error: 'errored' }
  const word = (verdict: string | undefined) => (verdict === undefined ? 'absent' : words[verdict] ?? verdict)
  const change = `${word(finding.before)} → ${word(finding.after)}`
  return finding.regression ? `${change} (regression)` : change
}
