import { build } from 'hdr-histogram-js'

export interface LatencyPercentiles {
  p50Ms: number
  p90Ms: number
  p99Ms: number
  /** p99 of the values as measured, before the correction. */
  p99RawMs: number
  corrected: boolean
}

const MAX_US = 120_000_000

/**
 * Latency percentiles at microsecond resolution (autocannon's own histogram
 * has whole milliseconds, so a sub-millisecond p50 shows as 0), corrected for
 * coordinated omission: in a closed loop a stalled connection sends nothing
 * while it waits, so the requests it would have sent are missing from the
 * samples and a stall counts once instead of many times. HdrHistogram's
 * correction back-fills them at the expected interval between requests on a
 * connection — in a closed loop, the typical (median) latency itself.
 */
export function latencyPercentiles(latenciesMs: readonly number[], correct = true): LatencyPercentiles {
  if (latenciesMs.length === 0) return { p50Ms: Number.NaN, p90Ms: Number.NaN, p99Ms: Number.NaN, p99RawMs: Number.NaN, corrected: correct }
  const raw = build({ lowestDiscernibleValue: 1, highestTrackableValue: MAX_US, numberOfSignificantValueDigits: 3 })
  try {
    for (const ms of latenciesMs) raw.recordValue(Math.min(MAX_US, Math.max(1, Math.round(ms * 1000))))
    const p99RawMs = raw.getValueAtPercentile(99) / 1000
    if (!correct) {
      return { p50Ms: raw.getValueAtPercentile(50) / 1000, p90Ms: raw.getValueAtPercentile(90) / 1000, p99Ms: p99RawMs, p99RawMs, corrected: false }
    }
    const expectedIntervalUs = Math.max(1, raw.getValueAtPercentile(50))
    const corrected = raw.copyCorrectedForCoordinatedOmission(expectedIntervalUs)
    try {
      return {
        p50Ms: corrected.getValueAtPercentile(50) / 1000,
        p90Ms: corrected.getValueAtPercentile(90) / 1000,
        p99Ms: corrected.getValueAtPercentile(99) / 1000,
        p99RawMs,
        corrected: true,
      }
    } finally {
      corrected.destroy()
    }
  } finally {
    raw.destroy()
  }
}
