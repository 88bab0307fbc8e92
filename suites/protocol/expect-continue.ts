import { defineCheck } from '../../harness/check/define-check.ts'
import { documentedOversize } from '../../harness/check/bodies.ts'
import { expectResponse, gotOf } from '../../harness/check/expect-response.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { connectionFailure, firstHopOf, hostOf, message, parserDiagnosis, runCases, type ProbeCase } from './raw-probes.ts'
import { hasProblem, problem } from '../../harness/check/problem.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'

const CONTINUE_OVER_LIMIT = 'continue-over-limit'

// RFC 9110 §10.1.1: a server that gets `Expect: 100-continue` and a complete header
// section MUST promptly send either 100 (Continue) or the final status it can already decide.
function cases(profile: Readonly<Profile>): ProbeCase[] {
  const endpoint = profile.probes.jsonEndpoint!
  const head = (bytes: number) => message(`${endpoint.method} ${endpoint.path} HTTP/1.1`,
    [`Host: ${hostOf(profile)}`, 'Content-Type: application/json', `Content-Length: ${bytes}`, 'Expect: 100-continue'])
  const list: ProbeCase[] = [{
    probe: { label: 'Expect: 100-continue, body held back', requirement: 'MUST', bytes: head(2), requests: 0 },
    judge: (outcome) => {
      const first = outcome.all[0]
      if (!first) return expectResponse(outcome.exchange, { status: 100, describe: 'or a final status, at once' })
      return { pass: true, expected: '100 Continue or a final status, at once', actual: `${first.status} after ${outcome.raw.firstByteMs} ms`, got: gotOf(outcome.exchange, []) }
    },
  }]
  const max = profile.limits.maxBodyBytes
  if (max !== undefined) {
    // The documented limit can be decided from the header section alone: refuse before asking for the body.
    list.push({
      probe: { label: `Expect: 100-continue with Content-Length ${max + 1} (over the documented limit)`, requirement: 'MAY', bytes: head(max + 1), requests: 0, documented: documentedOversize(profile) },
      judge: (outcome) => {
        if (outcome.all[0]?.status === 100) {
          const found = problem(CONTINUE_OVER_LIMIT, `100 Continue for a body over the documented ${max}-byte limit: the client is told to send it all`)
          return connectionFailure(outcome.exchange, profile, found, { expected: '413 at once, without 100 Continue' })
        }
        return expectResponse(outcome.exchange, { status: 413, from: profile.limits.bodyLimitLayer === 'proxy' ? 'proxy' : 'app', describe: 'at once, without 100 Continue' })
      },
    })
  }
  return list
}

export const expectContinue = defineCheck({
  id: 'protocol.expect-100-continue',
  title: 'Expect: 100-continue gets 100 or the final status at once; a body over the documented limit gets 413 without 100',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §10.1.1', severity: 'error', requirement: 'MUST',
  requires: (p) => (p.probes.jsonEndpoint ? undefined : 'no probes.jsonEndpoint: a POST endpoint to send the Expect header to'),
  run: (context) => runCases(context, cases(context.profile)),
  diagnose: (got, profile) => hasProblem(got, CONTINUE_OVER_LIMIT)
    ? `The ${firstHopOf(profile).tier} asked for a body it will refuse: the limit (limits.maxBodyBytes ${profile.limits.maxBodyBytes}) is not enforced before 100 Continue. Refuse from the Content-Length alone (${proxySetting(profile.layers?.proxy, 'bodyLimit', 'the request body size limit')}); an app server such as uvicorn sends 100 as soon as the app reads.`
    : parserDiagnosis(got, profile, 'No prompt answer to Expect: 100-continue stalls clients that wait for it (curl waits 1 s, others longer).'),
})
