import { readFile } from 'node:fs/promises'
import pc from 'picocolors'
import type { RunReport, Severity } from '../harness/model/check-result.ts'
import { compareWithBaseline, gatingRegressions } from '../reports/baseline-diff.ts'
import { parseJsonReport, renderJsonReport } from '../reports/json-report.ts'
import { renderTerminalSummary } from '../reports/terminal-summary.ts'
import { MergeError, mergeReports } from '../reports/merge-reports.ts'
import { writeReports } from '../reports/write-reports.ts'
import { SEVERITIES } from '../harness/model/check-result.ts'
import { resolve } from 'node:path'
import { inLifecycleOrder } from './run/build-report.ts'
import { EXIT } from './exit-codes.ts'

/** A report file that cannot be read or is not a report: bad usage (exit 2), naming the file. */
export class ReportFileError extends Error {
  readonly code = 'LAYERCHECK_BAD_REPORT'
  readonly file: string
  constructor(file: string, reason: string, options?: ErrorOptions) {
    super(`${file}: ${reason}`, options)
    this.file = file
  }
}

export async function readReportFile(file: string): Promise<RunReport> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ReportFileError(file, code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? (error as Error).message})`, { cause: error })
  }
  try {
    return parseJsonReport(text)
  } catch (error) {
    throw new ReportFileError(file, (error as Error).message, { cause: error })
  }
}

/**
 * The exit code of a run or a diff once compared with a baseline: a regression
 * at or above --fail-on is 1; otherwise a harness error in the current run is
 * still 4 (the comparison cannot vouch for checks that did not run); else 0.
 */
export function baselineExitCode(report: RunReport, failOn: Severity, harnessErrors = 0): number {
  if (report.baseline && gatingRegressions(report.baseline, failOn).length > 0) return EXIT.failing
  if (report.summary.error > 0 || harnessErrors > 0) return EXIT.harness
  return EXIT.conformant
}

export interface DiffOptions {
  failOn: Severity
  color: boolean
  json?: boolean
}

/** `layercheck report diff old.json new.json`: the new report with its baseline block, as text or JSON. */
export async function reportDiff(oldFile: string, newFile: string, options: DiffOptions, out: (text: string) => void): Promise<number> {
  const [baseline, current] = await Promise.all([readReportFile(oldFile), readReportFile(newFile)])
  const report: RunReport = { ...current, baseline: compareWithBaseline(baseline, current) }
  if (options.json) {
    out(renderJsonReport(report))
  } else {
    out(renderTerminalSummary(report, { color: options.color }))
    const regressions = gatingRegressions(report.baseline!, options.failOn)
    const c = pc.createColors(options.color)
    out(regressions.length
      ? c.red(`${regressions.length} regression${regressions.length === 1 ? '' : 's'} since the baseline: ${regressions.map((r) => r.id).join(', ')}\n`)
      : c.green('no regression since the baseline\n'))
  }
  return baselineExitCode(report, options.failOn)
}

export interface MergeOptions {
  out: string
  failOn: Severity
  color: boolean
}

/** `layercheck report merge a.json b.json … --out dir`: one report from shards, every format written, exit code as for a run. */
export async function reportMerge(files: string[], options: MergeOptions, log: (line: string) => void): Promise<number> {
  const reports = await Promise.all(files.map(readReportFile))
  let merged: RunReport
  try {
    const union = mergeReports(reports)
    merged = { ...union, checks: inLifecycleOrder(union.checks) }
  } catch (error) {
    if (error instanceof MergeError) throw new ReportFileError(files.join(', '), error.message, { cause: error })
    throw error
  }
  const written = await writeReports(merged, resolve(options.out))
  log(renderTerminalSummary(merged, { color: options.color }))
  log(`merged ${files.length} reports: ${written.html}  ${written.json}  ${written.junit}  ${written.markdown}`)
  const threshold = SEVERITIES.indexOf(options.failOn)
  if (merged.checks.some((c) => c.verdict === 'fail' && SEVERITIES.indexOf(c.severity) >= threshold)) return EXIT.failing
  if (merged.summary.error > 0 || merged.summary.total === 0) return EXIT.harness
  return EXIT.conformant
}
