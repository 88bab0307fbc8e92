import { defineCheck } from '../../harness/check/define-check.ts'
import { appFix } from '../../harness/products/app-products.ts'
import { allOf, expectResponse, header } from '../../harness/check/expect-response.ts'
import { NotApplicable } from '../../harness/check/run-check.ts'
import { concretePath } from '../../harness/profile/openapi-routes.ts'
import { ALLOW_INCOMPLETE, allowLists } from './method-not-allowed.ts'
import { needsRoutes } from '../requirements.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'
import { routeSweepUses } from '../../harness/check/resources.ts'

const MAX_ROUTES = 12

export const optionsAnswered = defineCheck({
  id: 'routing.options.allow',
  title: 'OPTIONS on a route says which methods it serves: 2xx or 405, with a complete Allow, and Content-Length: 0 when there is no body',
  step: 12, layer: 'router', spec: 'RFC 9110 §9.3.7', severity: 'warning', requirement: 'SHOULD',
  // Probes every documented route: it may carry the rate-limited token to the limited path.
  uses: routeSweepUses,
  requires: needsRoutes,
  async run({ send, routes }) {
    const documented = (await routes()).filter((route) => !route.methods.includes('OPTIONS')).slice(0, MAX_ROUTES)
    if (documented.length === 0) throw new NotApplicable('every documented route serves OPTIONS itself')
    const outcomes = []
    for (const route of documented) {
      // No Origin header: a plain OPTIONS, not a CORS preflight.
      const exchange = await send({ method: 'OPTIONS', path: concretePath(route.path), label: `OPTIONS ${route.path}` })
      outcomes.push(expectResponse(exchange, {
        status: [200, 204, 405], from: 'app', describe: `Allow ⊇ {${route.methods.join(', ')}}`,
        rules: [
          allowLists(route.methods),
          // RFC 9110 §9.3.7: a 200 with no content MUST carry Content-Length: 0.
          (ex) => (ex.response?.status === 200 && ex.response.bodyBytes === 0 && header(ex, 'content-length') !== '0'
            ? problem('no-content-length-0', 'a 200 with no content and no Content-Length: 0') : undefined),
        ],
      }))
    }
    return allOf(outcomes)
  },
  diagnose: (got, profile) => (hasProblem(got, ALLOW_INCOMPLETE)
    ? `${got.exchange.label}: the answer does not list every method the route serves (Allow). ${appFix(profile.layers?.app ?? got.product, 'allowHeader', 'compute Allow from every route that matches the path')}.`
    : undefined),
})
