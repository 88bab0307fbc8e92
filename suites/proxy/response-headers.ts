import { defineCheck } from '../../harness/check/define-check.ts'
import { sendSample } from '../../harness/check/send-sample.ts'
import { documentedOversize } from '../../harness/check/bodies.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { allOf, expectResponse, header } from '../../harness/check/expect-response.ts'
import type { SendOptions } from '../../harness/http/http-client.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { tlsUrlOf } from '../connection/endpoints.ts'
import { hasProblem, problem, problemText } from '../../harness/check/problem.ts'

const VERSION = 'version-disclosed'
const NO_NOSNIFF = 'no-nosniff'
const HSTS_MISSING = 'hsts-missing'
const HSTS_OVER_HTTP = 'hsts-over-http'

/** A 2xx, an app error and (where documented) a proxy error page: headers must hold on all of them. */
function sampleResponses(profile: Readonly<Profile>, nonce: string, base = profile.baseUrl): (SendOptions & { expect: number | number[] })[] {
  const at = (path: string) => new URL(path, base).href
  const samples: (SendOptions & { expect: number | number[] })[] = [
    // Without a path that answers 2xx (probes.healthAnswers), the headers are judged on the answers there are.
    ...(profile.probes.healthAnswers === '2xx' ? [{ path: at(profile.probes.healthPath), label: '2xx', expect: [200, 204] }] : []),
    { path: at(`${profile.probes.unknownPath}-${nonce}`), label: '404', expect: 404 },
  ]
  const endpoint = profile.probes.jsonEndpoint
  if (profile.limits.maxBodyBytes && endpoint) {
    samples.push({
      method: endpoint.method, path: at(endpoint.path), label: '413 from proxy', expect: 413,
      headers: { 'content-type': 'application/json' }, body: 'x'.repeat(profile.limits.maxBodyBytes + 1), documented: documentedOversize(profile),
    })
  }
  return samples
}

export const serverVersionHidden = defineCheck({
  id: 'proxy.headers.server-version-hidden',
  title: 'No layer discloses its version in the Server header or its error pages',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §10.2.4 (Server: SHOULD NOT give fine-grained detail)', severity: 'warning',
  // RFC 9110 says SHOULD NOT of fine-grained detail: advice until the profile documents it.
  recommendation: 'responseHeaders.hideServerVersion',
  requires: (p) => (p.responseHeaders.hideServerVersion === false ? 'responseHeaders.hideServerVersion is false' : undefined),
  async run({ send, profile, nonce }) {
    const outcomes = []
    for (const sample of sampleResponses(profile, nonce())) {
      const exchange = await sendSample(send, sample)
      outcomes.push(expectResponse(exchange, {
        status: sample.expect, describe: 'no version in Server or the body footer',
        rules: [
          (ex) => (/\d+\.\d+/.test(header(ex, 'server') ?? '') ? problem(VERSION, `Server: ${header(ex, 'server')}`) : undefined),
          (ex) => (/<center>\w+\/\d+\.\d+[^<]*<\/center>/.test(ex.response?.bodyExcerpt ?? '') ? problem(VERSION, 'the error page footer names a version') : undefined),
          (ex) => (header(ex, 'x-powered-by') ? problem(VERSION, `X-Powered-By: ${header(ex, 'x-powered-by')}`) : undefined),
        ],
      }))
    }
    return allOf(outcomes)
  },
  diagnose: (got, profile) => (hasProblem(got, VERSION)
    ? `${got.exchange.label}: a version is disclosed, which tells an attacker which CVEs to try. Hide it: ${proxySetting(profile.layers?.proxy, 'serverTokens', 'the Server header')}${got.tier === 'app-server' || got.tier === 'app' ? ', and the app server\'s own Server header' : ''}.`
    : undefined),
})

export const nosniff = defineCheck({
  id: 'proxy.headers.nosniff',
  title: 'Every response, error pages included, carries X-Content-Type-Options: nosniff',
  step: 6, layer: 'proxy', spec: 'WHATWG Fetch §3.5 (X-Content-Type-Options)', severity: 'warning',
  // A WHATWG recommendation, not an RFC requirement: advice until the profile documents it.
  recommendation: 'responseHeaders.nosniff',
  requires: (p) => (p.responseHeaders.nosniff === false ? 'responseHeaders.nosniff is false' : undefined),
  async run({ send, profile, nonce }) {
    const outcomes = []
    for (const sample of sampleResponses(profile, nonce())) {
      const exchange = await sendSample(send, sample)
      outcomes.push(expectResponse(exchange, {
        status: sample.expect, describe: 'X-Content-Type-Options: nosniff',
        rules: [(ex) => ((header(ex, 'x-content-type-options') ?? '').toLowerCase() === 'nosniff' ? undefined : problem(NO_NOSNIFF, `X-Content-Type-Options: ${header(ex, 'x-content-type-options') ?? 'absent'}`))],
      }))
    }
    return allOf(outcomes)
  },
  diagnose: (got, profile) => (hasProblem(got, NO_NOSNIFF)
    ? `${got.exchange.label}: no nosniff, so a browser may sniff a JSON or error body as HTML. Add X-Content-Type-Options: nosniff to every answer, the proxy's own pages included: ${proxySetting(profile.layers?.proxy, 'addHeader', 'a response header rule')}.`
    : undefined),
})

/** Where the profile documents no max-age: one year, the minimum the HSTS preload list and OWASP ask for. */
const RECOMMENDED_HSTS_MIN_AGE_S = 31_536_000

export const hsts = defineCheck({
  id: 'proxy.headers.hsts',
  title: 'HTTPS responses carry Strict-Transport-Security with the documented (or recommended) max-age; plain HTTP ones never do',
  step: 6, layer: 'proxy', spec: 'RFC 6797 §6.1, §7.2', severity: 'warning',
  // RFC 6797 leaves HSTS to the host: advice (at a recommended year) until the profile documents a max-age.
  recommendation: 'responseHeaders.hstsMinAgeS',
  requires: (p) => (tlsUrlOf(p) ? undefined : 'no TLS endpoint: baseUrl is http:// and connection.httpsUrl is not set'),
  async run({ send, profile, nonce }) {
    const minAge = profile.responseHeaders.hstsMinAgeS ?? RECOMMENDED_HSTS_MIN_AGE_S
    const outcomes = []
    for (const sample of sampleResponses(profile, nonce(), tlsUrlOf(profile))) {
      const exchange = await sendSample(send, { ...sample, label: `https ${sample.label}` })
      outcomes.push(expectResponse(exchange, {
        status: sample.expect, describe: `Strict-Transport-Security: max-age ≥ ${minAge}`,
        rules: [(ex) => {
          const value = header(ex, 'strict-transport-security')
          const age = Number(/max-age=(\d+)/i.exec(value ?? '')?.[1])
          return value === undefined ? problem(HSTS_MISSING, 'no Strict-Transport-Security') : !(age >= minAge) ? problem(HSTS_MISSING, `Strict-Transport-Security: ${value} (max-age under ${minAge})`) : undefined
        }],
      }))
    }
    if (new URL(profile.baseUrl).protocol === 'http:') {
      const plain = await send({ path: profile.probes.healthPath, label: 'plain http' })
      outcomes.push(expectResponse(plain, {
        status: profile.probes.healthAnswers === '2xx' ? [200, 204] : profile.probes.healthAnswers, describe: 'no Strict-Transport-Security over plain HTTP',
        rules: [(ex) => (header(ex, 'strict-transport-security') ? problem(HSTS_OVER_HTTP, 'Strict-Transport-Security sent over plain HTTP (RFC 6797 §7.2: MUST NOT)') : undefined)],
      }))
    }
    return allOf(outcomes)
  },
  diagnose: (got, profile) => (hasProblem(got, HSTS_MISSING) || hasProblem(got, HSTS_OVER_HTTP)
    ? `${got.exchange.label}: ${problemText(got.problems)}. Without HSTS a first visit can be downgraded to http. ` +
      `Send Strict-Transport-Security: max-age=31536000 on the TLS listener only: ${proxySetting(profile.layers?.proxy, 'addHeader', 'a response header rule')}.`
    : undefined),
})
