import { defineCheck } from '../../harness/check/define-check.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { healthPath, hostOf, message, parserDiagnosis, refused, runCases, type ProbeCase } from './raw-probes.ts'

// RFC 9112 §7.1: chunk-size = 1*HEXDIG, each chunk and size line ends in CRLF;
// recipients MUST guard against overflow. Anything else is a framing error: 400 and close.
function cases(profile: Readonly<Profile>): ProbeCase[] {
  const host = `Host: ${hostOf(profile)}`
  const chunked = (body: string) => message(`POST ${healthPath(profile)} HTTP/1.1`, [host, 'Transfer-Encoding: chunked'], body)
  const bad = { status: 400, close: true }
  return [
    refused('chunk size "0x2"', 'SHOULD', chunked('0x2\r\nab\r\n0\r\n\r\n'), bad),
    refused('chunk size "+2"', 'SHOULD', chunked('+2\r\nab\r\n0\r\n\r\n'), bad),
    refused('empty chunk size', 'SHOULD', chunked('\r\nab\r\n0\r\n\r\n'), bad),
    refused('chunk size "0_2"', 'SHOULD', chunked('0_2\r\nab\r\n0\r\n\r\n'), bad),
    refused('chunk data not followed by CRLF', 'SHOULD', chunked('2\r\nabXX0\r\n\r\n'), bad),
    refused('chunk size past 2^64', 'MUST', chunked('10000000000000002\r\nab\r\n0\r\n\r\n'), bad),
  ]
}

export const badChunk = defineCheck({
  id: 'protocol.framing.bad-chunk.400',
  title: 'A malformed chunk (non-hex or overflowing size, missing CRLF) is refused with 400 and the connection closed',
  step: 6, layer: 'proxy', spec: 'RFC 9112 §7.1', severity: 'error', requirement: 'MUST',
  run: (context) => runCases(context, cases(context.profile)),
  diagnose: (got, profile) => parserDiagnosis(got, profile,
    'A chunk size one hop reads differently from the next (overflow, lenient hex) desynchronises them (CVE-2013-2028, CVE-2025-43859).'),
})
