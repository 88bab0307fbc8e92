import type { CheckResult, RunReport } from '../../harness/model/check-result.ts'
import { summarize } from '../../harness/model/report-view.ts'
import { floorOf } from '../../harness/model/floor.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { VERSION } from '../../harness/version.ts'
import { ALL_CHECKS } from '../../suites/all-checks.ts'

/** Results in lifecycle order (as ALL_CHECKS lists them), whatever order the files finished in. */
export function inLifecycleOrder(results: CheckResult[]): CheckResult[] {
  const rank = new Map(ALL_CHECKS.map((check, index) => [check.id, index]))
  return [...results].sort((a, b) => a.step - b.step || (rank.get(a.id) ?? 1e9) - (rank.get(b.id) ?? 1e9) || a.id.localeCompare(b.id))
}

export function buildReport(profile: Readonly<Profile>, results: CheckResult[], startedAt: Date, durationMs: number, inferredLayers?: RunReport['target']['inferredLayers']): RunReport {
  const summary = summarize(results)
  const layers = Object.fromEntries(Object.entries(profile.layers ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
  return {
    schemaVersion: 1,
    tool: { name: 'layercheck', version: VERSION },
    target: { baseUrl: profile.baseUrl, name: profile.name ?? profile.baseUrl, layers, ...(inferredLayers && Object.keys(inferredLayers).length && { inferredLayers }) },
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(durationMs),
    floorMs: floorOf(results),
    summary,
    checks: inLifecycleOrder(results),
  }
}
