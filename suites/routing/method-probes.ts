import type { CheckContext, Outcome } from '../../harness/check/define-check.ts'
import { actualOf, gotOf, header } from '../../harness/check/expect-response.ts'
import { COMMON, problem, problemText, type Problem } from '../../harness/check/problem.ts'
import type { Exchange } from '../../harness/model/check-result.ts'
import { concretePath, type RouteSpec } from '../../harness/profile/openapi-routes.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { rawTargetFor } from '../../harness/target/first-hop.ts'
import { withProbeCredentials } from '../../harness/target/probe-credentials.ts'

// Every method on every route: which requests are sent, and how an Allow header
// is judged. Shared by the routing.methods.* checks (every-method.ts).

/** RFC 9110 §9.3: the standard methods. */
export const STANDARD_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'] as const

/** A syntactically valid token (RFC 9110 §9.1) no server implements. */
export const UNKNOWN_METHOD = 'LAYERCHECK'

export interface MethodProbe {
  route: RouteSpec
  method: string
  /** Sent where documented: HEAD where the route serves GET. */
  documented: boolean
}

export interface MethodPlan {
  probes: MethodProbe[]
  /** Path templates probed, and how many the routes document. */
  paths: number
  documentedPaths: number
}

/** At most `max` routes, spread evenly over the list so a long API is sampled end to end, not just its head. */
export function samplePaths<T>(routes: readonly T[], max: number): T[] {
  if (routes.length <= max) return [...routes]
  return Array.from({ length: max }, (_, i) => routes[Math.floor((i * routes.length) / max)]!)
}

/**
 * What is sent per path: each standard method the route does not document, the unknown
 * token, and HEAD where the route serves GET. Documented methods are not sent (they may
 * change state), except HEAD, which must be served wherever GET is.
 */
export function planMethods(routes: readonly RouteSpec[], profile: Readonly<Profile>, methods: readonly string[] = [...STANDARD_METHODS, UNKNOWN_METHOD]): MethodPlan {
  const sampled = samplePaths(routes, profile.methods.maxPaths)
  const probes = sampled.flatMap((route) => methods.flatMap((method): MethodProbe[] => {
    if (method === 'HEAD' && route.methods.includes('GET')) return [{ route, method, documented: true }]
    // A documented method is served: sending it proves nothing here, and POST, PUT, PATCH, DELETE may change state.
    if (route.methods.includes(method)) return []
    return [{ route, method, documented: false }]
  }))
  return { probes, paths: sampled.length, documentedPaths: routes.length }
}

export const labelOf = (probe: Pick<MethodProbe, 'method' | 'route'>) => `${probe.method} ${probe.route.path}`

/**
 * Sends one probe, not yet kept as evidence (the check keeps the ones its verdict rests on). undici will not send CONNECT (it opens tunnels with it), so CONNECT goes as
 * raw bytes in origin-form, on a connection of its own; the answer is attributed the same way.
 */
export async function sendProbe(context: CheckContext, probe: MethodProbe): Promise<Exchange> {
  const path = concretePath(probe.route.path)
  const label = labelOf(probe)
  if (probe.method !== 'CONNECT') return context.sendUnrecorded({ method: probe.method, path, label })
  const { profile } = context
  const url = new URL(path, profile.baseUrl)
  const { headers } = withProbeCredentials(profile, context.secret)({ method: 'CONNECT', path, headers: {} })
  const lines = Object.entries(headers ?? {}).map(([name, value]) => `${name}: ${value}\r\n`).join('')
  const bytes = `CONNECT ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n${lines}Connection: close\r\n\r\n`
  const outcome = await context.raw({ label, requirement: 'MUST', bytes }, rawTargetFor(profile, { url: profile.baseUrl, maxBytes: 64 * 1024 }))
  return outcome.exchange
}

const parseAllow = (value: string) => new Set(value.split(',').map((m) => m.trim().toUpperCase()).filter(Boolean))

/** Codes of the ways an Allow header can be wrong, for diagnoses. */
export const ALLOW = {
  missing: 'allow-missing',
  incomplete: 'allow-incomplete',
  listsRefused: 'allow-lists-refused',
  undocumented: 'allow-undocumented',
} as const

/**
 * The Allow header of a 405 (RFC 9110 §15.5.6: MUST, "the target resource's currently supported
 * methods"): every documented method, not the one just refused, and nothing else the routes do
 * not document, save what the RFC implies: HEAD where GET is served (§9.3.2), and OPTIONS, which
 * a framework or CORS layer may answer on every path (§9.3.7).
 */
export function allowProblems(exchange: Exchange, route: RouteSpec, refused: string): Problem[] {
  const value = header(exchange, 'allow')
  if (value === undefined) return [problem(ALLOW.missing, 'no Allow header')]
  const listed = parseAllow(value)
  const found: Problem[] = []
  const missing = route.methods.filter((m) => !listed.has(m))
  if (missing.length) found.push(problem(ALLOW.incomplete, `Allow: ${value} lacks ${missing.join(', ')}`))
  if (listed.has(refused)) found.push(problem(ALLOW.listsRefused, `Allow: ${value} lists ${refused}, the method just refused`))
  const implied = new Set(['OPTIONS', ...(route.methods.includes('GET') ? ['HEAD'] : [])])
  const extra = [...listed].filter((m) => m !== refused && !route.methods.includes(m) && !implied.has(m))
  if (extra.length) found.push(problem(ALLOW.undocumented, `Allow: ${value} lists ${extra.join(', ')}, which the routes do not document`))
  return found
}

/** An outcome from problems a check found itself (the status is part of its own judgement). */
export function judged(exchange: Exchange, expected: string, problems: Problem[]): Outcome {
  const all = exchange.response ? problems : [problem(COMMON.noResponse, `no HTTP response (${exchange.failure?.code})`)]
  const actual = all.length && exchange.response ? `${actualOf(exchange)}: ${problemText(all)}` : actualOf(exchange)
  return { pass: all.length === 0, expected, actual, got: gotOf(exchange, all) }
}
