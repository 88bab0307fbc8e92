import type { ModeMeasurement, ScalingMeasurement } from '../model/bench-result.ts'
import { caveatsOf } from './gain.ts'

const fmt = (values: number[]) => (values.length === 1 ? `${Math.round(values[0]!)}` : `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))}`)

/**
 * Runs where one pre-fork worker answered over 1.5× its share: the kernel put
 * the proxy's (kept-alive) connections on one worker, so the run measured
 * fewer workers than were started — the bimodal figures of benchmarking.md.
 * Says how those runs compare with the evenly spread ones.
 */
function acceptImbalance(workers: number, m: ModeMeasurement): string | undefined {
  const spreads = m.workerSpread ?? []
  if (workers < 2 || spreads.length === 0) return undefined
  const uneven = spreads.map((s) => s.busiestShare > 1.5 / workers)
  const count = uneven.filter(Boolean).length
  if (count === 0) return undefined
  const text = `${workers} workers: in ${count} of ${spreads.length} runs one worker answered over 1.5× its share (accept imbalance)`
  // Per-run figures line up with the spreads only when every run had one.
  if (spreads.length !== m.rps.samples.length || count === spreads.length) return text
  const rps = (want: boolean) => m.rps.samples.filter((_, i) => uneven[i] === want)
  return `${text}: those reached ${fmt(rps(true))} req/s, the evenly spread ones ${fmt(rps(false))}`
}

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
    const imbalance = acceptImbalance(p.workers, p.measurement)
    if (imbalance) caveats.push(imbalance)
  }
  return {
    id, name, route, serverCores, caveats,
    points: sorted.map((p) => {
      const speedup = p.measurement.rps.median / first.measurement.rps.median
      return { workers: p.workers, measurement: p.measurement, speedup, efficiency: speedup / (p.workers / first.workers) }
    }),
  }
}
