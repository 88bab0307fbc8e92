import { endpointOf, type Endpoint } from '../../harness/net/endpoint.ts'
import type { InspectTlsOptions } from '../../harness/tls/inspect-tls.ts'
import type { Profile } from '../../harness/profile/schema.ts'

// Where the connection checks aim, read from the profile in one place.

/** The TLS endpoint: connection.httpsUrl, else baseUrl when it is https://. */
export function tlsUrlOf(profile: Readonly<Profile>): string | undefined {
  return profile.connection.httpsUrl ?? (new URL(profile.baseUrl).protocol === 'https:' ? profile.baseUrl : undefined)
}

export const needsTlsEndpoint = (profile: Readonly<Profile>) =>
  tlsUrlOf(profile) ? undefined : 'no TLS endpoint: baseUrl is http:// and connection.httpsUrl is not set'

export interface NamedEndpoint extends Endpoint {
  /** The profile key the endpoint comes from. */
  key: 'baseUrl' | 'connection.httpsUrl'
}

/** baseUrl, then the TLS endpoint when it is another host or port. */
export function targetEndpoints(profile: Readonly<Profile>): NamedEndpoint[] {
  const endpoints: NamedEndpoint[] = [{ ...endpointOf(profile.baseUrl), key: 'baseUrl' }]
  const tlsUrl = profile.connection.httpsUrl
  if (tlsUrl) {
    const tls = endpointOf(tlsUrl)
    if (!endpoints.some((e) => e.host === tls.host && e.port === tls.port)) endpoints.push({ ...tls, key: 'connection.httpsUrl' })
  }
  return endpoints
}

export function tlsInspectOptions(profile: Readonly<Profile>): InspectTlsOptions {
  return {
    url: tlsUrlOf(profile)!,
    caFile: profile.tls?.caFile,
    connectMs: profile.timeouts.connectMs,
    handshakeMs: profile.timeouts.requestMs,
  }
}
