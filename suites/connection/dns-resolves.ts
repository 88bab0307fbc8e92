import { defineCheck } from '../../harness/check/define-check.ts'
import { allOf, gotOf } from '../../harness/check/expect-response.ts'
import { dnsExchange } from '../../harness/net/dns-exchange.ts'
import { resolveHost } from '../../harness/net/resolve-host.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { targetEndpoints } from './endpoints.ts'
import { problem } from '../../harness/check/problem.ts'

/** The host names the target is reached by, each once (IP literals need no lookup). */
const namedHosts = (profile: Readonly<Profile>) =>
  targetEndpoints(profile).filter((e, i, all) => !e.isIpLiteral && all.findIndex((o) => o.host === e.host) === i)

const UNANSWERED = new Set(['EAI_AGAIN', 'ETIMEOUT', 'EAI_FAIL'])

export const dnsResolves = defineCheck({
  id: 'connection.dns.resolves',
  title: 'The host names of the target resolve to at least one address',
  step: 1, layer: 'connection', spec: 'RFC 1034; RFC 1035; deployment documentation (baseUrl, connection.httpsUrl)', severity: 'error',
  requires: (profile) => namedHosts(profile).length ? undefined
    : 'the target is addressed by IP literals only (baseUrl, connection.httpsUrl): there is no name to resolve',
  async run({ profile, record }) {
    const outcomes = []
    for (const endpoint of namedHosts(profile)) {
      const resolution = await resolveHost(endpoint.host, profile.timeouts.connectMs)
      const exchange = record(dnsExchange(resolution, endpoint.url, endpoint.key))
      const failure = resolution.failure
      outcomes.push({
        pass: !failure && resolution.addresses.length > 0,
        expected: `${endpoint.host} resolves within ${profile.timeouts.connectMs} ms`,
        actual: failure ? `${endpoint.host} did not resolve: ${failure.code}` : `${endpoint.host} → ${resolution.addresses.join(', ')}`,
        got: gotOf(exchange, failure ? [problem('unresolved', `${endpoint.host} did not resolve (${failure.code})`)] : []),
      })
    }
    return allOf(outcomes)
  },
  diagnose: (got) => {
    const host = got.exchange.connection?.host ?? '(unknown host)'
    const code = got.exchange.failure?.code ?? 'no address'
    if (UNANSWERED.has(code)) {
      return `DNS (step 1): the resolver gave no answer for ${host} (${code}): a temporary failure or an unreachable name server, ` +
        `not a missing record. Check that the name servers in /etc/resolv.conf answer from this machine (dig ${host} @<server>), then retry.`
    }
    return `DNS (step 1): ${host} does not resolve (${code}), so no packet reached the target. Check the host name in ` +
      `${got.exchange.label ?? 'the profile'} for typos, that its A/AAAA (or CNAME) record exists and has propagated, and which ` +
      `resolver this machine uses (/etc/hosts, /etc/resolv.conf); \`getent ahosts ${host}\` repeats the lookup.`
  },
})
