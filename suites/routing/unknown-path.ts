import { defineCheck } from '../../harness/check/define-check.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'

export const unknownPath = defineCheck({
  id: 'routing.unknown-path.404',
  title: 'An unknown path is answered 404 by the app, not by the proxy',
  step: 12, layer: 'router', spec: 'RFC 9110 §15.5.5', severity: 'error',
  async run({ send, profile, nonce }) {
    const exchange = await send({ path: `${profile.probes.unknownPath}-${nonce()}`, headers: { accept: 'application/json' } })
    return expectResponse(exchange, { status: 404, from: 'app', describe: "the app's own (JSON) error body" })
  },
  diagnose: (got, profile) => {
    if (got.tier === 'proxy') {
      return `The proxy (${got.product ?? 'unknown'}) answered instead of the app: either this path never reaches the app ` +
        '(no route to the app for it) or the proxy replaced the app\'s 404 with its own page, ' +
        `so API clients get the proxy's page where the app's body is documented. Check the proxy's routes and ${proxySetting(profile.layers?.proxy, 'interceptErrors', 'the rule that replaces upstream errors')}.`
    }
    if (got.status !== undefined && got.status >= 200 && got.status < 300) {
      return `A path that should not exist answered ${got.status}: a catch-all route (or a SPA fallback) swallows unknown paths. Restrict it so unknown API paths give 404.`
    }
    return undefined
  },
})
