import { defineCheck } from '../../harness/check/define-check.ts'
import { expectResponse, jsonOf } from '../../harness/check/expect-response.ts'
import type { Exchange } from '../../harness/model/check-result.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { tlsUrlOf } from '../connection/endpoints.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'

const SPOOFED = 'spoofed-client-trusted'
const NOT_HTTPS = 'proto-not-https'

const SPOOFED_IP = '203.0.113.7' // RFC 5737 documentation range
const needsEcho = (p: Readonly<Profile>) => (p.forwarded ? undefined : 'forwarded.echoPath is not set: name a path that echoes what the app saw')

function echoed(exchange: Exchange, profile: Readonly<Profile>) {
  const body = jsonOf(exchange) as Record<string, unknown> | undefined
  const raw = body?.[profile.forwarded!.headersField]
  const pairs: [string, string][] = Array.isArray(raw) ? raw as [string, string][] : Object.entries(raw ?? {}) as [string, string][]
  return {
    client: body?.[profile.forwarded!.clientField] as string | undefined,
    header: (name: string) => pairs.find(([n]) => n.toLowerCase() === name)?.[1],
  }
}

export const forwardedForNotTrusted = defineCheck({
  id: 'proxy.forwarded-for.not-trusted',
  title: 'A client cannot choose its own address with X-Forwarded-For or X-Real-IP',
  step: 6, layer: 'proxy', spec: 'RFC 7239 §8 (forwarding headers cannot be trusted)', severity: 'error',
  requires: needsEcho,
  async run({ send, profile }) {
    const exchange = await send({
      path: profile.forwarded!.echoPath,
      headers: { 'x-forwarded-for': SPOOFED_IP, 'x-real-ip': SPOOFED_IP, forwarded: `for=${SPOOFED_IP}` },
    })
    return expectResponse(exchange, {
      status: 200, from: 'app', describe: `the app does not see ${SPOOFED_IP} as the client`,
      rules: [(ex) => {
        const seen = echoed(ex, profile)
        if (seen.client === undefined) return problem('no-client-field', `the echo has no "${profile.forwarded!.clientField}" field`)
        if (seen.client === SPOOFED_IP) return problem(SPOOFED, `the app believes the client is ${SPOOFED_IP}, the address the client made up`)
        return undefined
      }],
    })
  },
  diagnose: (got, profile) => (hasProblem(got, SPOOFED)
    ? 'The edge proxy passed the client\'s own X-Forwarded-For on and the app server trusts the proxy\'s address, ' +
      'so the leftmost, client-written entry wins: rate limits, audit logs and IP allowlists can be dodged. ' +
      `At the edge, replace X-Forwarded-For with the address the connection came from: ${proxySetting(profile.layers?.proxy, 'forwardedFor', 'X-Forwarded-For handling')}.`
    : undefined),
})

export const forwardedProtoHttps = defineCheck({
  id: 'proxy.forwarded-proto.https',
  title: 'Behind TLS the app is told https, whatever the client claims in X-Forwarded-Proto',
  step: 6, layer: 'proxy', spec: 'RFC 7239 §5.4; seed step 6 (X-Forwarded-Proto: https)', severity: 'error',
  requires: (p) => needsEcho(p) ?? (tlsUrlOf(p) ? undefined : 'no TLS endpoint: baseUrl is http:// and connection.httpsUrl is not set'),
  async run({ send, profile }) {
    const url = new URL(profile.forwarded!.echoPath, tlsUrlOf(profile)).href
    const exchange = await send({ path: url, headers: { 'x-forwarded-proto': 'http' } })
    return expectResponse(exchange, {
      status: 200, from: 'app', describe: 'X-Forwarded-Proto: https reached the app',
      rules: [(ex) => {
        const proto = echoed(ex, profile).header('x-forwarded-proto')
        return proto === 'https' ? undefined : problem(NOT_HTTPS, `the app saw X-Forwarded-Proto: ${proto ?? 'absent'}`)
      }],
    })
  },
  diagnose: (got, profile) => (hasProblem(got, NOT_HTTPS)
    ? 'The app does not learn that the client used https (or takes the client\'s word for it): redirects and cookies it builds go out as http. ' +
      `Set X-Forwarded-Proto to the scheme the client used, at the TLS-terminating proxy: ${proxySetting(profile.layers?.proxy, 'forwardedProto', 'X-Forwarded-Proto handling')}.`
    : undefined),
})
