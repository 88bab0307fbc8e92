import { defineCheck, type Outcome } from '../../harness/check/define-check.ts'
import { actualOf, gotOf } from '../../harness/check/expect-response.ts'
import { verdictOverProbes } from '../../harness/check/many-probes.ts'
import { hasProblem, problem, problemText, type Problem } from '../../harness/check/problem.ts'
import { NotApplicable } from '../../harness/check/run-check.ts'
import type { Exchange } from '../../harness/model/check-result.ts'
import { describeCaseCoverage } from '../../harness/openapi/case-coverage.ts'
import { declaresStatus, type Operation } from '../../harness/openapi/operations.ts'
import { routeSweepUses } from '../../harness/check/resources.ts'
import { appFix } from '../../harness/products/app-products.ts'
import { caseSlots, judgeCases, needsOpenApiDocument, planSchemaCases, replayHint } from './schema-case-plan.ts'

// Issue 14 (4): every status an operation answers is one its document declares
// (an exact status, its range such as 4XX, or `default`). Only the app's answers
// are the operation's: a 413 from the proxy, or a 502 for an app that never
// answered, says nothing about what the operation documents.

const UNDOCUMENTED = 'status-undocumented'

export interface StatusJudgement {
  outcome: Outcome
  /** Whether the answer was the operation's to give (the app's): the others are counted, not judged. */
  judged: boolean
}

/** One answer against the statuses its operation declares. */
export function judgeStatus(operation: Pick<Operation, 'method' | 'path' | 'responses'>, exchange: Exchange): StatusJudgement {
  const declared = operation.responses.join(', ') || 'none'
  const expected = `a status ${operation.method} ${operation.path} declares (${declared})`
  const found: Problem[] = []
  const status = exchange.response?.status
  const judged = status !== undefined && exchange.answeredBy.tier === 'app'
  if (judged && !declaresStatus(operation, status)) {
    found.push(problem(UNDOCUMENTED, `${status} from the app, which ${operation.method} ${operation.path} does not declare (it declares ${declared})`))
  }
  const actual = found.length ? `${actualOf(exchange)}: ${problemText(found)}` : actualOf(exchange)
  return { outcome: { pass: found.length === 0, expected, actual, got: gotOf(exchange, found) }, judged }
}

export const documentedStatuses = defineCheck({
  id: 'validation.schema.documented-statuses',
  title: 'Every status the app answers an operation with is one the OpenAPI document declares for it (answers from the proxy are the proxy\'s, not the operation\'s)',
  step: 14, layer: 'validation', spec: 'OpenAPI 3.1 §4.8.16 (Responses Object), §4.8.17', severity: 'error',
  // OpenAPI asks a document to cover the known errors, not every status: advice until the profile says it does.
  recommendation: 'schemaCases.statusesDocumented',
  // The cases may carry the rate-limited token to the limited path: they share its quota.
  uses: routeSweepUses,
  slots: caseSlots,
  requires: (p) => needsOpenApiDocument(p) ?? (p.schemaCases.statusesDocumented === false ? 'schemaCases.statusesDocumented is false' : undefined),
  async run(context) {
    const { plan, operations, coverage } = await planSchemaCases(context)
    const judgements = await judgeCases(context, plan.cases, (c, exchange) => judgeStatus(operations.get(c.operation)!, exchange))
    const outcomes: Outcome[] = judgements.map((j) => j.outcome)
    const otherLayers = judgements.filter((j) => !j.judged).length
    if (otherLayers === outcomes.length) {
      throw new NotApplicable(`none of the ${outcomes.length} answers could be put down to the app: what the operations answer themselves is unknown`)
    }
    const measured = { ...coverage, otherLayers }
    return verdictOverProbes(context, outcomes, {
      expected: "each of the app's answers a status its operation declares",
      scope: describeCaseCoverage(measured),
      measurements: { ...measured, probes: outcomes.length },
    })
  },
  diagnose: (got, profile) => {
    if (!hasProblem(got, UNDOCUMENTED)) return undefined
    const id = got.exchange.label ?? got.exchange.request.method
    const fix = appFix(profile.layers?.app ?? got.product, 'declaredStatuses', 'declare the status under the operation\'s responses, or answer one it declares')
    return `${id}: ${problemText(got.problems.filter((p) => p.code === UNDOCUMENTED))}. A client generated from the document has no branch for it. ${fix}. ${replayHint(id, profile)}`
  },
})
