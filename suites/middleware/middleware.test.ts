import { describeChecks } from '../../harness/check/describe-checks.ts'
import { badToken, insufficientScope, missingToken } from './auth.ts'
import { requestIdEchoed, requestIdGenerated, requestIdOnErrors, requestIdSanitised } from './request-id.ts'

// Lifecycle steps 10, 11 and 13: request IDs at the edge, then authentication and authorisation.
describeChecks('middleware', [
  requestIdGenerated, requestIdEchoed, requestIdSanitised, requestIdOnErrors,
  missingToken, badToken, insufficientScope,
])
