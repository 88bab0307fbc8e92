import { defineCheck } from '../../harness/check/define-check.ts'
import { appFix } from '../../harness/products/app-products.ts'
import { needsJsonEndpoint } from '../requirements.ts'
import { allOf, expectResponse } from '../../harness/check/expect-response.ts'

// Each probe carries a body that is valid JSON for the endpoint: only the label
// is wrong (or absent), so an app that ignores Content-Type is caught accepting it.
const WRONG_TYPES: (string | undefined)[] = ['text/plain', 'application/x-www-form-urlencoded', undefined]
const labelOf = (type: string | undefined) => (type ? `Content-Type: ${type}` : 'no Content-Type')

export const contentTypeMismatch = defineCheck({
  id: 'validation.content-type.mismatch',
  title: 'A JSON endpoint refuses a body sent with the wrong Content-Type, with the documented 415 or 422',
  step: 14, layer: 'validation', spec: 'RFC 9110 §15.5.16 / §15.5.21', severity: 'error',
  requires: needsJsonEndpoint,
  async run({ send, profile }) {
    const endpoint = profile.probes.jsonEndpoint!
    const outcomes = []
    const types = WRONG_TYPES.filter((type) => type !== undefined || !profile.contentType.acceptsMissing)
    for (const type of types) {
      const exchange = await send({
        method: endpoint.method, path: endpoint.path, label: labelOf(type),
        headers: { accept: 'application/json', ...(type && { 'content-type': type }) }, body: JSON.stringify(endpoint.validBody),
      })
      outcomes.push(expectResponse(exchange, { status: profile.contentType.mismatchStatus ?? [415, 422, 400], from: 'app' }))
    }
    return allOf(outcomes)
  },
  diagnose: (got, profile) => {
    const strict = appFix(profile.layers?.app ?? got.product, 'strictContentType', 'check the media type before parsing the body')
    const accepted = got.status !== undefined && got.status >= 200 && got.status < 300
    if (accepted && !got.exchange.request.headers.some(([name]) => name.toLowerCase() === 'content-type')) {
      return `no Content-Type: the app parsed an unlabelled body as JSON. ${strict}; or document the leniency with contentType.acceptsMissing: true.`
    }
    if (accepted) {
      return `${got.exchange.label}: the app parsed the body as JSON although it was labelled otherwise — it ignores Content-Type, ` +
        `which lets a cross-site form post a "simple" request (no CORS preflight) into a JSON API: ${strict}.`
    }
    if (profile.contentType.mismatchStatus !== undefined && (got.status === 415 || got.status === 422 || got.status === 400)) {
      return `${got.exchange.label}: ${got.status} is allowed by RFC 9110, but the profile documents ${profile.contentType.mismatchStatus}. Align contentType.mismatchStatus with the deployment, or the deployment with its documentation.`
    }
    return undefined
  },
})
