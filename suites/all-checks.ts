import type { CheckDefinition } from '../harness/check/define-check.ts'
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
import { requestIdEchoed, requestIdGenerated, requestIdOnErrors, requestIdSanitised } from './middleware/request-id.ts'
import { bodyAtLimit, bodyTooLarge } from './proxy/body-size.ts'
import { methodNotAllowed } from './routing/method-not-allowed.ts'
import { unknownPath } from './routing/unknown-path.ts'
import { optionsAnswered } from './routing/options.ts'
import { PROTOCOL_CHECKS } from './protocol/protocol-checks.ts'
import { contentTypeMismatch } from './validation/content-type-mismatch.ts'
import { invalidFields } from './validation/invalid-fields.ts'
import { missingBody } from './validation/missing-body.ts'

/** Every check, in lifecycle order: for listings, dry runs and the project's own tests. */
export const ALL_CHECKS: readonly CheckDefinition[] = [
  dnsResolves, tcpConnects, tlsCertificateValid, tlsExpiryWindow, tlsMinVersion, tlsAlpn,
  oneUpstreamDown, oneUpstreamSlow,
  hsts,
  ...PROTOCOL_CHECKS,
  bodyTooLarge, bodyAtLimit, forwardedForNotTrusted, forwardedProtoHttps, gzipCompression, serverVersionHidden, nosniff,
  upstreamDown, upstreamSlow, latencyWithinTimeout, neverAnswers, proxyErrorRequestId,
  resetMidResponse, truncatedResponse, slowTrickle,
  workerCrash,
  trustedHost,
  requestIdGenerated, requestIdEchoed, requestIdSanitised, requestIdOnErrors,
  missingToken, badToken, corsAllowedOrigin, corsForeignOrigin, corsPreflight, rateLimitAfterAuth, rateLimit429,
  unknownPath, methodNotAllowed, optionsAnswered,
  insufficientScope,
  contentTypeMismatch, missingBody, invalidFields,
  unhandledException, secretsNotLogged, requestIdPropagation, slowHandler,
]

/** Checks that disturb the target for everyone (faults): run after the others, one at a time. */
export const DISRUPTIVE_CHECK_IDS: ReadonlySet<string> = new Set(ALL_CHECKS.filter((c) => c.id.startsWith('faults.')).map((c) => c.id))

export function findCheck(id: string): CheckDefinition {
  const check = ALL_CHECKS.find((c) => c.id === id)
  if (!check) throw new Error(`unknown check "${id}"`)
  return check
}
