import type { CheckContext } from '../../harness/check/define-check.ts'
import { NotApplicable } from '../../harness/check/run-check.ts'
import type { Exchange } from '../../harness/model/check-result.ts'
import type { CaseCoverage } from '../../harness/openapi/case-coverage.ts'
import { negativeCases, type CasePlan, type NegativeCase } from '../../harness/openapi/negative-cases.ts'
import { operationKey, operationsFromOpenApi, type Operation } from '../../harness/openapi/operations.ts'
import { nearestName } from '../../harness/profile/nearest-name.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { withAppLogSighting } from '../../harness/target/app-log-sighting.ts'
import { needsDisruptiveOptIn } from '../faults/fault-requirements.ts'
import { needsOpenApi } from '../requirements.ts'
import { concurrencyOf } from '../../harness/check/resources.ts'

// The negative cases both schema checks send: the operations of the target's
// OpenAPI document, less what the profile excludes, then the generated cases.

/** 64 KiB: a larger case body would probe the body limit (the proxy's 413), not the operation's validation. */
export const MAX_CASE_BODY_BYTES = 65_536

/** RFC 9110 §9.2.1: the methods that are not safe. Off loopback, only with --allow-disruptive: a case an app wrongly accepts changes state. */
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE']

export const needsOpenApiDocument = needsOpenApi("the cases are generated from the OpenAPI document's schemas")

export interface SchemaCaseRun {
  plan: CasePlan
  /** Each operation by its key (`POST /items`). */
  operations: ReadonlyMap<string, Operation>
  coverage: Omit<CaseCoverage, 'stoppedByAuth' | 'otherLayers'>
}

const matchesTemplate = (pattern: string, path: string) => (pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path)

async function loadDocument(context: CheckContext): Promise<unknown> {
  const url = context.profile.routes.openapi as string
  const { exchange, json } = await context.getJson(url)
  const status = exchange.response?.status
  if (status !== 200) throw new NotApplicable(`routes.openapi: ${url} answered ${status ?? exchange.failure?.code}, not 200 with an OpenAPI document`, { needs: 'routes.openapi' })
  if (json === undefined) throw new NotApplicable(`routes.openapi: ${url} is not JSON`, { needs: 'routes.openapi' })
  if (exchange.response!.bodyTruncated) throw new NotApplicable(`routes.openapi: the document is larger than timeouts.maxResponseBytes (${context.profile.timeouts.maxResponseBytes}); raise it`)
  return json
}

/** The operations offered to the generator: the profile's exclusions and the crash route out, HEAD probed through GET, writes only where allowed. */
function offered(all: readonly Operation[], profile: Readonly<Profile>) {
  const { paths, methods } = profile.schemaCases.exclude
  const crash = profile.routes.crash
  const excluded = (op: Operation) => paths.some((p) => matchesTemplate(p, op.path)) || methods.includes(op.method) ||
    (crash !== undefined && crash.method === op.method && crash.path === op.path)
  // HEAD shares GET's parameters and handler where both are declared: its answers have no body to name a field in.
  const viaGet = (op: Operation) => op.method === 'HEAD' && all.some((o) => o.path === op.path && o.method === 'GET')
  const writesAllowed = needsDisruptiveOptIn(profile) === undefined
  const kept = all.filter((op) => !excluded(op) && !viaGet(op))
  const eligible = kept.filter((op) => writesAllowed || !WRITES.includes(op.method))
  return { eligible, excluded: all.filter(excluded).length, writesLeftOut: kept.length - eligible.length }
}

/** The cases to send, or NotApplicable with the reason none can be. */
export async function planSchemaCases(context: CheckContext): Promise<SchemaCaseRun> {
  const { profile } = context
  const document = await loadDocument(context)
  let all: Operation[]
  try {
    all = operationsFromOpenApi(document)
  } catch (error) {
    throw new NotApplicable(`routes.openapi: ${(error as Error).message}`, { needs: 'routes.openapi' })
  }
  const { eligible, excluded, writesLeftOut } = offered(all, profile)
  const settings = profile.schemaCases
  const endpoint = profile.probes.jsonEndpoint
  const plan = negativeCases(eligible, document, {
    seed: settings.seed, maxPerOperation: settings.maxPerOperation, maxTotal: settings.maxTotal,
    maxBodyBytes: Math.min(profile.limits.maxBodyBytes ?? Infinity, MAX_CASE_BODY_BYTES),
    replay: settings.replay,
    ...(endpoint && { validBodies: { [`${endpoint.method} ${endpoint.path}`]: endpoint.validBody } }),
    ...(profile.routes.slow && { slowPaths: [profile.routes.slow.split('?')[0]!] }),
  })
  if (plan.unknownReplays.length) {
    const named = plan.unknownReplays.map((id) => {
      const near = nearestName(id, plan.allIds)
      return `"${id}"${near ? ` (did you mean "${near}"?)` : ''}`
    })
    throw new NotApplicable(`schemaCases.replay (--case): no case has the id ${named.join(', ')} with seed ${settings.seed}`)
  }
  const coverage = {
    cases: plan.cases.length, operations: plan.operations, documentedOperations: all.length, seed: settings.seed,
    sampledOut: plan.sampledOut, leftOut: plan.leftOut.length, notApplicableOperations: plan.notApplicable.length,
    excludedOperations: excluded, writesLeftOut,
  }
  if (plan.cases.length === 0) {
    const why = plan.notApplicable.map((n) => `${n.operation}: ${n.reason}`).join('; ')
    throw new NotApplicable(`no negative case can be built from the OpenAPI document (${eligible.length} of ${all.length} operations offered${why ? `; ${why}` : ''}${writesLeftOut ? `; ${writesLeftOut} writes need --allow-disruptive off loopback` : ''})`)
  }
  return { plan, operations: new Map(all.map((op) => [operationKey(op), op])), coverage }
}

/**
 * Sends one case, not yet kept as evidence: the verdict keeps the exchanges it rests on. An answer whose
 * shape leaves its layer unknown (the app's own bare 500) is weighed again with the app's log, where there is one.
 */
async function sendCase(context: CheckContext, c: NegativeCase): Promise<Exchange> {
  const { method, path, headers, body } = c.request
  const exchange = await context.sendUnrecorded({ method, path, headers, ...(body !== undefined && { body }), label: c.id })
  return withAppLogSighting(exchange, context.profile)
}

/** Cases in flight at once: up to 4, and never more than the per-target limit (the check takes that many of its places). */
export const caseSlots = (profile: Readonly<Profile>) => Math.min(4, concurrencyOf(profile))

/** Sends every case, `caseSlots` at a time, and judges each answer; the judgements come back in case order. */
export async function judgeCases<T>(context: CheckContext, cases: readonly NegativeCase[], judge: (c: NegativeCase, exchange: Exchange) => T): Promise<T[]> {
  const judged = new Array<T>(cases.length)
  let next = 0
  const sender = async () => {
    while (next < cases.length) {
      const index = next++
      judged[index] = judge(cases[index]!, await sendCase(context, cases[index]!))
    }
  }
  await Promise.all(Array.from({ length: Math.min(caseSlots(context.profile), cases.length) }, sender))
  return judged
}

/** How to send this one case again, alone. */
export const replayHint = (id: string, profile: Readonly<Profile>) =>
  `Replay it alone: layercheck run --seed ${profile.schemaCases.seed} --case '${id.replace(/'/g, "'\\''")}'`
