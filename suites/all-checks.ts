import type { CheckDefinition } from '../harness/check/define-check.ts'
import { unhandledException } from './handler/unhandled-exception.ts'
import { badToken, insufficientScope, missingToken } from './middleware/auth.ts'
import { requestIdEchoed, requestIdGenerated, requestIdOnErrors, requestIdSanitised } from './middleware/request-id.ts'
import { bodyAtLimit, bodyTooLarge } from './proxy/body-size.ts'
import { methodNotAllowed } from './routing/method-not-allowed.ts'
import { unknownPath } from './routing/unknown-path.ts'
import { contentTypeMismatch } from './validation/content-type-mismatch.ts'
import { invalidFields } from './validation/invalid-fields.ts'
import { missingBody } from './validation/missing-body.ts'

/** Every check, in lifecycle order: for listings, dry runs and the project's own tests. */
export const ALL_CHECKS: readonly CheckDefinition[] = [
  bodyTooLarge, bodyAtLimit,
  requestIdGenerated, requestIdEchoed, requestIdSanitised, requestIdOnErrors,
  missingToken, badToken,
  unknownPath, methodNotAllowed,
  insufficientScope,
  contentTypeMismatch, missingBody, invalidFields,
  unhandledException,
]

export function findCheck(id: string): CheckDefinition {
  const check = ALL_CHECKS.find((c) => c.id === id)
  if (!check) throw new Error(`unknown check "${id}"`)
  return check
}
