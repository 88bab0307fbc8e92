import type { ClientFailure, Exchange } from '../model/check-result.ts'
import { hostPort } from '../net/endpoint.ts'
import { probeExchange } from '../net/probe-exchange.ts'
import { describeHandshakeFailure } from './handshake-failure.ts'
import type { TlsInspection } from './inspect-tls.ts'
import { tlsRepro } from './tls-repro.ts'
import type { TlsOffer } from './tls-offer.ts'

export interface TlsExchangeOptions {
  label?: string
  caFile?: string
  /**
   * The handshake completed, but a client that enforces what the probe only
   * recorded would have refused it: that client's failure (CERT_HAS_EXPIRED, …).
   */
  refusedByVerifyingClient?: ClientFailure
}

/** A TLS inspection as evidence: an exchange with no HTTP, whose `connection` holds the handshake. */
export function tlsExchange(inspection: TlsInspection, options: TlsExchangeOptions = {}): Exchange {
  const { endpoint, handshake } = inspection
  const offer = handshake.offered as TlsOffer
  const cert = handshake.certificate
  const reason = inspection.completed
    ? `TLS: the handshake with ${hostPort(endpoint)} completed (${handshake.protocol}` +
      `${handshake.alpnProtocol ? `, ALPN ${handshake.alpnProtocol}` : ', no ALPN'})` +
      (cert ? `; certificate ${cert.subject} issued by ${cert.issuer}, ${cert.daysUntilExpiry < 0 ? `expired on ${cert.validTo.slice(0, 10)}` : `${cert.daysUntilExpiry} days left`}` : '; no certificate')
    : ''
  return probeExchange({
    label: options.label,
    url: endpoint.url,
    connection: {
      step: 3,
      host: endpoint.host,
      port: endpoint.port,
      addresses: inspection.address ? [inspection.address] : undefined,
      tls: handshake,
    },
    failure: inspection.failure ?? options.refusedByVerifyingClient,
    failedAt: inspection.failedAt,
    failureReason: inspection.failure
      ? inspection.failedAt === 3 ? describeHandshakeFailure(inspection.failure.code) : undefined
      : options.refusedByVerifyingClient &&
        `TLS: the handshake completed only because the probe does not enforce verification; a verifying client refuses it (${options.refusedByVerifyingClient.code})`,
    observed: {
      reason,
      signals: [handshake.protocol, handshake.alpnProtocol ? `ALPN ${handshake.alpnProtocol}` : 'no ALPN', cert?.subject]
        .filter((s): s is string => Boolean(s)),
    },
    startedAt: inspection.startedAt,
    totalMs: inspection.totalMs,
    repro: tlsRepro(endpoint, offer, options.caFile),
  })
}
