import type { TlsHandshake } from '../model/check-result.ts'
import { HOSTNAME_MISMATCH_CODE } from './hostname-match.ts'

export type CertificateProblemKind = 'missing' | 'expired' | 'not-yet-valid' | 'wrong-host' | 'untrusted'

export interface CertificateProblem {
  kind: CertificateProblemKind
  /** The code a verifying client fails with for this problem. */
  code: string
  /** What is wrong, in one clause. */
  text: string
}

// OpenSSL reports a date problem as a chain error; the dates are judged on their own below.
const DATE_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'])
const DAY_MS = 86_400_000
const day = (iso: string) => iso.slice(0, 10)

/**
 * Everything a verifying client would hold against the certificate a
 * handshake showed, each problem judged on its own: a certificate can be
 * expired, misnamed and from an unknown CA at once, while OpenSSL stops at the
 * first. `checkTrust: false` is the profile's tls.insecure (a self-signed
 * certificate, accepted as such).
 */
export function certificateProblems(handshake: TlsHandshake, host: string, options: { now: number; checkTrust: boolean }): CertificateProblem[] {
  const cert = handshake.certificate
  if (!cert) return [{ kind: 'missing', code: 'NO_PEER_CERTIFICATE', text: 'the server presented no certificate' }]
  const problems: CertificateProblem[] = []
  const validTo = Date.parse(cert.validTo)
  const validFrom = Date.parse(cert.validFrom)
  if (options.now > validTo) {
    const ago = Math.floor((options.now - validTo) / DAY_MS)
    problems.push({ kind: 'expired', code: 'CERT_HAS_EXPIRED', text: `it expired on ${day(cert.validTo)} (${ago === 0 ? 'today' : `${ago} day${ago === 1 ? '' : 's'} ago`})` })
  } else if (options.now < validFrom) {
    problems.push({ kind: 'not-yet-valid', code: 'CERT_NOT_YET_VALID', text: `it is not valid before ${cert.validFrom}` })
  }
  if (handshake.hostnameMatches === false) {
    const names = cert.subjectAltNames.length ? cert.subjectAltNames.join(', ') : `only the subject ${cert.subject}`
    problems.push({ kind: 'wrong-host', code: HOSTNAME_MISMATCH_CODE, text: `it names ${names}, not ${host}` })
  }
  if (options.checkTrust && handshake.trusted === false && handshake.trustError && !DATE_CODES.has(handshake.trustError)) {
    problems.push({ kind: 'untrusted', code: handshake.trustError, text: `its chain, issued by ${cert.issuer}, does not lead to a trusted CA (${handshake.trustError})` })
  }
  return problems
}

/**
 * The code a verifying client would fail the handshake with: OpenSSL's chain
 * verdict comes first (dates included), then the host name check.
 */
export function refusalCode(handshake: TlsHandshake, problems: CertificateProblem[], checkTrust: boolean): string | undefined {
  if (!problems.length) return undefined
  if (checkTrust && handshake.trustError) return handshake.trustError
  return problems[0]!.code
}
