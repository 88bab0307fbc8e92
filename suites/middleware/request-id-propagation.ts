import { defineCheck, type CheckContext } from '../../harness/check/define-check.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'
import { pollUntil } from '../../harness/process/poll.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'

const NOT_CARRIED = 'id-not-forwarded'
/** How long after the first new call the check still waits for one carrying its ID (ms). */
const GRACE_MS = 500

interface Captured { url: string; headers: Record<string, string | string[] | undefined> }

/** What the capture service saw: the calls the app made downstream. */
async function captured(getJson: CheckContext['getJson'], captureUrl: string): Promise<Captured[]> {
  const { exchange, json } = await getJson(new URL('/__captured', captureUrl).href)
  if (!Array.isArray(json)) throw new Error(`propagation.captureUrl answered ${exchange.response?.status ?? exchange.failure?.code}, not a JSON list of captured calls`)
  return json as Captured[]
}

export const requestIdPropagation = defineCheck({
  id: 'middleware.request-id.propagated',
  title: 'The request ID reaches the downstream services the app calls',
  step: 15, layer: 'handler', spec: 'seed Part 7 (propagate the request ID to downstream services)', severity: 'warning',
  requires: (p) => (!p.requestId ? 'requestId is not set in the profile'
    : !p.propagation ? 'propagation is not set: name a path that calls a downstream service, and where that call can be seen' : undefined),
  async run({ send, getJson, profile, nonce }) {
    const name = profile.requestId!.header.toLowerCase()
    const sent = `layercheck-propagation-${nonce()}`
    const before = (await captured(getJson, profile.propagation!.captureUrl)).length
    const exchange = await send({ path: profile.propagation!.path, headers: { [name]: sent } })
    // The downstream call happens inside the request; poll briefly for it to be listed. Other checks' requests
    // may reach the capture service too (they run side by side): wait for a call carrying our ID, or, once
    // calls have come, a little longer (GRACE_MS) before judging those.
    let since: Captured[] = []
    let firstSeen: number | undefined
    const calls = await pollUntil('the downstream call to be captured', async () => {
      since = (await captured(getJson, profile.propagation!.captureUrl)).slice(before)
      if (since.length) firstSeen ??= performance.now()
      const ours = since.some((call) => call.headers[name] === sent)
      return ours || (firstSeen !== undefined && performance.now() - firstSeen > GRACE_MS) ? since : undefined
    }, { timeoutMs: 3000, intervalMs: 50 }).catch(() => since)
    const carried = calls.filter((call) => call.headers[name] === sent)
    return {
      ...expectResponse(exchange, {
        status: 200, from: 'app', describe: `the downstream call carries ${profile.requestId!.header}: ${sent}`,
        rules: [() => (calls.length === 0 ? problem('no-downstream-call', 'no downstream call was seen')
          : carried.length === 0 ? problem(NOT_CARRIED, `the downstream call carried ${profile.requestId!.header}: ${String(calls[0]!.headers[name] ?? 'absent')}`) : undefined)],
      }),
      measurements: { downstreamCalls: calls.length },
    }
  },
  diagnose: (got, profile) => (hasProblem(got, NOT_CARRIED)
    ? `The app calls its downstream service without the ${profile.requestId!.header} it was given, so the trace stops at this service. Forward it on every outgoing call (an HTTP client wrapper that reads it from the request context).`
    : undefined),
})
