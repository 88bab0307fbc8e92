import { defineCheck } from '../../harness/check/define-check.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'
import { needsFaultsAnd } from './fault-requirements.ts'
import { answeredInWindow, diagnoseGatewayTimeout, gatewayWindow } from './upstream-slow.ts'

export const slowHandler = defineCheck({
  id: 'faults.slow-handler.504',
  title: 'A handler slower than the gateway timeout gets the proxy\'s 504, not an app error',
  step: 15, layer: 'proxy', spec: 'RFC 9110 §15.6.5; seed Part 9 (504: handler took too long)', severity: 'error',
  requires: needsFaultsAnd((p) => (p.faults!.slowPath ? undefined : 'faults.slowPath is not set: name a path that sleeps for {ms}')),
  async run({ profile, send }) {
    const window = gatewayWindow(profile)
    const path = profile.faults!.slowPath!.replace('{ms}', String(profile.faults!.gatewayTimeoutMs + 2000))
    const exchange = await send({ path, timeoutMs: window.clientTimeoutMs })
    return {
      ...expectResponse(exchange, { status: 504, from: 'proxy', describe: window.describe, rules: [answeredInWindow(profile)] }),
      measurements: { answeredAfterMs: exchange.timing.totalMs },
    }
  },
  diagnose: diagnoseGatewayTimeout,
})
