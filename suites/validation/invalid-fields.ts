import { defineCheck } from '../../harness/check/define-check.ts'
import { expectResponse, jsonOf } from '../../harness/check/expect-response.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'

const FIELDS_NOT_NAMED = 'fields-not-named'

/** Field names that a FastAPI/Pydantic-style 422 body reports, from `detail[].loc`. */
function reportedFields(body: unknown): Set<string> {
  const detail = (body as { detail?: unknown } | undefined)?.detail
  const fields = new Set<string>()
  if (Array.isArray(detail)) {
    for (const error of detail) {
      for (const part of (error as { loc?: unknown[] })?.loc ?? []) if (typeof part === 'string') fields.add(part)
    }
  } else if (body && typeof body === 'object') {
    // Other frameworks: {"errors": {"field": [...]}} or [{"field": ...}]
    const text = JSON.stringify(body)
    for (const match of text.matchAll(/"(?:field|name|path|pointer)"\s*:\s*"([^"]+)"/g)) fields.add(match[1]!.replace(/^.*[/.]/, ''))
    const errors = (body as { errors?: unknown }).errors
    if (errors && typeof errors === 'object' && !Array.isArray(errors)) for (const key of Object.keys(errors)) fields.add(key)
  }
  return fields
}

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
