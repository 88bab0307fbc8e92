import { defineCheck } from '../../harness/check/define-check.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { connectionFailure, expectServed, STAYED_OPEN, healthPath, hostOf, message, parserDiagnosis, refused, refusedOrServed, runCases, served, type ProbeCase } from './raw-probes.ts'
import { protocolChoices } from '../../harness/products/protocol-choices.ts'
import { problem } from '../../harness/check/problem.ts'

function cases(profile: Readonly<Profile>): ProbeCase[] {
  const host = `Host: ${hostOf(profile)}`
  const path = healthPath(profile)
  const choices = protocolChoices(profile)
  const unsupported = { status: choices.unsupportedVersionStatus }
  // RFC 9110 §6.2, §15.6.6: a server MAY refuse a major version with 505 "for any reason"; HTTP/2 is not spoken in HTTP/1 text.
  // Serving it passes too, unless the profile (or the first hop's known product) documents the refusal.
  const mayRefuse = (label: string, bytes: string) => (choices.narrowed.unsupportedVersionStatus
    ? refused(label, 'MAY', bytes, unsupported)
    : refusedOrServed(`${label} (refused with ${choices.unsupportedVersionStatus.join(' or ')}, or served)`, 'MAY', bytes, unsupported))
  return [
    mayRefuse('"HTTP/2.0" in an HTTP/1 request-line', message(`GET ${path} HTTP/2.0`, [host])),
    mayRefuse('"HTTP/3.0" in an HTTP/1 request-line', message(`GET ${path} HTTP/3.0`, [host])),
    // RFC 9110 §6.2: a higher minor version SHOULD be processed as the highest one supported.
    served('"HTTP/1.2": processed as HTTP/1.1', 'SHOULD', message(`GET ${path} HTTP/1.2`, [host])),
    // RFC 9112 §9.3: without keep-alive, an HTTP/1.0 connection closes after the response.
    {
      probe: { label: 'HTTP/1.0 request: served, then the connection closed', requirement: 'MUST', bytes: message(`GET ${path} HTTP/1.0`, [host]) },
      judge: (outcome) => {
        const judged = expectServed(outcome, profile)
        if (!judged.pass || outcome.raw.end !== 'open') return judged
        return connectionFailure(outcome.exchange, profile, problem(STAYED_OPEN, 'the HTTP/1.0 connection stayed open after the response'), judged)
      },
    },
  ]
}

export const httpVersion = defineCheck({
  id: 'protocol.http-version.505',
  title: 'An unsupported major HTTP version gets the documented refusal (505); HTTP/1.x minor versions are served',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §6.2, §15.6.6; RFC 9112 §2.3, §9.3', severity: 'warning', requirement: 'MUST',
  run: (context) => runCases(context, cases(context.profile)),
  diagnose: (got, profile) => parserDiagnosis(got, profile, got.status !== undefined && got.status < 300
    ? 'A request claiming HTTP/2.0 or 3.0 in HTTP/1 syntax was served as if it were HTTP/1.1 (h11 accepts any d.d version): refuse other major versions at the first hop (nginx answers 505).'
    : `Expected ${protocolChoices(profile).unsupportedVersionStatus.join(' or ')}: ${protocolChoices(profile).sourceOf.unsupportedVersionStatus}.`),
})
