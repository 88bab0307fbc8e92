import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadProfileFile, parseProfile } from '../../harness/profile/load-profile.ts'
import { ProfileError } from '../../harness/profile/profile-error.ts'
import { concretePath, mergeRoutes, routesFromOpenApi } from '../../harness/profile/openapi-routes.ts'

function problemsOf(input: unknown): string[] {
  try {
    parseProfile(input)
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileError)
    return (error as ProfileError).problems
  }
  throw new Error('expected the profile to be refused')
}

describe('profile validation: one line per problem, naming the key', () => {
  test('missing baseUrl', () => {
    expect(problemsOf({})).toEqual(['baseUrl: required (expected string)'])
  })

  test('unknown key, at the top and nested', () => {
    expect(problemsOf({ baseUrl: 'http://x', routs: [], limits: { maxBody: 1 } })).toEqual([
      'limits: unknown key "maxBody": remove it or check the spelling',
      'unknown key "routs": remove it or check the spelling',
    ])
  })

  test('wrong types name the value given', () => {
    expect(problemsOf({ baseUrl: 'http://x', limits: { maxBodyBytes: '1m' }, tls: { insecure: 'yes' } })).toEqual([
      'tls.insecure: expected boolean, got the string "yes"',
      'limits.maxBodyBytes: expected number, got the string "1m"',
    ])
  })

  test('a non-HTTP base URL, a bad env name and a skip without reason', () => {
    expect(problemsOf({
      baseUrl: 'ftp://x', auth: { protectedPath: '/me', tokenEnv: 'my token' }, checks: { 'a.b': { skip: '' } },
    })).toEqual([
      'baseUrl: must be an absolute http:// or https:// URL',
      'auth.tokenEnv: must be an environment variable name like LAYERCHECK_TOKEN',
      'checks.a.b.skip: give the reason for skipping',
    ])
  })

  test('a valid profile gets its defaults and is frozen', () => {
    const profile = parseProfile({ baseUrl: 'http://127.0.0.1:8080' })
    expect(profile.timeouts).toEqual({ connectMs: 3000, requestMs: 10000, maxResponseBytes: 1_048_576 })
    expect(Object.isFrozen(profile.timeouts)).toBe(true)
  })
})

describe('profile files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layercheck-profile-'))

  test('an unreadable file', async () => {
    await expect(loadProfileFile(join(dir, 'nope.json'))).rejects.toMatchObject({ problems: ['(file): cannot read the profile: no such file'] })
  })

  test('invalid JSON', async () => {
    writeFileSync(join(dir, 'bad.json'), '{ "baseUrl": ')
    const error = await loadProfileFile(join(dir, 'bad.json')).catch((e: ProfileError) => e)
    expect((error as ProfileError).problems[0]).toMatch(/^\(file\): not valid JSON/)
  })

  test('a TypeScript config with defineConfig', async () => {
    const file = join(dir, 'layercheck.config.ts')
    writeFileSync(file, `import { defineConfig } from '${join(process.cwd(), 'harness/index.ts')}'\nexport default defineConfig({ baseUrl: 'http://127.0.0.1:9' })\n`)
    expect((await loadProfileFile(file)).baseUrl).toBe('http://127.0.0.1:9')
  })

  test('a directory where a file should be', async () => {
    await expect(loadProfileFile(dir)).rejects.toMatchObject({ problems: ['(file): cannot read the profile: it is a directory'] })
  })
})

describe('routes from OpenAPI', () => {
  const document = { paths: { '/items': { get: {}, post: {}, parameters: [] }, '/items/{id}': { get: {}, delete: {} } } }

  test('methods per path, upper-cased and sorted', () => {
    expect(routesFromOpenApi(document)).toEqual([
      { path: '/items', methods: ['GET', 'POST'] },
      { path: '/items/{id}', methods: ['DELETE', 'GET'] },
    ])
  })

  test('listed routes override OpenAPI ones; templated paths become concrete', () => {
    expect(mergeRoutes([{ path: '/items', methods: ['POST', 'GET', 'HEAD'] }], routesFromOpenApi(document))[0])
      .toEqual({ path: '/items', methods: ['GET', 'HEAD', 'POST'] })
    expect(concretePath('/users/{user_id}/orders/{order_id}')).toBe('/users/1/orders/1')
  })

  test('a document without paths is refused clearly', () => {
    expect(() => routesFromOpenApi({ openapi: '3.1.0' })).toThrow('no "paths" object')
  })
})
