import { defineCheck } from '../../harness/check/define-check.ts'
import { gotOf } from '../../harness/check/expect-response.ts'
import { tallyStatuses } from '../../harness/check/status-tally.ts'
import type { Exchange } from '../../harness/model/check-result.ts'
import { needsFaultsAnd } from './fault-requirements.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { DISTURBS_UPSTREAM } from '../../harness/check/resources.ts'

const REQUESTS = 10
const CODES = { failed: 'requests-failed', off: 'requests-off' } as const
const needsTwoLinks = needsFaultsAnd((p) => (p.faults!.links.length >= 2 ? undefined : 'faults.links names one link: load balancing needs two or more'))
const ok = (ex: Exchange) => ex.response !== undefined && ex.response.status < 300

async function burst(send: (o: { path: string; label: string; timeoutMs?: number }) => Promise<Exchange>, path: string, label: string, timeoutMs?: number) {
  const exchanges: Exchange[] = []
  for (let i = 0; i < REQUESTS; i++) exchanges.push(await send({ path, label: `${label} #${i + 1}`, timeoutMs }))
  return exchanges
}

const summary = tallyStatuses

export const oneUpstreamDown = defineCheck({
  id: 'faults.lb.one-down.no-errors',
  title: 'With one app instance down, clients see no error: the proxy retries on a healthy one',
  step: 5, layer: 'proxy', spec: 'seed step 5 (load balancer); deployment documentation (faults.links)', severity: 'error',
  uses: DISTURBS_UPSTREAM,
  requires: needsTwoLinks,
  async run({ profile, send, faults }) {
    const [down] = profile.faults!.links
    const exchanges = await faults!.withFault({ kind: 'down' }, () => burst(send, profile.probes.healthPath, `${down} down`), [down!])
    const failed = exchanges.filter((ex) => !ok(ex))
    return {
      pass: failed.length === 0,
      expected: `${REQUESTS} of ${REQUESTS} requests succeed while ${down} is down`,
      actual: summary(exchanges),
      got: gotOf(failed[0] ?? exchanges[0]!, failed.length ? [problem(CODES.failed, `${failed.length} of ${REQUESTS} requests failed`)] : []),
      measurements: { requests: REQUESTS, failedRequests: failed.length },
    }
  },
  diagnose: (got, profile) => (hasProblem(got, CODES.failed)
    ? 'Requests sent to the dead instance failed instead of being retried on a healthy one: enable retries on connection errors ' +
      `(${proxySetting(profile.layers?.proxy, 'upstreamRetry', 'retries on another upstream')}) and keep more than one server in the upstream.`
    : undefined),
})

export const oneUpstreamSlow = defineCheck({
  id: 'faults.lb.one-slow',
  title: 'With one app instance slow, clients see the documented behaviour: a retry on a healthy one, or a timely 504',
  step: 5, layer: 'proxy', spec: 'seed step 5; deployment documentation (faults.onSlowUpstream)', severity: 'error',
  uses: DISTURBS_UPSTREAM,
  requires: needsTwoLinks,
  async run({ profile, send, faults, waited }) {
    const { links, onSlowUpstream } = profile.faults!
    const { readTimeoutMs, marginMs, gatewayTimeoutMs } = profile.upstream!
    const [slow] = links
    const boundMs = readTimeoutMs + marginMs
    const exchanges = await faults!.withFault({ kind: 'latency', latencyMs: gatewayTimeoutMs + 2000 }, () =>
      burst(send, profile.probes.healthPath, `${slow} slow`, gatewayTimeoutMs + marginMs + 1000), [slow!])
    const slowest = Math.max(...exchanges.map((ex) => ex.timing.totalMs))
    // Requests that met the slow instance wait out its read timeout before the retry (or the 504).
    const metSlow = exchanges.filter((ex) => ex.timing.totalMs >= readTimeoutMs - marginMs)
    waited(metSlow.reduce((sum, ex) => sum + ex.timing.totalMs, 0), `${metSlow.length} requests that met the slow instance (upstream.readTimeoutMs)`)
    const wrong = exchanges.filter((ex) => (onSlowUpstream === 'retry'
      ? !ok(ex) || ex.timing.totalMs > boundMs
      : !(ok(ex) || ex.response?.status === 504) || ex.timing.totalMs > boundMs))
    return {
      pass: wrong.length === 0,
      expected: onSlowUpstream === 'retry'
        ? `every request succeeds, none later than ${boundMs} ms (one upstream timeout, then the retry)`
        : `each request succeeds or gets 504, none later than ${boundMs} ms`,
      actual: `${summary(exchanges)}; slowest ${slowest} ms`,
      got: gotOf(wrong[0] ?? exchanges[0]!, wrong.length ? [problem(CODES.off, `${wrong.length} of ${REQUESTS} requests did not behave as documented`)] : []),
      measurements: { requests: REQUESTS, offRequests: wrong.length, slowestMs: slowest },
    }
  },
  diagnose: (got, profile) => (hasProblem(got, CODES.off)
    ? (got.status === 504 && profile.faults!.onSlowUpstream === 'retry'
      ? `Requests that hit the slow instance got 504 instead of being retried on a healthy one: retry on timeout too (${proxySetting(profile.layers?.proxy, 'upstreamRetry', 'retries on another upstream')}).`
      : `Requests took longer than one upstream timeout (${profile.upstream!.readTimeoutMs} ms) plus margin: the proxy waits longer on the slow instance than documented.`)
    : undefined),
})
