import type { Profile } from '../../harness/profile/schema.ts'
import { needsUpstream } from './fault-requirements.ts'

// The deployment's own slow route (`routes.slow`) times the proxy's upstream
// timeouts without any fault injection. Its template counts milliseconds
// (`{ms}`) or whole seconds (`{s}`).

export interface SlowRequest {
  path: string
  /** How long the route is asked to take, after rounding to what the template can say. */
  ms: number
}

/** The slow route asked to take about `ms`; `round` says which way whole seconds go ('up': at least `ms`, 'down': at most). */
export function slowRequest(template: string, ms: number, round: 'up' | 'down'): SlowRequest {
  if (template.includes('{ms}')) return { path: template.replaceAll('{ms}', String(ms)), ms }
  const seconds = round === 'up' ? Math.ceil(ms / 1000) : Math.floor(ms / 1000)
  return { path: template.replaceAll('{s}', String(seconds)), ms: seconds * 1000 }
}

/** About half the read timeout: clearly slow, clearly within it. Whole seconds round down, and at least one. */
export function withinTimeout(profile: Readonly<Profile>): SlowRequest {
  const half = Math.round(profile.upstream!.readTimeoutMs / 2)
  const request = slowRequest(profile.routes.slow!, half, 'down')
  return request.ms > 0 ? request : slowRequest(profile.routes.slow!, 1000, 'down')
}

/** Past the documented gateway timeout by a clear 2 s, so the proxy must have given up. */
export const pastGatewayTimeout = (profile: Readonly<Profile>): SlowRequest =>
  slowRequest(profile.routes.slow!, profile.upstream!.gatewayTimeoutMs + 2000, 'up')

export const needsSlowRoute = (profile: Readonly<Profile>): string | undefined => needsUpstream(profile)
  ?? (profile.routes.slow ? undefined : 'routes.slow is not set: name a GET route that takes as long as asked ({ms} or {s} in it)')

/** The route must be able to take less than the read timeout (minus the margin) for "within" to mean anything. */
export const needsSlowRouteWithin = (profile: Readonly<Profile>): string | undefined => needsSlowRoute(profile) ?? (
  withinTimeout(profile).ms < profile.upstream!.readTimeoutMs - profile.upstream!.marginMs ? undefined
    : `routes.slow counts whole seconds, and the ${profile.upstream!.readTimeoutMs} ms read timeout leaves no whole second clearly under it`)
