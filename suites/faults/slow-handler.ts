import { defineCheck } from '../../harness/check/define-check.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'
import { needsSlowRoute, pastGatewayTimeout } from './slow-route.ts'
import { answeredInWindow, diagnoseGatewayTimeout, gatewayWindow } from './upstream-slow.ts'
import { DISTURBS_UPSTREAM } from '../../harness/check/resources.ts'

export const slowHandler = defineCheck({
  id: 'faults.slow-handler.504',
  title: 'A handler slower than the gateway timeout gets the proxy\'s 504, not an app error',
  step: 15, layer: 'proxy', spec: 'RFC 9110 §15.6.5; seed Part 9 (504: handler took too long)', severity: 'error',
  uses: DISTURBS_UPSTREAM,
  // The deployment's own slow route: no fault injection needed.
  requires: needsSlowRoute,
  async run({ profile, send, waited }) {
    const window = gatewayWindow(profile)
    const slow = pastGatewayTimeout(profile)
    const exchange = await send({ path: slow.path, timeoutMs: window.clientTimeoutMs, label: `a handler taking ${slow.ms} ms` })
    waited(exchange.timing.totalMs, 'the proxy\'s answer to a slow handler (the documented gateway timeout)')
    return {
      ...expectResponse(exchange, { status: 504, from: 'proxy', describe: window.describe, rules: [answeredInWindow(profile)] }),
      measurements: { askedForMs: slow.ms, answeredAfterMs: exchange.timing.totalMs },
    }
  },
  diagnose: diagnoseGatewayTimeout,
})
