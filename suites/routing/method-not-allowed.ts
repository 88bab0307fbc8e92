import { defineCheck } from '../../harness/check/define-check.ts'
import { appFix } from '../../harness/products/app-products.ts'
import { allOf, expectResponse, header, type ResponseRule } from '../../harness/check/expect-response.ts'
import { NotApplicable } from '../../harness/check/run-check.ts'
import { concretePath } from '../../harness/profile/openapi-routes.ts'
import type { Exchange } from '../../harness/model/check-result.ts'
import { needsRoutes } from '../requirements.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'
import { routeSweepUses } from '../../harness/check/resources.ts'

// Methods we may send where they are not documented: the router must refuse them
// before any handler runs, so none of them changes state on a conformant target.
const PROBE_METHODS = ['PATCH', 'PUT', 'DELETE', 'POST']
const MAX_ROUTES = 12

const parseAllow = (value: string | undefined) =>
  new Set((value ?? '').split(',').map((m) => m.trim().toUpperCase()).filter(Boolean))

/** The code of an Allow header that is missing or incomplete. */
export const ALLOW_INCOMPLETE = 'allow-incomplete'

/** The Allow header lists every documented method of the route (RFC 9110 §10.2.1), and not `refused` if given. */
export const allowLists = (documented: readonly string[], refused?: string): ResponseRule => (ex: Exchange) => {
  const allow = header(ex, 'allow')
  if (allow === undefined) return problem(ALLOW_INCOMPLETE, 'no Allow header')
  const listed = parseAllow(allow)
  const missing = documented.filter((m) => !listed.has(m))
  if (missing.length) return problem(ALLOW_INCOMPLETE, `Allow: ${allow} lacks ${missing.join(', ')}`)
  if (refused && listed.has(refused)) return problem(ALLOW_INCOMPLETE, `Allow: ${allow} lists ${refused}, the method just refused`)
  return undefined
}

export const methodNotAllowed = defineCheck({
  id: 'routing.method-not-allowed.405-allow',
  title: 'A method a route does not serve gives 405 with an Allow header listing every method it does serve',
  step: 12, layer: 'router', spec: 'RFC 9110 §15.5.6', severity: 'error',
  // Probes every documented route: it may carry the rate-limited token to the limited path.
  uses: routeSweepUses,
  requires: needsRoutes,
  async run({ send, routes }) {
    const probes = (await routes())
      .map((route) => ({ route, method: PROBE_METHODS.find((m) => !route.methods.includes(m)) }))
      .filter((p): p is { route: typeof p.route; method: string } => p.method !== undefined)
      .slice(0, MAX_ROUTES)
    if (probes.length === 0) throw new NotApplicable('every documented route accepts every probe method')
    const outcomes = []
    for (const { route, method } of probes) {
      const exchange = await send({ method, path: concretePath(route.path), label: `${method} ${route.path}` })
      outcomes.push(expectResponse(exchange, {
        status: 405, from: 'app', describe: `Allow ⊇ {${route.methods.join(', ')}}`,
        rules: [allowLists(route.methods, method)],
      }))
    }
    return allOf(outcomes)
  },
  diagnose: (got, profile) => {
    const label = got.exchange.label ?? got.exchange.request.method
    if (got.tier === 'proxy') {
      return `${label}: the proxy (${got.product ?? 'unknown'}) refused the method itself, and a proxy's own 405 rarely carries Allow (nginx's never does). Let the method reach the app, or add the header where the proxy answers.`
    }
    if (hasProblem(got, ALLOW_INCOMPLETE)) {
      return `${label}: the Allow header is incomplete, so clients cannot learn what the path serves (RFC 9110 §15.5.6: a 405 MUST list them). ` +
        `${appFix(profile.layers?.app ?? got.product, 'allowHeader', 'compute Allow from every route that matches the path')}.`
    }
    if (got.status !== undefined && got.status < 400) {
      return `${label} was accepted (${got.status}) although the routes do not document it: update routes, or the route accepts more methods than documented.`
    }
    return undefined
  },
})
