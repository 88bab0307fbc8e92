// The "Benchmarks" section of the HTML report as plain data: table rows for
// the template (eta escapes every text) and the series the charts draw, which
// the page embeds as JSON for bench-charts.js. Every figure is a median with
// its [min–max] over the repeated runs.
import type {
  BenchReport,
  GainMeasurement,
  ModeMeasurement,
  ScalingMeasurement,
  Spread,
  ThresholdResult,
} from '../../harness/model/bench-result.ts'
import { busiestShareText, msDigits, num, observedText, percentText, ratioText } from '../bench-format.ts'

/** One chart line: medians with their min and max, null where the measurement has no point. */
export interface ChartSeries {
  label: string
  median: (number | null)[]
  min: (number | null)[]
  max: (number | null)[]
}

/** Throughput against workers, one series per scaling measurement. */
export interface ScalingChart {
  workers: number[]
  series: (ChartSeries & { efficiency: (number | null)[]; serverCores: number })[]
}

/** Latency percentiles of one gain's two modes. */
export interface GainChart {
  id: string
  /** The element the chart is drawn into. */
  chartId: string
  percentiles: string[]
  better: ChartSeries
  baseline: ChartSeries
}

export interface BenchCharts {
  scaling?: ScalingChart
  gains: GainChart[]
}

const PERCENTILES = [['p50', 'p50Ms'], ['p90', 'p90Ms'], ['p99', 'p99Ms']] as const

const gainChartId = (index: number) => `bench-gain-${index}`
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
const coresNote = (cores: number) => `The server had ${plural(cores, 'core')}: more workers than that measure contention, not scaling.`

function scalingChart(scaling: readonly ScalingMeasurement[]): ScalingChart | undefined {
  if (scaling.length === 0) return undefined
  const workers = [...new Set(scaling.flatMap((s) => s.points.map((p) => p.workers)))].sort((a, b) => a - b)
  return {
    workers,
    series: scaling.map((s) => {
      const at = (w: number) => s.points.find((p) => p.workers === w)
      const pick = (f: (spread: Spread) => number) => workers.map((w) => { const p = at(w); return p ? f(p.measurement.rps) : null })
      return {
        label: s.name,
        median: pick((r) => r.median),
        min: pick((r) => r.min),
        max: pick((r) => r.max),
        efficiency: workers.map((w) => at(w)?.efficiency ?? null),
        serverCores: s.serverCores,
      }
    }),
  }
}

function latencySeries(m: ModeMeasurement): ChartSeries {
  const spreads = PERCENTILES.map(([, key]) => m[key])
  return { label: m.label, median: spreads.map((s) => s.median), min: spreads.map((s) => s.min), max: spreads.map((s) => s.max) }
}

/** A table cell: the median, then its range, which the page keeps on one line. */
const cell = (s: Spread, digits = 0) => ({ median: num(s.median, digits), range: `[${num(s.min, digits)}–${num(s.max, digits)}]` })
const msCell = (s: Spread) => cell(s, msDigits(s.median))

function modeRow(role: string, m: ModeMeasurement) {
  return {
    role,
    label: m.label,
    generator: m.generator,
    url: m.url,
    rps: cell(m.rps),
    p50: msCell(m.p50Ms),
    p90: msCell(m.p90Ms),
    p99: msCell(m.p99Ms),
    p99Raw: msCell(m.p99RawMs),
    latencyNote: m.latencyCorrected ? 'corrected for coordinated omission' : 'as measured (no correction)',
    cpu: `server ${m.serverCpuPercent ? `${num(m.serverCpuPercent.median)} %` : 'not measured'}, generator ${num(m.generatorCpuPercent.median)} %`,
    connections: [
      m.connectionsOpened === undefined ? '' : `${m.connectionsOpened} for ${m.requests} requests`,
      m.serverConnections === undefined ? '' : `server accepted ${m.serverConnections}`,
    ].filter(Boolean).join('; ') || '–',
    tlsResumed: m.tlsResumed === undefined ? '–' : String(m.tlsResumed),
    errors: `${m.errors} / ${m.non2xx}`,
    generatorBound: `${m.generatorBoundRuns} of ${m.runs}`,
    /** Flags the row: the generator, not the target, was the limit in some runs. */
    isGeneratorBound: m.generatorBoundRuns > 0,
    busiestShare: busiestShareText(m.workerSpread) ?? '–',
  }
}

function gainView(g: GainMeasurement, index: number) {
  return {
    id: g.id,
    name: g.name,
    chartId: gainChartId(index),
    summary: `throughput ${ratioText(g.throughputRatio)} · p50 latency ÷${num(g.latencyRatio, 2)} · p99 latency ÷${num(g.p99Ratio, 2)}`,
    rows: [modeRow('better', g.better), modeRow('baseline', g.baseline)],
    caveats: g.caveats,
  }
}

function scalingView(s: ScalingMeasurement) {
  return {
    id: s.id,
    name: s.name,
    route: s.route,
    serverCores: plural(s.serverCores, 'server core'),
    rows: s.points.map((p) => ({
      ...modeRow(`${p.workers}`, p.measurement),
      workers: p.workers,
      beyondCores: p.workers > s.serverCores,
      speedup: ratioText(p.speedup),
      efficiency: percentText(p.efficiency),
    })),
    caveats: s.caveats,
  }
}

function scalingCoresNotes(scaling: readonly ScalingMeasurement[]): string[] {
  const counts = [...new Set(scaling.map((s) => s.serverCores))]
  if (counts.length === 1) return [coresNote(counts[0]!)]
  return counts.map((cores) => `${scaling.filter((s) => s.serverCores === cores).map((s) => s.name).join(', ')}: ${coresNote(cores)}`)
}

const VERDICT_CLASS: Readonly<Record<ThresholdResult['verdict'], string>> = { pass: 'pass', fail: 'fail', missing: 'not-applicable' }

function thresholdView(t: ThresholdResult) {
  return {
    measurement: t.measurement,
    expression: t.expression,
    observed: t.observed === undefined ? 'not measured' : observedText(t.observed),
    limit: `${t.operator} ${t.limit}`,
    verdict: t.verdict,
    verdictClass: VERDICT_CLASS[t.verdict],
  }
}

/** The section's tables and charts; `charts` is what the page embeds as JSON. */
export function benchView(bench: BenchReport) {
  const { machine, settings } = bench
  return {
    machine: [
      ['Cores', String(machine.cores)],
      ['Server cores', `${machine.serverCores.join(', ')}${machine.pinned ? ' (pinned)' : ' (not pinned)'}`],
      ['Generator cores', machine.generatorCores.join(', ')],
      ['Note', machine.note],
      ['Runs', `${settings.repeats} interleaved runs of ${num(settings.durationMs / 1000, 1)} s per mode after a ${num(settings.warmupMs / 1000, 1)} s warm-up, ${settings.connections} connections`],
      ['Bench took', `${num(bench.durationMs / 1000, 1)} s`],
    ],
    scalingChartId: bench.scaling.length ? 'bench-scaling' : undefined,
    /** Beside the chart: one note per distinct server core count, naming the measurements when they differ. */
    scalingCoresNotes: scalingCoresNotes(bench.scaling),
    scaling: bench.scaling.map(scalingView),
    gains: bench.gains.map(gainView),
    thresholds: bench.thresholds.map(thresholdView),
    charts: { scaling: scalingChart(bench.scaling), gains: bench.gains.map((g, i) => ({
      id: g.id, chartId: gainChartId(i), percentiles: PERCENTILES.map(([name]) => name), better: latencySeries(g.better), baseline: latencySeries(g.baseline),
    })) } satisfies BenchCharts,
  }
}
