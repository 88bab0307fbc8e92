import { defineCheck, type Got, type Outcome } from '../../harness/check/define-check.ts'
import { expectResponse, jsonOf, wrongLayer } from '../../harness/check/expect-response.ts'
import { verdictOverProbes } from '../../harness/check/many-probes.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'
import type { Exchange } from '../../harness/model/check-result.ts'
import { formatAnsweredBy } from '../../harness/model/report-view.ts'
import { describeCaseCoverage } from '../../harness/openapi/case-coverage.ts'
import { schemaAllows, type NegativeCase } from '../../harness/openapi/negative-cases.ts'
import type { Operation } from '../../harness/openapi/operations.ts'
import { routeSweepUses } from '../../harness/check/resources.ts'
import { appFix } from '../../harness/products/app-products.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { reportedFields } from './reported-fields.ts'
import { caseSlots, judgeCases, needsOpenApiDocument, planSchemaCases, replayHint } from './schema-case-plan.ts'

// Issue 14 (2): not one hand-picked endpoint but every operation of the
// document, each refused the way its schemas say, from the app, and never
// with a 5xx (the handler met input validation should have stopped) or a 2xx
// (input the document declares invalid was served).

const ACCEPTED = 'invalid-accepted'
const SERVER_ERROR = 'invalid-server-error'
const NOT_NAMED = 'field-not-named'

/** The documented refusal for what the case breaks: the media type, the body's absence, or its content. */
export function expectedStatuses(c: NegativeCase, profile: Readonly<Profile>): readonly number[] {
  // A body that is not JSON is a syntax error (400) or, as some frameworks say it, unprocessable (422).
  if (c.broken.rule === 'malformed-json' || c.broken.rule === 'not-utf8') return [400, 422]
  if (c.broken.rule === 'wrong-media-type') return profile.contentType.mismatchStatus ? [profile.contentType.mismatchStatus] : [415, 422, 400]
  if (c.broken.rule === 'absent') return profile.validation.missingBodyStatus ? [profile.validation.missingBodyStatus] : [422, 400, 415]
  const invalid = profile.validation.invalidStatus ? [profile.validation.invalidStatus] : [422, 400]
  // A router with typed path segments matches no route for a wrong-typed one: 404 is its honest answer.
  return c.broken.in === 'path' ? [...invalid, 404] : invalid
}

export interface CaseJudgement {
  outcome: Outcome
  /** A secured operation refused the case for its credentials before validating it: not a failure, not a proof either. */
  stoppedByAuth: boolean
}

/** One case's answer against the operation's documented refusal. */
export function judgeCase(c: NegativeCase, operation: Pick<Operation, 'secured'>, exchange: Exchange, profile: Readonly<Profile>): CaseJudgement {
  const status = exchange.response?.status
  if (schemaAllows(c)) return { outcome: judgeAllowed(exchange), stoppedByAuth: false }
  const expected = expectedStatuses(c, profile)
  const byAuth = operation.secured && (status === 401 || status === 403) && !wrongLayer(exchange, 'app')
  const outcome = expectResponse(exchange, {
    status: byAuth ? [status!] : expected, from: 'app',
    describe: c.names ? `a 422 names ${c.names}` : undefined,
    rules: [
      (ex) => (ex.response && ex.response.status < 300 ? problem(ACCEPTED, `${ex.response.status}: served although the document declares it invalid`) : undefined),
      (ex) => (ex.response && ex.response.status >= 500 ? problem(SERVER_ERROR, `${ex.response.status}: a server error for input validation should refuse`) : undefined),
      (ex) => {
        // HEAD answers carry no body to name a field in.
        if (ex.response?.status !== 422 || !c.names || ex.request.method === 'HEAD') return undefined
        const named = reportedFields(jsonOf(ex))
        return named.has(c.names) ? undefined : problem(NOT_NAMED, `the 422 does not name ${c.names} (it names ${[...named].join(', ') || 'no field'})`)
      },
    ],
  })
  return { outcome, stoppedByAuth: byAuth }
}

/** Input the schema allows (the largest number it does not bound): whatever the app answers, but from the app and below 500. */
function judgeAllowed(exchange: Exchange): Outcome {
  // Any status is allowed: the 5xx rule and the layer decide (no answer at all is a failure of its own).
  const outcome = expectResponse(exchange, {
    status: exchange.response?.status ?? [],
    from: 'app',
    rules: [(ex) => (ex.response && ex.response.status >= 500 ? problem(SERVER_ERROR, `${ex.response.status}: a server error for a value the schema allows`) : undefined)],
  })
  return { ...outcome, expected: 'any answer below 500 from the app: the schema sets no maximum, so the value is allowed' }
}

export const schemaEveryOperation = defineCheck({
  id: 'validation.schema.every-operation',
  title: 'Every operation refuses what its OpenAPI schemas declare invalid (a missing field, a wrong type, a value just outside a bound, the wrong media type, no body, a wrong-typed parameter) with the documented 4xx from the app, a 422 naming the field — never a 5xx, never a 2xx',
  step: 14, layer: 'validation', spec: 'RFC 9110 §15.5.1, §15.5.16, §15.5.21; OpenAPI 3.1 §4.8.12, §4.8.13, §4.8.24', severity: 'error',
  // The cases may carry the rate-limited token to the limited path: they share its quota.
  uses: routeSweepUses,
  slots: caseSlots,
  requires: needsOpenApiDocument,
  async run(context) {
    const { plan, operations, coverage } = await planSchemaCases(context)
    const judged = await judgeCases(context, plan.cases, (c, exchange) => judgeCase(c, operations.get(c.operation)!, exchange, context.profile))
    const outcomes: Outcome[] = judged.map((j) => j.outcome)
    const stoppedByAuth = judged.filter((j) => j.stoppedByAuth).length
    const measured = { ...coverage, stoppedByAuth }
    return verdictOverProbes(context, outcomes, {
      expected: 'the documented 4xx from the app (a 422 naming the field), never a 5xx or a 2xx',
      scope: describeCaseCoverage(measured),
      measurements: { ...measured, probes: outcomes.length },
    })
  },
  diagnose: (got, profile) => diagnoseCase(got, profile),
})

function diagnoseCase(got: Got, profile: Readonly<Profile>): string | undefined {
  const id = got.exchange.label ?? `${got.exchange.request.method} ${got.exchange.request.url}`
  const rule = id.split(' ').at(-1)
  const app = profile.layers?.app ?? got.product
  const by = formatAnsweredBy(got.answeredBy)
  const replay = replayHint(id, profile)
  if (hasProblem(got, ACCEPTED)) {
    if (rule === 'wrong-media-type') {
      return `${id}: served (${got.status}; answered by ${by}) although the body was not labelled as a type the operation takes: ${appFix(app, 'strictContentType', 'check the media type before parsing the body')}. ${replay}`
    }
    if (rule === 'absent') return `${id}: served (${got.status}) without a body the document requires: make the body required in the handler. ${replay}`
    return `${id}: served (${got.status}; answered by ${by}) although the OpenAPI document declares this input invalid (${rule}): the document promises a constraint the app does not enforce. ` +
      `${appFix(app, 'schemaConstraints', 'enforce the constraint the document publishes before the handler runs')}. ${replay}`
  }
  if (hasProblem(got, SERVER_ERROR) && rule === 'no-maximum') {
    const field = id.split(' ').at(-2) ?? 'the value'
    const what = got.tier === 'app' ? 'broke the handler'
      : got.tier === 'unknown' ? 'got a server error from a layer the evidence cannot name'
      : `kept the app from answering in time, so the ${got.tier} answered`
    return `${id}: ${got.status} (answered by ${by}) for a value the document allows: ${field} has no maximum, and a huge one ${what}. ` +
      `Publish and enforce a maximum (${appFix(app, 'schemaConstraints', 'a bound the validator enforces before the handler runs')}), or make the handler cap it. ${replay}`
  }
  if (hasProblem(got, SERVER_ERROR)) {
    const where = id.split(' ').at(-2) ?? ''
    if (got.tier !== 'app' && got.tier !== 'unknown') {
      return `${id}: ${got.status} (answered by ${by}): the app did not answer the invalid request (it crashed or hung on it, and the ${got.tier} answered instead). Find the request ID ${got.exchange.requestId ?? ''} in the app's log. ${replay}`
    }
    const fix = where.startsWith('path.') || where.startsWith('query.')
      ? appFix(app, 'typedParams', 'declare the parameter\'s type where the router or validator checks it, before the handler converts it')
      : appFix(app, 'schemaConstraints', 'validate the input against the published schema before the handler uses it')
    return `${id}: ${got.status} (answered by ${by}): input the document declares invalid reached code that failed on it, where validation should have refused it with a 4xx. ${fix}. ${replay}`
  }
  if (hasProblem(got, NOT_NAMED)) {
    return `${id}: the 422 does not say which field failed, so a client cannot tell what to fix: return each failing field with its location (a validation handler that drops or rewrites the error list loses them). ${replay}`
  }
  if (got.status !== undefined && got.status >= 400 && got.status < 500 && got.tier === 'app') {
    const documented = [profile.validation.invalidStatus, profile.contentType.mismatchStatus, profile.validation.missingBodyStatus].some((s) => s !== undefined)
    return `${id}: the app refused it with ${got.status}, not the status ${documented ? 'the profile documents (validation.invalidStatus, contentType.mismatchStatus, validation.missingBodyStatus)' : 'RFC 9110 gives a request that does not validate (422 or 400; 415 for a media type)'}. ${replay}`
  }
  return undefined
}
