import { defineCheck } from '../../harness/check/define-check.ts'
import { expectResponse, gotOf } from '../../harness/check/expect-response.ts'
import { connectionFailure, healthPath, hostOf, message, parserDiagnosis, runCases, servedStatus } from './raw-probes.ts'
import { problem } from '../../harness/check/problem.ts'

export const headNoBody = defineCheck({
  id: 'protocol.head-no-body',
  title: 'A HEAD response carries no body: the GET pipelined behind it is read intact',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §9.3.2, RFC 9112 §6.3', severity: 'error', requirement: 'MUST',
  run: (context) => {
    const host = `Host: ${hostOf(context.profile)}`
    const path = healthPath(context.profile)
    const bytes = message(`HEAD ${path} HTTP/1.1`, [host]) + message(`GET ${path} HTTP/1.1`, [host])
    return runCases(context, [{
      // The parser reads the HEAD answer as headers only (RFC 9112 §6.3(1)): a body there lands where the GET's status line should be.
      probe: { label: 'HEAD, then GET on the same connection', requirement: 'MUST', bytes, requests: 2, head: [true, false] },
      judge: (outcome, profile) => {
        const served = servedStatus(profile)
        const head = expectResponse(outcome.exchange, { status: served, describe: 'MUST NOT carry a body' })
        if (!head.pass) return head
        const get = outcome.exchangeOf(1, 'GET behind the HEAD')
        if (outcome.finals.length < 2 || !served.includes(get.response?.status ?? 0)) {
          const found = outcome.exchange.raw?.trailing
            ? problem('head-body', `bytes after the HEAD response where the GET's status line should be: ${outcome.exchange.raw.trailing.slice(0, 80)}`)
            : problem('get-after-head', `the GET behind the HEAD was not answered ${served.join(' or ')} (${get.response?.status ?? get.failure?.code})`)
          // The bytes on this connection come from the first hop, whether it wrote them or passed them on.
          return connectionFailure(outcome.exchange, profile, found, { expected: `${served.join(' or ')} with no body, then the GET's ${served.join(' or ')}` })
        }
        // The GET's answer names who served the path; the HEAD's bare headers carry no signature.
        return { ...head, got: gotOf(get, []) }
      },
    }])
  },
  diagnose: (got, profile) => parserDiagnosis(got, profile,
    'A HEAD answer with a body desynchronises every keep-alive client and cache behind it: the server must send GET\'s headers and no content.'),
})
