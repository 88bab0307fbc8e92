import type { Profile } from '../profile/schema.ts'
import { HttpClient } from '../http/http-client.ts'
import { Redactor } from '../http/redactor.ts'
import { secretFieldRule, type SecretFieldRule } from '../http/secret-fields.ts'
import { attributionFor } from './attribution-for-profile.ts'

/** The environment variables that hold this profile's secrets. */
export function secretEnvNames(profile: Readonly<Profile>): string[] {
  const names = [profile.auth?.tokenEnv, profile.auth?.forbidden?.tokenEnv, profile.rateLimit?.tokenEnv, profile.rateLimit?.secondTokenEnv]
  return [...new Set(names.filter((n): n is string => Boolean(n)))]
}

/** The field names whose values are secrets: the defaults, the profile's own, and its login route's password field. */
function secretFieldsOf(profile: Readonly<Profile>): SecretFieldRule {
  return secretFieldRule([...profile.redact.fields, ...(profile.login ? [profile.login.passwordField] : [])])
}

export function redactorFor(profile: Readonly<Profile>, env: NodeJS.ProcessEnv = process.env): Redactor {
  const redactor = new Redactor(Object.fromEntries(secretEnvNames(profile).map((name) => [name, env[name]])), secretFieldsOf(profile))
  // The profile's own bodies are known from the start, whichever worker sends them.
  const endpoint = profile.probes.jsonEndpoint
  for (const body of [endpoint?.validBody, endpoint?.invalidBody]) if (body) redactor.learnSecretsFrom(JSON.stringify(body))
  return redactor
}

export function clientForProfile(profile: Readonly<Profile>, env: NodeJS.ProcessEnv = process.env): HttpClient {
  return new HttpClient({
    baseUrl: profile.baseUrl,
    connectMs: profile.timeouts.connectMs,
    requestMs: profile.timeouts.requestMs,
    maxResponseBytes: profile.timeouts.maxResponseBytes,
    caFile: profile.tls?.caFile,
    insecure: profile.tls?.insecure,
    redactor: redactorFor(profile, env),
    requestIdHeader: profile.requestId?.header ?? 'X-Request-ID',
    attribution: attributionFor(profile),
  })
}
