import { describeChecks } from '../../harness/check/describe-checks.ts'
import { secretsNotLogged } from './secrets-not-logged.ts'
import { unhandledException } from './unhandled-exception.ts'

// Lifecycle step 15: the handler runs; an uncaught exception must become a clean 500.
describeChecks('handler', [unhandledException, secretsNotLogged])
