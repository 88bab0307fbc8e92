import { isIP } from 'node:net'

/** Where a URL points at the transport level: the host to resolve and the port to connect to. */
export interface Endpoint {
  url: string
  /** Host name or IP address, without the brackets of an IPv6 literal. */
  host: string
  port: number
  isIpLiteral: boolean
  tls: boolean
}

export function endpointOf(url: string): Endpoint {
  const parsed = new URL(url)
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1')
  const tls = parsed.protocol === 'https:'
  return {
    url: parsed.origin + '/',
    host,
    port: parsed.port ? Number(parsed.port) : tls ? 443 : 80,
    isIpLiteral: isIP(host) !== 0,
    tls,
  }
}

/** `localhost:8443`, `[::1]:8443`: the form openssl, nc and error messages use. */
export function hostPort(endpoint: Pick<Endpoint, 'host' | 'port'>): string {
  return `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`
}
