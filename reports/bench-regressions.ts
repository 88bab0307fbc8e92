// Benchmark medians compared with a baseline run's. A change gates only when
// it is both larger than the tolerance and outside the baseline's own
// [min–max]: runs on this machine class differ by up to ~20 % between
// repeats, and a drop the baseline itself showed in one of its runs is noise.
import type { BenchReport, ModeMeasurement, Spread } from '../harness/model/bench-result.ts'
import type { BenchRegression } from '../harness/model/check-result.ts'
import { num, percentText } from './bench-format.ts'

/** Default tolerance, as a fraction of the baseline median: the noise between runs on this machine class. */
export const BENCH_TOLERANCE = 0.2

/** Whether a larger value is better (throughput) or worse (latency). */
type Direction = 'higher-is-better' | 'lower-is-better'

/** One median to compare, with the baseline's range it must leave to count. */
interface Figure {
  measurement: string
  metric: string
  direction: Direction
  spread: Pick<Spread, 'median' | 'min' | 'max'>
}

const modeFigures = (measurement: string, m: ModeMeasurement): Figure[] => [
  { measurement, metric: 'rps', direction: 'higher-is-better', spread: m.rps },
  { measurement, metric: 'p99Ms', direction: 'lower-is-better', spread: m.p99Ms },
]

function figuresOf(bench: BenchReport): Figure[] {
  const figures: Figure[] = []
  for (const g of bench.gains) {
    figures.push(...modeFigures(g.id, g.better))
    // A ratio of medians has no spread of its own: its widest plausible range
    // is the better mode's extremes over the baseline mode's opposite ones.
    const ratioRange = { median: g.throughputRatio, min: g.better.rps.min / g.baseline.rps.max, max: g.better.rps.max / g.baseline.rps.min }
    figures.push({ measurement: g.id, metric: 'throughputRatio', direction: 'higher-is-better', spread: ratioRange })
  }
  for (const s of bench.scaling) {
    for (const p of s.points) figures.push(...modeFigures(`${s.id}/${p.workers}`, p.measurement))
  }
  return figures
}

/**
 * Medians of `current` worse than `baseline`'s by more than `tolerance` (a
 * fraction) and outside the baseline's [min–max]. Measurements that only one
 * run has are not compared: a renamed or new measurement is not a regression.
 */
export function compareBench(baseline: BenchReport, current: BenchReport, tolerance = BENCH_TOLERANCE): BenchRegression[] {
  const key = (f: Figure) => `${f.measurement}\u0000${f.metric}`
  const before = new Map(figuresOf(baseline).map((f) => [key(f), f]))
  const regressions: BenchRegression[] = []
  for (const now of figuresOf(current)) {
    const then = before.get(key(now))
    if (!then || !(then.spread.median > 0) || !Number.isFinite(now.spread.median)) continue
    const after = now.spread.median
    const change = (after - then.spread.median) / then.spread.median
    const worse = now.direction === 'higher-is-better'
      ? change < -tolerance && after < then.spread.min
      : change > tolerance && after > then.spread.max
    if (worse) regressions.push({ measurement: now.measurement, metric: now.metric, before: then.spread.median, after, change })
  }
  return regressions
}

const METRIC_WORDS: Readonly<Record<string, [string, string, number]>> = {
  rps: ['throughput', ' req/s', 0],
  throughputRatio: ['throughput ratio', '', 2],
  p99Ms: ['p99 latency', ' ms', 2],
}

/** `keepalive-tls: throughput 2200 → 1500 req/s (−32 %)` */
export function describeBenchRegression(r: BenchRegression): string {
  const [word, unit, digits] = METRIC_WORDS[r.metric] ?? [r.metric, '', 2]
  const sign = r.change > 0 ? '+' : '−'
  return `${r.measurement}: ${word} ${num(r.before, digits)} → ${num(r.after, digits)}${unit} (${sign}${percentText(Math.abs(r.change))})`
}
