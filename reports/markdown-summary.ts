// A Markdown summary for a CI job page (GitHub's $GITHUB_STEP_SUMMARY, GitLab
// notes): verdict, counts, one table per lifecycle step, then the failures.
import type { RunReport } from '../harness/model/check-result.ts'
import { renderFailureBlock } from '../harness/model/failure-text.ts'
import {
  answeredByOf,
  formatAnsweredBy,
  formatCounts,
  formatDuration,
  groupByStep,
  isWarning,
  overallVerdict,
  VERDICT_LABELS,
  verdictLabelOf,
  VERDICTS,
} from '../harness/model/report-view.ts'
import { oneLine } from '../harness/model/sanitize.ts'
import { describeChange, findingStatusLabel, formatBaselineCounts } from './baseline-diff.ts'
import { benchSummaryRows } from './bench-format.ts'
import { describeBenchRegression } from './bench-regressions.ts'

// Backslash-escape the punctuation that would end a table cell, open a code
// span, start HTML or an entity, or emphasise: target text must read as text.
const text = (value: string) => oneLine(value).replace(/[\\`*_[\]<>|~&]/g, '\\$&')

// Inside a code span a backslash is literal, so a backtick cannot be escaped;
// ids are ours, but one with a backtick still must not break the table.
const code = (value: string) => '`' + oneLine(value).replace(/`/g, "'").replace(/\|/g, '\\|') + '`'

const row = (cells: string[]) => `| ${cells.join(' | ')} |`

// A fence longer than any backtick run inside cannot be closed by the content.
function fenced(content: string): string {
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(Math.max(3, longestRun + 1))
  return `${fence}text\n${content}\n${fence}`
}

export function renderMarkdownSummary(report: RunReport): string {
  const verdict = VERDICT_LABELS[overallVerdict(report.summary)]
  const lines = [
    `## layercheck: ${verdict}`,
    '',
    `**${verdict}** · ${report.summary.total} checks: ${formatCounts(report.summary)} · ${formatDuration(report.durationMs)}${report.floorMs === undefined ? '' : ` (floor ${formatDuration(report.floorMs)}: waits the checks had to make)`}`,
    '',
    `Target ${text(report.target.name)} at ${text(report.target.baseUrl)} · started ${text(report.startedAt)} · ` +
      `layercheck ${text(report.tool.version)}`,
    '',
    row(['Verdict', 'Checks']),
    row(['---', '---:']),
    ...VERDICTS.map((v) => row([VERDICT_LABELS[v], String(report.summary[v])])),
    ...(report.summary.warnings ? [row(['WARNING', String(report.summary.warnings)])] : []),
    row(['Total', String(report.summary.total)]),
  ]

  for (const group of groupByStep(report.checks)) {
    lines.push('', `### Step ${group.step} · ${group.name}`, '')
    lines.push(row(['Verdict', 'Check', 'Title', 'Answered by']), row(['---', '---', '---', '---']))
    for (const check of group.checks) {
      const answeredBy = answeredByOf(check)
      lines.push(row([
        verdictLabelOf(check),
        code(check.id),
        text(check.title),
        answeredBy ? text(formatAnsweredBy(answeredBy)) : '',
      ]))
    }
  }

  if (report.baseline) {
    const b = report.baseline
    lines.push('', '### Compared with the baseline', '',
      `Baseline ${text(b.baseUrl)} started ${text(b.startedAt)}: ${formatBaselineCounts(b)}`)
    if (b.findings.length > 0) {
      lines.push('', row(['Finding', 'Check', 'Title', 'Change']), row(['---', '---', '---', '---']))
      for (const f of b.findings) {
        lines.push(row([findingStatusLabel(f.status), code(f.id), text(f.title), text(describeChange(f))]))
      }
    }
    if (b.benchRegressions?.length) {
      lines.push('', 'Benchmark regressions (beyond the tolerance and the baseline\'s min–max):', '')
      for (const r of b.benchRegressions) lines.push(`- ${text(describeBenchRegression(r))}`)
    }
  }

  if (report.bench) {
    lines.push('', '### Benchmarks', '',
      `Median [min–max] of ${report.bench.settings.repeats} runs; the HTML report charts them.`, '',
      row(['Measurement', 'req/s', 'Ratio / efficiency', 'Thresholds']), row(['---', '---:', '---:', '---']))
    for (const r of benchSummaryRows(report.bench)) {
      lines.push(row([`${code(r.measurement)} ${text(r.name)}`, text(r.rps), text(r.ratio), text(r.thresholds.join('; '))]))
    }
  }

  const failing = report.checks.filter((check) => (check.verdict === 'fail' && !isWarning(check)) || check.verdict === 'error')
  if (failing.length > 0) {
    lines.push('', '### Failures and errors')
    for (const check of failing) lines.push('', fenced(renderFailureBlock(check)))
  }
  const warnings = report.checks.filter(isWarning)
  if (warnings.length > 0) {
    lines.push('', '### Warnings', '', 'Recommendations the profile does not document: they fail the gate only under `--fail-on info`.')
    for (const check of warnings) lines.push('', fenced(renderFailureBlock(check)))
  }
  return lines.join('\n') + '\n'
}
