import { defineCheck, type CheckContext, type Got, type Outcome } from '../../harness/check/define-check.ts'
import type { Fault } from '../../harness/toxiproxy/faults.ts'
import { expectResponse, type ResponseRule } from '../../harness/check/expect-response.ts'
import { measureRecovery, recoveryProblem } from '../../harness/check/recovery.ts'
import type { Exchange } from '../../harness/model/check-result.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { needsFaults } from './fault-requirements.ts'
import { needsSlowRouteWithin, withinTimeout } from './slow-route.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { DISTURBS_UPSTREAM } from '../../harness/check/resources.ts'

/** A 504 must come neither before the documented timeout (it would kill slow but legitimate requests) nor well after it. */
export function gatewayWindow(profile: Readonly<Profile>) {
  const { gatewayTimeoutMs, marginMs } = profile.upstream!
  return {
    earliestMs: gatewayTimeoutMs - marginMs,
    latestMs: gatewayTimeoutMs + marginMs,
    /** The client waits a little past the window, so a proxy that never answers is measured, not waited on. */
    clientTimeoutMs: gatewayTimeoutMs + marginMs + 1000,
    describe: `between ${gatewayTimeoutMs - marginMs} and ${gatewayTimeoutMs + marginMs} ms`,
  }
}

const EARLY = 'gateway-timeout-early'
const LATE = 'gateway-timeout-late'

export const answeredInWindow = (profile: Readonly<Profile>): ResponseRule => (exchange: Exchange) => {
  const window = gatewayWindow(profile)
  // Timing is judged on the proxy's 504 only: any other answer is already wrong by its status.
  if (exchange.response?.status !== 504) return undefined
  const ms = exchange.timing.totalMs
  if (ms < window.earliestMs) return problem(EARLY, `answered after ${ms} ms, before the documented ${profile.upstream!.gatewayTimeoutMs} ms`)
  if (ms > window.latestMs) return problem(LATE, `answered after ${ms} ms, later than the documented ${profile.upstream!.gatewayTimeoutMs} ms + ${profile.upstream!.marginMs} ms`)
  return undefined
}

export function diagnoseGatewayTimeout(got: Got, profile: Readonly<Profile>): string | undefined {
  const documented = profile.upstream!.gatewayTimeoutMs
  if (!got.exchange.response) {
    return `No answer within ${documented} ms + margin: the proxy waits longer on a stalled app than documented. ` +
      `Check ${proxySetting(profile.layers?.proxy, 'readTimeout', 'the upstream read timeout')} against the documented gateway timeout.`
  }
  if (got.tier === 'app' && got.status === 500) {
    return 'The app answered 500 for a slow request: a timeout inside the app (middleware or handler) fires before the proxy\'s, so clients see an app error instead of the documented 504 from the proxy.'
  }
  if (hasProblem(got, LATE)) return `The 504 came late: ${proxySetting(profile.layers?.proxy, 'readTimeout', 'the upstream read timeout')} exceeds the documented ${documented} ms.`
  if (hasProblem(got, EARLY)) return `The 504 came early: the proxy gives up before the documented ${documented} ms and would cut off slow but legitimate requests (${proxySetting(profile.layers?.proxy, 'readTimeout', 'the upstream read timeout')}).`
  return undefined
}

/** With `fault` on every app link: a 504 from the proxy inside the documented window, and no error after it clears. */
export async function gatewayTimeoutUnder(context: CheckContext, fault: Fault, label: string): Promise<Outcome> {
  const { profile, send, faults } = context
  const window = gatewayWindow(profile)
  const exchange = await faults!.withFault(fault, () => send({ path: profile.probes.healthPath, timeoutMs: window.clientTimeoutMs, label }))
  context.waited(exchange.timing.totalMs, 'the proxy\'s answer under the fault (the documented gateway timeout)')
  const recovery = await measureRecovery(context)
  return {
    ...expectResponse(exchange, {
      status: 504, from: 'proxy', describe: window.describe,
      rules: [answeredInWindow(profile), () => recoveryProblem(recovery, profile.faults!.recoveryMs)],
    }),
    measurements: { answeredAfterMs: exchange.timing.totalMs, recoveryMs: recovery.recoveryMs },
  }
}

export const upstreamSlow = defineCheck({
  id: 'faults.upstream-slow.504',
  title: 'An app slower than the documented upstream timeout gets 504 from the proxy, on time',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §15.6.5; seed Part 9 (upstream read timeout)', severity: 'error',
  uses: DISTURBS_UPSTREAM,
  requires: needsFaults,
  run: (context) => gatewayTimeoutUnder(context, { kind: 'latency', latencyMs: context.profile.upstream!.gatewayTimeoutMs + 2000 }, 'every app link slow'),
  diagnose: diagnoseGatewayTimeout,
})

/** About half the read timeout of latency on every app link, or the deployment's own slow route asked for as long. */
async function slowButWithinTimeout({ profile, send, faults }: CheckContext) {
  const timeoutMs = profile.upstream!.gatewayTimeoutMs + profile.upstream!.marginMs + 1000
  if (faults && needsFaults(profile) === undefined) {
    const latencyMs = Math.round(profile.upstream!.readTimeoutMs / 2)
    return { latencyMs, exchange: await faults.withFault({ kind: 'latency', latencyMs }, () => send({ path: profile.probes.healthPath, timeoutMs, label: `latency ${latencyMs} ms` })) }
  }
  const slow = withinTimeout(profile)
  return { latencyMs: slow.ms, exchange: await send({ path: slow.path, timeoutMs, label: `a handler taking ${slow.ms} ms` }) }
}

export const latencyWithinTimeout = defineCheck({
  id: 'faults.latency-within-timeout.200',
  title: 'An app slower than usual but within the upstream timeout still gets through (no false 504)',
  step: 6, layer: 'proxy', spec: 'deployment documentation (upstream.readTimeoutMs)', severity: 'error',
  uses: DISTURBS_UPSTREAM,
  // Latency injected on the link where Toxiproxy is; else the deployment's own slow route.
  requires: (p) => {
    const injected = needsFaults(p)
    const route = needsSlowRouteWithin(p)
    return injected && route ? `${route}; or, to inject the latency, ${injected}` : undefined
  },
  async run(context) {
    const { latencyMs, exchange } = await slowButWithinTimeout(context)
    context.waited(exchange.timing.totalMs, `an answer ~${latencyMs} ms slow`)
    return {
      ...expectResponse(exchange, { status: [200, 204], from: 'app', describe: `after ~${latencyMs} ms` }),
      measurements: { latencyMs, answeredAfterMs: exchange.timing.totalMs },
    }
  },
  diagnose: (got, profile) => (got.status === 504 || got.status === 502
    ? `The proxy gave up on an app that answered well within the documented ${profile.upstream!.readTimeoutMs} ms: its read timeout is shorter than documented (${proxySetting(profile.layers?.proxy, 'readTimeout', 'the upstream read timeout')}).`
    : undefined),
})
