import { defineCheck } from '../../harness/check/define-check.ts'
import { expectResponse, jsonOf } from '../../harness/check/expect-response.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'
import { reportedFields } from './reported-fields.ts'

const FIELDS_NOT_NAMED = 'fields-not-named'

export const invalidFields = defineCheck({
  id: 'validation.invalid-fields.422',
  title: 'A body with several invalid fields gets 422 (or the documented 400) naming every failing field',
  step: 14, layer: 'validation', spec: 'RFC 9110 §15.5.21', severity: 'error',
  requires: (p) => (p.probes.jsonEndpoint?.invalidBody && p.probes.jsonEndpoint.invalidFields?.length
    ? undefined : 'probes.jsonEndpoint.invalidBody and invalidFields are not set'),
  async run({ send, profile }) {
    const endpoint = profile.probes.jsonEndpoint!
    const expectedFields = endpoint.invalidFields!
    const exchange = await send({
      method: endpoint.method, path: endpoint.path,
      headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(endpoint.invalidBody),
    })
    return expectResponse(exchange, {
      status: profile.validation.invalidStatus ?? [422, 400], from: 'app', describe: `the body names ${expectedFields.join(', ')}`,
      rules: [(ex) => {
        const named = reportedFields(jsonOf(ex))
        const missing = expectedFields.filter((f) => !named.has(f))
        return missing.length ? problem(FIELDS_NOT_NAMED, `the error body does not name ${missing.join(', ')} (it names ${[...named].join(', ') || 'no field'})`) : undefined
      }],
    })
  },
  diagnose: (got) => {
    if (hasProblem(got, FIELDS_NOT_NAMED)) {
      return 'The 422 does not list every failing field: a custom validation handler truncates the error list (e.g. errors[:1]). ' +
        'Return every failing field with its location and message, so a client can fix all of them in one round trip.'
    }
    if (got.status !== undefined && got.status >= 200 && got.status < 300) {
      return 'Invalid fields were accepted: the endpoint\'s model lacks the constraints the profile documents.'
    }
    return undefined
  },
})
