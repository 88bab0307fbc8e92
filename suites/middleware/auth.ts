import { defineCheck, type Got } from '../../harness/check/define-check.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { appFix } from '../../harness/products/app-products.ts'
import { expectResponse, header, type ResponseRule } from '../../harness/check/expect-response.ts'
import { NotApplicable } from '../../harness/check/run-check.ts'
import { needsAuth } from '../requirements.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'

const NO_CHALLENGE = 'no-bearer-challenge'

/** RFC 9110 §11.6.1: a 401 MUST carry a challenge; for bearer tokens, RFC 6750 §3 names the scheme. */
export const bearerChallenge: ResponseRule = (exchange) => {
  const challenge = header(exchange, 'www-authenticate')
  if (challenge === undefined) return problem(NO_CHALLENGE, 'no WWW-Authenticate header')
  return /(^|,)\s*bearer\b/i.test(challenge) ? undefined : problem(NO_CHALLENGE, `WWW-Authenticate: ${challenge} offers no Bearer challenge`)
}

export function diagnoseUnauthorized(got: Got, profile: Readonly<Profile>): string | undefined {
  const challenge = appFix(profile.layers?.app ?? got.product, 'bearerChallenge', 'send WWW-Authenticate: Bearer with every 401')
  if (got.status === 403) {
    return 'The app answered 403 where the credentials were missing or invalid. 403 means "known, but not allowed"; ' +
      'an unauthenticated request must get 401 with a WWW-Authenticate challenge (RFC 9110 §15.5.2). ' +
      `Answer 401 instead (FastAPI before 0.122 answered 403 for HTTPBearer): ${challenge}.`
  }
  if (got.status === 401 && hasProblem(got, NO_CHALLENGE)) {
    return 'The 401 carries no Bearer WWW-Authenticate challenge, which RFC 9110 §11.6.1 requires: clients cannot tell how to authenticate. ' +
      `${challenge}.`
  }
  if (got.status !== undefined && got.status >= 200 && got.status < 300) {
    return 'The protected path answered without valid credentials: the auth dependency or middleware does not cover it.'
  }
  return undefined
}

export const missingToken = defineCheck({
  id: 'middleware.auth.missing-token.401',
  title: 'A protected path without credentials gets 401 with a WWW-Authenticate challenge',
  step: 11, layer: 'middleware', spec: 'RFC 9110 §15.5.2, §11.6.1', severity: 'error',
  requires: needsAuth,
  async run({ send, profile }) {
    const exchange = await send({ method: profile.auth!.method, path: profile.auth!.protectedPath, headers: { accept: 'application/json' }, anonymous: true })
    return expectResponse(exchange, { status: 401, from: 'app', rules: [bearerChallenge], describe: 'WWW-Authenticate: Bearer …' })
  },
  diagnose: diagnoseUnauthorized,
})

export const badToken = defineCheck({
  id: 'middleware.auth.bad-token.401',
  title: 'A protected path with an invalid token gets 401 with a WWW-Authenticate challenge',
  step: 11, layer: 'middleware', spec: 'RFC 9110 §15.5.2; RFC 6750 §3.1', severity: 'error',
  requires: needsAuth,
  async run({ send, profile, nonce }) {
    const exchange = await send({
      method: profile.auth!.method, path: profile.auth!.protectedPath,
      headers: { accept: 'application/json', authorization: `Bearer layercheck-invalid-${nonce()}` },
    })
    return expectResponse(exchange, { status: 401, from: 'app', rules: [bearerChallenge], describe: 'WWW-Authenticate: Bearer …' })
  },
  diagnose: diagnoseUnauthorized,
})

export const insufficientScope = defineCheck({
  id: 'middleware.auth.insufficient-scope.403',
  title: 'A valid token without the required scope gets 403',
  step: 13, layer: 'middleware', spec: 'RFC 9110 §15.5.4; RFC 6750 §3.1', severity: 'error',
  requires: (p) => needsAuth(p) ?? (p.auth!.forbidden ? undefined : 'auth.forbidden is not set: name a path the token may not use'),
  async run({ send, profile, secret }) {
    const { path, tokenEnv } = profile.auth!.forbidden!
    const token = secret(tokenEnv)
    if (!token) throw new NotApplicable(`the environment variable ${tokenEnv} (auth.forbidden.tokenEnv) is not set`)
    const exchange = await send({ method: profile.auth!.method, path, headers: { accept: 'application/json', authorization: `Bearer ${token}` } })
    return expectResponse(exchange, { status: 403, from: 'app' })
  },
  diagnose: (got) => {
    if (got.status !== undefined && got.status >= 200 && got.status < 300) {
      return 'A token without the required scope was let through: the route checks that a token is valid but not what it may do. ' +
        'Enforce the scope (or role) in the route\'s dependency.'
    }
    if (got.status === 401) return 'The token was refused as invalid (401): check that auth.forbidden.tokenEnv holds a valid token that merely lacks the scope.'
    return undefined
  },
})
