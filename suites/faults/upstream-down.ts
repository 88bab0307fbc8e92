import { defineCheck } from '../../harness/check/define-check.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'
import { measureRecovery, RECOVERY_LATE, recoveryProblem } from '../../harness/check/recovery.ts'
import { needsFaults } from './fault-requirements.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { DISTURBS_UPSTREAM } from '../../harness/check/resources.ts'

const SLOW_FAILURE = 'slow-502'

export const upstreamDown = defineCheck({
  id: 'faults.upstream-down.502',
  title: 'With the app unreachable the proxy answers 502 at once, and the first request after it returns succeeds',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §15.6.3; seed Part 9 (step 6: upstream not running)', severity: 'error',
  uses: DISTURBS_UPSTREAM,
  requires: needsFaults,
  async run(context) {
    const { profile, send, faults } = context
    const { fastFailMs, recoveryMs } = profile.faults!
    const exchange = await faults!.withFault({ kind: 'down' }, () => send({ path: profile.probes.healthPath, label: 'every app link down' }))
    const recovery = await measureRecovery(context)
    const outcome = expectResponse(exchange, {
      status: 502, from: 'proxy', describe: `within ${fastFailMs} ms; ${recoveryMs === 0 ? 'the first request after recovery succeeds' : `recovered within ${recoveryMs} ms`}`,
      rules: [
        (ex) => (ex.timing.totalMs > fastFailMs ? problem(SLOW_FAILURE, `the 502 took ${ex.timing.totalMs} ms (documented: ≤ ${fastFailMs} ms)`) : undefined),
        () => recoveryProblem(recovery, recoveryMs),
      ],
    })
    return { ...outcome, measurements: { answeredAfterMs: exchange.timing.totalMs, recoveryMs: recovery.recoveryMs, failedAfterRecovery: recovery.failedRequests } }
  },
  diagnose: (got, profile) => {
    if (hasProblem(got, RECOVERY_LATE)) {
      return 'Errors outlived the outage: the proxy kept the app marked as failed after it came back, and with every server marked it answers 502 until the mark expires. ' +
        `Shorten how long a failed upstream stays marked, or stop marking where retries cover it: ${proxySetting(profile.layers?.proxy, 'upstreamFailMarking', 'how upstreams are marked failed')}.`
    }
    if (hasProblem(got, SLOW_FAILURE)) {
      return `The 502 was slow: the proxy waited on connections that were refused at once — check ${proxySetting(profile.layers?.proxy, 'connectTimeout', 'the upstream connect timeout')} and how many upstream tries it makes.`
    }
    if (got.tier === 'app') return 'The app answered although every link to it was down: the fault links in the profile are not the ones the proxy uses.'
    return undefined
  },
})
