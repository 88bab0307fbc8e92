// How benchmark figures are written in every output (terminal, Markdown, HTML):
// a median with its [min–max] over the repeated runs, never a lone number.
import type { BenchReport, Spread, ThresholdResult, WorkerSpread } from '../harness/model/bench-result.ts'

/** A number with fixed digits, or `–` when there is none (NaN, ∞ from a zero baseline). */
export const num = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–')

/** Digits for a latency in ms: 0.84, 9.8, 31, so small ones keep their precision. */
export const msDigits = (ms: number) => (Math.abs(ms) < 10 ? 2 : Math.abs(ms) < 100 ? 1 : 0)

/** `2200 [2090–2310]` */
export const spreadText = (s: Pick<Spread, 'median' | 'min' | 'max'>, digits = 0) =>
  `${num(s.median, digits)} [${num(s.min, digits)}–${num(s.max, digits)}]`

/** A latency spread with digits fitted to its median. */
export const msSpreadText = (s: Pick<Spread, 'median' | 'min' | 'max'>) => spreadText(s, msDigits(s.median))

export const ratioText = (ratio: number) => `×${num(ratio, 2)}`

export const percentText = (fraction: number) => `${num(fraction * 100)} %`

/** The busiest worker's share of requests over the runs, `52 % [51–55 %]`; undefined without worker logs. */
export function busiestShareText(spreads: readonly WorkerSpread[] | undefined): string | undefined {
  if (!spreads?.length) return undefined
  const shares = spreads.map((s) => s.busiestShare).sort((a, b) => a - b)
  const mid = shares.length >> 1
  const median = shares.length % 2 ? shares[mid]! : (shares[mid - 1]! + shares[mid]!) / 2
  return `${num(median * 100)} % [${num(shares[0]! * 100)}–${num(shares.at(-1)! * 100)} %]`
}

/** An observed value beside its threshold: 2200, 9.80, 0.00042 (an error rate keeps its digits). */
export function observedText(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return num(value)
  if (Math.abs(value) >= 100) return num(value)
  return Math.abs(value) < 0.01 ? value.toPrecision(2) : num(value, 2)
}

/** `p(99)<250: observed 9.80 → pass` */
export function thresholdText(t: ThresholdResult): string {
  const observed = t.observed === undefined ? 'not measured' : `observed ${observedText(t.observed)}`
  return `${t.expression}: ${observed} → ${t.verdict}`
}

/** One line per measurement: what the Markdown and terminal summaries show of a bench. */
export interface BenchSummaryRow {
  measurement: string
  name: string
  /** Median req/s [min–max]: the better mode's for a gain, each point's for a scaling. */
  rps: string
  /** A gain's throughput ratio, or a scaling point's efficiency. */
  ratio: string
  thresholds: string[]
}

export function benchSummaryRows(bench: BenchReport): BenchSummaryRow[] {
  const thresholdsOf = (measurement: string) =>
    bench.thresholds.filter((t) => t.measurement === measurement).map(thresholdText)
  const rows: BenchSummaryRow[] = bench.gains.map((g) => ({
    measurement: g.id,
    name: g.name,
    rps: `${spreadText(g.better.rps)} vs ${spreadText(g.baseline.rps)}`,
    ratio: `throughput ${ratioText(g.throughputRatio)}`,
    thresholds: thresholdsOf(g.id),
  }))
  for (const s of bench.scaling) {
    for (const p of s.points) {
      const measurement = `${s.id}/${p.workers}`
      rows.push({
        measurement,
        name: `${s.name}, ${p.workers} worker${p.workers === 1 ? '' : 's'}${p.workers > s.serverCores ? ` (> ${s.serverCores} server core${s.serverCores === 1 ? '' : 's'})` : ''}`,
        rps: spreadText(p.measurement.rps),
        ratio: `efficiency ${percentText(p.efficiency)}`,
        thresholds: [...(p === s.points[0] ? thresholdsOf(s.id) : []), ...thresholdsOf(measurement)],
      })
    }
  }
  // A threshold on a measurement that did not run still has to be seen.
  const shown = new Set(rows.map((r) => r.measurement).concat(bench.scaling.map((s) => s.id)))
  for (const { measurement } of bench.thresholds) {
    if (shown.has(measurement)) continue
    shown.add(measurement)
    rows.push({ measurement, name: 'not measured', rps: '–', ratio: '–', thresholds: thresholdsOf(measurement) })
  }
  return rows
}
