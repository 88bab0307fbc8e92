import { cpus } from 'node:os'
import autocannon from 'autocannon'
import type { GainMeasurement, ModeMeasurement } from '../model/bench-result.ts'
import { runCloseLoop } from './close-loop.ts'
import { ownCpuDuring, serverCpuDuring } from './process-cpu.ts'
import { quantile, spreadOf } from './stats.ts'

export interface KeepAliveGainOptions {
  name: string
  url: string
  connections: number
  durationMs: number
  repeats: number
  warmupMs: number
  /** Process groups of the server side, for its CPU. */
  serverGroups: readonly number[]
  ca?: string | Buffer
}

interface Run {
  rps: number
  p50Ms: number
  p99Ms: number
  generatorCpu: number
  serverCpu: number
  errors: number
  non2xx: number
  requests: number
  connectionsOpened?: number
  tlsResumed?: number
}

const GENERATOR_BOUND = { generator: 90, server: 90 }

async function keepAliveRun(o: KeepAliveGainOptions, durationMs: number): Promise<Run> {
  const measured = await serverCpuDuring(o.serverGroups, () => ownCpuDuring(() => autocannon({
    url: o.url, connections: o.connections, duration: durationMs / 1000, pipelining: 1,
    ...(o.ca ? { tlsOptions: { ca: o.ca } } : {}),
  } as autocannon.Options)))
  const { result, cpuPercent: generatorCpu } = measured.result
  // autocannon's duration follows 1 s ticks and overruns: divide by what it reports.
  const seconds = Number(result.duration) || measured.wallMs / 1000
  return {
    rps: result.requests.total / seconds,
    p50Ms: result.latency.p50, p99Ms: result.latency.p99,
    generatorCpu, serverCpu: measured.cpuPercent,
    errors: result.errors + result.timeouts, non2xx: result.non2xx, requests: result.requests.total,
  }
}

async function closeRun(o: KeepAliveGainOptions, durationMs: number): Promise<Run> {
  const measured = await serverCpuDuring(o.serverGroups, () => ownCpuDuring(() => runCloseLoop({
    url: o.url, connections: o.connections, durationMs, maxRequests: 200_000, ca: o.ca, resumeTls: true,
  })))
  const { result, cpuPercent: generatorCpu } = measured.result
  return {
    rps: result.requests / (result.durationMs / 1000),
    p50Ms: quantile(result.latenciesMs, 0.5), p99Ms: quantile(result.latenciesMs, 0.99),
    generatorCpu, serverCpu: measured.cpuPercent,
    errors: result.errors, non2xx: result.non2xx, requests: result.requests,
    connectionsOpened: result.connectionsOpened,
    tlsResumed: new URL(o.url).protocol === 'https:' ? result.tlsResumed : undefined,
  }
}

function summarise(label: string, generator: ModeMeasurement['generator'], runs: Run[]): ModeMeasurement {
  const sum = (pick: (r: Run) => number | undefined) => runs.reduce((n, r) => n + (pick(r) ?? 0), 0)
  return {
    label, generator,
    rps: spreadOf(runs.map((r) => r.rps)),
    p50Ms: spreadOf(runs.map((r) => r.p50Ms)),
    p99Ms: spreadOf(runs.map((r) => r.p99Ms)),
    generatorCpuPercent: spreadOf(runs.map((r) => r.generatorCpu)),
    serverCpuPercent: spreadOf(runs.map((r) => r.serverCpu)),
    errors: sum((r) => r.errors), non2xx: sum((r) => r.non2xx), requests: sum((r) => r.requests),
    connectionsOpened: runs.some((r) => r.connectionsOpened !== undefined) ? sum((r) => r.connectionsOpened) : undefined,
    tlsResumed: runs.some((r) => r.tlsResumed !== undefined) ? sum((r) => r.tlsResumed) : undefined,
    generatorBoundRuns: runs.filter((r) => r.generatorCpu >= GENERATOR_BOUND.generator && r.serverCpu < GENERATOR_BOUND.server).length,
  }
}

/**
 * Keep-alive vs a new connection per request on the same URL, interleaved
 * (A B A B …) after a warm-up of each, so drift hits both modes alike.
 */
export async function measureKeepAliveGain(o: KeepAliveGainOptions, progress?: (line: string) => void): Promise<GainMeasurement> {
  await keepAliveRun(o, o.warmupMs)
  await closeRun(o, o.warmupMs)
  const keepAlive: Run[] = []
  const close: Run[] = []
  for (let i = 0; i < o.repeats; i++) {
    keepAlive.push(await keepAliveRun(o, o.durationMs))
    progress?.(`  ${o.name}: run ${i + 1}/${o.repeats} keep-alive ${Math.round(keepAlive.at(-1)!.rps)} req/s`)
    close.push(await closeRun(o, o.durationMs))
    progress?.(`  ${o.name}: run ${i + 1}/${o.repeats} new connection per request ${Math.round(close.at(-1)!.rps)} req/s`)
  }
  const better = summarise('keep-alive', 'autocannon', keepAlive)
  const baseline = summarise('Connection: close', 'close-loop', close)
  const caveats: string[] = []
  if (better.generatorBoundRuns || baseline.generatorBoundRuns) {
    caveats.push(`generator-bound in ${better.generatorBoundRuns + baseline.generatorBoundRuns} of ${2 * o.repeats} runs: the load generator, not the target, was the limit; the ratio understates the target's`)
  }
  if (baseline.connectionsOpened !== undefined && baseline.connectionsOpened !== baseline.requests + baseline.errors) {
    caveats.push(`the close mode opened ${baseline.connectionsOpened} connections for ${baseline.requests} requests`)
  }
  if (better.p50Ms.median < 1) caveats.push("autocannon's latency has whole-millisecond resolution: the keep-alive p50 below 1 ms shows as 0")
  caveats.push(`this machine has ${cpus().length} cores shared by the generator and the server`)
  return {
    name: o.name,
    throughputRatio: better.rps.median / baseline.rps.median,
    latencyRatio: better.p50Ms.median > 0 ? baseline.p50Ms.median / better.p50Ms.median : Number.NaN,
    better, baseline, caveats,
  }
}
