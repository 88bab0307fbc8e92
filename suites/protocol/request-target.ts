import { defineCheck } from '../../harness/check/define-check.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { expectServed, healthPath, hostOf, message, parserDiagnosis, runCases, served, type ProbeCase } from './raw-probes.ts'

function cases(profile: Readonly<Profile>): ProbeCase[] {
  const authority = hostOf(profile)
  const path = healthPath(profile)
  const scheme = new URL(profile.protocol.url ?? profile.baseUrl).protocol
  const get = message(`GET ${path} HTTP/1.1`, [`Host: ${authority}`])
  return [
    // RFC 9112 §3.2.2: a server MUST accept the absolute-form.
    served('absolute-form request-target', 'MUST', message(`GET ${scheme}//${authority}${path} HTTP/1.1`, [`Host: ${authority}`])),
    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line.
    served('empty line before the request-line', 'SHOULD', `\r\n${get}`),
    // RFC 9112 §9.3.2: pipelined requests are answered in order.
    {
      probe: { label: 'two pipelined requests answered in order', requirement: 'MUST', bytes: get + get, requests: 2 },
      judge: (outcome, p) => {
        const judged = expectServed(outcome, p)
        if (!judged.pass) return judged
        return expectServed({ ...outcome, exchange: outcome.exchangeOf(1, 'second pipelined request') }, p)
      },
    },
  ]
}

export const requestTarget = defineCheck({
  id: 'protocol.request-target.forms',
  title: 'Well-formed requests in every form a server must accept are served: absolute-form, a leading empty line, pipelining',
  step: 6, layer: 'proxy', spec: 'RFC 9112 §2.2, §3.2.2, §9.3.2', severity: 'error', requirement: 'MUST',
  run: (context) => runCases(context, cases(context.profile)),
  diagnose: (got, profile) => parserDiagnosis(got, profile, got.exchange.label?.startsWith('absolute-form')
    ? 'The absolute-form reached the app as a path it does not route (uvicorn passes "http://host/path" as the ASGI path): have the first hop rewrite it to origin-form.'
    : 'Check the first hop\'s request parser.'),
})
