// A run's floor: how long any schedule must take for the waits its checks had to
// make (a rate-limit window, a Retry-After, a 504 after the documented gateway
// timeout), given which checks may not overlap. Everything above it is the tool's.
// Plain functions of check results, for the report builder, the renderers and tests.

import type { CheckResult } from './check-result.ts'

/** The resources a check holds: a keyed reader/writer lock (harness/check/resources.ts names the keys). */
export interface HeldResources {
  readonly exclusive?: readonly string[]
  readonly shared?: readonly string[]
}

/** Whether two checks may not run at the same time: one holds exclusively a key the other names at all. */
export function conflicts(a: HeldResources, b: HeldResources): boolean {
  const all = (u: HeldResources) => [...(u.exclusive ?? []), ...(u.shared ?? [])]
  return (a.exclusive ?? []).some((key) => all(b).includes(key)) || (b.exclusive ?? []).some((key) => all(a).includes(key))
}

/**
 * The floor (ms), a lower bound on the critical path of inherent waits under the declared conflicts:
 *
 *   max( the longest single wait,
 *        for each resource key r: Σ waits of the checks holding r exclusively + the longest wait of a check holding r shared )
 *
 * Exclusive holders of r overlap nothing else that holds r, so their waits add up; shared holders may overlap each other,
 * but none of them an exclusive holder, so the longest adds once. Waits inside one check are sequential (the check says so
 * by how it reports them). It ignores the concurrency limit and chains through several keys, so a real schedule may need
 * more, never less.
 */
export function floorOf(checks: readonly Pick<CheckResult, 'waitedMs' | 'uses'>[]): number {
  let floor = 0
  const perKey = new Map<string, { exclusiveSum: number; sharedMax: number }>()
  for (const check of checks) {
    const waited = check.waitedMs ?? 0
    floor = Math.max(floor, waited)
    if (!waited) continue
    for (const key of check.uses?.exclusive ?? []) {
      const entry = perKey.get(key) ?? { exclusiveSum: 0, sharedMax: 0 }
      entry.exclusiveSum += waited
      perKey.set(key, entry)
    }
    for (const key of check.uses?.shared ?? []) {
      const entry = perKey.get(key) ?? { exclusiveSum: 0, sharedMax: 0 }
      entry.sharedMax = Math.max(entry.sharedMax, waited)
      perKey.set(key, entry)
    }
  }
  for (const { exclusiveSum, sharedMax } of perKey.values()) floor = Math.max(floor, exclusiveSum + sharedMax)
  return Math.round(floor)
}

/** Pairs of checks that ran at the same time although they conflict (a scheduler bug, or a report merged from shards run together). */
export function conflictingOverlaps(checks: readonly Pick<CheckResult, 'id' | 'uses' | 'startedMs' | 'endedMs'>[]): [string, string][] {
  const timed = checks.filter((c) => c.uses && c.startedMs !== undefined && c.endedMs !== undefined)
  const found: [string, string][] = []
  for (let i = 0; i < timed.length; i++) {
    for (let j = i + 1; j < timed.length; j++) {
      const [a, b] = [timed[i]!, timed[j]!]
      const overlap = a.startedMs! < b.endedMs! && b.startedMs! < a.endedMs!
      if (overlap && conflicts(a.uses!, b.uses!)) found.push([a.id, b.id])
    }
  }
  return found
}

/** `durationMs / floorMs`, or undefined when the run made no deliberate wait. */
export function overheadRatio(report: { durationMs: number; floorMs?: number }): number | undefined {
  return report.floorMs ? report.durationMs / report.floorMs : undefined
}
