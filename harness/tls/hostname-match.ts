import { checkServerIdentity, type PeerCertificate } from 'node:tls'

export interface HostnameMatch {
  matches: boolean
  /** Why not, in Node's words: `Host: localhost. is not in the cert's altnames: DNS:wrong-host.example`. */
  error?: string
}

/** The code a verifying client fails with when the certificate does not name the host. */
export const HOSTNAME_MISMATCH_CODE = 'ERR_TLS_CERT_ALTNAME_INVALID'

/**
 * Whether the certificate names the host the client asked for, by the rules
 * every Node client applies (RFC 9525: subjectAltName DNS or IP entries; the
 * subject CN only when there are no DNS names).
 */
export function matchHostname(host: string, cert: PeerCertificate): HostnameMatch {
  const error = checkServerIdentity(host, cert) as (Error & { reason?: string }) | undefined
  return error ? { matches: false, error: error.reason ?? error.message } : { matches: true }
}
