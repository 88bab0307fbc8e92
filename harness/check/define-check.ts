import type { AnsweredBy, CheckMeta, Exchange, Tier } from '../model/check-result.ts'
import type { Profile } from '../profile/schema.ts'
import type { SendOptions } from '../http/http-client.ts'
import type { RouteSpec } from '../profile/openapi-routes.ts'
import type { FaultInjector } from '../toxiproxy/fault-injector.ts'
import type { Problem } from './problem.ts'
import type { RawOutcome, RawProbe, RawTarget } from '../raw/raw-exchange.ts'
import type { Uses } from './check-scheduler.ts'

/** What a check's probe sees of the world. */
export interface CheckContext {
  readonly profile: Readonly<Profile>
  /** Sends one request and keeps the exchange as this check's evidence. */
  send(options: SendOptions): Promise<Exchange>
  /** Sends one request without keeping it (polling loops: only their first and last requests are evidence). */
  sendUnrecorded(options: SendOptions): Promise<Exchange>
  /**
   * Sends bytes undici refuses to send, on a connection of their own, and reads what comes back
   * (not kept: the check records the exchange its judgment rests on).
   */
  raw(probe: RawProbe, target: RawTarget): Promise<RawOutcome>
  /** Fetches a JSON document without keeping it as evidence (a capture service's list, say); `url` may be absolute. */
  getJson(url: string): Promise<{ exchange: Exchange; json?: unknown }>
  /** Keeps an exchange made without `send` (a DNS, TCP or TLS probe) as this check's evidence. */
  record(exchange: Exchange): Exchange
  /** A secret from the environment (tokens never live in the profile). */
  secret(envName: string): string | undefined
  /** Text the target wrote (a log line) made fit for evidence: tokens and secret fields' values masked, as in exchanges. */
  redact(text: string): string
  /** A random, URL-safe suffix so probes never collide with real routes or IDs. */
  nonce(): string
  /** The routes the profile lists, merged with the target's OpenAPI document when named. */
  routes(): Promise<RouteSpec[]>
  /** Toxiproxy control over the profile's links (faults checks only; undefined without `faults`). */
  readonly faults?: FaultInjector
  /**
   * Waits on purpose (a rate-limit window, a Retry-After) and counts the time as this check's inherent wait:
   * part of the run's floor (`floorMs`), not the tool's overhead.
   */
  pause(ms: number, why: string): Promise<void>
  /**
   * Counts time already spent waiting on the target's own documented timer (a 504 after the gateway timeout,
   * an idle connection closed after the idle timeout) as this check's inherent wait. Waits made side by side
   * are counted once, by the caller.
   */
  waited(ms: number, why: string): void
}

/** What the diagnosis sees: the exchange that decided the verdict and who answered it. */
export interface Got {
  exchange: Exchange
  status?: number
  tier: Tier
  product?: string
  answeredBy: AnsweredBy
  /** Every way the answer differed from the expectation: codes for the diagnosis, words for the report. */
  problems: Problem[]
}

export interface Outcome {
  pass: boolean
  expected: string
  actual: string
  got: Got
  measurements?: Record<string, number>
}

export interface CheckDefinition extends CheckMeta {
  /** Returns why the check cannot apply to this profile, or undefined when it can. */
  requires?: (profile: Readonly<Profile>) => string | undefined
  /**
   * For a check that rests on a recommendation rather than an RFC requirement: the profile key (dotted) that
   * documents it. While that key is unset the check still runs, as advice: its result has severity `info`
   * and names the key (`advisory`), so a failure is a warning that gates only under --fail-on info.
   */
  recommendation?: string
  /**
   * What the check disturbs or needs undisturbed, as resource keys (harness/check/resources.ts): the scheduler
   * never runs it beside a check that conflicts. Unset: it shares `target:upstream` with every ordinary check.
   */
  uses?: Uses | ((profile: Readonly<Profile>) => Uses)
  /**
   * How many of the per-target limit's places (run.concurrency) it takes: the requests it keeps in flight at once.
   * Unset, one. A check that sends many independent probes side by side says how many, so the target never sees more.
   */
  slots?: (profile: Readonly<Profile>) => number
  /** The deliberate wait it will make (ms), planned from the profile: the scheduler starts the longest first. */
  plannedWaitMs?: (profile: Readonly<Profile>) => number
  run(context: CheckContext): Promise<Outcome>
  /** The likely cause and what to check next, given what came back. */
  diagnose?: (got: Got, profile: Readonly<Profile>) => string | undefined
}

/** One check, one declaration: the object reads like its documentation. */
export function defineCheck(definition: CheckDefinition): CheckDefinition {
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(definition.id)) throw new Error(`check id "${definition.id}" must be dotted kebab-case`)
  return Object.freeze(definition)
}
