import type { Exchange } from '../model/check-result.ts'
import { hostPort } from './endpoint.ts'
import { probeExchange } from './probe-exchange.ts'
import type { TcpAttempt } from './tcp-connect.ts'

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/** A TCP connection attempt as evidence; `nc -vz` repeats it (and only it). */
export function tcpExchange(attempt: TcpAttempt, url: string, timeoutMs: number, label?: string): Exchange {
  return probeExchange({
    label,
    url,
    connection: { step: 2, host: attempt.host, port: attempt.port, addresses: attempt.address ? [attempt.address] : undefined },
    failure: attempt.failure,
    failedAt: attempt.failedAt,
    observed: {
      reason: `TCP: the connection to ${hostPort(attempt)} opened in ${attempt.totalMs} ms${attempt.address && attempt.address !== attempt.host ? ` (${attempt.address})` : ''}`,
      signals: [`connected to ${attempt.address ?? attempt.host}:${attempt.port}`],
    },
    startedAt: attempt.startedAt,
    totalMs: attempt.totalMs,
    repro: `nc -vz -w ${Math.max(1, Math.ceil(timeoutMs / 1000))} ${shellQuote(attempt.host)} ${attempt.port}`,
  })
}
