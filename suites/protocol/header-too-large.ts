import { defineCheck } from '../../harness/check/define-check.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { protocolChoices } from '../../harness/products/protocol-choices.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { healthPath, hostOf, message, parserDiagnosis, refused, refusedOrServed, runCases, served, type ProbeCase } from './raw-probes.ts'

const field = (name: string, bytes: number) => `${name}: ${'a'.repeat(bytes - name.length - 2)}`

function cases(profile: Readonly<Profile>): ProbeCase[] {
  const host = `Host: ${hostOf(profile)}`
  const path = healthPath(profile)
  const choices = protocolChoices(profile)
  // RFC 9110 §5.4 asks only for a 4xx: the server has read the whole section to find its end, so the connection may stay in use.
  const tooLarge = { status: choices.headerTooLargeStatus }
  const section = message(`GET ${path} HTTP/1.1`, [host, ...Array.from({ length: 16 }, (_, i) => field(`X-Probe-${i}`, 4096))])
  const max = choices.maxHeaderFieldBytes
  if (max === undefined) {
    // No documented limit: a common-size field must be served; a 64 KiB section may be served or refused, but a refusal
    // is a 4xx and a close, from whichever layer's limit it reached (RFC 9110 §5.4 asks it of "a server").
    return [
      served('a 4096-byte header field', 'SHOULD', message(`GET ${path} HTTP/1.1`, [host, field('X-Probe', 4096)])),
      refusedOrServed('a 64 KiB header section in 16 fields (no documented limit: served, or refused with a 4xx)', 'MUST', section, { status: [400, 413, 414, 431], anyLayer: true }),
    ]
  }
  return [
    served(`a ${max / 2}-byte header field (within the documented ${max})`, 'SHOULD', message(`GET ${path} HTTP/1.1`, [host, field('X-Probe', max / 2)])),
    // RFC 9110 §5.4: a field larger than the server will process MUST get a 4xx (RFC 6585 §5: 431).
    refused(`a ${max + 1024}-byte header field`, 'MUST', message(`GET ${path} HTTP/1.1`, [host, field('X-Probe', max + 1024)]), tooLarge),
    refused('a 64 KiB header section in 16 fields', 'MUST', section, tooLarge),
  ]
}

export const headerTooLarge = defineCheck({
  id: 'protocol.header-section-too-large',
  title: 'A header field or section over the documented size is refused with the documented 4xx by the first hop',
  step: 6, layer: 'proxy', spec: 'RFC 9110 §5.4, RFC 6585 §5', severity: 'error', requirement: 'MUST',
  run: (context) => runCases(context, cases(context.profile)),
  diagnose: (got, profile) => {
    const choices = protocolChoices(profile)
    const limit = choices.maxHeaderFieldBytes === undefined ? 'no header size limit is documented (protocol.maxHeaderFieldBytes)' : `protocol.maxHeaderFieldBytes documents ${choices.maxHeaderFieldBytes} bytes`
    return parserDiagnosis(got, profile,
      `${limit}; the refusal must be ${choices.headerTooLargeStatus.join(' or ')} (${choices.sourceOf.headerTooLargeStatus}). ` +
      `The limit lives in ${proxySetting(profile.layers?.proxy, 'headerLimit', 'the header size limit')}; a server with no header limit (uvicorn with httptools) lets one client make it buffer without bound.`)
  },
})
