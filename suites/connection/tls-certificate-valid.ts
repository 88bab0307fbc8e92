import { defineCheck } from '../../harness/check/define-check.ts'
import { gotOf } from '../../harness/check/expect-response.ts'
import { certificateProblems, refusalCode, type CertificateProblemKind } from '../../harness/tls/certificate-problems.ts'
import { inspectTls } from '../../harness/tls/inspect-tls.ts'
import { tlsExchange } from '../../harness/tls/tls-exchange.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { needsTlsEndpoint, tlsInspectOptions } from './endpoints.ts'
import { noHandshake, noHandshakeDiagnosis } from './tls-outcome.ts'
import { problem } from '../../harness/check/problem.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'

const checkTrust = (profile: Readonly<Profile>) => !profile.tls?.insecure

const LABELS: Record<CertificateProblemKind, string> = {
  missing: 'No certificate',
  expired: 'Expired',
  'not-yet-valid': 'Not yet valid',
  'wrong-host': 'Wrong host name',
  untrusted: 'Untrusted CA',
}

function whatToCheck(kind: CertificateProblemKind, host: string, profile: Readonly<Profile>): string {
  switch (kind) {
    case 'expired':
      return `Renew it and reload the TLS endpoint (${proxySetting(profile.layers?.proxy, 'tlsCertificate', 'the TLS listener\'s certificate')}); ` +
        'check that the renewal job (certbot, an ACME client) runs and that a reload follows each renewal.'
    case 'not-yet-valid':
      return 'Check the clock of this machine and of the issuer; a certificate issued with a future start date is refused until then.'
    case 'wrong-host':
      return `Serve a certificate whose subjectAltName covers ${host}: check which server answers this SNI name ` +
        `(the certificate that name selects: ${proxySetting(profile.layers?.proxy, 'tlsCertificate', 'the TLS listener\'s certificate')}) and that the URL uses a name the certificate was issued for.`
    case 'untrusted':
      return `Serve the full chain (leaf, then intermediates: ${proxySetting(profile.layers?.proxy, 'tlsCertificate', 'the TLS listener\'s certificate')}) from a CA clients trust, ` +
        `or, for a private CA, point tls.caFile at it (now: ${profile.tls?.caFile ?? 'not set'}; the system store is trusted too).`
    case 'missing':
      return `Configure a certificate on the TLS listener: ${proxySetting(profile.layers?.proxy, 'tlsCertificate', 'the TLS listener\'s certificate')}.`
  }
}

export const tlsCertificateValid = defineCheck({
  id: 'connection.tls.certificate-valid',
  title: 'The TLS certificate is in date, names the host, and chains to a trusted CA',
  step: 3, layer: 'connection', spec: 'RFC 5280 §6.1; RFC 9525 §6', severity: 'error',
  requires: needsTlsEndpoint,
  async run({ profile, record }) {
    const options = tlsInspectOptions(profile)
    const inspection = await inspectTls(options)
    const expected = `a certificate in date, naming ${inspection.endpoint.host}` +
      (checkTrust(profile) ? ', that chains to a trusted CA (tls.caFile or the system store)' : ' (trust not checked: tls.insecure)')
    if (!inspection.completed) return noHandshake(inspection, record(tlsExchange(inspection, { caFile: options.caFile })), expected)

    const problems = certificateProblems(inspection.handshake, inspection.endpoint.host, { now: Date.now(), checkTrust: checkTrust(profile) })
    const code = refusalCode(inspection.handshake, problems, checkTrust(profile))
    const exchange = record(tlsExchange(inspection, {
      caFile: options.caFile,
      refusedByVerifyingClient: code ? { code, message: `a verifying client refuses this certificate: ${problems.map((p) => p.text).join('; ')}` } : undefined,
    }))
    const cert = inspection.handshake.certificate
    return {
      pass: problems.length === 0,
      expected,
      actual: problems.length
        ? problems.map((p) => `${LABELS[p.kind]}: ${p.text}`).join('; ')
        : `${cert!.subject}, issued by ${cert!.issuer}, valid until ${cert!.validTo.slice(0, 10)}, names ${inspection.endpoint.host}`,
      got: gotOf(exchange, problems.map((p) => problem(p.kind, p.text))),
    }
  },
  // Judged again from the evidence alone: the handshake it recorded says what was wrong.
  diagnose: (got, profile) => {
    const failed = noHandshakeDiagnosis(got.exchange, profile)
    if (failed) return failed
    const handshake = got.exchange.connection?.tls
    const host = got.exchange.connection?.host ?? ''
    if (!handshake) return undefined
    const problems = certificateProblems(handshake, host, { now: Date.parse(got.exchange.timing.startedAt), checkTrust: checkTrust(profile) })
    return problems.map((p) => `${LABELS[p.kind]}: ${p.text}. ${whatToCheck(p.kind, host, profile)}`).join(' ')
  },
})
