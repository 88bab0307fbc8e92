import type { PeerCertificate as NodePeerCertificate } from 'node:tls'
import type { PeerCertificate } from '../model/check-result.ts'

const DAY_MS = 86_400_000

/** `CN=localhost`, `O=Example, CN=www.example.com`: Node's parsed name, in certificate order. */
function distinguishedName(name: Record<string, string | string[] | undefined> | undefined): string {
  return Object.entries(name ?? {})
    .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ')
}

/** Whole days from `now` until `validTo`, rounded down: 0 on the last day, negative once expired. */
export function daysUntil(validTo: string, now: number): number {
  return Math.floor((Date.parse(validTo) - now) / DAY_MS)
}

/** The peer certificate as plain data, or undefined when the server sent none. */
export function summariseCertificate(cert: NodePeerCertificate | undefined, now: number): PeerCertificate | undefined {
  if (!cert || !cert.valid_to) return undefined
  const validTo = new Date(cert.valid_to).toISOString()
  return {
    subject: distinguishedName(cert.subject as unknown as Record<string, string>),
    subjectAltNames: cert.subjectaltname ? cert.subjectaltname.split(/,\s*/) : [],
    issuer: distinguishedName(cert.issuer as unknown as Record<string, string>),
    validFrom: new Date(cert.valid_from).toISOString(),
    validTo,
    daysUntilExpiry: daysUntil(validTo, now),
    serialNumber: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
  }
}
