import { attributeResponse } from '../attribution/attribute.ts'
import { headerValue, viewOf } from '../http/http-client.ts'
import type { Exchange } from '../model/check-result.ts'
import { pollUntil } from '../process/poll.ts'
import type { Profile } from '../profile/schema.ts'
import { attributionFor } from './attribution-for-profile.ts'
import { readLog } from './log-reader.ts'
import { findLine } from './log-tail.ts'

/** How long the app's log line may lag its answer (it is written as the request ends). */
const LOG_LAG_MS = 1500

/**
 * An answer whose layer its shape leaves unknown (the app's own 500, written
 * outside the middleware that adds its usual headers), weighed again with the
 * app's log: a line with the answer's request ID shows the app handled the
 * request. That counts as much as a documented answer, not as proof: a front
 * may still have replaced what the app sent. Without logs.app, a request ID or
 * a sighting, the exchange is left as it was.
 */
export async function withAppLogSighting(exchange: Exchange, profile: Readonly<Profile>): Promise<Exchange> {
  const response = exchange.response
  const sources = profile.logs?.app
  if (!response || !sources || exchange.answeredBy.tier !== 'unknown') return exchange
  const id = headerValue(response, profile.requestId?.header ?? 'X-Request-ID')
  if (!id || id.length < 8) return exchange
  const line = await pollUntil('the request ID in the app log', async () => findLine(await readLog(sources), id)?.line, { timeoutMs: LOG_LAG_MS, intervalMs: 100 })
    .catch(() => undefined)
  if (!line) return exchange
  const context = { ...attributionFor(profile), origin: new URL(exchange.request.url).origin }
  exchange.answeredBy = attributeResponse(viewOf(response), context, {
    status: response.status, tier: 'app', because: `the app log has this request's ID (${id}): the app handled it`,
  })
  return exchange
}
