import type { CheckContext, Got, Outcome } from '../../harness/check/define-check.ts'
import { allOf, expectResponse, gotOf } from '../../harness/check/expect-response.ts'
import type { Exchange, Requirement } from '../../harness/model/check-result.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import type { RawOutcome, RawProbe, RawTarget } from '../../harness/raw/raw-exchange.ts'
import { firstHopOf, rawTargetFor } from '../../harness/target/first-hop.ts'
import { failWith, problem, problemText, type FailureBase, type Problem } from '../../harness/check/problem.ts'

// Shared by the protocol checks: where raw probes go, and how their answers are judged.

export { firstHopOf, rawTargetFor } from '../../harness/target/first-hop.ts'

/** The Host header value for the probes' URL (RFC 9112 §3.2: the authority of the target URI). */
export const hostOf = (profile: Readonly<Profile>) => new URL(profile.protocol.url ?? profile.baseUrl).host

/** Runs probes concurrently, each on a connection of its own. */
export function runProbes(context: CheckContext, probes: readonly RawProbe[], target = rawTargetFor(context.profile)): Promise<RawOutcome[]> {
  return Promise.all(probes.map((probe) => context.raw(probe, target)))
}

/**
 * Keeps, per probe, the exchange its judgement rests on (the canary's answer, or the
 * connection put down to the first hop) as evidence, so the report's decisive
 * exchange is the very one that failed; then one verdict over all of them.
 */
export function recordJudged(context: CheckContext, judged: readonly Outcome[]): Outcome {
  for (const outcome of judged) context.record(outcome.got.exchange)
  return verdictOf([...judged])
}

/** A problem with the connection itself is the first hop's doing, whatever body came back. */
export function connectionProblem(exchange: Exchange, profile: Readonly<Profile>, problem: string): Exchange {
  const hop = firstHopOf(profile)
  return {
    ...exchange,
    answeredBy: {
      tier: hop.tier, product: hop.product, confidence: 'certain',
      reason: `${problem}: connection handling is the first hop's (${hop.tier}${hop.product ? `, ${hop.product}` : ''} per the profile)`,
      signals: [`connection ${exchange.raw?.end ?? 'unknown'} after ${exchange.raw?.endMs ?? '?'} ms`, `${exchange.raw?.responses ?? 0} responses`],
    },
  }
}

/**
 * The same, as what a check's diagnosis sees: the first hop is blamed for the connection, while an answer
 * that did come back keeps its own attribution as evidence (the app's 405 stays the app's).
 */
export function connectionGot(exchange: Exchange, profile: Readonly<Profile>, found: Problem): Got {
  const blamed = connectionProblem(exchange, profile, found.text)
  return { ...gotOf(exchange.response ? exchange : blamed, [found]), tier: blamed.answeredBy.tier, product: blamed.answeredBy.product, answeredBy: blamed.answeredBy }
}

/** The failing outcome for a connection the first hop mishandled, whatever answer came back on it. */
export const connectionFailure = (exchange: Exchange, profile: Readonly<Profile>, found: Problem, base: FailureBase): Outcome =>
  failWith(found, connectionGot(exchange, profile, found), base)

/** The code of a connection left open where the RFC requires a close. */
export const STAYED_OPEN = 'connection-stayed-open'

export interface Refusal {
  status: number | readonly number[]
  /** RFC 9112 §6.3, §9.6: framing errors are unrecoverable; the server closes after responding. */
  close?: boolean
  /** Any layer may answer (the RFC asks only for the close). */
  anyLayer?: boolean
}

/** The probe must be refused with `status` by the first hop (and, for framing errors, the connection closed). */
export function expectRefused(outcome: RawOutcome, profile: Readonly<Profile>, refusal: Refusal): Outcome {
  const { tier } = firstHopOf(profile)
  const judged = expectResponse(outcome.exchange, {
    status: refusal.status, from: refusal.anyLayer ? undefined : tier, describe: `${outcome.probe.requirement}${refusal.close ? ', then the connection closed' : ''}`,
  })
  if (!judged.pass || !refusal.close || outcome.raw.end !== 'open') return judged
  return connectionFailure(outcome.exchange, profile, problem(STAYED_OPEN, `the connection stayed open after the ${outcome.exchange.response?.status}`), judged)
}

/**
 * What "served" looks like at the probes' path: 200 or 204 (health routes answer either), or, where a run
 * found no open path answering 2xx (probes.healthAnswers: a 4xx), the app's 404 (or 401) for it: the
 * request was parsed, routed and answered.
 */
export const servedStatus = (profile: Readonly<Profile>): number[] => (profile.probes.healthAnswers === '2xx' ? [200, 204] : [profile.probes.healthAnswers])

/** Why a check that needs a 2xx cannot run, or undefined: its gate (`requires`). */
export const needsServedPath = (profile: Readonly<Profile>): string | undefined => (profile.probes.healthAnswers === '2xx' ? undefined
  : `no open path answered 2xx (tried ${profile.probes.healthPath === '/' ? '/' : `/ and ${profile.probes.healthPath}`}, common health paths and the OpenAPI document): set probes.healthPath to a cheap path that does`)

/** The probe must be served: a well-formed request the RFC requires (or allows) a server to accept. */
export function expectServed(outcome: RawOutcome, profile: Readonly<Profile>, status: number | readonly number[] = servedStatus(profile)): Outcome {
  return expectResponse(outcome.exchange, { status, describe: `${outcome.probe.requirement}: served` })
}

/** The check-level verdict over per-probe outcomes, the first failure deciding the diagnosis. */
export const verdictOf = allOf

/** The strongest requirement among probes: what the check reports as its level. */
export function strongest(levels: readonly Requirement[]): Requirement {
  return levels.includes('MUST') ? 'MUST' : levels.includes('SHOULD') ? 'SHOULD' : 'MAY'
}

/** A probe whose path is the profile's cheap health path. */
export const healthPath = (profile: Readonly<Profile>) => profile.probes.healthPath

/** One probe and how its answer is judged. */
export interface ProbeCase {
  probe: RawProbe
  judge: (outcome: RawOutcome, profile: Readonly<Profile>) => Outcome
}

/** Runs every case concurrently; one verdict over all of them. */
export async function runCases(context: CheckContext, cases: readonly ProbeCase[], target?: RawTarget): Promise<Outcome> {
  const outcomes = await runProbes(context, cases.map((c) => c.probe), target)
  return recordJudged(context, cases.map((c, i) => c.judge(outcomes[i]!, context.profile)))
}

/** A request head (and body) as bytes: `lines` go verbatim between the request-line and the empty line. */
export const message = (requestLine: string, lines: readonly string[], body = '') =>
  `${requestLine}\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n${body}`

/** A refusal case: the first hop answers `status` (and closes, for framing errors). */
export const refused = (label: string, requirement: Requirement, bytes: string, refusal: Refusal | ((p: Readonly<Profile>) => Refusal), extra: Partial<RawProbe> = {}): ProbeCase => ({
  probe: { label, requirement, bytes, ...extra },
  judge: (outcome, profile) => expectRefused(outcome, profile, typeof refusal === 'function' ? refusal(profile) : refusal),
})

/**
 * A case the RFC lets a server either refuse (with `refusal`) or serve: what a
 * deployment with no documented limit may do with a large request.
 */
export const refusedOrServed = (label: string, requirement: Requirement, bytes: string, refusal: Refusal, extra: Partial<RawProbe> = {}): ProbeCase => ({
  probe: { label, requirement, bytes, ...extra },
  judge: (outcome, profile) => {
    const status = outcome.exchange.response?.status
    if (status !== undefined && servedStatus(profile).includes(status)) return expectServed(outcome, profile)
    return expectRefused(outcome, profile, refusal)
  },
})

/** A case the server must serve (as the probes' path is served, unless `also` widens it: obs-fold may be refused). */
export const served = (label: string, requirement: Requirement, bytes: string, also: readonly number[] = [], extra: Partial<RawProbe> = {}): ProbeCase => ({
  probe: { label, requirement, bytes, ...extra },
  judge: (outcome, profile) => expectServed(outcome, profile, [...servedStatus(profile), ...also]),
})

/** Diagnosis for parser checks: who let the bytes through, and what to look at. */
export function parserDiagnosis(got: import('../../harness/check/define-check.ts').Got, profile: Readonly<Profile>, advice: string): string {
  const hop = firstHopOf(profile)
  const label = got.exchange.label ?? 'probe'
  const full = got.exchange.raw?.sent ?? ''
  const sent = full.length > 160 ? `${full.slice(0, 160)}… (${got.exchange.raw?.bytesSent} bytes)` : full
  if (got.tier === 'app') {
    return `${label}: the app answered ${got.status}: the ${hop.tier}${hop.product ? ` (${hop.product})` : ''} passed bytes it should have refused (sent: ${sent}). ${advice}`
  }
  return `${label}: ${problemText(got.problems)} (sent: ${sent}). The ${got.tier}${got.product ? ` (${got.product})` : ''} answered: ${got.answeredBy.reason}. ${advice}`
}
