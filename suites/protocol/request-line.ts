import { defineCheck } from '../../harness/check/define-check.ts'
import { healthPath, hostOf, message, parserDiagnosis, refused, runCases, type ProbeCase } from './raw-probes.ts'
import type { Profile } from '../../harness/profile/schema.ts'

// RFC 9112 §3: a recipient of an invalid request-line SHOULD answer 400 (or 301);
// RFC 9110 §9.1: methods are case-sensitive tokens, an unknown one SHOULD get 501.
function cases(profile: Readonly<Profile>): ProbeCase[] {
  const host = `Host: ${hostOf(profile)}`
  const path = healthPath(profile)
  const bad = { status: 400 }
  return [
    refused('origin-form without the leading "/"', 'SHOULD', message(`GET ${path.slice(1)} HTTP/1.1`, [host]), bad),
    refused('no HTTP version digits', 'SHOULD', message(`GET ${path} HTTP/`, [host]), bad),
    refused('lower-case HTTP-name "http/1.1" (§2.3: case-sensitive)', 'SHOULD', message(`GET ${path} http/1.1`, [host]), bad),
    refused('SP inside the request-target', 'SHOULD', message(`GET ${path.slice(0, 2)} ${path.slice(2)} HTTP/1.1`, [host]), bad),
    refused('control byte inside the request-target', 'SHOULD', message(`GET ${path}\x01x HTTP/1.1`, [host]), bad),
    refused('method that is not a token ("G@T")', 'SHOULD', message(`G@T ${path} HTTP/1.1`, [host]), bad),
    refused('lower-case "get": an unknown method, never GET', 'SHOULD', message(`get ${path} HTTP/1.1`, [host]), { status: [400, 405, 501], anyLayer: true }),
    refused('unknown method "FOO"', 'SHOULD', message(`FOO ${path} HTTP/1.1`, [host]), { status: [400, 405, 501], anyLayer: true }),
  ]
}

export const requestLine = defineCheck({
  id: 'protocol.request-line.400',
  title: 'A malformed request-line or an unknown method is refused (400, 405 or 501), never served',
  step: 6, layer: 'proxy', spec: 'RFC 9112 §3, RFC 9110 §9.1', severity: 'warning', requirement: 'SHOULD',
  run: (context) => runCases(context, cases(context.profile)),
  diagnose: (got, profile) => parserDiagnosis(got, profile,
    'A parser that repairs a broken request-line lets crafted requests past filters that read it differently (RFC 9112 §3); refuse it at the edge.'),
})
