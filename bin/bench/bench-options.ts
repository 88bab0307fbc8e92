// What the user asked `layercheck bench` for: settings within bounds, and
// thresholds merged from the profile and --threshold, checked before any load.

import { parseThreshold } from '../../harness/bench/threshold-expression.ts'
import type { BenchSettings } from '../../harness/model/bench-result.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { UsageError } from '../usage-error.ts'

export interface BenchOptions {
  reportDir: string
  /** A deployment's profile (its `bench` section); without it, the embedded reference stacks. */
  config?: string
  connections?: number
  durationS?: number
  repeats?: number
  /** `measurement:expression`, added to the profile's thresholds. */
  thresholds?: string[]
  /** Pin server and generator to separate cores (embedded stacks only). */
  pin: boolean
  /** A report.json of an earlier bench: only regressions (slower beyond noise, or a threshold newly failing) fail the run. */
  baseline?: string
  /** How much slower than the baseline (a fraction) is still noise; default 0.2. */
  tolerance?: number
  /** The JSON report on `out`; everything else goes to `log` (the CLI sends it to stderr). */
  json?: boolean
}

/** `keepalive-http:p(99)<250` → ['keepalive-http', 'p(99)<250'], or a usage error. */
export function parseThresholdOption(option: string): [string, string] {
  const at = option.indexOf(':')
  const [measurement, expression] = [option.slice(0, at), option.slice(at + 1)]
  const parsed = at > 0 ? parseThreshold(expression) : 'write measurement:expression, e.g. keepalive-http:p(99)<250'
  if (typeof parsed === 'string') throw new UsageError(`--threshold ${option}: ${parsed}`)
  return [measurement, expression]
}

export function mergeThresholds(profile: Readonly<Profile>, options: BenchOptions): Record<string, string[]> {
  const merged: Record<string, string[]> = Object.fromEntries(Object.entries(profile.bench.thresholds).map(([k, v]) => [k, [...v]]))
  for (const [measurement, expression] of (options.thresholds ?? []).map(parseThresholdOption)) (merged[measurement] ??= []).push(expression)
  return merged
}

/** Thresholds are checked against the measurements this bench will make before any load is sent. */
export function assertKnownMeasurements(thresholds: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(thresholds).filter((id) => !known.includes(id))
  if (unknown.length) throw new UsageError(`bench thresholds name ${unknown.join(', ')}, which this bench does not measure; it measures: ${known.join(', ')}`)
}

/** Every load is bounded: the same ceilings as the profile's bench section. */
const LIMITS = { connections: 1000, durationS: 60, repeats: 20 } as const

export function settingsOf(profile: Readonly<Profile>, options: BenchOptions): BenchSettings {
  for (const key of ['connections', 'durationS', 'repeats'] as const) {
    const value = options[key]
    if (value !== undefined && value > LIMITS[key]) throw new UsageError(`--${key === 'durationS' ? 'duration' : key} ${value}: at most ${LIMITS[key]}`)
  }
  return {
    connections: options.connections ?? profile.bench.connections,
    durationMs: (options.durationS ?? profile.bench.durationS) * 1000,
    repeats: options.repeats ?? profile.bench.repeats,
    warmupMs: profile.bench.warmupS * 1000,
  }
}
