import { defineCheck, type CheckContext, type Outcome } from '../../harness/check/define-check.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'
import { verdictOverProbes } from '../../harness/check/many-probes.ts'
import { NotApplicable } from '../../harness/check/run-check.ts'
import { concretePath, type RouteSpec } from '../../harness/profile/openapi-routes.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { needsDisruptiveOptIn } from '../faults/fault-requirements.ts'
import { needsOpenApi } from '../requirements.ts'
import { samplePaths } from '../routing/method-probes.ts'
import { bearerChallenge, diagnoseUnauthorized } from './auth.ts'

// Not only the one protected path the profile names: every operation whose
// OpenAPI entry carries a security requirement must refuse a request with no
// token, and one with an invalid token, with 401 and a Bearer challenge.

/** Operations probed at most (two requests each), spread over the document. */
const MAX_OPERATIONS = 24

/** Safe methods (RFC 9110 §9.2.1): probed anywhere. The others only where a broken check may change state: loopback, or --allow-disruptive. */
const SAFE = ['GET', 'HEAD', 'OPTIONS']

interface Operation {
  route: RouteSpec
  method: string
}

const securedOperations = (routes: readonly RouteSpec[]): Operation[] =>
  routes.flatMap((route) => (route.secured ?? []).map((method) => ({ route, method })))

/** Without a token, then with an invalid one; a body where the method takes one, so the request is otherwise well-formed. */
async function probe({ send, nonce }: CheckContext, { route, method }: Operation): Promise<Outcome[]> {
  const path = concretePath(route.path)
  const body: { body?: string; headers: Record<string, string> } = ['POST', 'PUT', 'PATCH'].includes(method)
    ? { body: '{}', headers: { 'content-type': 'application/json' } } : { headers: {} }
  const judge = (exchange: Awaited<ReturnType<CheckContext['send']>>) =>
    expectResponse(exchange, { status: 401, from: 'app', rules: [bearerChallenge], describe: 'WWW-Authenticate: Bearer …' })
  const missing = await send({ method, path, body: body.body, headers: { accept: 'application/json', ...body.headers }, anonymous: true, label: `${method} ${route.path} without a token` })
  const invalid = await send({
    method, path, body: body.body, label: `${method} ${route.path} with an invalid token`,
    headers: { accept: 'application/json', ...body.headers, authorization: `Bearer layercheck-invalid-${nonce()}` },
  })
  return [judge(missing), judge(invalid)]
}

const needsSecurityRequirements = needsOpenApi("which operations need credentials is the OpenAPI document's security requirements")

export const everySecuredOperation = defineCheck({
  id: 'middleware.auth.every-operation',
  title: 'Every operation the OpenAPI document secures refuses a missing or invalid token with 401 and a Bearer challenge',
  step: 11, layer: 'middleware', spec: 'RFC 9110 §15.5.2, §11.6.1; RFC 6750 §3.1; OpenAPI 3 (security)', severity: 'error',
  requires: needsSecurityRequirements,
  async run(context) {
    const all = securedOperations(await context.routes())
    if (all.length === 0) throw new NotApplicable('the OpenAPI document declares no operation that needs credentials')
    // A write whose security is not enforced would run: off loopback, only with the opt-in.
    const writesAllowed = needsDisruptiveOptIn(context.profile) === undefined
    const eligible = all.filter((op) => writesAllowed || SAFE.includes(op.method))
    if (eligible.length === 0) throw new NotApplicable(`every secured operation is a write (${all.length}), and the target is not loopback: probing them needs --allow-disruptive`)
    const operations = samplePaths(eligible, MAX_OPERATIONS)
    const outcomes: Outcome[] = []
    for (const operation of operations) outcomes.push(...await probe(context, operation))
    const writesLeft = all.length - eligible.length
    return verdictOverProbes(context, outcomes, {
      expected: '401 from the app with WWW-Authenticate: Bearer, without a token and with an invalid one',
      scope: `${outcomes.length} probes on ${operations.length} of ${all.length} secured operations${writesLeft ? ` (${writesLeft} writes left out off loopback)` : ''}`,
      measurements: { probes: outcomes.length, operations: operations.length, securedOperations: all.length, writesLeftOut: writesLeft },
    })
  },
  diagnose: (got, profile) => {
    const operation = got.exchange.label ?? `${got.exchange.request.method} ${got.exchange.request.url}`
    if (got.status !== undefined && got.status >= 200 && got.status < 300) {
      // FastAPI's own way of declaring without enforcing, named only where the app is FastAPI.
      const how = (profile.layers?.app ?? got.product) === 'fastapi' ? ' (a dependency on HTTPBearer(auto_error=False) whose result is never checked)' : ''
      return `${operation}: served (${got.status}) although the OpenAPI document says the operation needs credentials. ` +
        `The route declares the security scheme but nothing enforces it${how}: ` +
        'make it refuse a missing or invalid token with 401, as the other secured routes do.'
    }
    const why = diagnoseUnauthorized(got, profile)
    return why && `${operation}: ${why}`
  },
})
