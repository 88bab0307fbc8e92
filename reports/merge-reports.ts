// Merges the reports of one run split across machines (`layercheck run
// --shard i/n`) into one: the union of their checks, recounted. Pure.
import type { CheckResult, RunReport, Verdict } from '../harness/model/check-result.ts'
import { summarize } from '../harness/model/report-view.ts'
import { floorOf } from '../harness/model/floor.ts'

export class MergeError extends Error {
  readonly code = 'LAYERCHECK_MERGE'
}

// When shards overlap, the worse outcome stands: a failure is never hidden by a pass.
const RANK: Readonly<Record<Verdict, number>> = { fail: 3, error: 2, pass: 1, 'not-applicable': 0 }

/**
 * `reports` in any order. They must be of the same target; a check found in
 * several keeps its worst verdict. Checks come out in step order, then in the
 * order the inputs listed them (each already in lifecycle order).
 */
export function mergeReports(reports: readonly RunReport[]): RunReport {
  if (reports.length === 0) throw new MergeError('nothing to merge: give one or more report.json files')
  const [first] = reports as [RunReport, ...RunReport[]]
  for (const report of reports) {
    if (report.target.baseUrl !== first.target.baseUrl) {
      throw new MergeError(`reports of different targets cannot be merged: ${first.target.baseUrl} and ${report.target.baseUrl}`)
    }
  }
  const byId = new Map<string, CheckResult>()
  const order: string[] = []
  const mergedStart = Math.min(...reports.map((r) => Date.parse(r.startedAt)))
  for (const report of reports) {
    // Start and end offsets count from the merged report's start, so who ran beside whom stays true across shards.
    const shift = Date.parse(report.startedAt) - mergedStart
    for (const given of report.checks) {
      const check = given.startedMs === undefined || given.endedMs === undefined ? given
        : { ...given, startedMs: given.startedMs + shift, endedMs: given.endedMs + shift }
      const seen = byId.get(check.id)
      if (!seen) order.push(check.id)
      if (!seen || RANK[check.verdict] > RANK[seen.verdict]) byId.set(check.id, check)
    }
  }
  const position = new Map(order.map((id, index) => [id, index]))
  const checks = [...byId.values()].sort((a, b) => a.step - b.step || position.get(a.id)! - position.get(b.id)!)
  const summary = summarize(checks)
  const starts = reports.map((r) => Date.parse(r.startedAt))
  const ends = reports.map((r) => Date.parse(r.startedAt) + r.durationMs)
  return {
    schemaVersion: 1,
    tool: first.tool,
    target: first.target,
    startedAt: new Date(Math.min(...starts)).toISOString(),
    durationMs: Math.max(...ends) - Math.min(...starts),
    ...(reports.some((r) => r.floorMs !== undefined) && { floorMs: floorOf(checks) }),
    summary,
    checks,
  }
}
