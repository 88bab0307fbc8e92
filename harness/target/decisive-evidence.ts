import { withDecisiveClue } from '../attribution/attribute.ts'
import type { Clue } from '../attribution/clue.ts'
import { viewOf } from '../http/http-client.ts'
import type { Exchange } from '../model/check-result.ts'
import type { Profile } from '../profile/schema.ts'
import { attributionFor } from './attribution-for-profile.ts'

/**
 * Re-weighs an exchange's attribution with evidence a check found beyond the
 * answer itself — a log that shows a control request and not the probe, a
 * connection the first hop closed — which outranks every shape. The exchange is
 * the evidence record, so its attribution is updated where it is kept, before
 * any judgment reads it.
 */
export function addDecisiveEvidence(exchange: Exchange, profile: Readonly<Profile>, clue: Omit<Clue, 'weight'>): Exchange {
  if (!exchange.response) return exchange
  const context = { ...attributionFor(profile), origin: new URL(exchange.request.url).origin }
  exchange.answeredBy = withDecisiveClue(viewOf(exchange.response), context, clue)
  return exchange
}
