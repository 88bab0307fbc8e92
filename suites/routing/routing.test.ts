import { describeChecks } from '../../harness/check/describe-checks.ts'
import { methodNotAllowed } from './method-not-allowed.ts'
import { optionsAnswered } from './options.ts'
import { unknownPath } from './unknown-path.ts'

// Lifecycle step 12: the router. 404 and 405 must come from the app, with its headers.
describeChecks('routing', [unknownPath, methodNotAllowed, optionsAnswered])
