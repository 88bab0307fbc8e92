import type { Profile } from '../../harness/profile/schema.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import type { Outcome } from '../../harness/check/define-check.ts'
import { gotOf } from '../../harness/check/expect-response.ts'
import type { Exchange } from '../../harness/model/check-result.ts'
import { hostPort } from '../../harness/net/endpoint.ts'
import type { TlsInspection } from '../../harness/tls/inspect-tls.ts'
import { problem } from '../../harness/check/problem.ts'

// What every TLS check says when the handshake itself did not happen.

export function noHandshake(inspection: TlsInspection, exchange: Exchange, expected: string): Outcome {
  const failure = inspection.failure!
  const where = inspection.failedAt === 1 ? 'the name did not resolve' : inspection.failedAt === 2 ? 'the TCP connection did not open' : 'the handshake failed'
  return {
    pass: false,
    expected,
    actual: `no TLS handshake with ${hostPort(inspection.endpoint)}: ${where} (${failure.code})`,
    got: gotOf(exchange, [problem('no-handshake', `no TLS handshake (${failure.code})`)]),
  }
}

/** The diagnosis of a handshake that did not happen, by the step it stopped at. */
export function noHandshakeDiagnosis(exchange: Exchange, profile: Readonly<Profile>): string | undefined {
  if (exchange.connection?.tls?.protocol) return undefined
  const code = exchange.failure?.code
  if (!code) return undefined
  const target = exchange.connection ? hostPort({ host: exchange.connection.host, port: exchange.connection.port ?? 443 }) : 'the TLS endpoint'
  const step = exchange.answeredBy.step
  if (step === 1) return `DNS (step 1): ${exchange.connection?.host} does not resolve (${code}), so no TLS was spoken; see connection.dns.resolves.`
  if (step === 2) return `TCP (step 2): the connection to ${target} did not open (${code}), so no TLS was spoken; see connection.tcp.connects.`
  return `TLS (step 3): the handshake with ${target} failed (${code}): the port does not speak TLS, or the server accepts none of the ` +
    `offered versions and ciphers. Check the TLS listener (${proxySetting(profile.layers?.proxy, 'tlsProtocols', 'its TLS protocol versions and ciphers')}) and repeat the handshake with the openssl line below.`
}
