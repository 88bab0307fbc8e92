import { hostPort, type Endpoint } from '../net/endpoint.ts'
import type { TlsOffer } from './tls-offer.ts'

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)

const VERSION_FLAGS: Record<string, string> = { TLSv1: '-tls1', 'TLSv1.1': '-tls1_1', 'TLSv1.2': '-tls1_2', 'TLSv1.3': '-tls1_3' }

/** An `openssl s_client` line that makes the same handshake and prints what came back. */
export function tlsRepro(endpoint: Endpoint, offer: TlsOffer, caFile?: string): string {
  const parts = ['openssl s_client -brief', `-connect ${shellQuote(hostPort(endpoint))}`]
  if (!endpoint.isIpLiteral) parts.push(`-servername ${shellQuote(endpoint.host)}`)
  parts.push(endpoint.isIpLiteral ? `-verify_ip ${shellQuote(endpoint.host)}` : `-verify_hostname ${shellQuote(endpoint.host)}`)
  if (caFile) parts.push(`-CAfile ${shellQuote(caFile)}`)
  if (offer.minVersion === 'TLSv1' && offer.maxVersion === 'TLSv1.1') parts.push('-no_tls1_2 -no_tls1_3')
  else if (offer.minVersion === offer.maxVersion) parts.push(VERSION_FLAGS[offer.minVersion]!)
  if (offer.ciphers) parts.push(`-cipher ${shellQuote(offer.ciphers)}`)
  if (offer.alpn.length) parts.push(`-alpn ${shellQuote(offer.alpn.join(','))}`)
  return `${parts.join(' ')} </dev/null`
}
