// Compares a run with a baseline run: which findings (failed checks) are new,
// still there, or fixed, and which checks regressed (passed then, fail now).
// When both runs have benchmarks, their medians are compared too (bench-regressions.ts).
// Pure: two reports in, one BaselineComparison out; the CLI decides the exit code.
import type {
  BaselineComparison,
  BaselineFinding,
  BenchRegression,
  CheckResult,
  FindingStatus,
  RunReport,
  Severity,
} from '../harness/model/check-result.ts'
import { SEVERITIES } from '../harness/model/check-result.ts'
import { BENCH_TOLERANCE, compareBench } from './bench-regressions.ts'

const STATUS_ORDER: readonly FindingStatus[] = ['new', 'existing', 'fixed']

/**
 * A finding is a check whose verdict is `fail`. A check that errored (the
 * harness broke) is not a finding either way: an error proves nothing about
 * the target, so it can neither fix nor introduce one.
 */
export function compareWithBaseline(baseline: RunReport, current: RunReport, benchTolerance = BENCH_TOLERANCE): BaselineComparison {
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
    ...(baseline.bench && current.bench && { benchRegressions: compareBench(baseline.bench, current.bench, benchTolerance) }),
  }
}

/** A benchmark regression as it gates: named `measurement metric` like a finding is by its check id. */
export type BenchGate = BenchRegression & { id: string }

/**
 * The regressions that gate a release: checks that passed in the baseline and
 * fail now, at or above `failOn`, then the benchmark regressions. These gate
 * whatever `failOn` says: they are already filtered by tolerance and spread,
 * and a throughput drop has no severity to rank. Returned together, so
 * `--baseline` and `report diff` gate on both without the CLI changing.
 */
export function gatingRegressions(comparison: BaselineComparison, failOn: Severity = 'info'): (BaselineFinding | BenchGate)[] {
  const threshold = SEVERITIES.indexOf(failOn)
  const checks = comparison.findings.filter((f) => f.regression && SEVERITIES.indexOf(f.severity) >= threshold)
  const bench = (comparison.benchRegressions ?? []).map((r) => ({ ...r, id: `${r.measurement} ${r.metric}` }))
  return [...checks, ...bench]
}

/** Whether the comparison should fail the run: a gating regression of a check or a benchmark. */
export function hasGatingRegressions(comparison: BaselineComparison, failOn: Severity = 'info'): boolean {
  return gatingRegressions(comparison, failOn).length > 0
}

const STATUS_LABELS: Readonly<Record<FindingStatus, string>> = { new: 'NEW', existing: 'EXISTING', fixed: 'FIXED' }

export function findingStatusLabel(status: FindingStatus): string {
  return STATUS_LABELS[status]
}

/** `1 new (1 regression), 2 existing, 0 fixed`, then `; 2 benchmark regressions` when benchmarks were compared. */
export function formatBaselineCounts(comparison: BaselineComparison): string {
  const { counts } = comparison
  const regressions = counts.regressions ? ` (${counts.regressions} regression${counts.regressions === 1 ? '' : 's'})` : ''
  const bench = comparison.benchRegressions
  const benchText = bench ? `; ${bench.length} benchmark regression${bench.length === 1 ? '' : 's'}` : ''
  return `${counts.new} new${regressions}, ${counts.existing} existing, ${counts.fixed} fixed${benchText}`
}

/** What changed for one finding, in words: `passed → failed (regression)`. */
export function describeChange(finding: BaselineFinding): string {
  const words: Record<string, string> = { pass: 'passed', fail: 'failed', 'not-applicable': 'not applicable', error: 'errored' }
  const word = (verdict: string | undefined) => (verdict === undefined ? 'absent' : words[verdict] ?? verdict)
  const change = `${word(finding.before)} → ${word(finding.after)}`
  return finding.regression ? `${change} (regression)` : change
}
