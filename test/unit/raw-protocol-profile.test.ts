import { describe, expect, test } from 'vitest'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import { PROTOCOL_CHECKS } from '../../suites/protocol/protocol-checks.ts'
import { firstHopOf, rawTargetFor } from '../../suites/protocol/raw-probes.ts'

describe('the profile\'s protocol section', () => {
  test('defaults are nginx 1.22\'s choices; no client timeout is assumed', () => {
    const profile = parseProfile({ baseUrl: 'http://127.0.0.1:8080' })
    expect(profile.protocol).toEqual({
      maxUriBytes: 8192, maxHeaderFieldBytes: 8192, headerTooLargeStatus: 400, obsFold: 'reject',
      unsupportedVersionStatus: 505, unknownTransferCodingStatus: 501, timingMarginMs: 1000, readTimeoutMs: 1500,
    })
    const slowClient = PROTOCOL_CHECKS.find((c) => c.id === 'protocol.slow-client')!
    expect(slowClient.requires?.(profile)).toContain('no protocol.clientHeaderTimeoutMs')
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
