import { lookup } from 'node:dns/promises'
import type { ClientFailure } from '../model/check-result.ts'
import { toClientFailure } from '../http/client-failure.ts'

export interface Resolution {
  host: string
  /** Addresses in the order the resolver gave them (what a client tries first comes first). */
  addresses: string[]
  failure?: ClientFailure
  startedAt: string
  totalMs: number
}

/**
 * Resolves a host name the way the HTTP client does (getaddrinfo: /etc/hosts,
 * then DNS), bounded by `timeoutMs`. getaddrinfo cannot be cancelled: past the
 * deadline its answer is ignored and the lookup reported as timed out, with
 * c-ares' code for a resolver that did not answer (ETIMEOUT, not TCP's ETIMEDOUT).
 */
export async function resolveHost(host: string, timeoutMs: number): Promise<Resolution> {
  const startedAt = new Date().toISOString()
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(
      new Error(`DNS lookup of ${host} did not answer within ${timeoutMs} ms`), { code: 'ETIMEOUT' },
    )), timeoutMs)
  })
  try {
    const found = await Promise.race([lookup(host, { all: true, order: 'verbatim' }), deadline])
    return { host, addresses: found.map((a) => a.address), startedAt, totalMs: elapsed(started) }
  } catch (error) {
    return { host, addresses: [], failure: toClientFailure(error), startedAt, totalMs: elapsed(started) }
  } finally {
    clearTimeout(timer)
  }
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 10) / 10
