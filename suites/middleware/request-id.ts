import { defineCheck } from '../../harness/check/define-check.ts'
import { appFix } from '../../harness/products/app-products.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { documentedAppError, documentedOversize, paddedJsonBody } from '../../harness/check/bodies.ts'
import { allOf, expectResponse, header } from '../../harness/check/expect-response.ts'
import { sendSample } from '../../harness/check/send-sample.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'
import { ID_MISSING, idPresent } from './request-id-rules.ts'
import type { SendOptions } from '../../harness/http/http-client.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { needsRequestId } from '../requirements.ts'

// No RFC governs X-Request-ID; these follow common practice (Heroku, Rails,
// nginx $request_id) and the seed's Part 7: generate at the edge, echo valid
// client IDs so traces join up, never reflect what is unsafe.
const SHAPES = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  hex32: /^[0-9a-f]{32}$/i,
  any: /^\S{8,}$/,
} as const

const idHeader = (p: Readonly<Profile>) => p.requestId!.header
const REPLACED = 'id-replaced'
const VERBATIM = 'unsafe-id-echoed'

export const requestIdGenerated = defineCheck({
  id: 'middleware.request-id.generated',
  title: 'A request without an ID gets a generated one on the response',
  step: 10, layer: 'middleware', spec: 'seed Part 7; deployment documentation (requestId.generated)', severity: 'warning',
  requires: needsRequestId,
  async run({ send, profile }) {
    const name = idHeader(profile)
    const shape = SHAPES[profile.requestId!.generated]
    const exchange = await send({ path: profile.probes.healthPath })
    return expectResponse(exchange, {
      status: [200, 204], describe: `${name} shaped as ${profile.requestId!.generated}`,
      rules: [(ex) => {
        const value = header(ex, name)
        if (value === undefined) return problem(ID_MISSING, `no ${name} header`)
        return shape.test(value) ? undefined : problem('id-shape', `${name}: ${value} is not a ${profile.requestId!.generated}`)
      }],
    })
  },
  diagnose: (got, profile) => (hasProblem(got, ID_MISSING)
    ? `No layer generated a ${idHeader(profile)}: generate one at the outermost layer (the proxy's $request_id, or the app's first middleware) and return it, so every log line and bug report can be joined.`
    : undefined),
})

export const requestIdEchoed = defineCheck({
  id: 'middleware.request-id.echoed',
  title: 'A valid client request ID is echoed unchanged',
  step: 10, layer: 'middleware', spec: 'seed Part 7; deployment documentation', severity: 'warning',
  requires: needsRequestId,
  async run({ send, profile, nonce }) {
    const name = idHeader(profile)
    const sent = `layercheck-${nonce()}-${nonce()}`
    const exchange = await send({ path: profile.probes.healthPath, headers: { [name]: sent } })
    return expectResponse(exchange, {
      status: [200, 204], describe: `${name}: ${sent}`,
      rules: [(ex) => {
        const value = header(ex, name)
        return value === sent ? undefined : value === undefined ? problem(ID_MISSING, `no ${name} header`) : problem(REPLACED, `${name}: ${value}, not the ID sent`)
      }],
    })
  },
  diagnose: (got, profile) => (hasProblem(got, REPLACED)
    ? `The client's valid ${idHeader(profile)} was replaced by a new one, so a trace started upstream (gateway, caller) cannot be followed here. Keep a valid incoming ID and generate only when it is absent or unsafe.`
    : undefined),
})

const UNSAFE_IDS: [string, string][] = [
  ['over-long', 'a'.repeat(1024)],
  ['markup', '<script>alert(1)</script>'],
  ['encoded CRLF', 'abc%0d%0aSet-Cookie:%20layercheck=1'],
  ['spaces and quotes', 'id with "quotes" and spaces'],
]

export const requestIdSanitised = defineCheck({
  id: 'middleware.request-id.sanitised',
  title: 'An over-long or unsafe client request ID is not echoed verbatim',
  step: 10, layer: 'middleware', spec: 'seed Part 7; CWE-117, CWE-113', severity: 'warning',
  requires: needsRequestId,
  async run({ send, profile }) {
    const name = idHeader(profile)
    const outcomes = []
    for (const [label, sent] of UNSAFE_IDS) {
      const exchange = await send({ path: profile.probes.healthPath, headers: { [name]: sent }, label: `${label} ID` })
      outcomes.push(expectResponse(exchange, {
        status: [200, 204], describe: `${name} replaced or dropped`,
        rules: [(ex) => (header(ex, name) === sent ? problem(VERBATIM, `the ${label} ID came back verbatim`) : undefined)],
      }))
    }
    return allOf(outcomes)
  },
  diagnose: (got, profile) => (hasProblem(got, VERBATIM)
    ? `${got.exchange.label}: echoed verbatim. Whatever a client puts in ${idHeader(profile)} then lands in every log line and response of the request — ` +
      'log injection, oversized log lines, markup in log viewers. Accept only a bounded safe alphabet (e.g. [A-Za-z0-9._:@+=/-]{8,200}) and generate a new ID otherwise.'
    : undefined),
})

interface ErrorProbe {
  label: string
  status: number
  from: 'proxy' | 'app'
  request: SendOptions
}

function errorProbes(profile: Readonly<Profile>, nonce: string): ErrorProbe[] {
  const probes: ErrorProbe[] = [
    { label: '404 from app', status: 404, from: 'app', request: { path: `${profile.probes.unknownPath}-${nonce}` } },
  ]
  if (profile.auth) probes.push({ label: '401 from app', status: 401, from: 'app', request: { method: profile.auth.method, path: profile.auth.protectedPath } })
  if (profile.probes.errorPath) probes.push({ label: '500 from app', status: 500, from: 'app', request: { path: profile.probes.errorPath, documented: documentedAppError(profile) } })
  const endpoint = profile.probes.jsonEndpoint
  if (profile.requestId!.proxyAddsOnErrors && profile.limits.maxBodyBytes && endpoint?.paddingField) {
    probes.push({
      label: '413 from proxy', status: 413, from: 'proxy',
      request: {
        method: endpoint.method, path: endpoint.path, headers: { 'content-type': 'application/json' },
        body: paddedJsonBody(endpoint.validBody, endpoint.paddingField, profile.limits.maxBodyBytes + 1), documented: documentedOversize(profile),
      },
    })
  }
  return probes
}

export const requestIdOnErrors = defineCheck({
  id: 'middleware.request-id.on-errors',
  title: 'Error responses carry the request ID too (404, 401, 500, and the proxy\'s own 413)',
  step: 10, layer: 'middleware', spec: 'seed Part 7; deployment documentation (requestId.proxyAddsOnErrors)', severity: 'warning',
  requires: needsRequestId,
  async run({ send, profile, nonce }) {
    const name = idHeader(profile)
    const hasId = idPresent(name)
    const outcomes = []
    for (const probe of errorProbes(profile, nonce())) {
      const exchange = await sendSample(send, { ...probe.request, label: probe.label })
      outcomes.push(expectResponse(exchange, { status: probe.status, from: probe.from, rules: [hasId], describe: `${name} present` }))
    }
    return allOf(outcomes)
  },
  diagnose: (got, profile) => {
    const name = idHeader(profile)
    if (!hasProblem(got, ID_MISSING)) return undefined
    if (got.tier === 'proxy') {
      return `${got.exchange.label}: the proxy's own error page has no ${name}. Add it to the proxy's own answers too: ${proxySetting(profile.layers?.proxy, 'headerOnErrors', 'a header rule that applies to its own error pages')}.`
    }
    if (got.status === 500) {
      return `${got.exchange.label}: the 500 has no ${name}. ${appFix(profile.layers?.app ?? got.product, 'requestIdOnErrors', 'set the header in the 500 handler too')}.`
    }
    return `${got.exchange.label}: no ${name}. The middleware that sets it is not outermost, so responses made before it (auth, routing errors) go out without it.`
  },
})
