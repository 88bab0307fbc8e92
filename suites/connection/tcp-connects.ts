import { defineCheck } from '../../harness/check/define-check.ts'
import { allOf, gotOf } from '../../harness/check/expect-response.ts'
import { hostPort } from '../../harness/net/endpoint.ts'
import { tcpConnect } from '../../harness/net/tcp-connect.ts'
import { tcpExchange } from '../../harness/net/tcp-exchange.ts'
import { targetEndpoints } from './endpoints.ts'
import { problem } from '../../harness/check/problem.ts'

function failedHow(code: string, connectMs: number): string {
  if (code === 'ECONNREFUSED') return 'refused (ECONNREFUSED)'
  if (code === 'ETIMEDOUT') return `timed out: no answer within ${connectMs} ms (ETIMEDOUT)`
  return `failed (${code})`
}

export const tcpConnects = defineCheck({
  id: 'connection.tcp.connects',
  title: 'A TCP connection to each endpoint of the target opens within the connect timeout',
  step: 2, layer: 'connection', spec: 'RFC 9293 §3.5; deployment documentation (baseUrl, connection.httpsUrl)', severity: 'error',
  async run({ profile, record }) {
    const connectMs = profile.timeouts.connectMs
    const outcomes = []
    for (const endpoint of targetEndpoints(profile)) {
      const attempt = await tcpConnect(endpoint, connectMs)
      const exchange = record(tcpExchange(attempt, endpoint.url, connectMs, endpoint.key))
      const target = hostPort(endpoint)
      const how = attempt.failure && (attempt.failedAt === 1 ? `${endpoint.host} did not resolve (${attempt.failure.code})` : failedHow(attempt.failure.code, connectMs))
      outcomes.push({
        pass: attempt.connected,
        expected: `a TCP connection to ${target} opens within ${connectMs} ms`,
        actual: attempt.connected ? `opened in ${attempt.totalMs} ms` : `${target}: ${how}`,
        got: gotOf(exchange, how ? [problem('not-connected', how)] : []),
      })
    }
    return allOf(outcomes)
  },
  diagnose: (got, profile) => {
    const probe = got.exchange.connection
    const target = probe ? hostPort({ host: probe.host, port: probe.port ?? 0 }) : '(unknown)'
    const code = got.exchange.failure?.code ?? 'unknown'
    if (got.answeredBy.step === 1) {
      return `DNS (step 1): ${probe?.host} does not resolve (${code}), so no TCP connection could be tried: fix the name first (see connection.dns.resolves).`
    }
    if (code === 'ECONNREFUSED') {
      return `TCP (step 2): ${target} refused the connection (ECONNREFUSED): the host answered, but nothing listens on that port, ` +
        'or a firewall rejects the connection. Check that the service is running and listening on that address and port ' +
        '(`ss -ltnp` on the host; nginx: its listen directives), and that the URL names the right port.'
    }
    if (code === 'ETIMEDOUT') {
      return `TCP (step 2): the connection to ${target} timed out: no answer within ${profile.timeouts.connectMs} ms (timeouts.connectMs). ` +
        'Packets are dropped on the way (a firewall or security group that drops rather than rejects), the address is wrong or ' +
        'unreachable, or the listener is too busy to accept (its accept queue is full: compare Recv-Q with Send-Q in `ss -ltn`).'
    }
    return `TCP (step 2): the connection to ${target} failed (${code}): no route to that address from here. Check the address, ` +
      'the routing and any VPN or network policy between this machine and the target.'
  },
})
