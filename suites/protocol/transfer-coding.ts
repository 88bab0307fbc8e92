import { defineCheck } from '../../harness/check/define-check.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { protocolChoices } from '../../harness/products/protocol-choices.ts'
import { healthPath, hostOf, message, parserDiagnosis, refused, runCases, type ProbeCase } from './raw-probes.ts'

function cases(profile: Readonly<Profile>): ProbeCase[] {
  const host = `Host: ${hostOf(profile)}`
  const post = (te: string, body = '0\r\n\r\n', version = 'HTTP/1.1') => message(`POST ${healthPath(profile)} ${version}`, [host, `Transfer-Encoding: ${te}`], body)
  // RFC 9112 §6.1: an unknown coding SHOULD get 501; §6.3(4): chunked not last MUST get 400 and a close.
  const unknown = { status: protocolChoices(profile).unknownTransferCodingStatus, close: true }
  return [
    refused('Transfer-Encoding: gzip (chunked not final)', 'MUST', post('gzip', ''), unknown),
    refused('Transfer-Encoding: xchunked', 'MUST', post('xchunked', ''), unknown),
    refused('Transfer-Encoding: chunked, identity', 'MUST', post('chunked, identity'), unknown),
    refused('Transfer-Encoding: gzip, chunked (a coding not implemented)', 'SHOULD', post('gzip, chunked'), unknown),
    // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0: the framing is faulty; the server MUST close after it.
    refused('Transfer-Encoding in an HTTP/1.0 request: answered, then closed', 'MUST', post('chunked', '0\r\n\r\n', 'HTTP/1.0'),
      { status: [200, 400, 405, 501], close: true, anyLayer: true }),
  ]
}

export const transferCoding = defineCheck({
  id: 'protocol.framing.unknown-te.501',
  title: 'A transfer coding the server does not implement gets the documented refusal (501) and a close',
  step: 6, layer: 'proxy', spec: 'RFC 9112 §6.1, §6.3', severity: 'error', requirement: 'MUST',
  run: (context) => runCases(context, cases(context.profile)),
  diagnose: (got, profile) => parserDiagnosis(got, profile,
    `unknownTransferCodingStatus: ${protocolChoices(profile).unknownTransferCodingStatus.join(' or ')}, from ${protocolChoices(profile).sourceOf.unknownTransferCodingStatus}; RFC 9112 §6.1 asks for 501 for an unknown coding (uvicorn's h11 answers 400 and drops its 501 hint).`),
})
