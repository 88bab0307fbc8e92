import type { Profile } from '../profile/schema.ts'
import { HttpClient } from '../http/http-client.ts'
import { Redactor } from '../http/redactor.ts'
import { attributionFor } from './attribution-for-profile.ts'

/** The environment variables that hold this profile's secrets. */
export function secretEnvNames(profile: Readonly<Profile>): string[] {
  return [profile.auth?.tokenEnv, profile.auth?.forbidden?.tokenEnv].filter((n): n is string => Boolean(n))
}

export function redactorFor(profile: Readonly<Profile>, env: NodeJS.ProcessEnv = process.env): Redactor {
  return new Redactor(Object.fromEntries(secretEnvNames(profile).map((name) => [name, env[name]])))
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
