import { defineCheck } from '../../harness/check/define-check.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { healthPath, hostOf, message, parserDiagnosis, refused, runCases, served, type ProbeCase } from './raw-probes.ts'

const filler = (n: number) => 'a'.repeat(Math.max(0, n))
const printfLine = (path: string, n: number, host: string) =>
  `{ printf 'GET ${path}?'; head -c ${n} /dev/zero | tr '\\0' a; printf ' HTTP/1.1\\r\\nHost: ${host}\\r\\n\\r\\n'; }`

function cases(profile: Readonly<Profile>): ProbeCase[] {
  const host = hostOf(profile)
  const path = healthPath(profile)
  const max = profile.protocol.maxUriBytes
  // The request-line's other bytes: "GET ", "?", " HTTP/1.1" and the CRLF.
  const within = Math.min(7900, max - path.length - 20)
  const over = max + 1024
  return [
    // RFC 9112 §3: senders and recipients SHOULD support request-lines of at least 8000 octets.
    served(`request-target of ${within + path.length + 1} bytes (within the documented ${max})`, 'SHOULD',
      message(`GET ${path}?${filler(within)} HTTP/1.1`, [`Host: ${host}`]), [200], { reproBytes: printfLine(path, within, host) }),
    // RFC 9110 §15.5.15 / RFC 9112 §3: a target longer than the server will parse MUST get 414.
    refused(`request-target of ${over + path.length + 1} bytes`, 'MUST',
      message(`GET ${path}?${filler(over)} HTTP/1.1`, [`Host: ${host}`]), { status: 414 }, { reproBytes: printfLine(path, over, host) }),
    refused('request-target of 64 KiB', 'MUST',
      message(`GET ${path}?${filler(65536)} HTTP/1.1`, [`Host: ${host}`]), { status: 414 }, { reproBytes: printfLine(path, 65536, host) }),
  ]
}

export const uriTooLong = defineCheck({
  id: 'protocol.uri-too-long.414',
  title: 'A request-target over the documented length is refused with 414 by the first hop; one within it is served',
  step: 6, layer: 'proxy', spec: 'RFC 9112 §3, RFC 9110 §15.5.15', severity: 'error', requirement: 'MUST',
  run: (context) => runCases(context, cases(context.profile)),
  diagnose: (got, profile) => parserDiagnosis(got, profile,
    `protocol.maxUriBytes documents ${profile.protocol.maxUriBytes} bytes: the first hop must refuse longer targets (nginx: large_client_header_buffers) with 414, not 400 or 431, and not pass them on.`),
})
