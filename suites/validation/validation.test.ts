import { describeChecks } from '../../harness/check/describe-checks.ts'
import { contentTypeMismatch } from './content-type-mismatch.ts'
import { invalidFields } from './invalid-fields.ts'
import { missingBody } from './missing-body.ts'

// Lifecycle step 14: the framework parses and validates the body.
describeChecks('validation', [contentTypeMismatch, missingBody, invalidFields])
