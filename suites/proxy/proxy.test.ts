import { describeChecks } from '../../harness/check/describe-checks.ts'
import { bodyAtLimit, bodyTooLarge } from './body-size.ts'

// Lifecycle step 6: the reverse proxy enforces what it documents, before the app.
describeChecks('proxy', [bodyTooLarge, bodyAtLimit])
