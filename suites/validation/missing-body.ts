import { defineCheck } from '../../harness/check/define-check.ts'
import { needsJsonEndpoint } from '../requirements.ts'
import { expectResponse, jsonOf } from '../../harness/check/expect-response.ts'
import { problem } from '../../harness/check/problem.ts'

export const missingBody = defineCheck({
  id: 'validation.missing-body.422',
  title: 'A JSON endpoint answers a request without a body with 422 naming the missing body',
  step: 14, layer: 'validation', spec: 'RFC 9110 §15.5.21', severity: 'error',
  requires: needsJsonEndpoint,
  async run({ send, profile }) {
    const endpoint = profile.probes.jsonEndpoint!
    const exchange = await send({
      method: endpoint.method, path: endpoint.path, headers: { 'content-type': 'application/json', accept: 'application/json' },
    })
    return expectResponse(exchange, {
      status: profile.validation.missingBodyStatus ?? [422, 400], from: 'app', describe: 'a body that names the missing body',
      rules: [(ex) => (/"body"|missing|required/i.test(JSON.stringify(jsonOf(ex) ?? ex.response?.bodyExcerpt))
        ? undefined : problem('body-not-named', 'the error body does not say that the body is missing'))],
    })
  },
  diagnose: (got) => {
    if (got.status !== undefined && got.status >= 200 && got.status < 300) {
      return `The endpoint accepted a request with no body (${got.status}): its body parameter is optional. Make the body model required ` +
        '(no default of None), so clients learn of the mistake instead of creating an empty record.'
    }
    return undefined
  },
})
