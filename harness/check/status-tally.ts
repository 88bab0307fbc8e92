import type { Exchange } from '../model/check-result.ts'

/** What came back, in one word: the status, or the client-side failure code. */
export const statusOf = (exchange: Exchange): string | number =>
  exchange.response?.status ?? exchange.failure?.code ?? 'no answer'

/** `7× 200, 3× 502`: how a burst of requests was answered. */
export function tallyStatuses(exchanges: readonly Exchange[]): string {
  const counts = new Map<string | number, number>()
  for (const exchange of exchanges) counts.set(statusOf(exchange), (counts.get(statusOf(exchange)) ?? 0) + 1)
  return [...counts].map(([status, n]) => `${n}× ${status}`).join(', ')
}
