import type { BenchReport, ModeMeasurement } from '../harness/model/bench-result.ts'

const n = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–')
const spread = (s: { median: number; min: number; max: number }, digits = 0) => `${n(s.median, digits)} [${n(s.min, digits)}–${n(s.max, digits)}]`

function modeLine(m: ModeMeasurement): string {
  const connections = m.connectionsOpened !== undefined ? `, ${m.connectionsOpened} connections for ${m.requests} requests` : ''
  const resumed = m.tlsResumed !== undefined ? `, TLS resumed ${m.tlsResumed}` : ''
  return `    ${m.label.padEnd(18)} ${spread(m.rps).padEnd(26)} req/s   p50 ${spread(m.p50Ms, 2)} ms   p99 ${spread(m.p99Ms, 2)} ms   ` +
    `CPU generator ${n(m.generatorCpuPercent.median)} %, server ${n(m.serverCpuPercent.median)} %${connections}${resumed}` +
    `${m.errors || m.non2xx ? `   errors ${m.errors}, non-2xx ${m.non2xx}` : ''}${m.generatorBoundRuns ? `   GENERATOR-BOUND ×${m.generatorBoundRuns}` : ''}`
}

/** The benchmark results as a person reads them: medians with [min–max], ratios, caveats. */
export function renderBenchText(report: BenchReport): string {
  const lines = [
    `benchmarks: ${report.settings.repeats} interleaved runs of ${report.settings.durationMs / 1000} s per mode, ${report.settings.connections} connections, after a ${report.settings.warmupMs / 1000} s warm-up; median [min–max]`,
    `machine: ${report.machine.cores} cores — ${report.machine.note}`,
  ]
  for (const gain of report.gains) {
    lines.push('', `  ${gain.name}: throughput ×${n(gain.throughputRatio, 2)}, p50 latency ÷${n(gain.latencyRatio, 1)}`)
    lines.push(modeLine(gain.better), modeLine(gain.baseline))
    for (const caveat of gain.caveats) lines.push(`    note: ${caveat}`)
  }
  return lines.join('\n')
}
