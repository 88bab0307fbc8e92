import type { Spread } from '../bench/stats.ts'

/** One measured mode (e.g. keep-alive over HTTP), repeated: plain data for the JSON report. */
export interface ModeMeasurement {
  label: string
  generator: 'autocannon' | 'close-loop'
  rps: Spread
  p50Ms: Spread
  p99Ms: Spread
  generatorCpuPercent: Spread
  serverCpuPercent: Spread
  errors: number
  non2xx: number
  /** Connections the generator opened, summed over runs (close mode: one per request). */
  connectionsOpened?: number
  requests: number
  /** TLS sessions resumed, summed over runs (close mode over TLS). */
  tlsResumed?: number
  /** Runs where the generator, not the target, was the bottleneck (generator ≥ 90 % of a core, server < 90 %). */
  generatorBoundRuns: number
}

export interface GainMeasurement {
  name: string
  /** Throughput of `better` ÷ `baseline`, medians. */
  throughputRatio: number
  /** p50 latency of `baseline` ÷ `better`, medians. */
  latencyRatio: number
  better: ModeMeasurement
  baseline: ModeMeasurement
  /** Why the ratio should not be taken as the target's (generator-bound runs, …). */
  caveats: string[]
}

export interface BenchReport {
  machine: { cores: number; note: string }
  settings: { connections: number; durationMs: number; repeats: number; warmupMs: number }
  gains: GainMeasurement[]
}
