import { inject } from 'vitest'
import { describeChecks } from '../../harness/check/describe-checks.ts'
import { importUserChecks } from '../../harness/check/user-checks.ts'

// The profile's own checks (checks.include), imported from the files the run found and vetted:
// the same runner, evidence, attribution and reports as the built-in regions.
describeChecks('custom', await importUserChecks(inject('layercheckUserChecks')))
