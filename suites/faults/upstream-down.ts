import { defineCheck } from '../../harness/check/define-check.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'
import { measureRecovery, recoveryProblem } from '../../harness/check/recovery.ts'
import { needsFaults } from './fault-requirements.ts'

export const upstreamDown = defineCheck({
  id: 'faults.upstream-down.502',
  title: 'With the app unreachable the proxy answers 502 at once, and the first request after it returns succeeds',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §15.6.3; seed Part 9 (step 6: upstream not running)', severity: 'error',
  requires: needsFaults,
  async run(context) {
    const { profile, send, faults } = context
    const { fastFailMs, recoveryMs } = profile.faults!
    const exchange = await faults!.withFault({ kind: 'down' }, () => send({ path: profile.probes.healthPath, label: 'every app link down' }))
    const recovery = await measureRecovery(context)
    const outcome = expectResponse(exchange, {
      status: 502, from: 'proxy', describe: `within ${fastFailMs} ms; ${recoveryMs === 0 ? 'the first request after recovery succeeds' : `recovered within ${recoveryMs} ms`}`,
      rules: [
        (ex) => (ex.timing.totalMs > fastFailMs ? `the 502 took ${ex.timing.totalMs} ms (documented: ≤ ${fastFailMs} ms)` : undefined),
        () => recoveryProblem(recovery, recoveryMs),
      ],
    })
    return { ...outcome, measurements: { answeredAfterMs: exchange.timing.totalMs, recoveryMs: recovery.recoveryMs, failedAfterRecovery: recovery.failedRequests } }
  },
  diagnose: (got) => {
    if (got.problems.some((p) => p.includes('persisted'))) {
      return 'Errors outlived the outage: the proxy kept the app marked as failed after it came back (nginx: max_fails/fail_timeout on the upstream servers; ' +
        'with every server marked, nginx answers 502 "no live upstreams" until fail_timeout passes). Lower fail_timeout, or set max_fails=0 where retries cover it.'
    }
    if (got.problems.some((p) => p.includes('took'))) {
      return 'The 502 was slow: the proxy waited on connections that were refused at once — check proxy_connect_timeout and how many upstream tries it makes.'
    }
    if (got.tier === 'app') return 'The app answered although every link to it was down: the fault links in the profile are not the ones the proxy uses.'
    return undefined
  },
})
