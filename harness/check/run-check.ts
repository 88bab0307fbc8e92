import { randomBytes } from 'node:crypto'
import type { CheckResult, CheckWait, Exchange } from '../model/check-result.ts'
import type { HttpClient } from '../http/http-client.ts'
import type { FaultInjector } from '../toxiproxy/fault-injector.ts'
import { checkSetting, type Profile } from '../profile/schema.ts'
import type { CheckContext, CheckDefinition, Got } from './define-check.ts'
import { mergeRoutes, routesFromOpenApi, type RouteSpec } from '../profile/openapi-routes.ts'
import { ensureCalibrated } from '../target/calibrate.ts'
import { credentialsDiagnosis, withProbeCredentials } from '../target/probe-credentials.ts'
import { neededKey } from './needed-key.ts'
import { problemText } from './problem.ts'
import { runRawProbe } from '../raw/raw-exchange.ts'
import { usesOf } from './resources.ts'

// One OpenAPI fetch per client, shared by every check that needs routes.
const routeCache = new WeakMap<HttpClient, Promise<RouteSpec[]>>()

async function loadRoutes(profile: Readonly<Profile>, client: HttpClient): Promise<RouteSpec[]> {
  const listed = profile.routes.list
  if (profile.routes.openapi === false) return mergeRoutes(listed, [])
  const { exchange, json } = await client.getJson(profile.routes.openapi)
  const status = exchange.response?.status
  if (status !== 200) {
    throw new NotApplicable(`routes.openapi: ${profile.routes.openapi} answered ${status ?? exchange.failure?.code}, not 200 with an OpenAPI document`, { needs: 'routes.openapi' })
  }
  if (exchange.response!.bodyTruncated) {
    throw new NotApplicable(`routes.openapi: the document is larger than timeouts.maxResponseBytes (${profile.timeouts.maxResponseBytes}); raise it`)
  }
  if (json === undefined) throw new NotApplicable(`routes.openapi: ${profile.routes.openapi} is not JSON`, { needs: 'routes.openapi' })
  return mergeRoutes(listed, routesFromOpenApi(json))
}

/** Thrown inside a probe when a precondition turns out to be missing at run time. */
export class NotApplicable extends Error {
  readonly code = 'LAYERCHECK_NOT_APPLICABLE'
  /** The profile key that would make the check apply, where one would (`routes.openapi`). */
  readonly needs?: string

  constructor(message: string, options: { needs?: string } = {}) {
    super(message)
    if (options.needs) this.needs = options.needs
  }
}

export interface RunCheckOptions {
  profile: Readonly<Profile>
  client: HttpClient
  env?: NodeJS.ProcessEnv
  faults?: FaultInjector
  /** The run's start (epoch ms): the result's startedMs and endedMs count from it. Unset, they are left out. */
  runStartedAtMs?: number
}

/** Whether the profile leaves a recommendation undocumented: the check then runs as advice (severity info). */
export function advisoryKey(check: CheckDefinition, profile: Readonly<Profile>): string | undefined {
  if (!check.recommendation) return undefined
  let value: unknown = profile
  for (const part of check.recommendation.split('.')) value = (value as Record<string, unknown> | undefined)?.[part]
  return value === undefined ? check.recommendation : undefined
}

const meta = (check: CheckDefinition, profile: Readonly<Profile>) => {
  const advisory = advisoryKey(check, profile)
  return {
    id: check.id, title: check.title, step: check.step, layer: check.layer, spec: check.spec,
    severity: advisory ? 'info' as const : check.severity,
    ...(check.requirement && { requirement: check.requirement }),
    ...(advisory && { advisory }),
  }
}

/**
 * Why a check does not apply to this profile (skipped by it, or a key it needs is missing),
 * or undefined when it does: the one gate the run and the dry run both pass through.
 */
export function gateOf(check: CheckDefinition, profile: Readonly<Profile>): string | undefined {
  const skip = checkSetting(profile, check.id)?.skip
  if (skip) return `skipped by the profile: ${skip}`
  return check.requires?.(profile)
}

/** Runs one check to one of four outcomes. A target's misbehaviour is never an exception here. */
export async function runCheck(check: CheckDefinition, options: RunCheckOptions): Promise<CheckResult> {
  const started = performance.now()
  const evidence: Exchange[] = []
  const waits: CheckWait[] = []
  // Set once the gate is passed: a check the profile rules out holds nothing.
  let held = false
  const offset = (at: number) => Math.round(performance.timeOrigin + at - options.runStartedAtMs!)
  const finish = (rest: Omit<CheckResult, keyof ReturnType<typeof meta> | 'evidence' | 'durationMs'>): CheckResult => {
    const ended = performance.now()
    const waitedMs = Math.round(waits.reduce((sum, wait) => sum + wait.ms, 0))
    return {
      ...meta(check, options.profile), ...rest, evidence, durationMs: Math.round(ended - started),
      ...(waits.length && { waits, waitedMs }),
      ...(held && { uses: usesOf(check, options.profile) }),
      ...(options.runStartedAtMs !== undefined && { startedMs: offset(started), endedMs: offset(ended) }),
    }
  }
  const notApplicable = (reason: string, needs?: string) => finish({ verdict: 'not-applicable', expected: '', actual: '', reason, ...(needs && { needs }) })

  const closed = gateOf(check, options.profile)
  // A check the profile skips needs nothing; one whose gate is closed needs the key its gate found missing.
  if (closed) return notApplicable(closed, checkSetting(options.profile, check.id) || !check.requires ? undefined : neededKey(check.requires, options.profile))
  held = true

  const env = options.env ?? process.env
  const secret = (name: string) => env[name] || undefined
  const credentials = withProbeCredentials(options.profile, secret)
  const context: CheckContext = {
    profile: options.profile,
    async send(sendOptions) {
      const exchange = await options.client.send(credentials(sendOptions))
      evidence.push(exchange)
      return exchange
    },
    record(exchange) {
      evidence.push(exchange)
      return exchange
    },
    sendUnrecorded: (sendOptions) => options.client.send(credentials(sendOptions)),
    // Raw bytes may carry the token auth.sendTokenTo adds: their evidence is masked like every other exchange's.
    raw: (probe, target) => runRawProbe(probe, { ...target, redact: (text) => options.client.options.redactor.text(text) }),
    getJson: (url) => options.client.getJson(url),
    secret,
    redact: (text) => options.client.options.redactor.text(text),
    nonce: () => randomBytes(6).toString('hex'),
    faults: options.faults,
    async pause(ms, why) {
      // The wait asked for is the inherent part; a timer that fires late is the tool's.
      await new Promise((resolve) => setTimeout(resolve, ms))
      waits.push({ for: why, ms: Math.round(ms) })
    },
    waited(ms, why) {
      if (ms > 0) waits.push({ for: why, ms: Math.round(ms) })
    },
    routes() {
      let routes = routeCache.get(options.client)
      if (!routes) {
        routes = loadRoutes(options.profile, options.client)
        routeCache.set(options.client, routes)
      }
      return routes
    },
  }

  try {
    // Answers are weighed against this target's own fingerprints, learned once per run (steps 1–3 see no HTTP answer).
    if (check.step > 3) await ensureCalibrated(options.profile, options.client)
    const outcome = await check.run(context)
    if (outcome.pass) {
      return finish({
        verdict: 'pass', expected: outcome.expected, actual: outcome.actual, answeredBy: outcome.got.answeredBy,
        measurements: outcome.measurements,
      })
    }
    return finish({
      verdict: 'fail',
      expected: outcome.expected,
      actual: outcome.actual,
      answeredBy: outcome.got.answeredBy,
      decisive: Math.max(0, evidence.indexOf(outcome.got.exchange)),
      measurements: outcome.measurements,
      diagnosis: credentialsDiagnosis(outcome.got, options.profile) ?? check.diagnose?.(outcome.got, options.profile) ?? defaultDiagnosis(outcome.got),
    })
  } catch (error) {
    if (error instanceof NotApplicable) return notApplicable(error.message, error.needs)
    return finish({
      verdict: 'error',
      expected: '',
      actual: '',
      diagnosis: `the harness failed, not the target: ${(error as Error).stack?.split('\n').slice(0, 3).join(' ') ?? String(error)}`,
    })
  }
}

/** When a check has nothing specific to say: who answered, and where to look next. */
export function defaultDiagnosis(got: Got): string {
  const by = got.answeredBy
  if (by.tier === 'client') return `No HTTP answer: ${by.reason}. Check that the target is up and reachable from here.`
  if (by.tier === 'unknown') return `${problemText(got.problems)}. ${by.reason}; check the hops one by one (proxy logs, then app logs) for this request ID: ${got.exchange.requestId ?? 'none returned'}.`
  return `${problemText(got.problems)}. The ${by.tier}${by.product ? ` (${by.product})` : ''} answered: ${by.reason}.`
}
