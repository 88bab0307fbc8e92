// Benchmark results as plain, JSON-serialisable data: what `layercheck bench`
// writes into report.json (`bench`), what the HTML report charts and what the
// baseline diff compares. Every figure is a median with its spread over
// repeated, interleaved runs; a single run is never reported as a result.

/** Median and spread of repeated measurements. */
export interface Spread {
  median: number
  min: number
  max: number
  /** (max − min) / median, as a fraction: under ~0.2 is within this machine's noise. */
  relativeSpread: number
  samples: number[]
}

/** How many requests each pre-fork worker answered in one run, busiest first. */
export interface WorkerSpread {
  /** Requests per worker process (pid → count), from the app's own per-request log lines. */
  requestsByWorker: Record<string, number>
  /** Share of the busiest worker, 0..1: 1/workers is an even spread. */
  busiestShare: number
}

/** One measured mode (e.g. keep-alive over HTTP, or 2 workers on the CPU-bound route), repeated. */
export interface ModeMeasurement {
  label: string
  /** autocannon keeps connections open; close-loop is ours: one new connection per request, timed in µs. */
  generator: 'autocannon' | 'close-loop'
  url: string
  rps: Spread
  /** Latency percentiles in ms, corrected for coordinated omission unless `latencyCorrected` is false. */
  p50Ms: Spread
  p90Ms: Spread
  p99Ms: Spread
  /** p99 before the coordinated-omission correction. */
  p99RawMs: Spread
  latencyCorrected: boolean
  generatorCpuPercent: Spread
  /** Absent where it cannot be measured: a server we did not start (its processes are not ours to read), or no /proc. */
  serverCpuPercent?: Spread
  /** Why serverCpuPercent is absent. */
  serverCpuNotMeasured?: string
  errors: number
  non2xx: number
  requests: number
  /** Connections the generator opened, summed over runs (close mode: one per request). */
  connectionsOpened?: number
  /** Connections the server accepted by its own count (nginx stub_status), summed over runs, where it can be read. */
  serverConnections?: number
  /** TLS sessions resumed, summed over runs (close mode over TLS). */
  tlsResumed?: number
  /** Runs where the generator, not the target, was the bottleneck (generator ≥ 90 % of a core, server < 90 % of its cores). */
  generatorBoundRuns: number
  runs: number
  /** Per-run request spread over pre-fork workers, when the target's log shows it. */
  workerSpread?: WorkerSpread[]
}

/** A side-by-side comparison: `better` (e.g. keep-alive) against `baseline` (a new connection per request). */
export interface GainMeasurement {
  /** Stable id, used by thresholds and the baseline diff: `keepalive-http`, `keepalive-tls`, `upstream-keepalive`. */
  id: string
  name: string
  /** Throughput of `better` ÷ `baseline`, medians. */
  throughputRatio: number
  /** p50 latency of `baseline` ÷ `better`, medians. */
  latencyRatio: number
  /** p99 latency of `baseline` ÷ `better`, medians. */
  p99Ratio: number
  better: ModeMeasurement
  baseline: ModeMeasurement
  /** Why the ratio should not be taken as the target's (generator-bound runs, …). */
  caveats: string[]
}

export interface ScalingPoint {
  workers: number
  measurement: ModeMeasurement
  /** Median req/s ÷ the 1-worker median (or the first point's, per worker). */
  speedup: number
  /** speedup ÷ workers: 1 is perfect scaling. */
  efficiency: number
}

/** Throughput against the number of app-server workers, on one route. */
export interface ScalingMeasurement {
  /** `workers-cpu` (CPU-bound route) or `workers-io` (I/O-bound route), or a profile's label. */
  id: string
  name: string
  route: string
  points: ScalingPoint[]
  /** Cores the server side could use: more workers than this measure contention, not scaling. */
  serverCores: number
  caveats: string[]
}

/** One threshold from the profile, judged against the observed value. */
export interface ThresholdResult {
  /** The measurement it applies to (a gain's or scaling's id, `workers-cpu/2` for one point). */
  measurement: string
  /** As written in the profile: `p(99)<250`, `rps>1000`, `keepAliveGain>1.5`. */
  expression: string
  metric: string
  operator: '<' | '<=' | '>' | '>='
  limit: number
  /** The median the threshold was judged on; absent when the measurement did not run. */
  observed?: number
  verdict: 'pass' | 'fail' | 'missing'
}

export interface BenchMachine {
  cores: number
  /** Cores the server processes were pinned to (taskset), or all of them when not pinned. */
  serverCores: number[]
  /** Cores the load generator (this process) was pinned to. */
  generatorCores: number[]
  pinned: boolean
  note: string
}

export interface BenchSettings {
  connections: number
  durationMs: number
  repeats: number
  warmupMs: number
}

export interface BenchReport {
  machine: BenchMachine
  settings: BenchSettings
  gains: GainMeasurement[]
  scaling: ScalingMeasurement[]
  thresholds: ThresholdResult[]
  /** Wall time of the whole bench, stacks included. */
  durationMs: number
}
