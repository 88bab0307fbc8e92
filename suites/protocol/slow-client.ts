import { defineCheck, type Outcome } from '../../harness/check/define-check.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { gotOf } from '../../harness/check/expect-response.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import type { RawOutcome } from '../../harness/raw/raw-exchange.ts'
import { connectionFailure, connectionProblem, STAYED_OPEN, healthPath, hostOf, rawTargetFor, recordJudged, runProbes } from './raw-probes.ts'
import type { RawProbe } from '../../harness/raw/raw-exchange.ts'
import { problem, problemText } from '../../harness/check/problem.ts'

// A client that never finishes its request must not hold a connection for ever
// (slowloris). RFC 9110 §15.5.9: the server may send 408 and close; RFC 9112 §9.5:
// it may close at any time. The deployment documents how long it waits.
const TRICKLE_MS = 400

function probes(profile: Readonly<Profile>, limitMs: number): { probe: RawProbe; timeoutMs: number; what: string }[] {
  const host = `Host: ${hostOf(profile)}`
  const path = healthPath(profile)
  const jsonEndpoint = profile.probes.jsonEndpoint
  const { clientHeaderTimeoutMs: headerMs, clientBodyTimeoutMs: bodyMs } = profile.protocol
  const list: { probe: RawProbe; timeoutMs: number; what: string }[] = []
  if (headerMs !== undefined) {
    list.push({
      what: 'client_header_timeout', timeoutMs: headerMs,
      probe: { label: 'header section started, then silence', requirement: 'SHOULD', bytes: `GET ${path} HTTP/1.1\r\n${host}\r\n` },
    })
    const pieces = Math.ceil(limitMs / TRICKLE_MS) + 2
    list.push({
      what: 'client_header_timeout', timeoutMs: headerMs,
      probe: {
        label: `header lines trickled one per ${TRICKLE_MS} ms, never ending`, requirement: 'SHOULD',
        bytes: [
          { bytes: Buffer.from(`GET ${path} HTTP/1.1\r\n${host}\r\n`, 'latin1') },
          ...Array.from({ length: pieces }, (_, i) => ({ bytes: Buffer.from(`X-Trickle-${i}: a\r\n`, 'latin1'), delayMs: TRICKLE_MS })),
        ],
      },
    })
  }
  if (bodyMs !== undefined) {
    list.push({
      what: 'client_body_timeout', timeoutMs: bodyMs,
      // To a path that reads its body, so no layer can answer before the body is complete.
      probe: {
        label: '2 of 10 announced body bytes, then silence', requirement: 'SHOULD',
        bytes: `${jsonEndpoint?.method ?? 'POST'} ${jsonEndpoint?.path ?? path} HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{"`,
      },
    })
  }
  return list
}

function judge(outcome: RawOutcome, profile: Readonly<Profile>, timeoutMs: number, what: string): Outcome {
  const margin = profile.protocol.timingMarginMs
  const expected = `connection closed (408 allowed) within ${timeoutMs} + ${margin} ms (${what})`
  const status = outcome.finals[0]?.status
  const closed = outcome.raw.end === 'closed' || outcome.raw.end === 'reset'
  if (closed && (status === undefined || status === 408) && outcome.raw.endMs <= timeoutMs + margin) {
    const exchange = status === undefined ? connectionProblem(outcome.exchange, profile, 'the stalled connection was closed') : outcome.exchange
    return { pass: true, expected, actual: `${status ?? 'no response'}, connection ${outcome.raw.end} after ${outcome.raw.endMs} ms`, got: gotOf(exchange, []) }
  }
  const found = status !== undefined && status !== 408
    ? problem('answered-incomplete', `answered ${status} to an incomplete request`)
    : closed
      ? problem('closed-late', `closed only after ${outcome.raw.endMs} ms, past the documented ${timeoutMs} ms`)
      : problem(STAYED_OPEN, `the connection was still open ${outcome.raw.endMs} ms later, past the documented ${timeoutMs} ms`)
  return connectionFailure(outcome.exchange, profile, found, { expected, measurements: { closedAfterMs: outcome.raw.endMs } })
}

export const slowClient = defineCheck({
  id: 'protocol.slow-client',
  title: 'A client that stalls or trickles its request is cut off within the documented client timeout',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §15.5.9, RFC 9112 §9.5', severity: 'warning', requirement: 'SHOULD',
  requires: (p) => (p.protocol.clientHeaderTimeoutMs === undefined && p.protocol.clientBodyTimeoutMs === undefined
    ? 'no protocol.clientHeaderTimeoutMs or clientBodyTimeoutMs: the deployment documents no client timeout to hold it to' : undefined),
  plannedWaitMs: (p) => Math.max(p.protocol.clientHeaderTimeoutMs ?? 0, p.protocol.clientBodyTimeoutMs ?? 0),
  async run(context) {
    const { profile } = context
    const longest = Math.max(profile.protocol.clientHeaderTimeoutMs ?? 0, profile.protocol.clientBodyTimeoutMs ?? 0)
    const limitMs = longest + profile.protocol.timingMarginMs
    const list = probes(profile, limitMs)
    // Wait just past the documented timeout, never the server's default minute.
    const target = rawTargetFor(profile, { idleMs: limitMs + 200, totalMs: limitMs + 500 })
    const outcomes = await runProbes(context, list.map((p) => p.probe), target)
    // The probes stall side by side: the longest of them is the wait.
    context.waited(Math.max(...outcomes.map((o) => o.raw.endMs)), 'stalled requests until the server cut them off (protocol.client*TimeoutMs)')
    const verdict = recordJudged(context, outcomes.map((o, i) => judge(o, profile, list[i]!.timeoutMs, list[i]!.what)))
    return { ...verdict, measurements: Object.fromEntries(outcomes.map((o, i) => [`probe${i + 1}EndMs`, o.raw.endMs])) }
  },
  diagnose: (got, profile) => `${got.exchange.label}: ${problemText(got.problems)}. The ${got.tier}${got.product ? ` (${got.product})` : ''} holds stalled clients open: ` +
    `each one costs a connection slot (slowloris). Set ${proxySetting(profile.layers?.proxy, 'clientTimeouts', 'the client header and body read timeouts')} to the documented ${profile.protocol.clientHeaderTimeoutMs} / ${profile.protocol.clientBodyTimeoutMs} ms (nginx's default is 60 s); ` +
    'uvicorn has no header or body read timeout, so it must sit behind a proxy that has one.',
})
