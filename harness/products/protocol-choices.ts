import type { Profile } from '../profile/schema.ts'
import { firstHopOf } from '../target/first-hop.ts'
import { proxyProduct } from './proxy-products.ts'

// Where RFC 9110/9112 let a server choose, every permitted answer passes unless
// the profile documents a narrower one, or the first hop is a product whose
// stock choice is known (verified on the real server, version noted). Size
// limits are enforced only when the profile documents them.

export type ObsFold = 'reject' | 'unfold'

export interface ProtocolChoices {
  /** RFC 9110 §5.4: "an appropriate 4xx"; RFC 6585 §5 names 431. */
  headerTooLargeStatus: readonly number[]
  /** RFC 9112 §5.2: reject with 400, or replace each obs-fold with SP. */
  obsFold: readonly ObsFold[]
  /** RFC 9110 §15.6.6: 505 for a major version not supported; a server may also just refuse it as malformed. */
  unsupportedVersionStatus: readonly number[]
  /** RFC 9112 §6.1: 501 SHOULD for an unknown coding; §6.3(4): 400 when chunked is not final. */
  unknownTransferCodingStatus: readonly number[]
  /** Documented limits, when documented. */
  maxUriBytes?: number
  maxHeaderFieldBytes?: number
  /** Where the narrower choices come from, for diagnoses: `the profile`, `nginx's stock choice`, `the RFC`. */
  sourceOf: Readonly<Record<'headerTooLargeStatus' | 'obsFold' | 'unsupportedVersionStatus' | 'unknownTransferCodingStatus', string>>
  /** Whether a choice was narrowed (by the profile or a known product), rather than left to what the RFC permits. */
  narrowed: Readonly<Record<'headerTooLargeStatus' | 'obsFold' | 'unsupportedVersionStatus' | 'unknownTransferCodingStatus', boolean>>
}

type StatusChoices = Pick<ProtocolChoices, 'headerTooLargeStatus' | 'obsFold' | 'unsupportedVersionStatus' | 'unknownTransferCodingStatus'>

export const RFC_PERMITTED: StatusChoices = {
  headerTooLargeStatus: [400, 431],
  obsFold: ['reject', 'unfold'],
  unsupportedVersionStatus: [505, 400],
  unknownTransferCodingStatus: [501, 400],
}

/** Stock choices of first-hop products, as observed on the real servers (test/fixtures/answers/). */
const STOCK_CHOICES: Readonly<Record<string, Partial<StatusChoices> & { version: string }>> = {
  // nginx 1.22 (Debian 12): 400 "Request Header Or Cookie Too Large", 400 for obs-fold, 505, 501.
  nginx: { version: '1.22', headerTooLargeStatus: [400], obsFold: ['reject'], unsupportedVersionStatus: [505], unknownTransferCodingStatus: [501] },
  // The others (each recorded on the real server, test/fixtures/answers/<product>/): only what the front
  // itself answers, never a limit's status, which depends on which layer's limit is met first.
  // HAProxy 2.6.12: unfolds obs-fold, 400 for Transfer-Encoding: gzip; forwards HTTP/2.0 (no choice of its own).
  haproxy: { version: '2.6', obsFold: ['unfold'], unknownTransferCodingStatus: [400] },
  // Caddy 2.6.2 (Go net/http's parser): unfolds, 505, 501.
  caddy: { version: '2.6', obsFold: ['unfold'], unsupportedVersionStatus: [505], unknownTransferCodingStatus: [501] },
  // Apache httpd 2.4.71: unfolds, 400 for an unknown coding; forwards HTTP/2.0.
  apache: { version: '2.4', obsFold: ['unfold'], unknownTransferCodingStatus: [400] },
  // Envoy 1.40: unfolds, 501; its 426 for HTTP/2.0 is no RFC choice (426 MUST carry Upgrade), so none is recorded.
  envoy: { version: '1.40', obsFold: ['unfold'], unknownTransferCodingStatus: [501] },
  // Traefik 3.6.12 (Go net/http's parser): unfolds, 505, 501.
  traefik: { version: '3.6', obsFold: ['unfold'], unsupportedVersionStatus: [505], unknownTransferCodingStatus: [501] },
  // Varnish 7.1.1: unfolds, a bare 400 for an unknown coding and for HTTP/2.0.
  varnish: { version: '7.1', obsFold: ['unfold'], unsupportedVersionStatus: [400], unknownTransferCodingStatus: [400] },
}

const KEYS = ['headerTooLargeStatus', 'obsFold', 'unsupportedVersionStatus', 'unknownTransferCodingStatus'] as const

export function protocolChoices(profile: Readonly<Profile>): ProtocolChoices {
  const hop = firstHopOf(profile)
  const productName = hop.tier === 'proxy' ? proxyProduct(hop.product)?.name : undefined
  const stock = productName ? STOCK_CHOICES[productName] : undefined
  const choices = {} as Record<(typeof KEYS)[number], readonly (number | ObsFold)[]>
  const sourceOf = {} as Record<(typeof KEYS)[number], string>
  const narrowed = {} as Record<(typeof KEYS)[number], boolean>
  for (const key of KEYS) {
    narrowed[key] = true
    const documented = profile.protocol[key]
    if (documented !== undefined) {
      choices[key] = [documented]
      sourceOf[key] = `protocol.${key} in the profile`
    } else if (stock?.[key]) {
      choices[key] = stock[key]!
      sourceOf[key] = `${productName} ${stock.version}'s stock choice (set protocol.${key} if yours differs)`
    } else {
      choices[key] = RFC_PERMITTED[key]
      sourceOf[key] = 'what the RFC permits'
      narrowed[key] = false
    }
  }
  return {
    ...(choices as unknown as StatusChoices),
    maxUriBytes: profile.protocol.maxUriBytes,
    maxHeaderFieldBytes: profile.protocol.maxHeaderFieldBytes,
    sourceOf,
    narrowed,
  }
}
