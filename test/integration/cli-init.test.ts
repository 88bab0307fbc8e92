import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { starterFromOpenApi } from '../../bin/init/starter-profile.ts'
import { runCli } from '../support/cli.ts'

// init → run against the reference stack: cli-workflows.test.ts.
const dir = mkdtempSync(join(tmpdir(), 'layercheck-init-'))

const item = {
  type: 'object', required: ['code', 'size', 'kind', 'tags'],
  properties: {
    code: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{2}$', example: 'ABC-12' },
    size: { anyOf: [{ type: 'number', exclusiveMinimum: 0, maximum: 10 }, { type: 'null' }] },
    kind: { type: 'string', enum: ['small', 'large'] },
    tags: { type: 'array', items: { type: 'string' } },
    comment: { type: 'string', maxLength: 200 },
    blob: { type: 'string' },
  },
}
const doc = (schema: object, extra: object = {}) => ({
  openapi: '3.1.0', info: { title: 'shop' }, components: { schemas: { Item: schema } },
  paths: {
    '/orders/{id}': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } } } },
    '/items': { get: {}, post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } } } },
    '/account': { get: { security: [{ bearer: [] }] } },
    '/maybe': { get: { security: [{}, { bearer: [] }] } },
  },
  ...extra,
})

describe('a starter profile from an OpenAPI document', () => {
  test('bodies from the schema: examples, enums, bounds; invalid values from the constraints; a paddable field', () => {
    const { profile, found } = starterFromOpenApi('http://api', '/openapi.json', doc(item))
    expect(profile.probes?.jsonEndpoint).toEqual({
      method: 'POST', path: '/items',
      validBody: { code: 'ABC-12', size: 1, kind: 'small', tags: [] },
      invalidBody: { code: 'not valid!', size: 0, kind: 'layercheck-not-in-enum', tags: [] },
      invalidFields: ['code', 'size', 'kind'],
      paddingField: 'blob',
    })
    expect(profile.auth).toEqual({ protectedPath: '/account', tokenEnv: 'LAYERCHECK_TOKEN' })
    expect(profile).toMatchObject({ name: 'shop', baseUrl: 'http://api', routes: { openapi: '/openapi.json' } })
    expect(found[0]).toBe('routes.openapi: /openapi.json (5 operations on 4 paths)')
  })

  test('a pattern no candidate matches and no example: the endpoint is left to the user, with the reason', () => {
    const strict = { ...item, properties: { ...item.properties, code: { type: 'string', pattern: '^Q{7}$' } } }
    const { profile, left } = starterFromOpenApi('http://api', '/openapi.json', doc(strict))
    expect(profile.probes?.jsonEndpoint).toBeUndefined()
    expect(left[0]).toBe('probes.jsonEndpoint: POST /items skipped: body.code: no value found that matches pattern ^Q{7}$; give an example in the schema or set validBody by hand')
  })

  test('not an OpenAPI document', () => {
    expect(() => starterFromOpenApi('http://api', '/openapi.json', { hello: 1 })).toThrow('/openapi.json is not an OpenAPI document: it has no "paths" object')
  })
})

describe('layercheck init without a reference stack', () => {
  test('an unreachable target: exit 3', async () => {
    const result = await runCli(['init', 'http://127.0.0.1:1', '--out', join(dir, 'y.json')])
    expect(result.code).toBe(3)
    expect(result.stdout).toContain('step 2 · TCP connection')
  })
})
