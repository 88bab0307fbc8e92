import { defineCheck } from '../../harness/check/define-check.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'
import { measureRecovery, recoveryProblem } from '../../harness/check/recovery.ts'
import { needsFaults } from './fault-requirements.ts'
import { answeredInWindow, diagnoseGatewayTimeout, gatewayWindow } from './upstream-slow.ts'

export const neverAnswers = defineCheck({
  id: 'faults.never-answers.504',
  title: 'An app that accepts the connection and never answers gets 504 from the proxy within the documented window',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §15.6.5', severity: 'error',
  requires: needsFaults,
  async run(context) {
    const { profile, send, faults } = context
    const window = gatewayWindow(profile)
    // Upstream direction, held open: the request never reaches the app, the connection stays up.
    const fault = { kind: 'timeout', timeoutMs: 0, direction: 'upstream' } as const
    const exchange = await faults!.withFault(fault, () => send({ path: profile.probes.healthPath, timeoutMs: window.clientTimeoutMs, label: 'app never answers' }))
    const recovery = await measureRecovery(context, Math.max(profile.faults!.recoveryMs, 1000) + 2000)
    return {
      ...expectResponse(exchange, {
        status: 504, from: 'proxy', describe: window.describe,
        rules: [answeredInWindow(profile), () => recoveryProblem(recovery, profile.faults!.recoveryMs)],
      }),
      measurements: { answeredAfterMs: exchange.timing.totalMs, recoveryMs: recovery.recoveryMs },
    }
  },
  diagnose: diagnoseGatewayTimeout,
})
