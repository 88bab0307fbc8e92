import type { Exchange } from '../model/check-result.ts'
import { probeExchange } from './probe-exchange.ts'
import type { Resolution } from './resolve-host.ts'

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/** A host name lookup as evidence. `getent ahosts` asks the same resolver (NSS) that getaddrinfo does. */
export function dnsExchange(resolution: Resolution, url: string, label?: string): Exchange {
  return probeExchange({
    label,
    url,
    connection: { step: 1, host: resolution.host, addresses: resolution.addresses.length ? resolution.addresses : undefined },
    failure: resolution.failure,
    failedAt: resolution.failure ? 1 : undefined,
    observed: {
      reason: `DNS: ${resolution.host} resolved to ${resolution.addresses.join(', ')}`,
      signals: resolution.addresses.map((a) => `address ${a}`),
    },
    startedAt: resolution.startedAt,
    totalMs: resolution.totalMs,
    repro: `getent ahosts ${shellQuote(resolution.host)}`,
  })
}
