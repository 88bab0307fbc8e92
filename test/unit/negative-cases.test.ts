import { describe, expect, test } from 'vitest'
import type { Exchange, Tier } from '../../harness/model/check-result.ts'
import { negativeCases, type CaseOptions } from '../../harness/openapi/negative-cases.ts'
import { declaresStatus, operationsFromOpenApi } from '../../harness/openapi/operations.ts'
import { rngFor } from '../../harness/openapi/seeded-random.ts'
import { withCaseFlags } from '../../harness/openapi/case-selection.ts'
import { describeCaseCoverage } from '../../harness/openapi/case-coverage.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import { judgeStatus } from '../../suites/validation/documented-statuses.ts'
import { expectedStatuses, judgeCase } from '../../suites/validation/schema-every-operation.ts'

// The negative cases are generated from the schema alone, the same for a seed on
// every run, other values for another seed, and each can be replayed by its id.

const DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'shop', version: '1' },
  paths: {
    '/orders': {
      post: {
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
        responses: { 201: { description: 'created' }, '4XX': { description: 'refused' } },
      },
    },
    '/orders/{order_id}': {
      parameters: [{ $ref: '#/components/parameters/OrderId' }],
      get: {
        parameters: [{ name: 'fields', in: 'query', required: true, schema: { type: 'integer', minimum: 1, maximum: 10 } }],
        responses: { 200: { description: 'the order' }, 422: { description: 'invalid' } },
        security: [{ bearer: [] }],
      },
    },
    '/upload': {
      post: { requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object' } } } }, responses: { default: { description: 'any' } } },
    },
  },
  components: {
    parameters: { OrderId: { name: 'order_id', in: 'path', required: true, schema: { type: 'integer' } } },
    schemas: {
      Order: {
        type: 'object',
        required: ['name', 'email', 'quantity'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 20 },
          email: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' },
          quantity: { type: 'integer', minimum: 1, maximum: 1000 },
          status: { type: 'string', enum: ['new', 'paid'] },
          tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
          note: { anyOf: [{ type: 'string', maxLength: 100_000 }, { type: 'null' }] },
          address: { $ref: '#/components/schemas/Address' },
        },
      },
      Address: { type: 'object', required: ['city'], properties: { city: { type: 'string', minLength: 2 } } },
    },
  },
}

const OPERATIONS = operationsFromOpenApi(DOCUMENT)
const OPTIONS: CaseOptions = { seed: 1, maxPerOperation: 100, maxTotal: 1000, maxBodyBytes: 65_536 }
const plan = (options: Partial<CaseOptions> = {}) => negativeCases(OPERATIONS, DOCUMENT, { ...OPTIONS, ...options })

describe('negative cases from an OpenAPI document', () => {
  test('one case per field and rule, with readable ids, and whole-body and parameter cases', () => {
    const ids = plan().cases.map((c) => c.id)
    expect(ids).toEqual([
      'POST /orders body.name missing', 'POST /orders body.name wrong-type', 'POST /orders body.name minLength-1', 'POST /orders body.name maxLength+1',
      'POST /orders body.email missing', 'POST /orders body.email wrong-type', 'POST /orders body.email pattern',
      'POST /orders body.quantity missing', 'POST /orders body.quantity wrong-type', 'POST /orders body.quantity minimum-1', 'POST /orders body.quantity maximum+1',
      'POST /orders body.status wrong-type', 'POST /orders body.status enum',
      'POST /orders body.tags wrong-type', 'POST /orders body.tags maxItems+1',
      'POST /orders body.note wrong-type',
      'POST /orders body.address wrong-type',
      'POST /orders body unknown-field', 'POST /orders body wrong-media-type', 'POST /orders body malformed-json', 'POST /orders body not-utf8', 'POST /orders body absent',
      'GET /orders/{order_id} path.order_id wrong-type', 'GET /orders/{order_id} path.order_id no-maximum',
      'GET /orders/{order_id} query.fields missing', 'GET /orders/{order_id} query.fields wrong-type',
      'GET /orders/{order_id} query.fields minimum-1', 'GET /orders/{order_id} query.fields maximum+1',
    ])
  })

  test('each case breaks one thing of a valid request', () => {
    const byId = new Map(plan().cases.map((c) => [c.id, c]))
    const body = (id: string) => JSON.parse(byId.get(id)!.request.body as string) as Record<string, unknown>
    expect(body('POST /orders body.name maxLength+1').name).toBe('x'.repeat(21))
    expect(body('POST /orders body.name missing')).not.toHaveProperty('name')
    expect(body('POST /orders body.name missing')).toMatchObject({ quantity: expect.any(Number) })
    expect(body('POST /orders body.quantity maximum+1').quantity).toBe(1001)
    expect(body('POST /orders body unknown-field')).toHaveProperty('layercheck_unknown')
    expect(byId.get('POST /orders body unknown-field')!.names).toBe('layercheck_unknown')
    expect(new RegExp('^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$').test(body('POST /orders body.email pattern').email as string)).toBe(false)
    expect(byId.get('POST /orders body wrong-media-type')!.request.headers['content-type']).toBe('text/plain')
    expect(byId.get('POST /orders body absent')!.request.body).toBeUndefined()
    // Not JSON at all: the valid body cut short (still UTF-8), and bytes that are not UTF-8.
    const cut = byId.get('POST /orders body malformed-json')!.request
    expect(() => JSON.parse(cut.body as string)).toThrow()
    expect(cut.headers['content-type']).toBe('application/json')
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(byId.get('POST /orders body not-utf8')!.request.body as Uint8Array)).toThrow()
    expect(byId.get('GET /orders/{order_id} path.order_id wrong-type')!.request.path).toMatch(/^\/orders\/(layercheck|1\.5|x1)\?fields=\d+$/)
    expect(byId.get('GET /orders/{order_id} query.fields missing')!.request.path).toMatch(/^\/orders\/\d+$/)
    expect(byId.get('GET /orders/{order_id} query.fields maximum+1')!.request.path).toMatch(/fields=11$/)
  })

  test('a fixed seed gives the same cases every time; another seed other values, the same ids', () => {
    expect(plan()).toEqual(plan())
    const other = plan({ seed: 2 })
    expect(other.cases.map((c) => c.id)).toEqual(plan().cases.map((c) => c.id))
    expect(other.cases.map((c) => c.request)).not.toEqual(plan().cases.map((c) => c.request))
    expect(rngFor(7, 'k').next()).toBe(rngFor(7, 'k').next())
    expect(rngFor(7, 'k').next()).not.toBe(rngFor(8, 'k').next())
  })

  test('a case replayed alone by its id is the very request the full run sends', () => {
    const id = 'POST /orders body.quantity wrong-type'
    const replayed = plan({ replay: [id], seed: 5 })
    expect(replayed.cases).toEqual(plan({ seed: 5 }).cases.filter((c) => c.id === id))
    expect(plan({ replay: ['POST /orders body.qantity wrong-type'] }).unknownReplays).toEqual(['POST /orders body.qantity wrong-type'])
  })

  test('bounded per operation and in all, by a seeded sample that says how many it left out', () => {
    const sampled = plan({ maxPerOperation: 4, maxTotal: 6 })
    expect(sampled.cases).toHaveLength(6)
    expect(sampled.sampledOut).toBe(sampled.generated - 6)
    expect(plan({ maxPerOperation: 4, maxTotal: 6 })).toEqual(sampled)
  })

  test('what cannot be built is said, never guessed: a non-JSON body, a body over the cap', () => {
    const full = plan()
    expect(full.notApplicable).toEqual([{ operation: 'POST /upload', reason: 'its body is multipart/form-data: only JSON bodies are generated' }])
    expect(plan({ maxBodyBytes: 60 }).leftOut.map((l) => l.id)).toContain('POST /orders body.name maxLength+1')
    expect(full.offered).toBe(3)
    expect(full.operations).toBe(2)
  })
})

function exchange(status: number, tier: Tier, body = ''): Exchange {
  return {
    request: { method: 'POST', url: 'http://127.0.0.1/orders', headers: [], bodyBytes: 0 },
    response: { status, headers: [], bodyBytes: body.length, bodyTruncated: false, bodyExcerpt: body },
    timing: { startedAt: new Date(0).toISOString(), totalMs: 1 },
    answeredBy: { tier, confidence: tier === 'unknown' ? 'unknown' : 'certain', reason: 'test', signals: [] },
    repro: '',
  }
}

describe('judging the answers', () => {
  const profile = parseProfile({ baseUrl: 'http://127.0.0.1', routes: { openapi: '/openapi.json' }, validation: { invalidStatus: 422 } })
  const byId = new Map(plan().cases.map((c) => [c.id, c]))
  const order = OPERATIONS[0]!

  test('a 422 from the app naming the field passes; one that names another field, a 2xx or a 5xx fails', () => {
    const c = byId.get('POST /orders body.name maxLength+1')!
    const named = JSON.stringify({ detail: [{ loc: ['body', 'name'], msg: 'too long', type: 'string_too_long' }] })
    expect(judgeCase(c, order, exchange(422, 'app', named), profile).outcome.pass).toBe(true)
    expect(judgeCase(c, order, exchange(422, 'app', JSON.stringify({ detail: [{ loc: ['body', 'email'] }] })), profile).outcome.actual).toContain('does not name name')
    expect(judgeCase(c, order, exchange(201, 'app'), profile).outcome.got.problems.map((p) => p.code)).toContain('invalid-accepted')
    expect(judgeCase(c, order, exchange(500, 'app'), profile).outcome.got.problems.map((p) => p.code)).toContain('invalid-server-error')
  })

  test('a body that is not JSON may get 400 or 422; a number with no maximum may get any answer but a 5xx, and the slow route is spared it', () => {
    for (const id of ['POST /orders body malformed-json', 'POST /orders body not-utf8']) {
      expect(expectedStatuses(byId.get(id)!, profile)).toEqual([400, 422])
      expect(judgeCase(byId.get(id)!, order, exchange(400, 'app'), profile).outcome.pass).toBe(true)
    }
    const huge = byId.get('GET /orders/{order_id} path.order_id no-maximum')!
    expect(huge.request.path).toMatch(/^\/orders\/100000000000000000000\?/)
    for (const status of [200, 404, 422]) expect(judgeCase(huge, OPERATIONS[1]!, exchange(status, 'app'), profile).outcome.pass, String(status)).toBe(true)
    const timedOut = judgeCase(huge, OPERATIONS[1]!, exchange(504, 'proxy'), profile).outcome
    expect([timedOut.pass, timedOut.expected]).toEqual([false, 'any answer below 500 from the app: the schema sets no maximum, so the value is allowed'])
    expect(timedOut.got.problems.map((p) => p.code)).toContain('invalid-server-error')
    const spared = plan({ slowPaths: ['/orders/{order_id}'] })
    expect(spared.cases.map((c) => c.id)).not.toContain(huge.id)
    expect(spared.leftOut).toContainEqual({ id: huge.id, reason: 'routes.slow takes as long as asked: an unbounded wait there is documented' })
  })

  test('the media type and the absent body get their own documented statuses; a path parameter may get 404', () => {
    expect(expectedStatuses(byId.get('POST /orders body wrong-media-type')!, profile)).toEqual([415, 422, 400])
    expect(expectedStatuses(byId.get('POST /orders body absent')!, parseProfile({ baseUrl: 'http://x', validation: { missingBodyStatus: 400 } }))).toEqual([400])
    expect(expectedStatuses(byId.get('GET /orders/{order_id} path.order_id wrong-type')!, profile)).toEqual([422, 404])
  })

  test('a secured operation refusing the case for its credentials is counted, not failed', () => {
    const judged = judgeCase(byId.get('GET /orders/{order_id} query.fields missing')!, OPERATIONS[1]!, exchange(401, 'app'), profile)
    expect([judged.outcome.pass, judged.stoppedByAuth]).toEqual([true, true])
  })

  test("documented statuses: the app's undeclared status fails; the proxy's 413 is not the operation's", () => {
    expect(declaresStatus(order, 418)).toBe(true)
    expect(declaresStatus(OPERATIONS[1]!, 400)).toBe(false)
    expect(declaresStatus(OPERATIONS[2]!, 599)).toBe(true)
    expect(judgeStatus(OPERATIONS[1]!, exchange(400, 'app')).outcome.pass).toBe(false)
    expect(judgeStatus(OPERATIONS[1]!, exchange(413, 'proxy'))).toMatchObject({ judged: false, outcome: { pass: true } })
    expect(judgeStatus(OPERATIONS[1]!, exchange(422, 'app'))).toMatchObject({ judged: true, outcome: { pass: true } })
  })

  test('--seed and --case reach the checks through schemaCases; the coverage reads as a sentence', () => {
    const flagged = withCaseFlags(profile, { seed: 9, case: ['POST /orders body absent'] })
    expect(flagged.schemaCases).toMatchObject({ seed: 9, replay: ['POST /orders body absent'], maxPerOperation: 16 })
    expect(withCaseFlags(profile, {})).toBe(profile)
    expect(describeCaseCoverage({ cases: 29, operations: 7, documentedOperations: 28, seed: 1, leftOut: 1, excludedOperations: 2, sampledOut: 0 }))
      .toBe('29 cases on 7 of 28 operations (seed 1; 1 case left out (body over the case limit); 2 operations excluded)')
  })
})
