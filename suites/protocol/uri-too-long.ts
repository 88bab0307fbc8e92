import { defineCheck } from '../../harness/check/define-check.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { protocolChoices } from '../../harness/products/protocol-choices.ts'
import { proxySetting } from '../../harness/products/proxy-products.ts'
import { healthPath, hostOf, message, parserDiagnosis, refused, refusedOrServed, runCases, served, type ProbeCase } from './raw-probes.ts'

const filler = (n: number) => 'a'.repeat(Math.max(0, n))
const printfLine = (path: string, n: number, host: string) =>
  `{ printf 'GET ${path}?'; head -c ${n} /dev/zero | tr '\\0' a; printf ' HTTP/1.1\\r\\nHost: ${host}\\r\\n\\r\\n'; }`

function cases(profile: Readonly<Profile>): ProbeCase[] {
  const host = hostOf(profile)
  const path = healthPath(profile)
  const max = protocolChoices(profile).maxUriBytes
  // The request-line's other bytes: "GET ", "?", " HTTP/1.1" and the CRLF.
  const within = Math.min(7900, (max ?? 8192) - path.length - 20)
  const big = (n: number) => message(`GET ${path}?${filler(n)} HTTP/1.1`, [`Host: ${host}`])
  // RFC 9112 §3: senders and recipients SHOULD support request-lines of at least 8000 octets.
  const withinCase = served(`request-target of ${within + path.length + 1} bytes${max ? ` (within the documented ${max})` : ''}`, 'SHOULD', big(within), [], { reproBytes: printfLine(path, within, host) })
  if (max === undefined) {
    // No documented limit: a 64 KiB target may be served; refused, it is 414 (RFC 9112 §3), or 431 where it overflows the header section first (RFC 6585 §5).
    return [
      withinCase,
      refusedOrServed('request-target of 64 KiB (no documented limit: served, or refused with 414)', 'MUST', big(65536), { status: [414, 431], anyLayer: true }, { reproBytes: printfLine(path, 65536, host) }),
    ]
  }
  const over = max + 1024
  return [
    withinCase,
    // RFC 9110 §15.5.15 / RFC 9112 §3: a target longer than the server will parse MUST get 414.
    refused(`request-target of ${over + path.length + 1} bytes`, 'MUST', big(over), { status: 414 }, { reproBytes: printfLine(path, over, host) }),
    refused('request-target of 64 KiB', 'MUST', big(65536), { status: 414 }, { reproBytes: printfLine(path, 65536, host) }),
  ]
}

export const uriTooLong = defineCheck({
  id: 'protocol.uri-too-long.414',
  title: 'A request-target over the documented length is refused with 414 by the first hop; one within it is served',
  step: 6, layer: 'proxy', spec: 'RFC 9112 §3, RFC 9110 §15.5.15', severity: 'error', requirement: 'MUST',
  run: (context) => runCases(context, cases(context.profile)),
  diagnose: (got, profile) => parserDiagnosis(got, profile,
    `${profile.protocol.maxUriBytes === undefined ? 'No URI limit is documented (protocol.maxUriBytes)' : `protocol.maxUriBytes documents ${profile.protocol.maxUriBytes} bytes`}: ` +
    `a target the first hop will not parse must get 414, not 400, and not be passed on (${proxySetting(profile.layers?.proxy, 'uriLimit', 'the request-line limit')}).`),
})
