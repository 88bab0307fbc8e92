import { defineCheck } from '../../harness/check/define-check.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'
import { measureRecovery, RECOVERY_LATE, recoveryProblem } from '../../harness/check/recovery.ts'
import { needsFaults } from './fault-requirements.ts'
import { hasProblem } from '../../harness/check/problem.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { DISTURBS_UPSTREAM } from '../../harness/check/resources.ts'

export const resetMidResponse = defineCheck({
  id: 'faults.reset.502',
  title: 'A connection reset by the app gets 502 from the proxy, and no error outlives the fault',
  step: 7, layer: 'proxy', spec: 'RFC 9110 §15.6.3; seed Part 9 (worker crashed: the proxy sees a disconnect)', severity: 'error',
  uses: DISTURBS_UPSTREAM,
  requires: needsFaults,
  async run(context) {
    const { profile, send, faults } = context
    const exchange = await faults!.withFault({ kind: 'reset-peer', timeoutMs: 0 }, () =>
      send({ path: profile.probes.healthPath, label: 'app resets the connection' }))
    const recovery = await measureRecovery(context)
    return {
      ...expectResponse(exchange, {
        status: 502, from: 'proxy',
        rules: [() => recoveryProblem(recovery, profile.faults!.recoveryMs)],
      }),
      measurements: { answeredAfterMs: exchange.timing.totalMs, recoveryMs: recovery.recoveryMs, failedAfterRecovery: recovery.failedRequests },
    }
  },
  diagnose: (got, profile) => {
    if (hasProblem(got, RECOVERY_LATE)) {
      return `Errors outlived the resets: the proxy marked the app instances as failed (${proxySetting(profile.layers?.proxy, 'upstreamFailMarking', 'how upstreams are marked failed')}) and kept answering 502 after the fault cleared.`
    }
    if (!got.exchange.response) return 'The client saw the reset itself: the proxy passed the broken connection through instead of answering 502.'
    return undefined
  },
})
