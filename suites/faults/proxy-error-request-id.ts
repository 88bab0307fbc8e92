import { defineCheck } from '../../harness/check/define-check.ts'
import { allOf, expectResponse } from '../../harness/check/expect-response.ts'
import { hasProblem } from '../../harness/check/problem.ts'
import { ID_MISSING, idPresent } from '../middleware/request-id-rules.ts'
import { needsFaultsAnd } from './fault-requirements.ts'
import { gatewayWindow } from './upstream-slow.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { DISTURBS_UPSTREAM } from '../../harness/check/resources.ts'

export const proxyErrorRequestId = defineCheck({
  id: 'faults.proxy-errors.request-id',
  title: 'The proxy\'s own 502 and 504 carry the request ID',
  step: 6, layer: 'proxy', spec: 'seed Part 7; deployment documentation (requestId.proxyAddsOnErrors)', severity: 'warning',
  uses: DISTURBS_UPSTREAM,
  requires: needsFaultsAnd((p) => (p.requestId?.proxyAddsOnErrors ? undefined : 'requestId.proxyAddsOnErrors is not set: the proxy is not documented to add the ID')),
  async run({ profile, send, faults, waited }) {
    const name = profile.requestId!.header
    const hasId = idPresent(name)
    const badGateway = await faults!.withFault({ kind: 'down' }, () => send({ path: profile.probes.healthPath, label: '502 from proxy' }))
    const timeout = await faults!.withFault({ kind: 'timeout', timeoutMs: 0, direction: 'upstream' }, () =>
      send({ path: profile.probes.healthPath, label: '504 from proxy', timeoutMs: gatewayWindow(profile).clientTimeoutMs }))
    waited(timeout.timing.totalMs, 'the proxy\'s 504 (the documented gateway timeout)')
    return allOf([
      expectResponse(badGateway, { status: 502, from: 'proxy', rules: [hasId], describe: `${name} present` }),
      expectResponse(timeout, { status: 504, from: 'proxy', rules: [hasId], describe: `${name} present` }),
    ])
  },
  diagnose: (got, profile) => (hasProblem(got, ID_MISSING)
    ? `${got.exchange.label}: no ${profile.requestId!.header}, so an outage cannot be traced from a user's report. ` +
      `Add it to the proxy's own error pages too: ${proxySetting(profile.layers?.proxy, 'headerOnErrors', 'a header rule that applies to its own error pages')}.`
    : undefined),
})
