import { defineCheck, type Outcome } from '../../harness/check/define-check.ts'
import { allOf, gotOf } from '../../harness/check/expect-response.ts'
import { NotApplicable } from '../../harness/check/run-check.ts'
import { inspectTls } from '../../harness/tls/inspect-tls.ts'
import { probeLegacyTls } from '../../harness/tls/legacy-probe.ts'
import { tlsExchange } from '../../harness/tls/tls-exchange.ts'
import { needsTlsEndpoint, tlsInspectOptions } from './endpoints.ts'
import { noHandshake, noHandshakeDiagnosis } from './tls-outcome.ts'
import { problem } from '../../harness/check/problem.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'

const CURRENT = new Set(['TLSv1.2', 'TLSv1.3'])

export const tlsMinVersion = defineCheck({
  id: 'connection.tls.min-version',
  title: 'TLS 1.2 or newer is negotiated, and TLS 1.0 and 1.1 are refused',
  step: 3, layer: 'connection', spec: 'RFC 8996 §4–5', severity: 'error',
  requires: needsTlsEndpoint,
  async run({ profile, record }) {
    const options = tlsInspectOptions(profile)
    const current = await inspectTls(options)
    const legacy = await probeLegacyTls(options)
    if (legacy.outcome === 'cannot-offer') {
      throw new NotApplicable(`this client's OpenSSL will not offer TLS 1.0/1.1 even at security level 0 (${legacy.inspection.failure?.code}), so whether the server accepts them cannot be probed from here`)
    }
    const currentExchange = record(tlsExchange(current, { caFile: options.caFile, label: 'offering TLS 1.2–1.3' }))
    const legacyExchange = record(tlsExchange(legacy.inspection, { caFile: options.caFile, label: 'offering only TLS 1.0–1.1' }))

    const expectedCurrent = 'a TLS 1.2 or 1.3 handshake'
    const currentOutcome: Outcome = !current.completed
      ? noHandshake(current, currentExchange, expectedCurrent)
      : {
          pass: CURRENT.has(current.handshake.protocol ?? ''),
          expected: expectedCurrent,
          actual: `negotiated ${current.handshake.protocol}`,
          got: gotOf(currentExchange, CURRENT.has(current.handshake.protocol ?? '') ? [] : [problem('current-version', `negotiated ${current.handshake.protocol}`)]),
        }
    const legacyActual = legacy.outcome === 'accepted'
      ? `accepted: negotiated ${legacy.inspection.handshake.protocol} (${legacy.inspection.handshake.cipher})`
      : legacy.outcome === 'refused'
        ? `refused (${legacy.inspection.failure?.code})`
        : `no TLS spoken: stopped at step ${legacy.inspection.failedAt} (${legacy.inspection.failure?.code})`
    const legacyOutcome: Outcome = {
      pass: legacy.outcome === 'refused',
      expected: 'refused',
      actual: legacyActual,
      got: gotOf(legacyExchange, legacy.outcome === 'refused' ? [] : [problem('legacy-accepted', legacyActual)]),
    }
    return allOf([currentOutcome, legacyOutcome])
  },
  diagnose: (got, profile) => {
    const tls = got.exchange.connection?.tls
    if (tls?.protocol && tls.offered.maxVersion === 'TLSv1.1') {
      return `The server completed a ${tls.protocol} handshake when offered only TLS 1.0 and 1.1, which RFC 8996 forbids. ` +
        `Remove the legacy versions from the TLS endpoint: ${proxySetting(profile.layers?.proxy, 'tlsProtocols', 'the TLS listener\'s protocol versions')} (and no @SECLEVEL=0 in an OpenSSL cipher string).`
    }
    if (tls?.protocol && !CURRENT.has(tls.protocol)) {
      return `The server negotiated ${tls.protocol}: set its minimum to TLS 1.2: ${proxySetting(profile.layers?.proxy, 'tlsProtocols', 'the TLS listener\'s protocol versions')}.`
    }
    return noHandshakeDiagnosis(got.exchange, profile)
  },
})
