// What `layercheck bench` measures, whatever the target: the client keep-alive
// gain (HTTP, TLS), the proxy→app keep-alive gain and worker scaling. A target
// (the embedded reference stacks, or a deployment's profile) supplies the URLs.

import type { BenchSettings, GainMeasurement, ScalingMeasurement } from '../../harness/model/bench-result.ts'
import { gainOf } from '../../harness/bench/gain.ts'
import type { LoadMode } from '../../harness/bench/load-run.ts'
import { measureInterleaved } from '../../harness/bench/measure-modes.ts'
import { scalingOf } from '../../harness/bench/scaling.ts'

/** Where a URL is served from: for CPU and worker spread when we started it. */
export interface ServedBy {
  serverGroups: readonly number[]
  serverCores: number
  ca?: string | Buffer
  appLog?: string
  statusUrl?: string
}

export interface ClientKeepAliveTarget extends ServedBy {
  id: 'keepalive-http' | 'keepalive-tls'
  url: string
}

export interface UpstreamKeepAliveTarget {
  /** Idle upstream connections the proxy keeps (nginx `keepalive N`), when known. */
  keepalivePool?: number
  with: ServedBy & { url: string }
  without: ServedBy & { url: string }
}

export interface ScalingTarget {
  id: string
  name: string
  points: (ServedBy & { workers: number; url: string })[]
}

export interface BenchTarget {
  clientKeepAlive: ClientKeepAliveTarget[]
  upstreamKeepAlive?: UpstreamKeepAliveTarget
  scaling: ScalingTarget[]
}

/** Where a bench reports as it goes: a heading per measurement, a line per run. */
export interface Progress {
  section(title: string): void
  run(line: string): void
}

const CLIENT_GAIN_NAMES = {
  'keepalive-http': 'client keep-alive gain, HTTP',
  'keepalive-tls': 'client keep-alive gain, TLS',
} as const

/** Keep-alive (autocannon) against a new connection per request (our close loop), counted and timed by us. */
export async function measureClientKeepAlive(t: ClientKeepAliveTarget, settings: BenchSettings, progress?: Progress): Promise<GainMeasurement> {
  const name = CLIENT_GAIN_NAMES[t.id]
  progress?.section(`${name} (${t.url})`)
  const mode = (label: string, generator: LoadMode['generator']): LoadMode => ({ ...t, label, generator, appLog: undefined })
  const [keepAlive, close] = await measureInterleaved([mode('keep-alive', 'autocannon'), mode('Connection: close', 'close-loop')], settings, progress?.run)
  return gainOf(t.id, name, keepAlive!, close!, settings.connections)
}

/** The same client load (keep-alive) through a proxy that keeps its upstream connections, and one that does not. */
export async function measureUpstreamKeepAlive(t: UpstreamKeepAliveTarget, settings: BenchSettings, progress?: Progress): Promise<GainMeasurement> {
  progress?.section(`proxy→app keep-alive gain (${t.with.url} vs ${t.without.url})`)
  const [kept, fresh] = await measureInterleaved([
    { ...t.with, appLog: undefined, label: 'upstream keep-alive', generator: 'autocannon' },
    { ...t.without, appLog: undefined, label: 'no upstream keep-alive', generator: 'autocannon' },
  ], settings, progress?.run)
  const gain = gainOf('upstream-keepalive', 'proxy→app keep-alive gain', kept!, fresh!, settings.connections)
  if (t.keepalivePool !== undefined && settings.connections > t.keepalivePool) {
    gain.caveats.push(`${settings.connections} client connections against an upstream pool of ${t.keepalivePool}: the pool churns connections and p99 suffers`)
  }
  return gain
}

export async function measureScaling(t: ScalingTarget, settings: BenchSettings, progress?: Progress): Promise<ScalingMeasurement> {
  progress?.section(t.name)
  const measured = await measureInterleaved(
    t.points.map((p) => ({ ...p, label: `${p.workers} worker${p.workers === 1 ? '' : 's'}`, generator: 'autocannon' as const })),
    settings, progress?.run,
  )
  const serverCores = Math.min(...t.points.map((p) => p.serverCores))
  return scalingOf(t.id, t.name, new URL(t.points[0]!.url).pathname, serverCores, t.points.map((p, i) => ({ workers: p.workers, measurement: measured[i]! })))
}
