import type { CheckContext } from '../../harness/check/define-check.ts'
import type { SendOptions } from '../../harness/http/http-client.ts'
import type { Exchange } from '../../harness/model/check-result.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { paddedJsonBody } from '../../harness/check/bodies.ts'
import { rawTargetFor } from '../../harness/target/first-hop.ts'
import { withProbeCredentials } from '../../harness/target/probe-credentials.ts'

// The ways a client can frame a request body (RFC 9112 §6): a limit must hold in
// each, since a front that only reads the announced Content-Length lets a chunked
// upload of any size through.

export type Framing = 'content-length' | 'chunked' | 'expect-chunked'

export const FRAMINGS: readonly Framing[] = ['content-length', 'chunked', 'expect-chunked']

/** How a framing reads in a label and a diagnosis. */
export const FRAMING_LABEL: Readonly<Record<Framing, string>> = {
  'content-length': 'with Content-Length',
  chunked: 'chunked, no Content-Length',
  'expect-chunked': 'chunked, behind Expect: 100-continue',
}

/** The profile's JSON endpoint with a valid body padded to exactly `bytes`. */
export function sizedPost(profile: Readonly<Profile>, bytes: number): SendOptions & { body: string } {
  const endpoint = profile.probes.jsonEndpoint!
  return {
    method: endpoint.method, path: endpoint.path,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: paddedJsonBody(endpoint.validBody, endpoint.paddingField!, bytes),
  }
}

/**
 * Sends `request` in `framing`. Expect: 100-continue is raw bytes (undici sends no
 * Expect on HTTP/1.1): the header section first, the body after a pause in which a
 * front that judges from the headers alone answers.
 */
export async function sendFramed(context: CheckContext, request: SendOptions & { body: string }, framing: Framing): Promise<Exchange> {
  const label = `${Buffer.byteLength(request.body)} bytes ${FRAMING_LABEL[framing]}`
  if (framing !== 'expect-chunked') {
    return context.send({ ...request, label, ...(framing === 'chunked' && { framing: 'chunked' as const }) })
  }
  const { profile } = context
  const url = new URL(request.path, profile.baseUrl)
  const withToken = withProbeCredentials(profile, context.secret)(request)
  const lines = Object.entries({ ...withToken.headers, 'transfer-encoding': 'chunked', expect: '100-continue' }).map(([name, value]) => `${name}: ${value}\r\n`)
  const head = `${request.method ?? 'POST'} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n${lines.join('')}\r\n`
  const body = `${Buffer.byteLength(request.body).toString(16)}\r\n${request.body}\r\n0\r\n\r\n`
  const outcome = await context.raw(
    { label, requirement: 'MUST', bytes: [{ bytes: Buffer.from(head, 'latin1') }, { bytes: Buffer.from(body, 'utf8'), delayMs: 300 }], documented: request.documented },
    rawTargetFor(profile, { url: profile.baseUrl, maxBytes: 64 * 1024 }),
  )
  return context.record(outcome.exchange)
}

/** The framing an exchange was sent in, from its label. */
export const framingOf = (exchange: Exchange): Framing | undefined =>
  FRAMINGS.find((framing) => exchange.label?.endsWith(FRAMING_LABEL[framing]))
