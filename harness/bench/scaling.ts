import type { ModeMeasurement, ScalingMeasurement } from '../model/bench-result.ts'
import { caveatsOf } from './gain.ts'

/**
 * Throughput per worker count. Speedup is against the fewest workers measured
 * (normally 1); efficiency = speedup ÷ the worker ratio. Beyond the server's
 * cores more workers can only contend, so the report says so.
 */
export function scalingOf(id: string, name: string, route: string, serverCores: number, points: readonly { workers: number; measurement: ModeMeasurement }[]): ScalingMeasurement {
  const sorted = [...points].sort((a, b) => a.workers - b.workers)
  const first = sorted[0]!
  const caveats = sorted.flatMap((p) => caveatsOf(p.measurement))
  if (sorted.some((p) => p.workers > serverCores)) {
    caveats.push(`the server had ${serverCores} core${serverCores === 1 ? '' : 's'}: figures for more workers than that measure contention, not scaling`)
  }
  for (const p of sorted) {
    const uneven = p.measurement.workerSpread?.filter((s) => p.workers > 1 && s.busiestShare > 1.5 / p.workers).length ?? 0
    if (uneven) caveats.push(`${p.workers} workers: in ${uneven} of ${p.measurement.runs} runs one worker answered over 1.5× its share (accept imbalance)`)
  }
  return {
    id, name, route, serverCores, caveats,
    points: sorted.map((p) => {
      const speedup = p.measurement.rps.median / first.measurement.rps.median
      return { workers: p.workers, measurement: p.measurement, speedup, efficiency: speedup / (p.workers / first.workers) }
    }),
  }
}
