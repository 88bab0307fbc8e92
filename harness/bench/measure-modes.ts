import type { ModeMeasurement } from '../model/bench-result.ts'
import { runLoad, type LoadMode, type LoadSettings, type RunSample } from './load-run.ts'
import { spreadOf } from './stats.ts'

export interface RepeatSettings extends LoadSettings {
  repeats: number
  warmupMs: number
}

/**
 * The generator, not the server, limited the run: it took ≥ 90 % of a core
 * while the server used < 90 % of its cores — or the server idled (< 75 % of
 * its cores) while the generator burnt more CPU than the server did, as when
 * one event loop serialises TLS handshakes without quite filling its core.
 * `serverCores` is undefined when the server's CPU was not measured.
 */
export function isGeneratorBound(run: Pick<RunSample, 'generatorCpu' | 'serverCpu'>, serverCores: number | undefined): boolean {
  // A server we cannot see: only the generator's own saturation tells.
  if (serverCores === undefined || run.serverCpu === undefined) return run.generatorCpu >= 90
  const serverSaturated = run.serverCpu >= 90 * serverCores
  if (serverSaturated) return false
  return run.generatorCpu >= 90 || (run.serverCpu < 75 * serverCores && run.generatorCpu > run.serverCpu)
}

function summarise(mode: LoadMode, runs: RunSample[]): ModeMeasurement {
  // Measured in every run, or not reported: a server CPU of 0 where it was not read would be a false figure.
  const serverCpu = runs.every((r) => r.serverCpu !== undefined) ? runs.map((r) => r.serverCpu!) : undefined
  const notMeasured = runs.find((r) => r.serverCpuNotMeasured)?.serverCpuNotMeasured
  const serverCores = serverCpu ? mode.serverCores : undefined
  const sum = (pick: (r: RunSample) => number | undefined) => runs.reduce((n, r) => n + (pick(r) ?? 0), 0)
  const spreads = runs.flatMap((r) => (r.workerSpread ? [r.workerSpread] : []))
  return {
    label: mode.label, generator: mode.generator, url: mode.url,
    rps: spreadOf(runs.map((r) => r.rps)),
    p50Ms: spreadOf(runs.map((r) => r.p50Ms)),
    p90Ms: spreadOf(runs.map((r) => r.p90Ms)),
    p99Ms: spreadOf(runs.map((r) => r.p99Ms)),
    p99RawMs: spreadOf(runs.map((r) => r.p99RawMs)),
    latencyCorrected: runs.every((r) => r.corrected),
    generatorCpuPercent: spreadOf(runs.map((r) => r.generatorCpu)),
    ...(serverCpu ? { serverCpuPercent: spreadOf(serverCpu) } : notMeasured && { serverCpuNotMeasured: notMeasured }),
    errors: sum((r) => r.errors), non2xx: sum((r) => r.non2xx), requests: sum((r) => r.requests),
    ...(runs.some((r) => r.connectionsOpened !== undefined) && { connectionsOpened: sum((r) => r.connectionsOpened) }),
    ...(runs.some((r) => r.tlsResumed !== undefined) && { tlsResumed: sum((r) => r.tlsResumed) }),
    ...(runs.every((r) => r.serverConnections !== undefined) && { serverConnections: sum((r) => r.serverConnections) }),
    generatorBoundRuns: runs.filter((r) => isGeneratorBound(r, serverCores)).length,
    runs: runs.length,
    ...(spreads.length > 0 && { workerSpread: spreads }),
  }
}

/**
 * Measures modes side by side: a warm-up of each, then rounds of one run per
 * mode (A B C A B C …), so drift on a shared machine hits every mode alike.
 */
export async function measureInterleaved(modes: readonly LoadMode[], settings: RepeatSettings, onRun?: (line: string) => void): Promise<ModeMeasurement[]> {
  for (const mode of modes) await runLoad(mode, { ...settings, durationMs: settings.warmupMs })
  const runs: RunSample[][] = modes.map(() => [])
  for (let round = 1; round <= settings.repeats; round++) {
    for (const [i, mode] of modes.entries()) {
      const run = await runLoad(mode, settings)
      runs[i]!.push(run)
      onRun?.(`${mode.label}: run ${round}/${settings.repeats} ${Math.round(run.rps)} req/s, p99 ${run.p99Ms.toFixed(2)} ms`)
    }
  }
  return modes.map((mode, i) => summarise(mode, runs[i]!))
}
