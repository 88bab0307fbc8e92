// The profile's benchmark thresholds, judged against what was measured, and
// turned into check results: they fail the run (exit 1), appear in JUnit and
// in every report beside the observed value, like any other check.

import { holds, parseThreshold, THRESHOLD_METRICS, type ParsedThreshold } from '../../harness/bench/threshold-expression.ts'
import type { BenchReport, ModeMeasurement, Spread, ThresholdResult } from '../../harness/model/bench-result.ts'
import type { CheckLayer, CheckResult, LifecycleStep } from '../../harness/model/check-result.ts'

/** A value a threshold can be judged on, with the spread behind it when it has one. */
interface Observed {
  value: number
  spread?: Spread
  /** Runs that were generator-bound: the value is the generator's, not the target's. */
  generatorBoundRuns: number
}

type MetricTable = Record<string, Observed>

function modeMetrics(m: ModeMeasurement): MetricTable {
  const g = m.generatorBoundRuns
  return {
    rps: { value: m.rps.median, spread: m.rps, generatorBoundRuns: g },
    'p(50)': { value: m.p50Ms.median, spread: m.p50Ms, generatorBoundRuns: g },
    'p(90)': { value: m.p90Ms.median, spread: m.p90Ms, generatorBoundRuns: g },
    'p(99)': { value: m.p99Ms.median, spread: m.p99Ms, generatorBoundRuns: g },
    errorRate: { value: m.requests ? (m.errors + m.non2xx) / m.requests : 1, generatorBoundRuns: g },
  }
}

/** Every measurement id the report holds, with the metrics a threshold may name on it. */
export function measurementMetrics(report: Pick<BenchReport, 'gains' | 'scaling'>): Map<string, MetricTable> {
  const table = new Map<string, MetricTable>()
  for (const gain of report.gains) {
    const bound = gain.better.generatorBoundRuns + gain.baseline.generatorBoundRuns
    table.set(gain.id, {
      ...modeMetrics(gain.better),
      keepAliveGain: { value: gain.throughputRatio, generatorBoundRuns: bound },
      latencyGain: { value: gain.latencyRatio, generatorBoundRuns: bound },
    })
  }
  for (const scaling of report.scaling) {
    for (const point of scaling.points) {
      table.set(`${scaling.id}/${point.workers}`, {
        ...modeMetrics(point.measurement),
        speedup: { value: point.speedup, generatorBoundRuns: point.measurement.generatorBoundRuns },
        efficiency: { value: point.efficiency, generatorBoundRuns: point.measurement.generatorBoundRuns },
      })
    }
    // The series itself stands for its largest worker count.
    const last = scaling.points.at(-1)
    if (last) table.set(scaling.id, table.get(`${scaling.id}/${last.workers}`)!)
  }
  return table
}

export function judgeThresholds(thresholds: Readonly<Record<string, readonly string[]>>, report: Pick<BenchReport, 'gains' | 'scaling'>): ThresholdResult[] {
  const table = measurementMetrics(report)
  return Object.entries(thresholds).flatMap(([measurement, expressions]) => expressions.map((expression): ThresholdResult => {
    const parsed = parseThreshold(expression) as ParsedThreshold // validated with the profile
    const observed = table.get(measurement)?.[parsed.metric]
    if (!observed || !Number.isFinite(observed.value)) return { measurement, expression, ...parsed, verdict: 'missing' }
    return { measurement, expression, ...parsed, observed: observed.value, verdict: holds(observed.value, parsed) ? 'pass' : 'fail' }
  }))
}

/** Lifecycle place of a measurement: the edge's keep-alive, the proxy→app hop, the app server's workers. */
function placeOf(measurement: string): { step: LifecycleStep; layer: CheckLayer } {
  if (measurement.startsWith('keepalive-')) return { step: 6, layer: 'proxy' }
  if (measurement === 'upstream-keepalive') return { step: 7, layer: 'proxy' }
  return { step: 9, layer: 'app-server' }
}

const show = (value: number, metric: string) => {
  const unit = THRESHOLD_METRICS[metric]?.unit ?? ''
  const digits = Math.abs(value) >= 100 ? 0 : 2
  return unit === '×' ? `×${value.toFixed(2)}` : `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`
}

function nextStep(t: ThresholdResult, observed: Observed | undefined): string {
  if (observed?.generatorBoundRuns) return `the load generator was the limit in ${observed.generatorBoundRuns} runs: measure from another machine or with more cores before trusting this figure`
  if (t.metric.startsWith('p(')) return 'look at the server CPU beside it (saturated?), the upstream keep-alive pool (smaller than the concurrency?) and slow handlers in the app log'
  if (t.metric === 'keepAliveGain' || t.metric === 'latencyGain') return 'check that connections are really reused (keepalive_timeout, keepalive_requests, proxy_http_version 1.1 with Connection ""); a small gain over plain HTTP is normal when the app, not connection set-up, is the limit'
  if (t.metric === 'speedup' || t.metric === 'efficiency') return 'compare the worker count with the cores the server really had, and the request spread per worker (accept imbalance)'
  if (t.metric === 'errorRate') return "read the errors' status codes in the proxy's access log"
  return 'look at the server CPU beside it and at the spread of the runs; differences under ~20 % are noise on a small machine'
}

/** One check result per threshold, for the run report, JUnit and the exit code. */
export function thresholdChecks(results: readonly ThresholdResult[], report: Pick<BenchReport, 'gains' | 'scaling' | 'settings'>): CheckResult[] {
  const table = measurementMetrics(report)
  return results.map((t) => {
    const observed = table.get(t.measurement)?.[t.metric]
    const expected = `${t.metric} ${t.operator} ${show(t.limit, t.metric)}`
    const actual = t.observed === undefined
      ? `${t.measurement} was not measured (measured: ${[...table.keys()].join(', ') || 'nothing'})`
      : `${t.metric} = ${show(t.observed, t.metric)}${observed?.spread ? ` (median of ${observed.spread.samples.length} runs, range ${show(observed.spread.min, t.metric)} – ${show(observed.spread.max, t.metric)})` : ''}`
    const base = {
      id: `bench.${t.measurement}.${t.metric.replace(/[()]/g, '')}`,
      title: `${t.measurement}: ${t.expression}`,
      ...placeOf(t.measurement),
      spec: 'profile bench.thresholds',
      severity: 'error' as const,
      expected, actual, evidence: [], durationMs: 0,
      ...(t.observed !== undefined && { measurements: { observed: t.observed, limit: t.limit } }),
    }
    if (t.verdict === 'pass') return { ...base, verdict: 'pass' }
    const diagnosis = t.verdict === 'missing'
      ? `The threshold names ${t.measurement}, which this bench did not measure: fix the id in the profile (bench.thresholds), or configure that measurement.`
      : `Measured ${actual} over ${report.settings.repeats} interleaved runs of ${report.settings.durationMs / 1000} s with ${report.settings.connections} connections; the profile requires ${expected}. Next: ${nextStep(t, observed)}.`
    return { ...base, verdict: 'fail', diagnosis }
  })
}
