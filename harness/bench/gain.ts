import type { GainMeasurement, ModeMeasurement } from '../model/bench-result.ts'

/** Why a measurement should not be read as the target's own figure. */
export function caveatsOf(m: ModeMeasurement): string[] {
  const caveats: string[] = []
  if (m.generatorBoundRuns) {
    caveats.push(`${m.label}: generator-bound in ${m.generatorBoundRuns} of ${m.runs} runs — the load generator, not the target, was the limit`)
  }
  if (m.errors || m.non2xx) caveats.push(`${m.label}: ${m.errors} errors and ${m.non2xx} non-2xx answers among ${m.requests} requests`)
  if (m.rps.relativeSpread > 0.2) caveats.push(`${m.label}: runs spread ${Math.round(m.rps.relativeSpread * 100)} % around the median — more than this machine's ~20 % noise`)
  return caveats
}

/** `better` against `baseline`, measured side by side: the ratios and what weakens them. */
export function gainOf(id: string, name: string, better: ModeMeasurement, baseline: ModeMeasurement, clientConnections: number): GainMeasurement {
  const caveats = [...caveatsOf(better), ...caveatsOf(baseline)]
  if (baseline.generatorBoundRuns) caveats.push(`the ratio overstates the target's gain: the generator limited the ${baseline.label} side, so its throughput is the generator's`)
  if (better.generatorBoundRuns) caveats.push(`the ratio understates the target's gain: the generator limited the ${better.label} side`)
  if (baseline.connectionsOpened !== undefined && baseline.connectionsOpened !== baseline.requests + baseline.errors) {
    caveats.push(`${baseline.label}: opened ${baseline.connectionsOpened} connections for ${baseline.requests} requests — not one per request`)
  }
  if (baseline.serverConnections !== undefined && baseline.connectionsOpened !== undefined && baseline.serverConnections !== baseline.connectionsOpened) {
    caveats.push(`${baseline.label}: the server counted ${baseline.serverConnections} connections where the client opened ${baseline.connectionsOpened}`)
  }
  // A keep-alive run holds its client connections open: the server should accept each once per run.
  const kept = better.runs * clientConnections
  if (better.serverConnections !== undefined && better.serverConnections > 2 * kept) {
    caveats.push(`${better.label}: the server accepted ${better.serverConnections} connections for ${kept} kept-alive ones — it closes them (keepalive_requests, keepalive_timeout?), and autocannon's timing is then unreliable`)
  }
  if (baseline.tlsResumed !== undefined) {
    caveats.push(`${baseline.label}: ${baseline.tlsResumed} of ${baseline.connectionsOpened ?? baseline.requests} TLS handshakes resumed a session (cheaper than full handshakes)`)
  }
  return {
    id, name,
    throughputRatio: better.rps.median / baseline.rps.median,
    latencyRatio: baseline.p50Ms.median / better.p50Ms.median,
    p99Ratio: baseline.p99Ms.median / better.p99Ms.median,
    better, baseline, caveats,
  }
}
