import { defineCheck, type CheckContext, type Got, type Outcome } from '../../harness/check/define-check.ts'
import { hasProblem, problem, type Problem } from '../../harness/check/problem.ts'
import { verdictOverProbes } from '../../harness/check/many-probes.ts'
import { NotApplicable } from '../../harness/check/run-check.ts'
import type { Exchange } from '../../harness/model/check-result.ts'
import { formatAnsweredBy } from '../../harness/model/report-view.ts'
import { appFix } from '../../harness/products/app-products.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { needsRoutes } from '../requirements.ts'
import { ALLOW, allowProblems, judged, labelOf, planMethods, sendProbe, UNKNOWN_METHOD, type MethodPlan, type MethodProbe } from './method-probes.ts'
import { routeSweepUses } from '../../harness/check/resources.ts'

// Every standard method, and an unknown one, on every documented path (sampled
// beyond profile methods.maxPaths). Two requirement levels, two checks: what a
// 405 MUST carry and HEAD beside GET (RFC 9110 §15.5.6, §9.1), then which
// refusal a method the server does not implement SHOULD get (§9.1, §15.6.2).

const HEAD_NOT_SERVED = 'head-not-served'
const UNDOCUMENTED_SERVED = 'undocumented-served'
const REFUSAL = 'refusal-status'

/** Sends the plan's probes one after another and judges each; one verdict, with the counts. */
async function runPlan(context: CheckContext, plan: MethodPlan, judge: (probe: MethodProbe, outcome: Exchange) => Outcome, expected: string): Promise<Outcome> {
  if (plan.probes.length === 0) throw new NotApplicable('every documented route serves every method probed')
  const outcomes: Outcome[] = []
  for (const probe of plan.probes) outcomes.push(judge(probe, await sendProbe(context, probe)))
  return verdictOverProbes(context, outcomes, {
    expected,
    scope: `${plan.probes.length} probes on ${plan.paths} of ${plan.documentedPaths} documented paths`,
    measurements: { probes: plan.probes.length, paths: plan.paths, documentedPaths: plan.documentedPaths },
  })
}

const statusIs = (outcome: Exchange, ...statuses: number[]) =>
  outcome.response !== undefined && statuses.includes(outcome.response.status)

export const everyMethod = defineCheck({
  id: 'routing.methods.every-route',
  title: 'Every method on every route: a method the route does not serve is refused, a 405 lists exactly the route\'s methods in Allow, and HEAD is served wherever GET is',
  step: 12, layer: 'router', spec: 'RFC 9110 §15.5.6, §9.1', severity: 'error', requirement: 'MUST',
  // Probes every documented route: it may carry the rate-limited token to the limited path.
  uses: routeSweepUses,
  requires: needsRoutes,
  async run(context) {
    const plan = planMethods(await context.routes(), context.profile)
    return runPlan(context, plan, (probe, exchange) => {
      const found: Problem[] = []
      const status = exchange.response?.status ?? 0
      if (probe.documented) {
        // RFC 9110 §9.1: all general-purpose servers MUST support GET and HEAD.
        if (statusIs(exchange, 405, 501)) found.push(problem(HEAD_NOT_SERVED, `HEAD refused (${status}) where GET is served`))
        return judged(exchange, 'HEAD served as GET is', found)
      }
      if (status === 405) found.push(...allowProblems(exchange, probe.route, probe.method))
      // A CORS layer or the framework may answer OPTIONS on any path (RFC 9110 §9.3.7); any other method must be refused.
      else if (status >= 200 && status < 300 && probe.method !== 'OPTIONS') {
        found.push(problem(UNDOCUMENTED_SERVED, `${probe.method} served (${status}) although the routes do not document it`))
      }
      return judged(exchange, `refused; a 405 with Allow: ${probe.route.methods.join(', ')}`, found)
    }, 'each method a path does not document is refused, any 405 with Allow listing its documented methods; HEAD served wherever GET is')
  },
  diagnose: (got, profile) => diagnoseEveryMethod(got, profile),
})

function diagnoseEveryMethod(got: Got, profile: Readonly<Profile>): string | undefined {
  const label = got.exchange.label ?? got.exchange.request.method
  const by = formatAnsweredBy(got.answeredBy)
  const allowWrong = [ALLOW.missing, ALLOW.incomplete, ALLOW.listsRefused, ALLOW.undocumented].some((code) => hasProblem(got, code))
  if (allowWrong && got.tier === 'proxy') {
    return `${label} got a 405 from the proxy (answered by ${by}): it refused the method itself, and its 405 ${hasProblem(got, ALLOW.missing) ? 'has no Allow' : 'carries a wrong Allow'} ` +
      `(RFC 9110 §15.5.6: a 405 MUST list the path's methods). Let the method reach the app, whose router knows them, or give the proxy's 405 the path's Allow: ` +
      `${proxySetting(profile.layers?.proxy, 'methodRefusal', 'pass the method to the app, or add the path\'s Allow to the proxy\'s 405')}.`
  }
  if (allowWrong) {
    return `${label} got a 405 (answered by ${by}) whose Allow does not match the documented methods, so clients cannot learn what the path serves (RFC 9110 §15.5.6). ` +
      `${hasProblem(got, ALLOW.undocumented) ? 'Document the methods it lists (routes), or stop advertising them. ' : ''}` +
      `${appFix(profile.layers?.app ?? got.product, 'allowHeader', 'compute Allow from every route that matches the path')}.`
  }
  if (hasProblem(got, HEAD_NOT_SERVED)) {
    return `${label}: HEAD was refused by ${by} where GET is served (RFC 9110 §9.1: every general-purpose server MUST support GET and HEAD; §9.3.2). ` +
      `${got.tier === 'proxy' ? `The proxy refused it: ${proxySetting(profile.layers?.proxy, 'methodRefusal', 'let HEAD reach the app')}.` : `${appFix(profile.layers?.app ?? got.product, 'headWithGet', 'answer HEAD wherever GET is answered, without the body')}.`}`
  }
  if (hasProblem(got, UNDOCUMENTED_SERVED)) {
    return `${label} was served (${got.status}) by ${by} although the routes do not document it: document it (routes), or the route accepts more methods than it should.`
  }
  return undefined
}

/** RFC 9110 §9.1 (SHOULD 501) lets a server that knows a method answer 405; the profile may document one. */
const unknownStatuses = (profile: Readonly<Profile>) => (profile.methods.unknownMethodStatus ? [profile.methods.unknownMethodStatus] : [501, 405])

/** CONNECT in origin-form: RFC 9112 §3.2.3 makes the target invalid (400); or not implemented (501), or not allowed here (405). */
const CONNECT_STATUSES = [400, 405, 501]

export const notImplementedMethods = defineCheck({
  id: 'routing.methods.not-implemented',
  title: 'A method the server does not implement (an unknown token, CONNECT to an origin path) is refused with 501, or 405 (400 for CONNECT\'s invalid target form), on every route',
  step: 12, layer: 'router', spec: 'RFC 9110 §9.1, §15.6.2; RFC 9112 §3.2.3', severity: 'warning', requirement: 'SHOULD',
  // Probes every documented route: it may carry the rate-limited token to the limited path.
  uses: routeSweepUses,
  requires: needsRoutes,
  async run(context) {
    const { profile } = context
    const plan = planMethods(await context.routes(), profile, [UNKNOWN_METHOD, 'CONNECT'])
    const unknown = unknownStatuses(profile)
    return runPlan(context, plan, (probe, exchange) => {
      const permitted = probe.method === 'CONNECT' ? CONNECT_STATUSES : unknown
      const status = exchange.response?.status
      const found = status !== undefined && !permitted.includes(status)
        ? [problem(REFUSAL, `status ${status}, expected ${permitted.join(' or ')}`)] : []
      return judged(exchange, permitted.join(' or '), found)
    }, `${UNKNOWN_METHOD} refused with ${unknown.join(' or ')}, CONNECT to an origin path with ${CONNECT_STATUSES.join(', ')}`)
  },
  diagnose: (got, profile) => {
    const label = got.exchange.label ?? got.exchange.request.method
    const by = formatAnsweredBy(got.answeredBy)
    if (got.exchange.request.method === 'CONNECT') {
      return `${label} got ${got.status ?? 'no answer'} from ${by}. CONNECT asks for a tunnel and an origin-form target is invalid for it (RFC 9112 §3.2.3): ` +
        `refuse it at the first hop with 400, 501, or 405 with Allow${got.tier === 'proxy' && got.status !== undefined && got.status >= 500 ? ' — the proxy passed it on and the app did not answer it' : ''}.`
    }
    const documented = profile.methods.unknownMethodStatus
    return `${label} got ${got.status ?? 'no answer'} from ${by}. RFC 9110 §9.1: a method the server does not recognise SHOULD get 501 (Not Implemented)` +
      `${documented ? `, and the profile documents ${documented} (methods.unknownMethodStatus)` : ', or 405 with Allow where the router refuses every method it does not serve'}` +
      `${got.status === 400 ? '; 400 says the request is malformed, and an unknown token is not (node:http, for one, refuses every method outside its list with 400 before the app runs)' : ''}.`
  },
})
