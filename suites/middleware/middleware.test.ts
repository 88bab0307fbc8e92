import { describeChecks } from '../../harness/check/describe-checks.ts'
import { badToken, insufficientScope, missingToken } from './auth.ts'
import { corsAllowedOrigin, corsForeignOrigin, corsPreflight } from './cors.ts'
import { rateLimit429, rateLimitAfterAuth } from './rate-limit.ts'
import { trustedHost } from './trusted-host.ts'
import { requestIdPropagation } from './request-id-propagation.ts'
import { requestIdEchoed, requestIdGenerated, requestIdOnErrors, requestIdSanitised } from './request-id.ts'

// Lifecycle steps 10, 11 and 13: request IDs at the edge, then authentication and authorisation.
describeChecks('middleware', [
  requestIdGenerated, requestIdEchoed, requestIdSanitised, requestIdOnErrors,
  missingToken, badToken, insufficientScope,
  trustedHost, corsAllowedOrigin, corsForeignOrigin, corsPreflight,
  rateLimitAfterAuth, rateLimit429, requestIdPropagation,
])
