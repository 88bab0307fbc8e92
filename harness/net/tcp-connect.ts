import { connect } from 'node:net'
import type { ClientFailure } from '../model/check-result.ts'
import { toClientFailure } from '../http/client-failure.ts'
import { hostPort, type Endpoint } from './endpoint.ts'

export interface TcpAttempt {
  host: string
  port: number
  connected: boolean
  /** The address the connection opened to. */
  address?: string
  /** Where it stopped, when it did not connect: 1 the name did not resolve, 2 the connection did not open. */
  failedAt?: 1 | 2
  failure?: ClientFailure
  startedAt: string
  totalMs: number
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA'])

/**
 * Opens one TCP connection and closes it at once: the three-way handshake and
 * nothing more. Bounded by `timeoutMs` (resolution included); a refusal (RST)
 * comes back as ECONNREFUSED, silence (SYNs dropped) as ETIMEDOUT.
 */
export async function tcpConnect(endpoint: Pick<Endpoint, 'host' | 'port' | 'isIpLiteral'>, timeoutMs: number): Promise<TcpAttempt> {
  const startedAt = new Date().toISOString()
  const started = performance.now()
  const base = { host: endpoint.host, port: endpoint.port, startedAt }
  return await new Promise<TcpAttempt>((resolve) => {
    let resolved = endpoint.isIpLiteral
    const socket = connect({ host: endpoint.host, port: endpoint.port })
    const settle = (result: Omit<TcpAttempt, 'host' | 'port' | 'startedAt' | 'totalMs'>) => {
      clearTimeout(timer)
      socket.destroy()
      resolve({ ...base, ...result, totalMs: Math.round((performance.now() - started) * 10) / 10 })
    }
    const timer = setTimeout(() => {
      const failure = resolved
        ? { code: 'ETIMEDOUT', message: `connect ETIMEDOUT ${hostPort(endpoint)}: no answer to the connection attempt within ${timeoutMs} ms` }
        : { code: 'ETIMEOUT', message: `DNS lookup of ${endpoint.host} did not answer within ${timeoutMs} ms` }
      settle({ connected: false, failedAt: resolved ? 2 : 1, failure })
    }, timeoutMs)
    socket.once('lookup', () => {
      resolved = true
    })
    socket.once('connect', () => settle({ connected: true, address: socket.remoteAddress }))
    socket.once('error', (error) => {
      const failure = toClientFailure(error)
      settle({ connected: false, failedAt: DNS_CODES.has(failure.code) ? 1 : 2, failure })
    })
  })
}
