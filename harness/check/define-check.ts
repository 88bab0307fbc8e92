import type { AnsweredBy, CheckMeta, Exchange, Tier } from '../model/check-result.ts'
import type { Profile } from '../profile/schema.ts'
import type { SendOptions } from '../http/http-client.ts'
import type { RouteSpec } from '../profile/openapi-routes.ts'

/** What a check's probe sees of the world. */
export interface CheckContext {
  readonly profile: Readonly<Profile>
  /** Sends one request and keeps the exchange as this check's evidence. */
  send(options: SendOptions): Promise<Exchange>
  /** A secret from the environment (tokens never live in the profile). */
  secret(envName: string): string | undefined
  /** A random, URL-safe suffix so probes never collide with real routes or IDs. */
  nonce(): string
  /** The routes the profile lists, merged with the target's OpenAPI document when named. */
  routes(): Promise<RouteSpec[]>
}

/** What the diagnosis sees: the exchange that decided the verdict and who answered it. */
export interface Got {
  exchange: Exchange
  status?: number
  tier: Tier
  product?: string
  answeredBy: AnsweredBy
  /** Every way the answer differed from the expectation, in words. */
  problems: string[]
}

export interface Outcome {
  pass: boolean
  expected: string
  actual: string
  got: Got
}

export interface CheckDefinition extends CheckMeta {
  /** Returns why the check cannot apply to this profile, or undefined when it can. */
  requires?: (profile: Readonly<Profile>) => string | undefined
  run(context: CheckContext): Promise<Outcome>
  /** The likely cause and what to check next, given what came back. */
  diagnose?: (got: Got, profile: Readonly<Profile>) => string | undefined
}

/** One check, one declaration: the object reads like its documentation. */
export function defineCheck(definition: CheckDefinition): CheckDefinition {
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(definition.id)) throw new Error(`check id "${definition.id}" must be dotted kebab-case`)
  return Object.freeze(definition)
}
