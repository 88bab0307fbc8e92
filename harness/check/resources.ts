// The resources checks hold while they run: plain string keys, compared by
// equality. A check declares them on its definition (`uses`); the scheduler
// (check-scheduler.ts) keeps conflicting checks apart, and the report's floor
// (harness/model/floor.ts) is computed over the same keys.
//
//   target:upstream            everything behind the first hop: the proxy → app links, the app's
//                              workers and the proxy's upstream connection pool. Every ordinary check
//                              holds it shared (it needs the app undisturbed); faults, a crashed
//                              worker and the check that counts pooled upstream connections hold it
//                              exclusively.
//   quota:rate-limit:<env>     the rate-limit quota of the token in environment variable <env>: the
//                              checks that spend or measure it hold it exclusively; a check that may
//                              carry that token to the limited path holds it shared.

import { isLoopback } from '../net/loopback.ts'
import type { Profile } from '../profile/schema.ts'
import type { Uses } from './check-scheduler.ts'
import type { CheckDefinition } from './define-check.ts'

export const RESOURCE = {
  /** The app behind the first hop: links, workers, the upstream pool. */
  upstream: 'target:upstream',
  /** A token's rate-limit quota (the token's environment variable names it). */
  quota: (tokenEnv: string) => `quota:rate-limit:${tokenEnv}`,
} as const

/** Faults on the proxy → app links, a worker crash, a count of pooled connections: nothing else may run beside it. */
export const DISTURBS_UPSTREAM: Uses = Object.freeze({ exclusive: [RESOURCE.upstream] })

/** The resources a check holds against this profile, with the default (`target:upstream` shared) filled in; sorted, no duplicates. */
export function usesOf(check: Pick<CheckDefinition, 'uses'>, profile: Readonly<Profile>): { exclusive: string[]; shared: string[] } {
  const declared = typeof check.uses === 'function' ? check.uses(profile) : (check.uses ?? {})
  const exclusive = [...new Set(declared.exclusive ?? [])].sort()
  const shared = [...new Set([...(declared.shared ?? []), RESOURCE.upstream])].filter((key) => !exclusive.includes(key)).sort()
  return { exclusive, shared }
}

/** `/api/*` matches a prefix, anything else the exact path (auth.sendTokenTo's rule). */
const pathMatches = (pattern: string, path: string) => (pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern)

/**
 * For a check that probes routes taken from the profile or the OpenAPI document: it may carry the token of
 * auth.tokenEnv to the rate-limited path (auth.sendTokenTo covers it), and so spend that token's quota.
 */
export function routeSweepUses(profile: Readonly<Profile>): Uses {
  const { auth, rateLimit } = profile
  if (!auth || !rateLimit || auth.tokenEnv !== rateLimit.tokenEnv) return {}
  return auth.sendTokenTo.some((pattern) => pathMatches(pattern, rateLimit.path)) ? { shared: [RESOURCE.quota(rateLimit.tokenEnv)] } : {}
}

/** Checks at once against this target: the profile's `run.concurrency`, else 8 on loopback and 4 elsewhere. */
export function concurrencyOf(profile: Readonly<Profile>): number {
  return profile.run.concurrency ?? (isLoopback(profile.baseUrl) ? 8 : 4)
}
