import { request } from 'undici'
import { defineCheck } from '../../harness/check/define-check.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'
import { pollUntil } from '../../harness/process/poll.ts'

interface Captured { url: string; headers: Record<string, string | string[] | undefined> }

async function captured(captureUrl: string): Promise<Captured[]> {
  const response = await request(new URL('/__captured', captureUrl), { headersTimeout: 2000, bodyTimeout: 2000 })
  return (await response.body.json()) as Captured[]
}

export const requestIdPropagation = defineCheck({
  id: 'request-id.propagated',
  title: 'The request ID reaches the downstream services the app calls',
  step: 15, layer: 'handler', spec: 'seed Part 7 (propagate the request ID to downstream services)', severity: 'warning',
  requires: (p) => (!p.requestId ? 'requestId is not set in the profile'
    : !p.propagation ? 'propagation is not set: name a path that calls a downstream service, and where that call can be seen' : undefined),
  async run({ send, profile, nonce }) {
    const name = profile.requestId!.header.toLowerCase()
    const sent = `layercheck-propagation-${nonce()}`
    const before = (await captured(profile.propagation!.captureUrl)).length
    const exchange = await send({ path: profile.propagation!.path, headers: { [name]: sent } })
    // The downstream call happens inside the request; poll briefly for it to be listed.
    const calls = await pollUntil('the downstream call to be captured', async () => {
      const all = await captured(profile.propagation!.captureUrl)
      return all.length > before ? all.slice(before) : undefined
    }, { timeoutMs: 3000, intervalMs: 50 }).catch(() => [] as Captured[])
    const carried = calls.filter((call) => call.headers[name] === sent)
    return {
      ...expectResponse(exchange, {
        status: 200, from: 'app', describe: `the downstream call carries ${profile.requestId!.header}: ${sent}`,
        rules: [() => (calls.length === 0 ? 'no downstream call was seen'
          : carried.length === 0 ? `the downstream call carried ${profile.requestId!.header}: ${String(calls[0]!.headers[name] ?? 'absent')}` : undefined)],
      }),
      measurements: { downstreamCalls: calls.length },
    }
  },
  diagnose: (got, profile) => (got.problems.some((p) => p.includes('carried'))
    ? `The app calls its downstream service without the ${profile.requestId!.header} it was given, so the trace stops at this service. Forward it on every outgoing call (an HTTP client wrapper that reads it from the request context).`
    : undefined),
})
