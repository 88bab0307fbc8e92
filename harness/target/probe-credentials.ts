import type { Got } from '../check/define-check.ts'
import { COMMON, hasProblem } from '../check/problem.ts'
import type { SendOptions } from '../http/http-client.ts'
import type { Profile } from '../profile/schema.ts'

/** Whether `path` (no query) is one of the profile's patterns: exact, or a prefix before a trailing `*`. */
function matches(patterns: readonly string[], path: string): boolean {
  return patterns.some((pattern) => (pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern))
}

/**
 * The credentials a probe carries on a deployment whose endpoints need a token
 * (`auth.sendTokenTo`): the token of `auth.tokenEnv` as a bearer, unless the
 * probe is about credentials itself (it sets its own Authorization, or asks to
 * be anonymous). Without the token in the environment nothing is added, and
 * the probe's 401 says why.
 */
export function withProbeCredentials(profile: Readonly<Profile>, secret: (envName: string) => string | undefined) {
  const auth = profile.auth
  return (options: SendOptions): SendOptions => {
    if (!auth?.sendTokenTo.length || options.anonymous) return options
    if (Object.keys(options.headers ?? {}).some((name) => name.toLowerCase() === 'authorization')) return options
    const url = new URL(options.path, profile.baseUrl)
    // The deployment's own host (its TLS endpoint included), never a third party such as a capture service.
    if (url.hostname !== new URL(profile.baseUrl).hostname) return options
    if (!matches(auth.sendTokenTo, url.pathname)) return options
    const token = secret(auth.tokenEnv)
    return token ? { ...options, headers: { ...options.headers, authorization: `Bearer ${token}` } } : options
  }
}

/**
 * A probe sent without credentials that met a 401 it did not expect never reached
 * what its check is about: say what the profile needs, ahead of the check's own diagnosis.
 */
export function credentialsDiagnosis(got: Got, profile: Readonly<Profile>): string | undefined {
  if (got.status !== 401 || !hasProblem(got, COMMON.status)) return undefined
  const path = new URL(got.exchange.request.url).pathname
  // A probe that carried a token of its own choosing is the check's to diagnose (an invalid token, a quota's token).
  if (got.exchange.request.headers.some(([name]) => name.toLowerCase() === 'authorization')) return undefined
  return `${path} answered 401: it needs credentials, so the probe never reached what this check is about. ` +
    (profile.auth
      ? `List it in auth.sendTokenTo (e.g. "${path}"), so probes carry the token of auth.tokenEnv (${profile.auth.tokenEnv}).`
      : `Describe the deployment's authentication under auth (tokenEnv, protectedPath) and list this path in auth.sendTokenTo.`)
}
