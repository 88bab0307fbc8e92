import { defineCheck, type Got } from '../../harness/check/define-check.ts'
import { expectResponse, gotOf, jsonOf } from '../../harness/check/expect-response.ts'
import { failWith, hasProblem, problem, type Problem } from '../../harness/check/problem.ts'
import { NotApplicable } from '../../harness/check/run-check.ts'
import type { Exchange } from '../../harness/model/check-result.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { DISTURBS_UPSTREAM } from '../../harness/check/resources.ts'

// Lifecycle step 7, seen from the app's side: the proxy should speak HTTP/1.1 to
// the app and keep its connections (RFC 9112 §9.3), or every request pays a new
// upstream connection, and HTTP/1.0 bodies lose their framing.

const REQUESTS = 12
const CODES = { http10: 'upstream-http-1.0', noReuse: 'upstream-not-reused' } as const

interface HopView { version?: string; port?: number }

function hopView(exchange: Exchange, profile: Readonly<Profile>): HopView {
  const body = jsonOf(exchange) as Record<string, unknown> | undefined
  const { httpVersionField, peerPortField } = profile.forwarded!
  const port = Number(body?.[peerPortField])
  return { version: body?.[httpVersionField] === undefined ? undefined : String(body[httpVersionField]), port: Number.isInteger(port) ? port : undefined }
}

/** The proxy is to blame, while the answer (the app's echo) keeps its own attribution as evidence. */
function hopGot(exchange: Exchange, profile: Readonly<Profile>, found: Problem, signals: string[]): Got {
  const product = profile.layers?.proxy
  const answeredBy = { tier: 'proxy' as const, product, confidence: 'certain' as const, reason: `${found.text}: the hop to the app is the proxy's`, signals }
  return { ...gotOf(exchange, []), tier: 'proxy', product, answeredBy }
}

export const upstreamKeepAlive = defineCheck({
  id: 'proxy.upstream.http11-keep-alive',
  title: 'The proxy reaches the app over HTTP/1.1 and reuses its upstream connections',
  step: 7, layer: 'proxy', spec: 'RFC 9112 §9.3 (persistence), §2.3 (version)', severity: 'warning',
  // It counts the proxy's upstream connections: other traffic would open more, so nothing runs beside it.
  uses: DISTURBS_UPSTREAM,
  requires: (p) => (p.forwarded ? undefined : 'forwarded.echoPath is not set: name a path that echoes what the app saw'),
  async run({ send, sendUnrecorded, profile }) {
    const path = profile.forwarded!.echoPath
    const first = await send({ path, label: `request 1 of ${REQUESTS}` })
    const served = expectResponse(first, { status: 200, from: 'app' })
    if (!served.pass) return served
    const { httpVersionField, peerPortField } = profile.forwarded!
    const seen = [hopView(first, profile)]
    if (seen[0]!.version === undefined || seen[0]!.port === undefined) {
      throw new NotApplicable(`${path} echoes no "${httpVersionField}" and "${peerPortField}": add the HTTP version and the peer port the app saw (forwarded.httpVersionField, forwarded.peerPortField)`)
    }
    for (let i = 2; i < REQUESTS; i++) seen.push(hopView(await sendUnrecorded({ path }), profile))
    const last = await send({ path, label: `request ${REQUESTS} of ${REQUESTS}` })
    seen.push(hopView(last, profile))

    const connections = new Set(seen.map((v) => v.port)).size
    const versions = [...new Set(seen.map((v) => v.version))]
    const expected = `HTTP/1.1 at the app, and ${REQUESTS} sequential requests over at most ${REQUESTS / 2} upstream connections`
    const actual = `the app saw HTTP/${versions.join(', HTTP/')} over ${connections} connection${connections === 1 ? '' : 's'} (peer ports) for ${REQUESTS} requests`
    const measurements = { requests: REQUESTS, upstreamConnections: connections }
    const signals = [`${httpVersionField}: ${versions.join(', ')}`, `${connections} distinct ${peerPortField} values in ${REQUESTS} requests`]
    const found = versions.some((v) => v !== '1.1')
      ? problem(CODES.http10, `the app was reached over HTTP/${versions.find((v) => v !== '1.1')}`)
      : connections > REQUESTS / 2 ? problem(CODES.noReuse, `${connections} upstream connections for ${REQUESTS} sequential requests: none kept for the next one`) : undefined
    if (!found) return { pass: true, expected, actual, got: gotOf(last, []), measurements }
    return failWith(found, hopGot(last, profile, found, signals), { expected, actual, measurements })
  },
  diagnose: (got, profile) => {
    const proxy = profile.layers?.proxy
    if (hasProblem(got, CODES.http10)) {
      return 'The proxy speaks HTTP/1.0 to the app: no connection outlives a request, and a streamed body loses its framing (only the close ends it). ' +
        `Speak HTTP/1.1 upstream: ${proxySetting(proxy, 'upstreamHttp11', 'HTTP/1.1 to the upstream')}; and keep connections: ${proxySetting(proxy, 'upstreamKeepAlive', 'upstream connection reuse')}.`
    }
    if (hasProblem(got, CODES.noReuse)) {
      return 'Every request opened a new connection to the app: each pays a TCP (and TLS) handshake and leaves a socket in TIME_WAIT, which under load exhausts ports. ' +
        `Keep idle upstream connections: ${proxySetting(proxy, 'upstreamKeepAlive', 'upstream connection reuse')}.`
    }
    return undefined
  },
})
