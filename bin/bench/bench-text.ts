import { THRESHOLD_METRICS } from '../../harness/bench/threshold-expression.ts'
import type { BenchReport, ModeMeasurement, Spread } from '../../harness/model/bench-result.ts'

const n = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–')
const spread = (s: Spread, digits = 0) => `${n(s.median, digits)} [${n(s.min, digits)}–${n(s.max, digits)}]`
const ms = (s: Spread) => spread(s, s.median < 10 ? 2 : 1)

function modeLine(m: ModeMeasurement): string {
  const parts = [
    `${m.label.padEnd(24)} ${spread(m.rps).padEnd(22)} req/s`,
    `p50 ${ms(m.p50Ms)}  p99 ${ms(m.p99Ms)} ms`,
    `CPU generator ${n(m.generatorCpuPercent.median)} %, server ${m.serverCpuPercent ? `${n(m.serverCpuPercent.median)} %` : 'not measured'}`,
  ]
  if (m.connectionsOpened !== undefined) parts.push(`${m.connectionsOpened} connections for ${m.requests} requests`)
  if (m.serverConnections !== undefined) parts.push(`server accepted ${m.serverConnections}`)
  if (m.tlsResumed !== undefined) parts.push(`TLS resumed ${m.tlsResumed}`)
  if (m.workerSpread?.length) parts.push(`busiest worker ${m.workerSpread.map((s) => `${Math.round(s.busiestShare * 100)} %`).join('/')}`)
  if (m.errors || m.non2xx) parts.push(`errors ${m.errors}, non-2xx ${m.non2xx}`)
  if (m.generatorBoundRuns) parts.push(`GENERATOR-BOUND in ${m.generatorBoundRuns}/${m.runs} runs`)
  return `    ${parts.join('   ')}`
}

/** The benchmark results as a person reads them: medians with [min–max], ratios, thresholds, caveats. */
export function renderBenchText(report: BenchReport): string {
  const { settings } = report
  const lines = [
    `benchmarks: ${settings.repeats} interleaved runs of ${settings.durationMs / 1000} s per mode after a ${settings.warmupMs / 1000} s warm-up, ${settings.connections} connections; median [min–max]; latency corrected for coordinated omission`,
    `machine: ${report.machine.cores} cores — ${report.machine.note}`,
  ]
  const modes = [...report.gains.flatMap((g) => [g.better, g.baseline]), ...report.scaling.flatMap((s) => s.points.map((p) => p.measurement))]
  const notMeasured = [...new Set(modes.flatMap((m) => (m.serverCpuNotMeasured ? [m.serverCpuNotMeasured] : [])))]
  for (const why of notMeasured) lines.push(`server CPU not measured: ${why}`)
  for (const gain of report.gains) {
    lines.push('', `  ${gain.name} [${gain.id}]: throughput ×${n(gain.throughputRatio, 2)}, p50 ÷${n(gain.latencyRatio, 1)}, p99 ÷${n(gain.p99Ratio, 1)}`)
    lines.push(modeLine(gain.better), modeLine(gain.baseline))
    for (const caveat of gain.caveats) lines.push(`    note: ${caveat}`)
  }
  for (const scaling of report.scaling) {
    lines.push('', `  ${scaling.name} [${scaling.id}], ${scaling.route}; the server had ${scaling.serverCores} core${scaling.serverCores === 1 ? '' : 's'}`)
    for (const point of scaling.points) lines.push(`${modeLine(point.measurement)}   speedup ×${n(point.speedup, 2)}, efficiency ${n(point.efficiency * 100)} %`)
    for (const caveat of scaling.caveats) lines.push(`    note: ${caveat}`)
  }
  if (report.thresholds.length) {
    lines.push('', '  thresholds:')
    for (const t of report.thresholds) {
      const unit = THRESHOLD_METRICS[t.metric]?.unit ?? ''
      const observed = t.observed === undefined ? 'not measured' : `observed ${n(t.observed, Math.abs(t.observed) >= 100 ? 0 : 2)}${unit && unit !== '×' ? ` ${unit}` : ''}`
      lines.push(`    ${t.verdict.toUpperCase().padEnd(7)} ${t.measurement}: ${t.expression.padEnd(20)} ${observed}`)
    }
  }
  lines.push('', `  whole bench: ${n(report.durationMs / 1000)} s`)
  return lines.join('\n')
}
