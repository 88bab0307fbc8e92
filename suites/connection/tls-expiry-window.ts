import { defineCheck } from '../../harness/check/define-check.ts'
import { gotOf } from '../../harness/check/expect-response.ts'
import { inspectTls } from '../../harness/tls/inspect-tls.ts'
import { tlsExchange } from '../../harness/tls/tls-exchange.ts'
import { needsTlsEndpoint, tlsInspectOptions } from './endpoints.ts'
import { noHandshake, noHandshakeDiagnosis } from './tls-outcome.ts'
import { problem } from '../../harness/check/problem.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'

const daysText = (days: number, validTo: string) => (days < 0 ? `expired on ${validTo.slice(0, 10)}` : `${days} day${days === 1 ? '' : 's'} left`)

export const tlsExpiryWindow = defineCheck({
  id: 'connection.tls.expiry-window',
  title: 'The TLS certificate has more days left than the warning window',
  step: 3, layer: 'connection', spec: 'deployment documentation (connection.certExpiryWarnDays)', severity: 'warning',
  requires: needsTlsEndpoint,
  async run({ profile, record }) {
    const options = tlsInspectOptions(profile)
    const warnDays = profile.connection.certExpiryWarnDays
    const expected = `at least ${warnDays} days before the certificate expires (connection.certExpiryWarnDays)`
    const inspection = await inspectTls(options)
    const exchange = record(tlsExchange(inspection, { caFile: options.caFile }))
    if (!inspection.completed) return noHandshake(inspection, exchange, expected)
    const cert = inspection.handshake.certificate
    if (!cert) return { pass: false, expected, actual: 'the server presented no certificate', got: gotOf(exchange, [problem('no-certificate', 'no certificate')]) }
    const pass = cert.daysUntilExpiry >= warnDays
    return {
      pass,
      expected,
      actual: cert.daysUntilExpiry < 0 ? daysText(cert.daysUntilExpiry, cert.validTo) : `${daysText(cert.daysUntilExpiry, cert.validTo)}: expires ${cert.validTo}`,
      got: gotOf(exchange, pass ? [] : [problem('expires-soon', `${daysText(cert.daysUntilExpiry, cert.validTo)}, under ${warnDays} days`)]),
    }
  },
  diagnose: (got, profile) => {
    const failed = noHandshakeDiagnosis(got.exchange, profile)
    if (failed) return failed
    const cert = got.exchange.connection?.tls?.certificate
    if (!cert) return `The TLS endpoint presented no certificate: configure one (${proxySetting(profile.layers?.proxy, 'tlsCertificate', 'the TLS listener\'s certificate')}).`
    const days = cert.daysUntilExpiry
    const when = days < 0
      ? `already expired on ${cert.validTo.slice(0, 10)} (connection.tls.certificate-valid fails too)`
      : `expires on ${cert.validTo.slice(0, 10)}, in ${days} day${days === 1 ? '' : 's'}: inside the ${profile.connection.certExpiryWarnDays}-day warning window (connection.certExpiryWarnDays)`
    return `The certificate for ${got.exchange.connection?.host} (${cert.subject}) ${when}. ` +
      'Renew it now, and check why it was not renewed already: that the renewal job runs ' +
      '(`certbot renew --dry-run`, or the ACME client\'s timer and logs) and that the server reloads after renewal (' +
      `${proxySetting(profile.layers?.proxy, 'tlsCertificate', 'a reload of the TLS endpoint')}), ` +
      'since a renewed file is not served until then.'
  },
})
