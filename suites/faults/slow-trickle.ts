import { defineCheck } from '../../harness/check/define-check.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'
import { fetchControlBody } from '../../harness/check/control-body.ts'
import { needsLargeRoute } from './fault-requirements.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'
import { addDecisiveEvidence } from '../../harness/target/decisive-evidence.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { DISTURBS_UPSTREAM } from '../../harness/check/resources.ts'

const BROKE_OFF = 'body-broke-off'

const PIECES = 8

export const slowTrickle = defineCheck({
  id: 'faults.slow-trickle.200',
  title: 'A response that trickles in, each gap within the upstream timeout, arrives whole and correct',
  step: 7, layer: 'proxy', spec: 'deployment documentation (upstream.readTimeoutMs is a read timeout, not a total)', severity: 'error',
  uses: DISTURBS_UPSTREAM,
  requires: needsLargeRoute,
  async run(context) {
    const { profile, send, faults } = context
    const path = profile.routes.large!
    const full = await fetchControlBody(context, path)
    // Gaps of 30 % of the read timeout: the whole response takes longer than the timeout, no gap does.
    const delayMs = Math.round(profile.upstream!.readTimeoutMs * 0.3)
    const averageSizeBytes = Math.ceil(full.bodyBytes / PIECES)
    const fault = { kind: 'slicer', averageSizeBytes, sizeVariationBytes: Math.round(averageSizeBytes / 8), delayMs } as const
    const exchange = await faults!.withFault(fault, () => send({
      path, label: `~${PIECES} pieces, ${delayMs} ms apart`, timeoutMs: PIECES * delayMs * 2 + profile.upstream!.gatewayTimeoutMs,
    }))
    context.waited(exchange.timing.totalMs, `a response trickling in, ${delayMs} ms between pieces`)
    if (exchange.response && exchange.failure) {
      // The fault only slows the app's bytes, it never cuts them: a body that
      // breaks off was cut by the hop in between, whatever its first bytes say.
      addDecisiveEvidence(exchange, profile, {
        tier: 'proxy',
        signal: `the body broke off (${exchange.failure.code}) after ${exchange.response.bodyBytes} of ${full.bodyBytes} bytes while the app was still sending: the proxy closed the connection`,
      })
    }
    const outcome = expectResponse(exchange, {
      status: 200, from: 'app', describe: `the same ${full.bodyBytes} bytes as without the fault`,
      rules: [(ex) => (ex.failure ? problem(BROKE_OFF, `the body broke off (${ex.failure.code}) after ${ex.response?.bodyBytes} bytes`)
        : ex.response?.bodySha256 !== full.bodySha256 ? problem('body-differs', `the body differs from the control (${ex.response?.bodyBytes} of ${full.bodyBytes} bytes)`) : undefined)],
    })
    return { ...outcome, measurements: { gapMs: delayMs, answeredAfterMs: exchange.timing.totalMs, bodyBytes: exchange.response?.bodyBytes ?? 0 } }
  },
  diagnose: (got, profile) => (got.status === 504 || hasProblem(got, BROKE_OFF)
    ? `The proxy gave up on a response that was still arriving, each piece within ${Math.round(profile.upstream!.readTimeoutMs * 0.3)} ms: its read timeout is shorter than the documented ${profile.upstream!.readTimeoutMs} ms, or it is applied to the whole response (${proxySetting(profile.layers?.proxy, 'readTimeout', 'the upstream read timeout')}).`
    : undefined),
})
