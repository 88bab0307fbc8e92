// The end-of-run summary printed by the CLI: one line per lifecycle step that
// ran checks, the failure blocks, then the totals and the overall verdict.
import picocolors from 'picocolors'
import type { FindingStatus, RunReport, Verdict } from '../harness/model/check-result.ts'
import { oneLine } from '../harness/model/sanitize.ts'
import { overheadRatio } from '../harness/model/floor.ts'
import { describeChange, findingStatusLabel, formatBaselineCounts } from './baseline-diff.ts'
import { benchSummaryRows } from './bench-format.ts'
import { describeBenchRegression } from './bench-regressions.ts'
import { renderFailureBlock } from '../harness/model/failure-text.ts'
import {
  countVerdicts,
  formatCounts,
  formatDuration,
  formatLayers,
  groupByStep,
  isWarning,
  overallVerdict,
  VERDICT_LABELS,
} from '../harness/model/report-view.ts'

export interface TerminalOptions {
  /** ANSI colours; the caller decides (TTY, NO_COLOR, --color), never this module. */
  color: boolean
}

// Wide enough for the longest step name, so the counts line up across runs.
const STEP_NAME_WIDTH = 'Middleware (auth, limits)'.length

export function renderTerminalSummary(report: RunReport, options: TerminalOptions): string {
  const c = picocolors.createColors(options.color)
  const paint: Record<Verdict, (text: string) => string> = {
    pass: c.green,
    fail: c.red,
    'not-applicable': c.gray,
    error: c.yellow,
  }
  const count = (n: number, verdict: Verdict, word: string) => (n > 0 ? paint[verdict](`${n} ${word}`) : `${n} ${word}`)

  const lines: string[] = []
  if (report.target.inferredLayers) lines.push(`layers: ${formatLayers(report.target)}`, '')
  for (const group of groupByStep(report.checks)) {
    const counts = countVerdicts(group.checks)
    const parts = [count(counts.pass, 'pass', 'pass'), count(counts.fail, 'fail', 'fail')]
    if (counts.warnings) parts.push(c.yellow(`${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}`))
    if (counts['not-applicable'] > 0) parts.push(count(counts['not-applicable'], 'not-applicable', 'n/a'))
    if (counts.error > 0) parts.push(count(counts.error, 'error', 'error'))
    lines.push(`${String(group.step).padStart(2)} ${group.name.padEnd(STEP_NAME_WIDTH)}  ${parts.join(' · ')}`)
  }

  // Failures and errors first, then warnings: what fails the run before what is advice.
  const blocks = [...report.checks.filter((check) => check.verdict === 'error' || (check.verdict === 'fail' && !isWarning(check))), ...report.checks.filter(isWarning)]
  for (const check of blocks) {
    const [header = '', ...rest] = renderFailureBlock(check).split('\n')
    lines.push('', [(isWarning(check) ? c.yellow : paint[check.verdict])(c.bold(header)), ...rest].join('\n'))
  }

  if (report.baseline) {
    const b = report.baseline
    lines.push('', `baseline: ${oneLine(b.baseUrl)} started ${oneLine(b.startedAt)} — ${formatBaselineCounts(b)}`)
    const mark: Record<FindingStatus, (text: string) => string> = { new: c.red, existing: c.yellow, fixed: c.green }
    for (const f of b.findings) {
      lines.push(`  ${mark[f.status](findingStatusLabel(f.status).padEnd(8))} ${oneLine(f.id)}  ${c.dim(oneLine(f.title))}  ${describeChange(f)}`)
    }
    for (const r of b.benchRegressions ?? []) lines.push(`  ${c.red('SLOWER'.padEnd(8))} ${oneLine(describeBenchRegression(r))}`)
  }

  if (report.bench) {
    lines.push('', 'benchmarks: median [min–max] req/s')
    for (const r of benchSummaryRows(report.bench)) {
      const thresholds = r.thresholds.length ? `  ${c.dim(oneLine(r.thresholds.join('; ')))}` : ''
      lines.push(`  ${oneLine(r.measurement).padEnd(20)} ${oneLine(r.rps).padEnd(34)} ${r.ratio}${thresholds}`)
    }
  }

  const verdict = overallVerdict(report.summary)
  lines.push(
    '',
    `checks: ${formatCounts(report.summary)} (${formatDuration(report.durationMs)})`,
    ...(report.floorMs === undefined ? [] : [c.dim(describeFloor({ durationMs: report.durationMs, floorMs: report.floorMs }))]),
    `verdict: ${paint[verdict](c.bold(VERDICT_LABELS[verdict]))}`,
  )
  return lines.join('\n') + '\n'
}

/** `time: 45.2 s, floor 38.0 s (waits the checks had to make), 1.19× the floor`: how much of the run was the tool's. */
export function describeFloor(report: Pick<RunReport, 'durationMs'> & { floorMs: number }): string {
  const ratio = overheadRatio(report)
  return `time: ${formatDuration(report.durationMs)}, floor ${formatDuration(report.floorMs)} (waits the checks had to make)` +
    (ratio === undefined ? ', no deliberate wait' : `, ${ratio.toFixed(2)}× the floor`)
}
