import { describe, expect, test } from 'vitest'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import { withProbeCredentials } from '../../harness/target/probe-credentials.ts'

const profile = parseProfile({
  baseUrl: 'http://api.example:8080',
  auth: { protectedPath: '/me', tokenEnv: 'TOKEN', sendTokenTo: ['/items', '/api/*'] },
})
const secret = (name: string) => (name === 'TOKEN' ? 'tok-123' : undefined)
const add = withProbeCredentials(profile, secret)
const authorization = (path: string, extra: object = {}) => add({ path, ...extra }).headers?.authorization

describe('probe credentials (auth.sendTokenTo)', () => {
  test('a listed path, exact or under a prefix, carries the bearer token; others do not', () => {
    expect(authorization('/items')).toBe('Bearer tok-123')
    expect(authorization('/items?page=2')).toBe('Bearer tok-123')
    expect(authorization('/api/v1/orders')).toBe('Bearer tok-123')
    expect(authorization('/items/7')).toBeUndefined()
    expect(authorization('/health')).toBeUndefined()
    // The deployment's TLS endpoint is the same deployment; a third party is not.
    expect(authorization('https://api.example:8443/items')).toBe('Bearer tok-123')
    expect(authorization('http://capture.example/items')).toBeUndefined()
  })

  test('a probe about credentials keeps its own: anonymous, or its own Authorization', () => {
    expect(authorization('/items', { anonymous: true })).toBeUndefined()
    expect(authorization('/items', { headers: { Authorization: 'Bearer bad' } })).toBeUndefined()
    expect(add({ path: '/items', headers: { Authorization: 'Bearer bad' } }).headers).toEqual({ Authorization: 'Bearer bad' })
  })

  test('without the token in the environment nothing is added (the 401 then says why)', () => {
    expect(withProbeCredentials(profile, () => undefined)({ path: '/items' }).headers).toBeUndefined()
  })

  test('patterns are paths', () => {
    expect(() => parseProfile({ baseUrl: 'http://x', auth: { protectedPath: '/me', tokenEnv: 'T', sendTokenTo: ['items'] } })).toThrow(/auth\.sendTokenTo/)
  })
})
