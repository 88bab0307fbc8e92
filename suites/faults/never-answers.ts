import { defineCheck } from '../../harness/check/define-check.ts'
import { needsFaults } from './fault-requirements.ts'
import { diagnoseGatewayTimeout, gatewayTimeoutUnder } from './upstream-slow.ts'
import { DISTURBS_UPSTREAM } from '../../harness/check/resources.ts'

export const neverAnswers = defineCheck({
  id: 'faults.never-answers.504',
  title: 'An app that accepts the connection and never answers gets 504 from the proxy within the documented window',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §15.6.5', severity: 'error',
  uses: DISTURBS_UPSTREAM,
  requires: needsFaults,
  // Upstream direction, held open: the request never reaches the app, the connection stays up.
  run: (context) => gatewayTimeoutUnder(context, { kind: 'timeout', timeoutMs: 0, direction: 'upstream' }, 'app never answers'),
  diagnose: diagnoseGatewayTimeout,
})
