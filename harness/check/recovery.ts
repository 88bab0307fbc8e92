import type { Exchange } from '../model/check-result.ts'
import type { CheckContext } from './define-check.ts'

export interface Recovery {
  /** From the fault's removal to the first 2xx. */
  recoveryMs: number
  /** Requests that failed after the fault had cleared. */
  failedRequests: number
  recovered: boolean
  first: Exchange
  last: Exchange
}

const ok = (exchange: Exchange) => exchange.response !== undefined && exchange.response.status < 300
const POLL_INTERVAL_MS = 50

/**
 * Polls a cheap path right after a fault clears, until it answers 2xx or
 * `watchMs` passes. Lingering errors (an upstream still marked failed, a
 * worker not yet respawned) show up as recoveryMs and failedRequests.
 */
export async function measureRecovery(context: CheckContext, watchMs: number): Promise<Recovery> {
  const started = performance.now()
  const path = context.profile.probes.healthPath
  const first = await context.send({ path, label: 'first request after the fault cleared' })
  if (ok(first)) return { recoveryMs: 0, failedRequests: 0, recovered: true, first, last: first }
  let failedRequests = 1
  let last = first
  while (performance.now() - started < watchMs) {
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS))
    last = await context.sendUnrecorded({ path, timeoutMs: 2000 })
    if (ok(last)) break
    failedRequests += 1
  }
  const recoveryMs = Math.round(performance.now() - started)
  const recovered = ok(last)
  last = await context.send({ path, label: recovered ? 'recovered' : `still failing after ${recoveryMs} ms` })
  return { recoveryMs, failedRequests, recovered: ok(last), first, last }
}

/** The problem, in words, when recovery took longer than documented; undefined when it did not. */
export function recoveryProblem(recovery: Recovery, allowedMs: number): string | undefined {
  if (!recovery.recovered) return `errors persisted after the fault cleared: still failing after ${recovery.recoveryMs} ms (${recovery.failedRequests} failed requests)`
  if (recovery.failedRequests > 0 && recovery.recoveryMs > allowedMs) {
    return `errors persisted ${recovery.recoveryMs} ms after the fault cleared (${recovery.failedRequests} failed requests; documented: ${allowedMs === 0 ? 'none' : `≤ ${allowedMs} ms`})`
  }
  return undefined
}
