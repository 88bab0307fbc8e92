// A user's own check file, as a team would write it about its API (checks.include):
// used by the repository's run test and by the packaged one.

/** Two checks in one file: one about an admin route, one about the health route. */
export const STATS_CHECKS = `import { defineCheck, expectResponse, header, problem } from 'layercheck'

/** Our admin statistics are for admins only. */
export const statsNeedToken = defineCheck({
  id: 'shop.stats.requires-token',
  title: 'GET /admin/stats without a token is refused with 401 by the app',
  step: 11, layer: 'middleware', severity: 'error', spec: 'shop API contract §4 (admin routes)',
  async run({ send }) {
    const exchange = await send({ method: 'GET', path: '/admin/stats', anonymous: true })
    return expectResponse(exchange, { status: 401, from: 'app' })
  },
  diagnose: (got) => got.status === 200 ? 'the statistics were served to a caller with no token: the route declares a bearer scheme that nothing enforces' : undefined,
})

export const healthIsJson = defineCheck({
  id: 'shop.health.json',
  title: 'GET /health answers 200 with a JSON body',
  step: 15, layer: 'handler', severity: 'warning', spec: 'shop API contract §1',
  async run({ send }) {
    const exchange = await send({ method: 'GET', path: '/health' })
    return expectResponse(exchange, { status: 200, rules: [(e) => /json/.test(header(e, 'content-type') ?? '') ? undefined : problem('not-json', 'the body is not JSON')] })
  },
})
`
