import { defineCheck } from '../../harness/check/define-check.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { healthPath, hostOf, message, parserDiagnosis, refused, runCases, served, type ProbeCase } from './raw-probes.ts'

const field = (name: string, bytes: number) => `${name}: ${'a'.repeat(bytes - name.length - 2)}`

function cases(profile: Readonly<Profile>): ProbeCase[] {
  const host = `Host: ${hostOf(profile)}`
  const path = healthPath(profile)
  const max = profile.protocol.maxHeaderFieldBytes
  const tooLarge = { status: profile.protocol.headerTooLargeStatus, close: true }
  return [
    served(`a ${max / 2}-byte header field (within the documented ${max})`, 'SHOULD', message(`GET ${path} HTTP/1.1`, [host, field('X-Probe', max / 2)])),
    // RFC 9110 §5.4: a field larger than the server will process MUST get a 4xx (RFC 6585 §5: 431).
    refused(`a ${max + 1024}-byte header field`, 'MUST', message(`GET ${path} HTTP/1.1`, [host, field('X-Probe', max + 1024)]), tooLarge),
    refused('a 64 KiB header section in 16 fields', 'MUST',
      message(`GET ${path} HTTP/1.1`, [host, ...Array.from({ length: 16 }, (_, i) => field(`X-Probe-${i}`, 4096))]), tooLarge),
  ]
}

export const headerTooLarge = defineCheck({
  id: 'protocol.header-section-too-large',
  title: 'A header field or section over the documented size is refused with the documented 4xx by the first hop',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §5.4, RFC 6585 §5', severity: 'error', requirement: 'MUST',
  run: (context) => runCases(context, cases(context.profile)),
  diagnose: (got, profile) => parserDiagnosis(got, profile,
    `protocol.maxHeaderFieldBytes documents ${profile.protocol.maxHeaderFieldBytes} bytes and headerTooLargeStatus ${profile.protocol.headerTooLargeStatus}; a server with no header limit (uvicorn with httptools) lets one client make it buffer without bound.`),
})
