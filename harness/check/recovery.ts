import type { Exchange } from '../model/check-result.ts'
import type { CheckContext } from './define-check.ts'
import { problem, type Problem } from './problem.ts'

export interface Recovery {
  /** From the fault's removal until the first 2xx had arrived (a request queued behind a respawning worker counts its wait). */
  recoveryMs: number
  /** Requests that failed after the fault had cleared. */
  failedRequests: number
  recovered: boolean
  first: Exchange
  last: Exchange
}

/** Long enough to see errors that outlive a fault by the documented recovery time, and then some. */
const defaultWatchMs = (context: CheckContext) => Math.max(context.profile.faults?.recoveryMs ?? 0, 1000) + 2000

const ok = (exchange: Exchange) => exchange.response !== undefined && exchange.response.status < 300
const POLL_INTERVAL_MS = 50

/**
 * Polls a cheap path right after a fault clears, until it answers 2xx or
 * `watchMs` passes. Lingering errors (an upstream still marked failed, a
 * worker not yet respawned) show up as recoveryMs and failedRequests.
 */
export async function measureRecovery(context: CheckContext, watchMs = defaultWatchMs(context)): Promise<Recovery> {
  const started = performance.now()
  const path = context.profile.probes.healthPath
  const first = await context.send({ path, label: 'first request after the fault cleared' })
  if (ok(first)) return { recoveryMs: Math.round(performance.now() - started), failedRequests: 0, recovered: true, first, last: first }
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

/** The code of a recovery that took longer than documented. */
export const RECOVERY_LATE = 'recovery-late'

/** The problem when recovery took longer than documented; undefined when it did not. */
export function recoveryProblem(recovery: Recovery, allowedMs: number): Problem | undefined {
  if (!recovery.recovered) return problem(RECOVERY_LATE, `errors persisted after the fault cleared: still failing after ${recovery.recoveryMs} ms (${recovery.failedRequests} failed requests)`)
  // Documented 0: no request may fail once the fault is gone. Otherwise: a 2xx within the bound, however long the first one waited.
  const late = allowedMs === 0 ? recovery.failedRequests > 0 : recovery.recoveryMs > allowedMs
  if (!late) return undefined
  return problem(RECOVERY_LATE, `errors persisted ${recovery.recoveryMs} ms after the fault cleared (${recovery.failedRequests} failed requests; documented: ${allowedMs === 0 ? 'none' : `≤ ${allowedMs} ms`})`)
}
