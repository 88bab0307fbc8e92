import { defineCheck } from '../../harness/check/define-check.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { healthPath, hostOf, message, parserDiagnosis, refused, runCases, type ProbeCase } from './raw-probes.ts'

// RFC 9112 §6.3(5): an invalid Content-Length is an unrecoverable framing error:
// the server MUST answer 400 and close. RFC 9110 §8.6: guard against overflow.
function cases(profile: Readonly<Profile>): ProbeCase[] {
  const host = `Host: ${hostOf(profile)}`
  const post = (lines: string[], body = 'ab') => message(`POST ${healthPath(profile)} HTTP/1.1`, [host, ...lines], body)
  const bad = { status: 400, close: true }
  return [
    refused('two different Content-Length values', 'MUST', post(['Content-Length: 1', 'Content-Length: 2']), bad),
    refused('Content-Length "+2"', 'MUST', post(['Content-Length: +2']), bad),
    refused('Content-Length "0x2"', 'MUST', post(['Content-Length: 0x2']), bad),
    refused('empty Content-Length', 'MUST', post(['Content-Length: '], ''), bad),
    refused('negative Content-Length', 'MUST', post(['Content-Length: -1'], ''), bad),
    refused('Content-Length past 2^64', 'MUST', post(['Content-Length: 99999999999999999999'], ''), { status: [400, 413], close: true }),
  ]
}

export const contentLength = defineCheck({
  id: 'protocol.framing.content-length.400',
  title: 'An invalid or conflicting Content-Length is refused with 400 and the connection closed',
  step: 6, layer: 'proxy', spec: 'RFC 9112 §6.3, RFC 9110 §8.6', severity: 'error', requirement: 'MUST',
  run: (context) => runCases(context, cases(context.profile)),
  diagnose: (got, profile) => parserDiagnosis(got, profile,
    'A hop that reads a Content-Length another reads differently frames the body differently: that is request smuggling (RFC 9112 §11.2). Refuse and close.'),
})
