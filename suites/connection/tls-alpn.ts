import { defineCheck } from '../../harness/check/define-check.ts'
import { gotOf } from '../../harness/check/expect-response.ts'
import { inspectTls } from '../../harness/tls/inspect-tls.ts'
import { tlsExchange } from '../../harness/tls/tls-exchange.ts'
import { needsTlsEndpoint, tlsInspectOptions } from './endpoints.ts'
import { noHandshake, noHandshakeDiagnosis } from './tls-outcome.ts'
import { problem } from '../../harness/check/problem.ts'

const HTTP_PROTOCOLS = new Set(['h2', 'http/1.1'])

export const tlsAlpn = defineCheck({
  id: 'connection.tls.alpn',
  title: 'The TLS endpoint selects an HTTP protocol by ALPN (h2 or http/1.1)',
  step: 3, layer: 'connection', spec: 'RFC 7301 §3.2; RFC 9113 §3.2', severity: 'info',
  requires: needsTlsEndpoint,
  async run({ profile, record }) {
    const options = tlsInspectOptions(profile)
    const inspection = await inspectTls(options)
    const exchange = record(tlsExchange(inspection, { caFile: options.caFile }))
    const expected = 'h2 or http/1.1 selected by ALPN, offered h2 and http/1.1'
    if (!inspection.completed) return noHandshake(inspection, exchange, expected)
    const selected = inspection.handshake.alpnProtocol
    const pass = typeof selected === 'string' && HTTP_PROTOCOLS.has(selected)
    const actual = selected ? `selected ${selected}` : 'no ALPN protocol selected'
    return { pass, expected, actual, got: gotOf(exchange, pass ? [] : [problem('alpn', actual)]) }
  },
  diagnose: (got, profile) => {
    const failed = noHandshakeDiagnosis(got.exchange, profile)
    if (failed) return failed
    const selected = got.exchange.connection?.tls?.alpnProtocol
    if (selected) return `The server selected ${selected} by ALPN, which is not HTTP: check that this port serves HTTP at all.`
    return 'The server selected no ALPN protocol though h2 and http/1.1 were offered (RFC 7301): HTTP/2 cannot be negotiated, ' +
      'and clients that insist on ALPN (gRPC, some HTTP/2-only clients) give up. Enable ALPN on the TLS endpoint: nginx selects ' +
      'http/1.1 on every TLS listener (add http2 to offer h2); HAProxy `alpn h2,http/1.1` on the bind line; Node `ALPNProtocols` on the TLS server.'
  },
})
