import type { SecureVersion } from 'node:tls'

/** What the client offers in its ClientHello. */
export interface TlsOffer {
  minVersion: SecureVersion
  maxVersion: SecureVersion
  /** ALPN protocols, in preference order (RFC 7301). */
  alpn: string[]
  /** OpenSSL cipher string; Node's default when absent. */
  ciphers?: string
}

/** A current client: TLS 1.2 and 1.3, offering HTTP/2 then HTTP/1.1. */
export const MODERN_OFFER: TlsOffer = Object.freeze({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', alpn: ['h2', 'http/1.1'] })

/**
 * Only the versions RFC 8996 deprecates, TLS 1.0 and 1.1. OpenSSL 3 allows
 * them only at security level 0 (they sign with SHA-1/MD5), on the client as
 * on the server, so the probe lowers its own level: a server that completes
 * this handshake accepts legacy versions.
 */
export const LEGACY_OFFER: TlsOffer = Object.freeze({
  minVersion: 'TLSv1', maxVersion: 'TLSv1.1', alpn: ['http/1.1'], ciphers: 'DEFAULT:@SECLEVEL=0',
})
