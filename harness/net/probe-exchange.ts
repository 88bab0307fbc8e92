import type { ClientFailure, ConnectionProbe, Exchange } from '../model/check-result.ts'
import { attributeFailureAt } from '../attribution/attribute.ts'

const PROBE_NAMES = { 1: 'DNS', 2: 'TCP', 3: 'TLS' } as const

export interface ProbeRecord {
  label?: string
  /** The URL whose host or endpoint was probed. */
  url: string
  connection: ConnectionProbe
  /** Why the probe, or a client that verifies what the probe only recorded, got no further. */
  failure?: ClientFailure
  /** The step the failure happened at: a TLS probe can stop at DNS or TCP. */
  failedAt?: 1 | 2 | 3
  /** Why, when the failure is not the probe's own but that of a client enforcing what it recorded. */
  failureReason?: string
  /** What the probe saw when nothing failed: one sentence, and the facts it rests on. */
  observed: { reason: string; signals: string[] }
  startedAt: string
  totalMs: number
  repro: string
}

/**
 * The evidence of a probe below HTTP, in the shape every report already reads:
 * an exchange with no response, whose request names the probe and whose
 * `connection` holds what it saw. Attribution is by step, which the probe
 * knows for certain because it watched lookup, connect and handshake happen.
 */
export function probeExchange(record: ProbeRecord): Exchange {
  const step = record.failedAt ?? record.connection.step
  return {
    label: record.label,
    request: { method: PROBE_NAMES[record.connection.step], url: record.url, headers: [], bodyBytes: 0 },
    failure: record.failure,
    connection: record.connection,
    timing: { startedAt: record.startedAt, totalMs: record.totalMs },
    answeredBy: record.failure
      ? { ...attributeFailureAt(record.failure, step), ...(record.failureReason && { reason: record.failureReason }) }
      : { tier: 'client', step, confidence: 'certain', reason: record.observed.reason, signals: record.observed.signals },
    repro: record.repro,
  }
}
