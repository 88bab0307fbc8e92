import { describeChecks } from '../../harness/check/describe-checks.ts'
import { oneUpstreamDown, oneUpstreamSlow } from './load-balancing.ts'
import { neverAnswers } from './never-answers.ts'
import { proxyErrorRequestId } from './proxy-error-request-id.ts'
import { resetMidResponse } from './reset.ts'
import { slowHandler } from './slow-handler.ts'
import { slowTrickle } from './slow-trickle.ts'
import { truncatedResponse } from './truncated-response.ts'
import { upstreamDown } from './upstream-down.ts'
import { latencyWithinTimeout, upstreamSlow } from './upstream-slow.ts'
import { workerCrash } from './worker-crash.ts'

// Faults between the proxy and the app (seed Part 9): each check injects one
// through Toxiproxy and removes it afterwards, whatever happens. They run in
// their own vitest project, after the others, one at a time.
describeChecks('faults', [
  oneUpstreamDown, oneUpstreamSlow,
  upstreamDown, upstreamSlow, latencyWithinTimeout, neverAnswers, proxyErrorRequestId,
  resetMidResponse, truncatedResponse, slowTrickle,
  workerCrash, slowHandler,
])
