import type { CheckDefinition } from '../harness/check/define-check.ts'
import { nearestName } from '../harness/profile/nearest-name.ts'
import { dnsResolves } from './connection/dns-resolves.ts'
import { tcpConnects } from './connection/tcp-connects.ts'
import { tlsAlpn } from './connection/tls-alpn.ts'
import { tlsCertificateValid } from './connection/tls-certificate-valid.ts'
import { tlsExpiryWindow } from './connection/tls-expiry-window.ts'
import { tlsMinVersion } from './connection/tls-min-version.ts'
import { oneUpstreamDown, oneUpstreamSlow } from './faults/load-balancing.ts'
import { neverAnswers } from './faults/never-answers.ts'
import { proxyErrorRequestId } from './faults/proxy-error-request-id.ts'
import { resetMidResponse } from './faults/reset.ts'
import { slowHandler } from './faults/slow-handler.ts'
import { slowTrickle } from './faults/slow-trickle.ts'
import { truncatedResponse } from './faults/truncated-response.ts'
import { upstreamDown } from './faults/upstream-down.ts'
import { latencyWithinTimeout, upstreamSlow } from './faults/upstream-slow.ts'
import { workerCrash } from './faults/worker-crash.ts'
import { unhandledException } from './handler/unhandled-exception.ts'
import { corsAllowedOrigin, corsForeignOrigin, corsPreflight } from './middleware/cors.ts'
import { trustedHost } from './middleware/trusted-host.ts'
import { rateLimit429, rateLimitAfterAuth } from './middleware/rate-limit.ts'
import { secretsNotLogged } from './handler/secrets-not-logged.ts'
import { requestIdPropagation } from './middleware/request-id-propagation.ts'
import { gzipCompression } from './proxy/compression.ts'
import { forwardedForNotTrusted, forwardedProtoHttps } from './proxy/forwarded-headers.ts'
import { hsts, nosniff, serverVersionHidden } from './proxy/response-headers.ts'
import { badToken, insufficientScope, missingToken } from './middleware/auth.ts'
import { everySecuredOperation } from './middleware/auth-every-operation.ts'
import { requestIdEchoed, requestIdGenerated, requestIdOnErrors, requestIdSanitised } from './middleware/request-id.ts'
import { bodyAtLimit, bodyTooLarge } from './proxy/body-size.ts'
import { upstreamKeepAlive } from './proxy/upstream-hop.ts'
import { methodNotAllowed } from './routing/method-not-allowed.ts'
import { unknownPath } from './routing/unknown-path.ts'
import { optionsAnswered } from './routing/options.ts'
import { everyMethod, notImplementedMethods } from './routing/every-method.ts'
import { PROTOCOL_CHECKS } from './protocol/protocol-checks.ts'
import { contentTypeMismatch } from './validation/content-type-mismatch.ts'
import { invalidFields } from './validation/invalid-fields.ts'
import { missingBody } from './validation/missing-body.ts'
import { documentedStatuses } from './validation/documented-statuses.ts'
import { schemaEveryOperation } from './validation/schema-every-operation.ts'

// The one registry of checks. suites/conformance.test.ts registers `checksOf(region)` for every
// region that may run side by side, suites/faults/faults.test.ts the disruptive one;
// listings, dry runs and reports use ALL_CHECKS. A check's id starts with its
// region (a test holds both to it), but no code reads meaning from an id.

export interface RegionEntry {
  /** Where in the request's path the region's checks look, for the region's test file. */
  about: string
  checks: readonly CheckDefinition[]
  /** Opens sockets of its own below HTTP (DNS, TCP, TLS): planned by description, never through `send`. */
  belowHttp?: true
  /** Disturbs the target for everyone (injected faults): a suite file of its own, run after the others; its checks hold `target:upstream` alone. */
  disruptive?: true
}

export const REGIONS = {
  connection: {
    about: 'Lifecycle steps 1–3: the name resolves, the port answers, and the TLS endpoint shows a valid certificate with current protocol versions — before any HTTP.',
    checks: [dnsResolves, tcpConnects, tlsCertificateValid, tlsExpiryWindow, tlsMinVersion, tlsAlpn],
    belowHttp: true,
  },
  protocol: {
    about: 'Raw HTTP/1.1 bytes undici will not send: the first hop\'s parser, framing and timeouts.',
    checks: PROTOCOL_CHECKS,
  },
  proxy: {
    about: 'Lifecycle steps 6 and 7: the reverse proxy enforces what it documents, before the app, and keeps its connections to the app.',
    checks: [hsts, bodyTooLarge, bodyAtLimit, forwardedForNotTrusted, forwardedProtoHttps, gzipCompression, serverVersionHidden, nosniff, upstreamKeepAlive],
  },
  faults: {
    about: 'Faults between the proxy and the app (seed Part 9): slow handlers and crashed workers through the deployment\'s own routes; dead, slow, resetting and truncating links injected through Toxiproxy and removed afterwards, whatever happens.',
    checks: [
      oneUpstreamDown, oneUpstreamSlow,
      upstreamDown, upstreamSlow, latencyWithinTimeout, neverAnswers, proxyErrorRequestId,
      resetMidResponse, truncatedResponse, slowTrickle,
      workerCrash, slowHandler,
    ],
    disruptive: true,
  },
  middleware: {
    about: 'Lifecycle steps 10, 11 and 13: request IDs at the edge, then authentication, CORS, rate limits and authorisation.',
    checks: [
      trustedHost,
      requestIdGenerated, requestIdEchoed, requestIdSanitised, requestIdOnErrors,
      missingToken, badToken, everySecuredOperation, corsAllowedOrigin, corsForeignOrigin, corsPreflight, rateLimitAfterAuth, rateLimit429,
      insufficientScope, requestIdPropagation,
    ],
  },
  routing: {
    about: 'Lifecycle step 12: the router. 404 and 405 must come from the app, with its headers.',
    checks: [unknownPath, methodNotAllowed, optionsAnswered, everyMethod, notImplementedMethods],
  },
  validation: {
    about: 'Lifecycle step 14: the framework parses and validates the body and parameters, on every operation the OpenAPI document declares.',
    checks: [contentTypeMismatch, missingBody, invalidFields, schemaEveryOperation, documentedStatuses],
  },
  handler: {
    about: 'Lifecycle step 15: the handler runs; an uncaught exception must become a clean 500, and secrets stay out of the logs.',
    checks: [unhandledException, secretsNotLogged],
  },
} as const satisfies Record<string, RegionEntry>

export type Region = keyof typeof REGIONS

const regionByCheck = new Map<string, Region>(
  (Object.entries(REGIONS) as [Region, RegionEntry][]).flatMap(([region, entry]) => entry.checks.map((check) => [check.id, region] as const)),
)

/** Every check, in lifecycle order (by step; within a step, in region order): for listings, dry runs, reports and the project's own tests. */
export const ALL_CHECKS: readonly CheckDefinition[] = (Object.values(REGIONS) as RegionEntry[])
  .flatMap((entry) => entry.checks)
  .map((check, index) => ({ check, index }))
  .sort((a, b) => a.check.step - b.check.step || a.index - b.index)
  .map(({ check }) => check)

export const checksOf = (region: Region): readonly CheckDefinition[] => REGIONS[region].checks

export function regionOf(check: CheckDefinition | string): Region {
  const id = typeof check === 'string' ? check : check.id
  const region = regionByCheck.get(id)
  if (!region) throw new Error(`unknown check "${id}"`)
  return region
}

// A profile's own check (not in any region) is neither: it goes through `send` and shares the target.
const inRegionWith = (flag: 'belowHttp' | 'disruptive') => (check: CheckDefinition) => {
  const region = regionByCheck.get(check.id)
  return region !== undefined && (REGIONS[region] as RegionEntry)[flag] === true
}

/** The regions whose checks may run side by side: one suite file (suites/conformance.test.ts) registers them all, so one scheduler sees every check. */
export const CONFORMANCE_REGIONS: readonly Region[] = (Object.keys(REGIONS) as Region[]).filter((region) => !(REGIONS[region] as RegionEntry).disruptive)

/** The vitest filter for the suite file that registers a region's checks (`run --only` loads only those files). */
export function suiteFilterOf(region: string): string {
  return (CONFORMANCE_REGIONS as readonly string[]).includes(region) ? 'suites/conformance.test' : `suites/${region}/`
}

/** Checks that open their own DNS, TCP or TLS sockets. */
export const isBelowHttp = inRegionWith('belowHttp')

/** Checks that disturb the target for everyone (faults): run after the others, one at a time. */
export const DISRUPTIVE_CHECK_IDS: ReadonlySet<string> = new Set(ALL_CHECKS.filter(inRegionWith('disruptive')).map((c) => c.id))

export function findCheck(id: string): CheckDefinition {
  const check = ALL_CHECKS.find((c) => c.id === id)
  if (!check) throw new Error(`unknown check "${id}"`)
  return check
}

/** Ids from before every id started with its region: a profile that still names one is told the new id. */
export const RENAMED_CHECKS: Readonly<Record<string, string>> = Object.fromEntries([
  'auth.missing-token.401', 'auth.bad-token.401', 'auth.insufficient-scope.403',
  'request-id.generated', 'request-id.echoed', 'request-id.sanitised', 'request-id.on-errors', 'request-id.propagated',
].map((id) => [id, `middleware.${id}`]).concat(['headers.hsts', 'headers.nosniff', 'headers.server-version-hidden'].map((id) => [id, `proxy.${id}`])))

const hint = (near: string | undefined) => (near ? `; did you mean "${near}"?` : '')

/** What is wrong with the check ids a profile names under `checks`: a typo or an old id would otherwise skip nothing, silently. */
export function checkIdProblems(named: Iterable<string>): string[] {
  const known = new Set(ALL_CHECKS.map((c) => c.id))
  return [...named].filter((id) => !known.has(id)).map((id) => RENAMED_CHECKS[id]
    ? `checks.${id}: this check is now called "${RENAMED_CHECKS[id]}"`
    : `checks.${id}: no such check${hint(nearestName(id, [...known]))} (\`layercheck list\` shows every id)`)
}
