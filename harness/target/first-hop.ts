import { readFileSync } from 'node:fs'
import type { Tier } from '../model/check-result.ts'
import type { Profile } from '../profile/schema.ts'
import type { RawTarget } from '../raw/raw-exchange.ts'
import { attributionFor } from './attribution-for-profile.ts'

/** Whether the profile names a proxy in front of the app. */
export const hasProxy = (profile: Readonly<Profile>) => Boolean(profile.layers?.proxy && profile.layers.proxy !== 'none')

/** The layer that accepts connections at the raw probes' URL: the one that must refuse what it cannot parse. */
export function firstHopOf(profile: Readonly<Profile>): { tier: Tier; product?: string } {
  const tier = profile.protocol.firstHop ?? (hasProxy(profile) ? 'proxy' : 'app-server')
  return { tier, product: tier === 'proxy' ? profile.layers?.proxy : profile.layers?.server }
}

/** Where raw probes go (protocol.url, else baseUrl), bounded in time and bytes, attributed with this profile's context. */
export function rawTargetFor(profile: Readonly<Profile>, overrides: Partial<RawTarget> = {}): RawTarget {
  const url = overrides.url ?? profile.protocol.url ?? profile.baseUrl
  return {
    url,
    connectMs: profile.timeouts.connectMs,
    idleMs: profile.protocol.readTimeoutMs,
    settleMs: 250,
    totalMs: profile.timeouts.connectMs + profile.protocol.readTimeoutMs + 5000,
    maxBytes: 256 * 1024,
    tls: url.startsWith('https:') ? { ca: profile.tls?.caFile ? readFileSync(profile.tls.caFile) : undefined, insecure: profile.tls?.insecure } : undefined,
    attribution: attributionFor(profile),
    requestIdHeader: profile.requestId?.header,
    firstHop: firstHopOf(profile),
    ...overrides,
  }
}
