import { readFileSync } from 'node:fs'
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net'
import { join } from 'node:path'
import { createServer, type Server } from 'node:tls'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CERTS_DIR } from '../../harness/paths.ts'
import { certificateProblems } from '../../harness/tls/certificate-problems.ts'
import { inspectTls } from '../../harness/tls/inspect-tls.ts'
import { probeLegacyTls } from '../../harness/tls/legacy-probe.ts'
import { tlsExchange } from '../../harness/tls/tls-exchange.ts'

// Real TLS servers on loopback, one per certificate scripts/make-certs.sh makes.
const CA_FILE = join(CERTS_DIR, 'ca.crt')
const pem = (name: string) => readFileSync(join(CERTS_DIR, name))
const servers: (Server | TcpServer)[] = []

async function listen<T extends Server | TcpServer>(server: T): Promise<number> {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return typeof address === 'object' && address ? address.port : 0
}

const tlsServer = (cert: string, alpn?: string[]) =>
  listen(createServer({ cert: pem(`${cert}.crt`), key: pem(`${cert}.key`), ALPNProtocols: alpn }, (socket) => socket.end()))

const inspect = (port: number, host = 'localhost') =>
  inspectTls({ url: `https://${host}:${port}/`, caFile: CA_FILE, connectMs: 1000, handshakeMs: 1000 })

const ports: Record<string, number> = {}
beforeAll(async () => {
  for (const cert of ['server', 'expired', 'wrong-host', 'untrusted', 'expiring-soon']) ports[cert] = await tlsServer(cert, ['http/1.1'])
  // Accepts TCP and never says a word: the handshake must time out, at step 3.
  // (resume: read to EOF, so the server side closes when the probe does.)
  ports.mute = await listen(createTcpServer((socket) => socket.resume()))
  // Speaks HTTP, not TLS.
  ports.plain = await listen(createTcpServer((socket) => socket.resume().end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')))
})
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve))
})

describe('inspectTls', () => {
  test('a sound certificate: negotiated version, ALPN, trusted, matching, days left — as plain data', async () => {
    const result = await inspect(ports.server!)
    expect(result).toMatchObject({ completed: true, address: '127.0.0.1' })
    expect(result.handshake).toMatchObject({
      servername: 'localhost', protocol: 'TLSv1.3', alpnProtocol: 'http/1.1', trusted: true, hostnameMatches: true,
      offered: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', alpn: ['h2', 'http/1.1'] },
      certificate: { subject: 'CN=localhost', issuer: 'CN=layercheck throwaway CA' },
    })
    expect(result.handshake.certificate!.subjectAltNames).toContain('DNS:localhost')
    expect(result.handshake.certificate!.daysUntilExpiry).toBeGreaterThan(30)
    expect(JSON.parse(JSON.stringify(result))).toEqual(result)
  })

  test('an expired certificate is still seen, and judged expired', async () => {
    const result = await inspect(ports.expired!)
    expect(result.completed).toBe(true)
    expect(result.handshake).toMatchObject({ trusted: false, trustError: 'CERT_HAS_EXPIRED', hostnameMatches: true })
    expect(result.handshake.certificate!.validTo).toBe('2020-01-31T00:00:00.000Z')
    expect(result.handshake.certificate!.daysUntilExpiry).toBeLessThan(0)
    expect(certificateProblems(result.handshake, 'localhost', { now: Date.now(), checkTrust: true }).map((p) => p.kind)).toEqual(['expired'])
  })

  test('a certificate for another name: trusted chain, host name mismatch', async () => {
    const result = await inspect(ports['wrong-host']!)
    expect(result.handshake).toMatchObject({ trusted: true, hostnameMatches: false })
    expect(result.handshake.hostnameError).toContain('wrong-host.example')
    expect(certificateProblems(result.handshake, 'localhost', { now: Date.now(), checkTrust: true }).map((p) => p.kind)).toEqual(['wrong-host'])
  })

  test('a certificate from an unknown CA: untrusted, unless tls.insecure', async () => {
    const result = await inspect(ports.untrusted!)
    expect(result.handshake).toMatchObject({ trusted: false, trustError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', hostnameMatches: true })
    expect(certificateProblems(result.handshake, 'localhost', { now: Date.now(), checkTrust: true }).map((p) => p.kind)).toEqual(['untrusted'])
    expect(certificateProblems(result.handshake, 'localhost', { now: Date.now(), checkTrust: false })).toEqual([])
  })

  test('a certificate about to expire is valid, with few days left', async () => {
    const result = await inspect(ports['expiring-soon']!)
    expect(result.handshake).toMatchObject({ trusted: true, hostnameMatches: true })
    expect(result.handshake.certificate!.daysUntilExpiry).toBeGreaterThanOrEqual(1)
    expect(result.handshake.certificate!.daysUntilExpiry).toBeLessThan(5)
  })

  test('an IP literal gets no SNI and is matched against IP subjectAltNames', async () => {
    const result = await inspect(ports.server!, '127.0.0.1')
    expect(result.handshake.servername).toBeUndefined()
    expect(result.handshake.hostnameMatches).toBe(true)
  })

  test('a server that never speaks TLS: a bounded handshake timeout, at step 3', async () => {
    const started = performance.now()
    const result = await inspectTls({ url: `https://127.0.0.1:${ports.mute}/`, connectMs: 1000, handshakeMs: 300 })
    expect(result).toMatchObject({ completed: false, failedAt: 3, failure: { code: 'ERR_TLS_HANDSHAKE_TIMEOUT' } })
    expect(performance.now() - started).toBeLessThan(1000)
  })

  test('a port that speaks HTTP instead: a handshake failure at step 3', async () => {
    const result = await inspect(ports.plain!, '127.0.0.1')
    expect(result).toMatchObject({ completed: false, failedAt: 3 })
    const exchange = tlsExchange(result, { caFile: CA_FILE })
    expect(exchange.answeredBy).toMatchObject({ tier: 'client', step: 3 })
    expect(exchange.answeredBy.reason).toContain('is not TLS')
    expect(exchange.response).toBeUndefined()
  })

  test('no ALPN on the server: alpnProtocol is false', async () => {
    const result = await inspect(await tlsServer('server'))
    expect(result.handshake.alpnProtocol).toBe(false)
  })

  test('a server without legacy versions refuses the legacy probe with an alert', async () => {
    const probe = await probeLegacyTls({ url: `https://localhost:${ports.server}/`, caFile: CA_FILE, connectMs: 1000, handshakeMs: 1000 })
    expect(probe.outcome).toBe('refused')
    expect(probe.inspection.handshake.offered).toMatchObject({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1' })
    expect(tlsExchange(probe.inspection).answeredBy.reason).toContain('accepts none of the offered TLS versions')
  })
})

describe('tlsExchange', () => {
  test('the evidence of a refused certificate names the verifying client\'s code, at step 3', async () => {
    const result = await inspect(ports.expired!)
    const exchange = tlsExchange(result, { caFile: CA_FILE, refusedByVerifyingClient: { code: 'CERT_HAS_EXPIRED', message: 'expired' } })
    expect(exchange.request).toMatchObject({ method: 'TLS', url: `https://localhost:${ports.expired}/` })
    expect(exchange.connection).toMatchObject({ step: 3, host: 'localhost', port: ports.expired })
    expect(exchange.answeredBy).toMatchObject({ tier: 'client', step: 3 })
    expect(exchange.answeredBy.reason).toContain('a verifying client refuses it (CERT_HAS_EXPIRED)')
    expect(exchange.repro).toBe(`openssl s_client -brief -connect localhost:${ports.expired} -servername localhost -verify_hostname localhost -CAfile ${CA_FILE} -alpn h2,http/1.1 </dev/null`)
  })
})
