import { defineCheck } from '../../harness/check/define-check.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { healthPath, hostOf, message, parserDiagnosis, refused, runCases, type ProbeCase } from './raw-probes.ts'

// RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request without Host,
// with more than one Host line, or with an invalid Host value.
function cases(profile: Readonly<Profile>): ProbeCase[] {
  const path = healthPath(profile)
  const bad = { status: 400 }
  return [
    refused('HTTP/1.1 request without Host', 'MUST', message(`GET ${path} HTTP/1.1`, []), bad),
    refused('two different Host lines', 'MUST', message(`GET ${path} HTTP/1.1`, [`Host: ${hostOf(profile)}`, 'Host: other.example']), bad),
    refused('Host value that is not an authority ("a b")', 'MUST', message(`GET ${path} HTTP/1.1`, ['Host: a b']), bad),
  ]
}

export const hostHeader = defineCheck({
  id: 'protocol.host-header.400',
  title: 'A missing, duplicated or invalid Host is refused with 400 by the first hop',
  step: 6, layer: 'proxy', spec: 'RFC 9112 §3.2', severity: 'error', requirement: 'MUST',
  run: (context) => runCases(context, cases(context.profile)),
  diagnose: (got, profile) => parserDiagnosis(got, profile,
    'Host decides routing and cache keys: a first hop that passes an invalid or ambiguous Host leaves each later hop to pick its own.'),
})
