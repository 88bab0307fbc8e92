import type { Profile } from '../harness/profile/schema.ts'

// Preconditions several checks share: each returns why a check cannot apply, or undefined.

export const needsJsonEndpoint = (p: Readonly<Profile>) =>
  p.probes.jsonEndpoint ? undefined : 'probes.jsonEndpoint is not set: name an endpoint that takes a JSON body'

export const needsAuth = (p: Readonly<Profile>) =>
  p.auth ? undefined : "auth is not set: name a protected path and the token's env variable"

/** The routes the method and OPTIONS probes walk: listed in the profile, or read from the OpenAPI document. */
export const needsRoutes = (p: Readonly<Profile>) => (p.routes.openapi === false && p.routes.list.length === 0
  ? 'no routes: list them under routes.list or name the OpenAPI document in routes.openapi' : undefined)

/** Checks that read what only the OpenAPI document says (security requirements, schemas): `what` says which. */
export const needsOpenApi = (what: string) => (p: Readonly<Profile>) =>
  p.routes.openapi === false ? `routes.openapi is not set: ${what}` : undefined

export const needsRequestId = (p: Readonly<Profile>) => (p.requestId ? undefined : 'requestId is not set in the profile')
