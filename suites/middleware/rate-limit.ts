import { defineCheck, type CheckContext } from '../../harness/check/define-check.ts'
import { gotOf, header } from '../../harness/check/expect-response.ts'
import { NotApplicable } from '../../harness/check/run-check.ts'
import { statusOf, tallyStatuses } from '../../harness/check/status-tally.ts'
import type { Exchange } from '../../harness/model/check-result.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { isLoopback } from '../faults/fault-requirements.ts'
import { hasProblem, problem, problemText, type Problem } from '../../harness/check/problem.ts'
import { RESOURCE } from '../../harness/check/resources.ts'

// Bursts up to twice the quota: like faults, off loopback they need --allow-disruptive (DESIGN §6).
const needsRateLimit = (p: Readonly<Profile>) => (!p.rateLimit ? 'rateLimit is not set: document the quota and where it applies'
  : !isLoopback(p.baseUrl) && process.env.LAYERCHECK_ALLOW_DISRUPTIVE !== '1' ? `the target ${new URL(p.baseUrl).hostname} is not loopback: request bursts need --allow-disruptive` : undefined)
const tally = tallyStatuses
const CODES = { withinQuota: 'refused-within-quota', no429: 'no-429', retryAfter: 'no-retry-after', notRecovered: 'not-recovered', masked: 'anonymous-not-401', quotaSpent: 'quota-spent-by-anonymous' } as const

/** RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP-date. */
function retryAfterSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim())
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000)
}

/**
 * The token in `tokenEnv`, after one whole window has passed so that earlier
 * requests (an earlier run's, a check's before this one) no longer count.
 */
async function freshWindow({ profile, secret, pause }: CheckContext, tokenEnv: string, key: string): Promise<string> {
  const token = secret(tokenEnv)
  if (!token) throw new NotApplicable(`the environment variable ${tokenEnv} (rateLimit.${key}) is not set`)
  await pause(profile.rateLimit!.windowS * 1000 + 100, `one rate-limit window (rateLimit.windowS: ${profile.rateLimit!.windowS} s) for a fresh quota`)
  return token
}

/** The token whose quota the after-auth check spends: its own when the profile names a second one. */
const afterAuthToken = (profile: Readonly<Profile>) => (profile.rateLimit!.secondTokenEnv
  ? { env: profile.rateLimit!.secondTokenEnv, key: 'secondTokenEnv' } : { env: profile.rateLimit!.tokenEnv, key: 'tokenEnv' })

export const rateLimit429 = defineCheck({
  id: 'middleware.rate-limit.429',
  title: 'Over the documented quota a client gets 429 with Retry-After, and the quota comes back after it',
  step: 11, layer: 'middleware', spec: 'RFC 6585 §4; RFC 9110 §10.2.3', severity: 'error',
  requires: needsRateLimit,
  // It spends the quota and then measures it: nobody else may spend it meanwhile.
  uses: (p) => ({ exclusive: [RESOURCE.quota(p.rateLimit!.tokenEnv)] }),
  // A window for a fresh quota, then Retry-After (about a window).
  plannedWaitMs: (p) => 2 * p.rateLimit!.windowS * 1000,
  async run(context) {
    const { send, profile } = context
    const { path, method, requests } = profile.rateLimit!
    const authorization = `Bearer ${await freshWindow(context, profile.rateLimit!.tokenEnv, 'tokenEnv')}`
    const burst: Exchange[] = []
    for (let i = 0; i <= requests; i++) burst.push(await send({ method, path, headers: { authorization }, label: `request ${i + 1} of ${requests + 1}` }))
    const last = burst.at(-1)!
    const problems: Problem[] = []
    const within = burst.slice(0, requests).filter((ex) => statusOf(ex) !== 200)
    if (within.length) problems.push(problem(CODES.withinQuota, `${within.length} of the first ${requests} requests (within the quota) did not succeed`))
    if (last.response?.status !== 429) problems.push(problem(CODES.no429, `request ${requests + 1} got ${statusOf(last)}, not 429`))
    const retryAfter = retryAfterSeconds(header(last, 'retry-after'))
    if (last.response?.status === 429 && retryAfter === undefined) problems.push(problem(CODES.retryAfter, `the 429 has no valid Retry-After (${header(last, 'retry-after') ?? 'absent'})`))
    let recovered: Exchange | undefined
    if (last.response?.status === 429 && retryAfter !== undefined && retryAfter <= profile.rateLimit!.windowS + 1) {
      await context.pause(retryAfter * 1000 + 100, `Retry-After: ${retryAfter} s`)
      recovered = await send({ method, path, headers: { authorization }, label: `after Retry-After: ${retryAfter}` })
      if (recovered.response?.status !== 200) problems.push(problem(CODES.notRecovered, `after waiting Retry-After (${retryAfter} s) the request still got ${statusOf(recovered)}`))
    }
    const decisive = problems.length ? (within[0] ?? (recovered?.response?.status !== 200 && recovered ? recovered : last)) : last
    return {
      pass: problems.length === 0,
      expected: `${requests} × 200, then 429 with Retry-After, then 200 once it has passed`,
      actual: `${tally(burst)}${recovered ? `; after Retry-After: ${statusOf(recovered)}` : ''}${problems.length ? `: ${problemText(problems)}` : ''}`,
      got: gotOf(decisive, problems),
      measurements: { quota: requests, retryAfterS: retryAfter ?? -1 },
    }
  },
  diagnose: (got) => {
    if (hasProblem(got, CODES.retryAfter)) {
      return 'The 429 does not say when to come back: clients retry at once and make it worse. Send Retry-After (seconds) with every 429 (RFC 6585 §4 suggests it; nginx limit_req does not add it).'
    }
    if (hasProblem(got, CODES.no429)) {
      return 'The quota is not enforced as documented: no 429 after it was used up. An in-process limiter counts per worker, so N workers allow N × the quota; keep the counters shared (Redis, the database, the proxy).'
    }
    return undefined
  },
})

export const rateLimitAfterAuth = defineCheck({
  id: 'middleware.rate-limit.after-auth',
  title: 'Anonymous floods get 401, never 429, and do not use up an authenticated client\'s quota',
  step: 11, layer: 'middleware', spec: 'seed Part 5 (rate limiting before authentication: denial-of-service amplification)', severity: 'error',
  requires: needsRateLimit,
  // The flood is anonymous; the one authenticated request spends a quota, its own where the profile names a second token.
  uses: (p) => ({ exclusive: [RESOURCE.quota(afterAuthToken(p).env)] }),
  plannedWaitMs: (p) => p.rateLimit!.windowS * 1000,
  async run(context) {
    const { send, profile } = context
    const { path, method, requests } = profile.rateLimit!
    const { env, key } = afterAuthToken(profile)
    const token = await freshWindow(context, env, key)
    const flood: Exchange[] = []
    for (let i = 0; i < requests * 2; i++) flood.push(await send({ method, path, label: `anonymous request ${i + 1} of ${requests * 2}`, anonymous: true }))
    const authenticated = await send({ method, path, headers: { authorization: `Bearer ${token}` }, label: 'authenticated request after the flood' })
    const masked = flood.filter((ex) => ex.response?.status !== 401)
    const problems: Problem[] = []
    if (masked.length) problems.push(problem(CODES.masked, `${masked.length} of ${flood.length} anonymous requests got ${tally(masked)} instead of 401`))
    if (authenticated.response?.status !== 200) problems.push(problem(CODES.quotaSpent, `the authenticated client then got ${statusOf(authenticated)}: the anonymous flood spent its quota`))
    return {
      pass: problems.length === 0,
      expected: `${flood.length} × 401, then 200 for the authenticated client`,
      actual: `${tally(flood)}; authenticated: ${statusOf(authenticated)}`,
      got: gotOf(masked[0] ?? authenticated, problems),
      measurements: { anonymousRequests: flood.length, maskedBy429: masked.filter((ex) => ex.response?.status === 429).length },
    }
  },
  diagnose: (got) => (hasProblem(got, CODES.masked) || hasProblem(got, CODES.quotaSpent)
    ? 'The rate limiter runs before authentication and counts by client address: anonymous requests use up the quota (and their 401s turn into 429s), so anyone can lock out authenticated users sharing an address (NAT, a proxy). Limit after authentication, keyed by the credential.'
    : undefined),
})
