import { defineCheck } from '../../harness/check/define-check.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { protocolChoices } from '../../harness/products/protocol-choices.ts'
import { healthPath, hostOf, message, parserDiagnosis, refused, runCases, served, type ProbeCase } from './raw-probes.ts'

function cases(profile: Readonly<Profile>): ProbeCase[] {
  const host = `Host: ${hostOf(profile)}`
  const get = (lines: string[]) => message(`GET ${healthPath(profile)} HTTP/1.1`, lines)
  const bad = { status: 400 }
  const obsFold = get([host, 'X-Folded: a', ' b'])
  const fold = protocolChoices(profile).obsFold
  return [
    // RFC 9112 §5.2: obs-fold MUST be rejected with 400 or replaced by SP: either passes unless the profile (or the product) says which.
    fold.length === 2
      ? served('obs-fold (a header line continued on the next): refused with 400 or unfolded and served', 'MUST', obsFold, [400])
      : fold[0] === 'reject'
        ? refused('obs-fold (a header line continued on the next)', 'MUST', obsFold, bad)
        : served('obs-fold (a header line continued on the next), unfolded', 'MUST', obsFold),
    // RFC 9112 §5.1: whitespace between field name and colon MUST get 400.
    refused('whitespace between field name and colon', 'MUST', get([host, 'X-Probe : a']), bad),
    // RFC 9110 §5.5: NUL, CR or LF in a value MUST be rejected (or replaced with SP).
    refused('NUL inside a field value', 'MUST', get([host, 'X-Probe: a\x00b']), bad),
    refused('bare CR inside a field value', 'MUST', get([host, 'X-Probe: a\rb']), bad),
    // RFC 9112 §2.2: whitespace between the start-line and the first field MUST be rejected or the line ignored.
    refused('whitespace-led line right after the request-line', 'MUST', get([` ${host}`, host]), bad),
    // RFC 9110 §5.1: a field name is a token; RFC 9112 §2.2: other bytes SHOULD get 400.
    refused('empty field name', 'SHOULD', get([host, ': a']), bad),
    refused('control byte inside a field name', 'SHOULD', get([host, 'X-Pro\x01be: a']), bad),
  ]
}

export const headerSyntax = defineCheck({
  id: 'protocol.header-syntax.400',
  title: 'Malformed header lines (obs-fold as documented, space before colon, NUL/CR in values, bad names) are refused with 400 by the first hop',
  step: 6, layer: 'proxy', spec: 'RFC 9112 §2.2, §5.1, §5.2; RFC 9110 §5.5', severity: 'error', requirement: 'MUST',
  run: (context) => runCases(context, cases(context.profile)),
  diagnose: (got, profile) => parserDiagnosis(got, profile, got.exchange.label?.startsWith('obs-fold')
    ? `protocol.obsFold: "${protocolChoices(profile).obsFold.join('" or "')}", from ${protocolChoices(profile).sourceOf.obsFold}: the first hop ${protocolChoices(profile).obsFold[0] === 'reject' ? 'must answer 400 (h11 unfolds instead, so each hop may read the field differently)' : 'must unfold'}.`
    : 'Hops that read malformed header lines differently are the root of request smuggling.'),
})
