import { defineCheck } from '../../harness/check/define-check.ts'
import { appFix } from '../../harness/products/app-products.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'

export const trustedHost = defineCheck({
  id: 'middleware.trusted-host.400',
  title: 'A Host header outside the allowlist is refused by the documented layer',
  step: 10, layer: 'middleware', spec: 'RFC 9110 §7.2; seed Part 5 (trusted host → 400)', severity: 'error',
  requires: (p) => (p.trustedHosts ? undefined : 'trustedHosts is not set: document which layer refuses unknown hosts'),
  async run({ send, profile, nonce }) {
    const { status, layer } = profile.trustedHosts!
    const exchange = await send({ path: profile.probes.healthPath, headers: { host: `layercheck-${nonce()}.invalid` } })
    return expectResponse(exchange, { status, from: layer })
  },
  diagnose: (got, profile) => (got.status !== undefined && got.status < 300
    ? 'A request for a host this deployment does not serve was answered: password-reset links, caches and virtual-host routing can then be poisoned through the Host header. ' +
      `Add a host allowlist: ${profile.trustedHosts?.layer === 'proxy' ? `a default server at the proxy that refuses unknown hosts (${profile.layers?.proxy ?? 'the proxy'})` : appFix(profile.layers?.app ?? got.product, 'hostAllowlist', 'refuse a Host outside an allowlist')}.`
    : undefined),
})
