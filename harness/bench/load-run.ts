import autocannon from 'autocannon'
import type { WorkerSpread } from '../model/bench-result.ts'
import { runCloseLoop } from './close-loop.ts'
import { latencyPercentiles, type LatencyPercentiles } from './latency-histogram.ts'
import { ownCpuDuring, serverCpuDuring } from './process-cpu.ts'
import { serverAcceptsDuring } from './server-connections.ts'
import { WorkerSpreadCounter } from './worker-spread.ts'

/** One thing to load: a URL, how to load it, and the server processes behind it. */
export interface LoadMode {
  label: string
  url: string
  /** autocannon with keep-alive connections, or our loop with a new connection per request. */
  generator: 'autocannon' | 'close-loop'
  /** Process groups of the server side, for its CPU; empty for a deployment we did not start. */
  serverGroups: readonly number[]
  /** Cores the server could use: the generator-bound test compares its CPU with this. */
  serverCores: number
  ca?: string | Buffer
  /** The app's per-request log, to count how requests spread across workers. */
  appLog?: string
  /** nginx stub_status of the server, to count the connections it accepted. */
  statusUrl?: string
}

export interface LoadSettings {
  connections: number
  durationMs: number
}

/** What one run of one mode measured. */
export interface RunSample extends LatencyPercentiles {
  rps: number
  requests: number
  errors: number
  non2xx: number
  durationMs: number
  /** % of one core. */
  generatorCpu: number
  /** % of the server's cores summed (100 per core); undefined where it cannot be measured (`serverCpuNotMeasured` says why). */
  serverCpu?: number
  serverCpuNotMeasured?: string
  connectionsOpened?: number
  /** Connections the server accepted during the run, by its own count. */
  serverConnections?: number
  tlsResumed?: number
  workerSpread?: WorkerSpread
}

/** Every run is bounded: at most this many requests, whatever the duration. */
const MAX_REQUESTS_PER_RUN = 1_000_000
const REQUEST_TIMEOUT_S = 10

interface GeneratorResult {
  requests: number
  errors: number
  non2xx: number
  durationMs: number
  latenciesMs: number[]
  connectionsOpened?: number
  tlsResumed?: number
}

/**
 * Keep-alive load with autocannon, stopped by our own timer: its `duration`
 * follows 1 s ticks and overruns by up to a second. Responses are counted and
 * timed from its `response` events (µs resolution) only inside our window, and
 * throughput is divided by the window actually measured.
 */
function keepAliveLoad(mode: LoadMode, settings: LoadSettings): Promise<GeneratorResult> {
  return new Promise((resolve, reject) => {
    const result: GeneratorResult = { requests: 0, errors: 0, non2xx: 0, durationMs: 0, latenciesMs: [] }
    let counting = true
    const started = performance.now()
    const instance = autocannon({
      url: mode.url, connections: settings.connections, pipelining: 1,
      duration: settings.durationMs / 1000 + 30, amount: MAX_REQUESTS_PER_RUN, timeout: REQUEST_TIMEOUT_S, sampleInt: 100,
      ...(mode.ca ? { tlsOptions: { ca: mode.ca } } : {}),
    } as autocannon.Options, (error) => {
      if (error) reject(error)
      else resolve(result)
    })
    instance.on('response', (_client: unknown, status: number, _bytes: number, responseTimeMs: number) => {
      if (!counting) return
      result.requests += 1
      result.latenciesMs.push(responseTimeMs)
      if (status < 200 || status >= 300) result.non2xx += 1
    })
    instance.on('reqError', () => {
      if (counting) result.errors += 1
    })
    setTimeout(() => {
      counting = false
      result.durationMs = performance.now() - started
      instance.stop()
    }, settings.durationMs)
  })
}

async function closeLoad(mode: LoadMode, settings: LoadSettings): Promise<GeneratorResult> {
  return runCloseLoop({
    url: mode.url, connections: settings.connections, durationMs: settings.durationMs,
    maxRequests: MAX_REQUESTS_PER_RUN, ca: mode.ca, resumeTls: true,
  })
}

/** One run of one mode: load, latency percentiles, both sides' CPU, worker spread. */
export async function runLoad(mode: LoadMode, settings: LoadSettings): Promise<RunSample> {
  const spread = mode.appLog ? new WorkerSpreadCounter(mode.appLog, new URL(mode.url).pathname) : undefined
  spread?.start()
  const generate = mode.generator === 'autocannon' ? keepAliveLoad : closeLoad
  const counted = await serverAcceptsDuring(mode.statusUrl, () => serverCpuDuring(mode.serverGroups, () => ownCpuDuring(() => generate(mode, settings))))
  const measured = counted.result
  const { result, cpuPercent: generatorCpu } = measured.result
  // The app logs each request just after answering it: give the last lines a moment to land.
  if (spread) await new Promise((r) => setTimeout(r, 150))
  return {
    rps: result.requests / (result.durationMs / 1000),
    requests: result.requests, errors: result.errors, non2xx: result.non2xx, durationMs: result.durationMs,
    ...latencyPercentiles(result.latenciesMs),
    generatorCpu, serverCpu: measured.cpuPercent, ...(measured.notMeasured && { serverCpuNotMeasured: measured.notMeasured }),
    connectionsOpened: result.connectionsOpened,
    serverConnections: counted.accepted,
    tlsResumed: new URL(mode.url).protocol === 'https:' ? result.tlsResumed : undefined,
    workerSpread: spread?.finish(),
  }
}
