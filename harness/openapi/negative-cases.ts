import { isJsonMediaType, operationKey, type Operation, type OperationParameter } from './operations.ts'
import { rngFor, type SeededRandom } from './seeded-random.ts'
import { numberRange, resolveSchema, SchemaValueError, stringAccepted, typeOf, validValue, type JsonSchema } from './schema-values.ts'

// Negative cases for an operation, generated from its OpenAPI schemas: each
// breaks exactly one thing of an otherwise valid request (a required field
// left out, a wrong type, a value just outside one declared bound, an unknown
// field where additionalProperties is false, the wrong media type, no body; a
// path or query parameter of the wrong type or out of its bounds). Valid values
// for everything else come from the schema; a seed picks among the values that
// fit, so a seed gives the same cases on every run and another seed other ones.
// Two families stand beside them: a body that is not JSON at all (cut short, or
// bytes that are not UTF-8), which must be refused with a 4xx; and the largest
// value a number with no declared maximum can take, which the schema allows, so
// any answer but a 5xx will do (`no-maximum`: an unbounded `limit` or `size` that
// outlasts the proxy's timeout, or crashes the handler, is found here).

/** What a case breaks. Bounds say which side and by how much (`maxLength+1`: one character over). */
export type CaseRule =
  | 'missing' | 'wrong-type' | 'minLength-1' | 'maxLength+1' | 'minimum-1' | 'maximum+1'
  | 'exclusiveMinimum' | 'exclusiveMaximum' | 'pattern' | 'enum' | 'minItems-1' | 'maxItems+1'
  | 'unknown-field' | 'wrong-media-type' | 'absent' | 'malformed-json' | 'not-utf8' | 'no-maximum'

export type CaseLocation = 'body' | 'path' | 'query'

export interface NegativeCase {
  /** Stable and readable: `POST /items body.name maxLength+1`. The seed changes the values sent, never the ids. */
  id: string
  /** The operation, as `METHOD /path/{template}`. */
  operation: string
  broken: {
    in: CaseLocation
    /** Dotted, from the location: `name`, `address.city`, `item_id`; absent for the body as a whole. */
    field?: string
    rule: CaseRule
  }
  /** The name the app's error must report: the field's or parameter's own (the last part of `field`). */
  names?: string
  request: { method: string; path: string; headers: Record<string, string>; body?: string | Uint8Array }
}

/** Whether the case sends input the schema allows (`no-maximum`): any answer but a 5xx is right. */
export const schemaAllows = (c: Pick<NegativeCase, 'broken'>) => c.broken.rule === 'no-maximum'

export interface CaseOptions {
  seed: number
  /** Cases per operation at most: beyond, a seeded sample. */
  maxPerOperation: number
  /** Cases in all at most: beyond, a seeded sample of those left. */
  maxTotal: number
  /** A case whose body is larger is left out: it would probe the body limit, not validation. */
  maxBodyBytes: number
  /** Only these ids, unsampled (a replay). */
  replay?: readonly string[]
  /** A body known to be valid, per operation (`POST /items`): the profile's probes.jsonEndpoint.validBody. */
  validBodies?: Readonly<Record<string, unknown>>
  /** Paths documented to take as long as asked (routes.slow): their unbounded numbers are not probed. */
  slowPaths?: readonly string[]
}

export interface CasePlan {
  cases: NegativeCase[]
  /** Operations offered, and those with at least one case kept. */
  offered: number
  operations: number
  /** Cases built before sampling, and how many sampling left out. */
  generated: number
  sampledOut: number
  /** Operations (or an operation's body) no case could be built for, and why. */
  notApplicable: { operation: string; reason: string }[]
  /** Cases built and left out, and why. */
  leftOut: { id: string; reason: string }[]
  /** Replayed ids that match no case. */
  unknownReplays: string[]
  /** Every id built, sampled or not: what a replay may name. */
  allIds: string[]
}

/** A field no schema declares, for `additionalProperties: false`. */
export const UNKNOWN_FIELD = 'layercheck_unknown'

/** Wrong values, by the JSON type they have: each is refused by every other type, lax coercions included. */
const JSON_WRONG: readonly { kind: string; value: unknown }[] = [
  { kind: 'string', value: 'layercheck' },
  { kind: 'number', value: 1.5 },
  { kind: 'integer', value: 12345 },
  { kind: 'boolean', value: true },
  { kind: 'object', value: { layercheck: 1 } },
  { kind: 'array', value: ['layercheck'] },
]

/** On the wire a parameter is text: wrong for a number or boolean when no parser takes it as one. */
const TEXT_WRONG: Readonly<Record<string, readonly string[]>> = {
  integer: ['layercheck', '1.5', 'x1'],
  number: ['layercheck', 'x1'],
  boolean: ['layercheck', 'maybe'],
}

/** Far past any sensible limit, and past 64 bits: what `no-maximum` sends. */
const HUGE = 1e20

/** Strings that break a pattern, tried at a length inside the bounds. */
const PATTERN_BREAKERS = [' ', '!', '~', '-', '0', 'a', 'A', '_', 'é']

const MAX_FIELD_DEPTH = 4

interface ValueCase {
  rule: CaseRule
  value: (rng: SeededRandom) => unknown
}

/** The schema's branches other than null (`X | None` is one branch; `int | str` two). */
function branchesOf(input: JsonSchema, document: unknown): JsonSchema[] {
  const schema = input.$ref ? resolveSchema({ $ref: input.$ref }, document) : input
  const branches = schema.anyOf ?? schema.oneOf
  if (!branches) return [schema]
  return branches.filter((b) => b.type !== 'null').flatMap((b) => branchesOf(b, document))
}

/** Every JSON type some branch accepts, or undefined when a branch accepts any. */
function acceptedTypes(input: JsonSchema, document: unknown): Set<string> | undefined {
  const types = new Set<string>()
  for (const branch of branchesOf(input, document)) {
    const resolved = resolveSchema(branch, document)
    const declared = Array.isArray(resolved.type) ? resolved.type : resolved.type ? [resolved.type] : resolved.properties ? ['object'] : resolved.enum ? [...new Set(resolved.enum.map(jsonKind))] : []
    if (declared.length === 0) return undefined
    for (const type of declared) types.add(type)
  }
  return types
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array'
  if (value === null) return 'null'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

/** Whether a value of this kind could pass for one of the accepted types (an integer is a number; lax parsers read booleans as 0/1). */
function passes(kind: string, accepted: Set<string>): boolean {
  if (accepted.has(kind)) return true
  if (kind === 'integer' && accepted.has('number')) return true
  if (kind === 'boolean' && (accepted.has('integer') || accepted.has('number'))) return true
  return false
}

/** The cases one value's schema allows: a wrong type always (where its types are known), bounds where it has one branch. */
function valueCases(input: JsonSchema, document: unknown, wire: 'json' | 'text'): ValueCase[] {
  const cases: ValueCase[] = []
  const accepted = acceptedTypes(input, document)
  if (accepted) {
    if (wire === 'json') {
      const wrong = JSON_WRONG.filter((w) => !passes(w.kind, accepted)).map((w) => w.value)
      if (wrong.length) cases.push({ rule: 'wrong-type', value: (rng) => rng.pick(wrong) })
    } else if (!accepted.has('string')) {
      const wrong = [...accepted].flatMap((type) => TEXT_WRONG[type] ?? []).filter((v, i, all) => all.indexOf(v) === i)
      if (wrong.length && [...accepted].every((type) => TEXT_WRONG[type])) cases.push({ rule: 'wrong-type', value: (rng) => rng.pick(wrong) })
    }
  }
  const branches = branchesOf(input, document)
  if (branches.length !== 1) return cases
  const schema = resolveSchema(branches[0]!, document)
  const type = typeOf(schema)
  if (schema.enum?.length) {
    if (schema.enum.every((v) => typeof v === 'string')) cases.push({ rule: 'enum', value: () => 'layercheck-not-in-enum' })
    else if (schema.enum.every((v) => typeof v === 'number')) cases.push({ rule: 'enum', value: () => Math.max(...(schema.enum as number[])) + 1 })
    return cases
  }
  if (type === 'string') {
    const { minLength, maxLength } = schema
    if (minLength !== undefined && minLength > 0) cases.push({ rule: 'minLength-1', value: () => 'x'.repeat(minLength - 1) })
    if (maxLength !== undefined) cases.push({ rule: 'maxLength+1', value: () => 'x'.repeat(maxLength + 1) })
    if (schema.pattern !== undefined) {
      const length = Math.max(minLength ?? 1, 1)
      const breakers = PATTERN_BREAKERS.map((c) => c.repeat(length)).filter((s) => (maxLength === undefined || s.length <= maxLength) && compiles(schema.pattern!) && !stringAccepted({ pattern: schema.pattern }, s))
      if (breakers.length) cases.push({ rule: 'pattern', value: (rng) => rng.pick(breakers) })
    }
  }
  if (type === 'integer' || type === 'number') {
    const textual = wire === 'text'
    const out = (n: number) => (textual ? String(n) : n)
    if (typeof schema.exclusiveMinimum === 'number') cases.push({ rule: 'exclusiveMinimum', value: () => out(schema.exclusiveMinimum as number) })
    else if (schema.minimum !== undefined) {
      const minimum = schema.minimum
      cases.push(schema.exclusiveMinimum === true ? { rule: 'exclusiveMinimum', value: () => out(minimum) } : { rule: 'minimum-1', value: () => out(minimum - 1) })
    }
    if (typeof schema.exclusiveMaximum === 'number') cases.push({ rule: 'exclusiveMaximum', value: () => out(schema.exclusiveMaximum as number) })
    else if (schema.maximum !== undefined) {
      const maximum = schema.maximum
      cases.push(schema.exclusiveMaximum === true ? { rule: 'exclusiveMaximum', value: () => out(maximum) } : { rule: 'maximum+1', value: () => out(maximum + 1) })
    } else {
      cases.push({ rule: 'no-maximum', value: () => (textual ? '100000000000000000000' : HUGE) })
    }
  }
  if (type === 'array' && wire === 'json' && schema.items) {
    const items = schema.items
    const list = (count: number) => (rng: SeededRandom) => Array.from({ length: count }, () => validValue(items, document, 'item', rng.pick))
    if (schema.minItems !== undefined && schema.minItems > 0 && generable(items, document)) cases.push({ rule: 'minItems-1', value: list(schema.minItems - 1) })
    if (schema.maxItems !== undefined && generable(items, document)) cases.push({ rule: 'maxItems+1', value: list(schema.maxItems + 1) })
  }
  return cases
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u')
    return true
  } catch {
    return false
  }
}

function generable(schema: JsonSchema, document: unknown): boolean {
  try {
    validValue(schema, document, 'item')
    return true
  } catch (error) {
    if (error instanceof SchemaValueError) return false
    throw error
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** What one case changes in the operation's valid request. */
interface Spec {
  in: CaseLocation
  field?: string
  rule: CaseRule
  names?: string
  change: (request: Draft, rng: SeededRandom) => void
}

interface Draft {
  path: Record<string, string>
  query: Record<string, string | undefined>
  /** undefined: no body sent. */
  body?: unknown
  /** Sent as they are instead of the body's JSON: bytes no JSON parser takes. */
  bytes?: string | Uint8Array
  contentType?: string
}

/** The valid body's JSON cut before its last character: valid UTF-8, not JSON. */
const cutShort = (draft: Draft) => { draft.bytes = JSON.stringify(draft.body).slice(0, -1) }
/** A JSON string holding bytes that are not UTF-8 (0xFF never occurs in it). */
const NOT_UTF8 = Uint8Array.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])

const ABSENT = Symbol('absent')

function setAt(target: unknown, keys: readonly string[], value: unknown): void {
  let node = target as Record<string, unknown>
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>
  const last = keys[keys.length - 1]!
  if (value === ABSENT) delete node[last]
  else node[last] = value
}

/** Cases for the fields of a JSON object body, walking nested objects the valid body holds. */
function bodyFieldSpecs(input: JsonSchema, valid: unknown, document: unknown, keys: string[] = []): Spec[] {
  if (keys.length >= MAX_FIELD_DEPTH || !isPlainObject(valid)) return []
  const schema = resolveSchema(input, document)
  if (!schema.properties && schema.additionalProperties !== false) return []
  const specs: Spec[] = []
  const at = (name: string) => [...keys, name]
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const field = at(name).join('.')
    if (schema.required?.includes(name)) {
      specs.push({ in: 'body', field, rule: 'missing', names: name, change: (draft) => setAt(draft.body, at(name), ABSENT) })
    }
    for (const value of valueCases(property, document, 'json')) {
      specs.push({ in: 'body', field, rule: value.rule, names: name, change: (draft, rng) => setAt(draft.body, at(name), value.value(rng)) })
    }
    if (isPlainObject(valid[name])) specs.push(...bodyFieldSpecs(property, valid[name], document, at(name)))
  }
  if (schema.additionalProperties === false) {
    specs.push({
      in: 'body', ...(keys.length && { field: keys.join('.') }), rule: 'unknown-field', names: UNKNOWN_FIELD,
      change: (draft) => setAt(draft.body, at(UNKNOWN_FIELD), 'layercheck'),
    })
  }
  return specs
}

/** Cases for the path and query parameters of scalar type; required query parameters may also be left out. */
function parameterSpecs(parameters: readonly OperationParameter[], document: unknown): Spec[] {
  return parameters.filter((p) => p.in === 'path' || p.in === 'query').flatMap((parameter): Spec[] => {
    const types = acceptedTypes(parameter.schema, document)
    if (types && (types.has('array') || types.has('object'))) return []
    const where = parameter.in as 'path' | 'query'
    const set = (draft: Draft, value: string | undefined) => {
      if (where === 'path') draft.path[parameter.name] = value ?? ''
      else draft.query[parameter.name] = value
    }
    const specs: Spec[] = []
    if (where === 'query' && parameter.required) specs.push({ in: where, field: parameter.name, rule: 'missing', names: parameter.name, change: (draft) => set(draft, undefined) })
    for (const value of valueCases(parameter.schema, document, 'text')) {
      specs.push({ in: where, field: parameter.name, rule: value.rule, names: parameter.name, change: (draft, rng) => set(draft, String(value.value(rng))) })
    }
    return specs
  })
}

const WRONG_MEDIA_TYPES = ['text/plain', 'application/x-www-form-urlencoded']

/** A case's id: the operation, where, and the rule broken. */
export const caseId = (operation: string, spec: Pick<Spec, 'in' | 'field' | 'rule'>) =>
  `${operation} ${spec.field ? `${spec.in}.${spec.field}` : spec.in} ${spec.rule}`

interface OperationCases { cases: NegativeCase[]; leftOut: CasePlan['leftOut']; notApplicable?: string; bodyNote?: string }

function casesOf(operation: Operation, document: unknown, options: CaseOptions): OperationCases {
  const key = operationKey(operation)
  const rng = rngFor(options.seed, key)
  const valid: Draft = { path: {}, query: {} }
  const headers: Record<string, string> = { accept: 'application/json' }
  // Valid values for every path parameter and every required query and header parameter.
  for (const parameter of operation.parameters) {
    if (!(parameter.in === 'path' || parameter.required) || parameter.in === 'cookie') continue
    let value: unknown
    try {
      value = validValue(parameter.schema, document, `${parameter.in}.${parameter.name}`, rng.pick)
    } catch (error) {
      if (error instanceof SchemaValueError) return { cases: [], leftOut: [], notApplicable: `no valid value for ${parameter.in} parameter ${parameter.name}: ${error.message}` }
      throw error
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    if (parameter.in === 'path') valid.path[parameter.name] = text
    else if (parameter.in === 'query') valid.query[parameter.name] = text
    else headers[parameter.name.toLowerCase()] = text
  }

  const specs: Spec[] = []
  let bodyNote: string | undefined
  const body = operation.body
  if (body) {
    let reason: string | undefined
    const known = options.validBodies?.[key]
    if (known !== undefined) valid.body = known
    else if (!body.jsonSchema) reason = `its body is ${body.mediaTypes.join(', ') || 'of no declared media type'}: only JSON bodies are generated`
    else {
      try {
        valid.body = validValue(body.jsonSchema, document, 'body', rng.pick)
      } catch (error) {
        if (!(error instanceof SchemaValueError)) throw error
        reason = `no valid body can be built from the schema (${error.message}); give it an example, or name it in probes.jsonEndpoint with a validBody`
      }
    }
    // Without a valid body, a required one makes every other case fail for its absence too: the operation is left out.
    if (reason && body.required) return { cases: [], leftOut: [], notApplicable: reason }
    if (reason) bodyNote = reason
    if (valid.body !== undefined) {
      valid.contentType = body.mediaTypes.find(isJsonMediaType) ?? 'application/json'
      if (body.jsonSchema) specs.push(...bodyFieldSpecs(body.jsonSchema, valid.body, document))
      const wrongType = WRONG_MEDIA_TYPES.find((type) => !body.mediaTypes.some((listed) => listed.toLowerCase().startsWith(type)))
      if (wrongType) specs.push({ in: 'body', rule: 'wrong-media-type', change: (draft) => { draft.contentType = wrongType } })
      specs.push({ in: 'body', rule: 'malformed-json', change: cutShort }, { in: 'body', rule: 'not-utf8', change: (draft) => { draft.bytes = NOT_UTF8 } })
    }
    if (body.required) specs.push({ in: 'body', rule: 'absent', change: (draft) => { draft.body = ABSENT } })
  }
  specs.push(...parameterSpecs(operation.parameters, document))

  const cases: NegativeCase[] = []
  const leftOut: CasePlan['leftOut'] = []
  for (const spec of specs) {
    const id = caseId(key, spec)
    if (spec.rule === 'no-maximum' && options.slowPaths?.includes(operation.path)) {
      leftOut.push({ id, reason: 'routes.slow takes as long as asked: an unbounded wait there is documented' })
      continue
    }
    const draft: Draft = { path: { ...valid.path }, query: { ...valid.query }, body: structuredClone(valid.body), contentType: valid.contentType }
    spec.change(draft, rngFor(options.seed, id))
    const request = assemble(operation, draft, headers)
    const bytes = request.body === undefined ? 0 : Buffer.byteLength(request.body)
    if (bytes > options.maxBodyBytes) {
      leftOut.push({ id, reason: `a body of ${bytes} bytes, over the ${options.maxBodyBytes} bytes a case may send` })
      continue
    }
    cases.push({ id, operation: key, broken: { in: spec.in, ...(spec.field && { field: spec.field }), rule: spec.rule }, ...(spec.names && { names: spec.names }), request })
  }
  return { cases, leftOut, ...(bodyNote && { bodyNote }) }
}

function assemble(operation: Operation, draft: Draft, headers: Record<string, string>): NegativeCase['request'] {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(draft.path[name] ?? '1'))
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(draft.query)) if (value !== undefined) query.append(name, value)
  const search = query.toString()
  const hasBody = draft.body !== undefined && draft.body !== ABSENT
  return {
    method: operation.method,
    path: search ? `${path}?${search}` : path,
    // A request that sends no body still says what the operation takes: the body is what is missing.
    headers: { ...headers, ...(draft.contentType && { 'content-type': draft.contentType }) },
    ...(draft.bytes !== undefined ? { body: draft.bytes } : hasBody && { body: JSON.stringify(draft.body) }),
  }
}

/** The negative cases for these operations, bounded per operation and in all (seeded samples beyond), or only the replayed ids. */
export function negativeCases(operations: readonly Operation[], document: unknown, options: CaseOptions): CasePlan {
  const notApplicable: CasePlan['notApplicable'] = []
  const leftOut: CasePlan['leftOut'] = []
  const replay = options.replay?.length ? new Set(options.replay) : undefined
  const perOperation: NegativeCase[][] = []
  const allIds: string[] = []
  let generated = 0
  for (const operation of operations) {
    const built = casesOf(operation, document, options)
    if (built.notApplicable) notApplicable.push({ operation: operationKey(operation), reason: built.notApplicable })
    if (built.bodyNote) notApplicable.push({ operation: `${operationKey(operation)} body`, reason: built.bodyNote })
    leftOut.push(...built.leftOut)
    generated += built.cases.length
    allIds.push(...built.cases.map((c) => c.id), ...built.leftOut.map((l) => l.id))
    if (replay) perOperation.push(built.cases.filter((c) => replay.has(c.id)))
    else perOperation.push(rngFor(options.seed, `${operationKey(operation)} sample`).sample(built.cases, options.maxPerOperation))
  }
  const capped = perOperation.flat()
  const cases = replay ? capped : rngFor(options.seed, 'all operations sample').sample(capped, options.maxTotal)
  const found = new Set(allIds)
  return {
    cases,
    offered: operations.length,
    operations: new Set(cases.map((c) => c.operation)).size,
    generated,
    sampledOut: replay ? 0 : generated - cases.length,
    notApplicable,
    leftOut: replay ? leftOut.filter((l) => replay.has(l.id)) : leftOut,
    unknownReplays: replay ? [...replay].filter((id) => !found.has(id)) : [],
    allIds,
  }
}
