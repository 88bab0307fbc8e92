import { connect, type TLSSocket } from 'node:tls'
import type { ClientFailure, TlsHandshake } from '../model/check-result.ts'
import { toClientFailure } from '../http/client-failure.ts'
import { endpointOf, hostPort, type Endpoint } from '../net/endpoint.ts'
import { matchHostname } from './hostname-match.ts'
import { summariseCertificate } from './peer-certificate.ts'
import { MODERN_OFFER, type TlsOffer } from './tls-offer.ts'
import { trustedCas } from './trust-store.ts'

export interface InspectTlsOptions {
  /** An https:// URL: its host is the SNI name and the name the certificate must carry. */
  url: string
  /** The profile's tls.caFile, trusted alongside the system store. */
  caFile?: string
  /** Bound on resolving and connecting. */
  connectMs: number
  /** Bound on the handshake, once connected. */
  handshakeMs: number
  offer?: TlsOffer
  /** For tests: the clock certificates are dated against. */
  now?: () => number
}

export interface TlsInspection {
  endpoint: Endpoint
  /** The handshake finished. Certificate problems do not stop it: they are recorded, not enforced. */
  completed: boolean
  /** Where it stopped when it did not finish: 1 DNS, 2 TCP, 3 TLS. */
  failedAt?: 1 | 2 | 3
  failure?: ClientFailure
  /** The address the TCP connection opened to. */
  address?: string
  handshake: TlsHandshake
  startedAt: string
  totalMs: number
}

/**
 * One TLS handshake, watched step by step: lookup, connect, handshake, each
 * bounded. The chain is verified against the trusted CAs and the host name
 * checked, but neither stops the handshake, so an expired or misnamed
 * certificate is still seen and described. Never throws for what the server
 * does; the socket is closed before this returns.
 */
export async function inspectTls(options: InspectTlsOptions): Promise<TlsInspection> {
  const endpoint = endpointOf(options.url)
  const offer = options.offer ?? MODERN_OFFER
  const now = options.now ?? Date.now
  // RFC 6066 §3: SNI carries host names only, never an IP literal.
  const servername = endpoint.isIpLiteral ? undefined : endpoint.host
  const handshake: TlsHandshake = { servername, offered: { ...offer, alpn: [...offer.alpn] } }
  const ca = trustedCas(options.caFile)
  const startedAt = new Date().toISOString()
  const started = performance.now()

  return await new Promise<TlsInspection>((resolve) => {
    let step: 1 | 2 | 3 = endpoint.isIpLiteral ? 2 : 1
    let timer: NodeJS.Timeout | undefined
    let settled = false
    const finish = (socket: TLSSocket, rest: Pick<TlsInspection, 'completed' | 'failedAt' | 'failure' | 'address'>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ endpoint, handshake, startedAt, totalMs: Math.round((performance.now() - started) * 10) / 10, ...rest })
    }
    const arm = (socket: TLSSocket, ms: number) => {
      clearTimeout(timer)
      timer = setTimeout(() => finish(socket, { completed: false, failedAt: step, failure: timeoutFailure(step, endpoint, ms) }), ms)
    }

    const socket = connect({
      host: endpoint.host,
      port: endpoint.port,
      servername,
      ca,
      // Verify, but do not enforce: what a verifying client would refuse is read from the result.
      rejectUnauthorized: false,
      // Host name matching is done separately, so authorizationError speaks of the chain alone.
      checkServerIdentity: () => undefined,
      minVersion: offer.minVersion,
      maxVersion: offer.maxVersion,
      ciphers: offer.ciphers,
      ALPNProtocols: offer.alpn,
    })
    arm(socket, options.connectMs)
    socket.once('lookup', () => {
      step = 2
    })
    socket.once('connect', () => {
      step = 3
      arm(socket, options.handshakeMs)
    })
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate()
      handshake.protocol = socket.getProtocol() ?? undefined
      handshake.cipher = socket.getCipher()?.name
      handshake.alpnProtocol = socket.alpnProtocol || false
      handshake.trusted = socket.authorized
      // Typed as Error, set by Node as OpenSSL's code string (CERT_HAS_EXPIRED, …).
      const authorizationError = socket.authorizationError as unknown as string | Error | null
      if (authorizationError) handshake.trustError = typeof authorizationError === 'string' ? authorizationError : authorizationError.message
      handshake.certificate = summariseCertificate(cert, now())
      if (handshake.certificate) {
        const match = matchHostname(endpoint.host, cert)
        handshake.hostnameMatches = match.matches
        if (match.error) handshake.hostnameError = match.error
      }
      finish(socket, { completed: true, address: socket.remoteAddress })
    })
    socket.once('error', (error) => {
      const failure = toClientFailure(error)
      // getaddrinfo codes mean the lookup failed, whatever step we thought we were at.
      const failedAt = /^(ENOTFOUND|EAI_)/.test(failure.code) ? 1 : step
      finish(socket, { completed: false, failedAt, failure, address: socket.remoteAddress })
    })
  })
}

function timeoutFailure(step: 1 | 2 | 3, endpoint: Endpoint, ms: number): ClientFailure {
  if (step === 1) return { code: 'ETIMEOUT', message: `DNS lookup of ${endpoint.host} did not answer within ${ms} ms` }
  if (step === 2) return { code: 'ETIMEDOUT', message: `connect ETIMEDOUT ${hostPort(endpoint)}: no answer to the connection attempt within ${ms} ms` }
  return { code: 'ERR_TLS_HANDSHAKE_TIMEOUT', message: `the TLS handshake with ${hostPort(endpoint)} did not finish within ${ms} ms of connecting` }
}
