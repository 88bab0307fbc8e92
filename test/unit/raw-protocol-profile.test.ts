import { describe, expect, test } from 'vitest'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import { protocolChoices } from '../../harness/products/protocol-choices.ts'
import { PROTOCOL_CHECKS } from '../../suites/protocol/protocol-checks.ts'
import { firstHopOf, rawTargetFor } from '../../suites/protocol/raw-probes.ts'

describe('the profile\'s protocol section', () => {
  test('by default every RFC-permitted answer passes, no size limit and no client timeout is assumed', () => {
    const profile = parseProfile({ baseUrl: 'http://127.0.0.1:8080' })
    expect(profile.protocol).toEqual({ timingMarginMs: 1000, readTimeoutMs: 1500 })
    expect(protocolChoices(profile)).toMatchObject({
      headerTooLargeStatus: [400, 431], obsFold: ['reject', 'unfold'], unsupportedVersionStatus: [505, 400], unknownTransferCodingStatus: [501, 400],
      maxUriBytes: undefined, maxHeaderFieldBytes: undefined,
    })
    const slowClient = PROTOCOL_CHECKS.find((c) => c.id === 'protocol.slow-client')!
    expect(slowClient.requires?.(profile)).toContain('no protocol.clientHeaderTimeoutMs')
  })

  test("a known first-hop product brings its stock choices; the profile's own word wins; an unknown product gets the RFC", () => {
    const nginx = protocolChoices(parseProfile({ baseUrl: 'http://x', layers: { proxy: 'nginx' } }))
    expect(nginx).toMatchObject({ headerTooLargeStatus: [400], obsFold: ['reject'], unknownTransferCodingStatus: [501] })
    expect(nginx.sourceOf.headerTooLargeStatus).toContain('nginx')
    const narrowed = protocolChoices(parseProfile({ baseUrl: 'http://x', layers: { proxy: 'nginx' }, protocol: { headerTooLargeStatus: 431 } }))
    expect(narrowed.headerTooLargeStatus).toEqual([431])
    expect(protocolChoices(parseProfile({ baseUrl: 'http://x', layers: { proxy: 'my-edge' } })).headerTooLargeStatus).toEqual([400, 431])
    // Recorded on the real servers: HAProxy unfolds and answers 400 to an unknown coding; a limit's status is never narrowed for it.
    const haproxy = protocolChoices(parseProfile({ baseUrl: 'http://x', layers: { proxy: 'HAProxy' } }))
    expect(haproxy).toMatchObject({ obsFold: ['unfold'], unknownTransferCodingStatus: [400], headerTooLargeStatus: [400, 431], unsupportedVersionStatus: [505, 400] })
    expect(haproxy.narrowed).toMatchObject({ obsFold: true, headerTooLargeStatus: false, unsupportedVersionStatus: false })
    expect(haproxy.sourceOf.obsFold).toBe("haproxy 2.6's stock choice (set protocol.obsFold if yours differs)")
    // Envoy's 426 for HTTP/2.0 is not an RFC choice: the RFC's set stays.
    expect(protocolChoices(parseProfile({ baseUrl: 'http://x', layers: { proxy: 'envoy' } })).unsupportedVersionStatus).toEqual([505, 400])
  })

  test('a wrong value is refused naming the key', () => {
    expect(() => parseProfile({ baseUrl: 'http://x', protocol: { headerTooLargeStatus: 413 } })).toThrow(/protocol\.headerTooLargeStatus/)
    expect(() => parseProfile({ baseUrl: 'http://x', protocol: { obsFold: 'maybe' } })).toThrow(/protocol\.obsFold/)
    expect(() => parseProfile({ baseUrl: 'http://x', protocol: { clientHeaderTimout: 1 } })).toThrow(/clientHeaderTimout/)
  })

  test('the first hop is the proxy when the profile names one; protocol.url and firstHop re-aim the probes', () => {
    expect(firstHopOf(parseProfile({ baseUrl: 'http://x', layers: { proxy: 'nginx' } }))).toEqual({ tier: 'proxy', product: 'nginx' })
    expect(firstHopOf(parseProfile({ baseUrl: 'http://x', layers: { proxy: 'none', server: 'uvicorn' } }))).toEqual({ tier: 'app-server', product: 'uvicorn' })
    const direct = parseProfile({
      baseUrl: 'http://edge.example', layers: { proxy: 'nginx', server: 'gunicorn+uvicorn' },
      protocol: { url: 'http://127.0.0.1:9000', firstHop: 'app-server' },
    })
    expect(rawTargetFor(direct)).toMatchObject({ url: 'http://127.0.0.1:9000', firstHop: { tier: 'app-server', product: 'gunicorn+uvicorn' } })
  })

  test('every protocol check states its RFC requirement level', () => {
    for (const check of PROTOCOL_CHECKS) expect(check.requirement, check.id).toMatch(/^(MUST|SHOULD|MAY)$/)
  })
})
