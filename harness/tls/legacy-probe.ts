import { inspectTls, type InspectTlsOptions, type TlsInspection } from './inspect-tls.ts'
import { LEGACY_OFFER } from './tls-offer.ts'

/**
 * accepted: the server completed a TLS 1.0/1.1 handshake.
 * refused: it answered the offer with an alert or closed the connection.
 * unreachable: the probe stopped at DNS or TCP, before any TLS was spoken.
 * cannot-offer: this client's OpenSSL will not send a legacy ClientHello at all.
 */
export type LegacyOutcome = 'accepted' | 'refused' | 'unreachable' | 'cannot-offer'

export interface LegacyProbe {
  outcome: LegacyOutcome
  inspection: TlsInspection
}

// Raised by OpenSSL in tls_setup_handshake, before a ClientHello is sent: it is ours, not the server's.
const LOCAL_REFUSAL = 'ERR_SSL_NO_PROTOCOLS_AVAILABLE'

/** Offers only TLS 1.0 and 1.1 (RFC 8996) to see whether the server still accepts them. */
export async function probeLegacyTls(options: Omit<InspectTlsOptions, 'offer'>): Promise<LegacyProbe> {
  const inspection = await inspectTls({ ...options, offer: LEGACY_OFFER })
  const outcome: LegacyOutcome = inspection.completed ? 'accepted'
    : inspection.failure?.code === LOCAL_REFUSAL ? 'cannot-offer'
      : inspection.failedAt === 3 ? 'refused'
        : 'unreachable'
  return { outcome, inspection }
}
