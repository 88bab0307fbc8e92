// Values for a JSON Schema (as OpenAPI 3.x / FastAPI writes it): one the
// schema accepts, and per property one it refuses. Only what can be decided
// from the schema alone; anything else is left to the user, never guessed wildly.

export interface JsonSchema {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  enum?: unknown[]
  const?: unknown
  format?: string
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number | boolean
  exclusiveMaximum?: number | boolean
  minItems?: number
  maxItems?: number
  additionalProperties?: boolean | JsonSchema
  /** OpenAPI 3.0: `null` is accepted too. */
  nullable?: boolean
  example?: unknown
  examples?: unknown[]
  default?: unknown
}

export class SchemaValueError extends Error {
  readonly code = 'LAYERCHECK_NO_SCHEMA_VALUE'
}

/**
 * Chooses one of several values a schema accepts. By default the first (the starter profile
 * writes the most common shape); the negative cases pass a seeded choice (harness/openapi/seeded-random.ts).
 */
export type Pick = <T>(choices: readonly T[]) => T

const first: Pick = (choices) => choices[0]!

/** Follows local `$ref`s (`#/components/schemas/Item`) and picks the non-null branch of `X | None`. */
export function resolveSchema(schema: JsonSchema, document: unknown, depth = 0): JsonSchema {
  if (depth > 20) throw new SchemaValueError('the schema nests $ref more than 20 deep')
  if (schema.$ref) {
    if (!schema.$ref.startsWith('#/')) throw new SchemaValueError(`$ref ${schema.$ref} is not local to the document`)
    let node: unknown = document
    for (const part of schema.$ref.slice(2).split('/')) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')]
    if (!node || typeof node !== 'object') throw new SchemaValueError(`$ref ${schema.$ref} does not resolve`)
    return resolveSchema(node as JsonSchema, document, depth + 1)
  }
  const branches = schema.anyOf ?? schema.oneOf
  if (branches) {
    const nonNull = branches.find((b) => b.type !== 'null')
    if (nonNull) return resolveSchema({ ...nonNull, ...withoutKeys(schema, ['anyOf', 'oneOf']) }, document, depth + 1)
  }
  if (schema.allOf?.length === 1) return resolveSchema({ ...schema.allOf[0], ...withoutKeys(schema, ['allOf']) }, document, depth + 1)
  return schema
}

function withoutKeys(schema: JsonSchema, keys: (keyof JsonSchema)[]): JsonSchema {
  const copy = { ...schema }
  for (const key of keys) delete copy[key]
  return copy
}

export const typeOf = (schema: JsonSchema) => (Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type)

export function stringAccepted(schema: JsonSchema, value: string): boolean {
  if (schema.minLength !== undefined && value.length < schema.minLength) return false
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return false
  if (schema.pattern !== undefined) {
    try {
      if (!new RegExp(schema.pattern, 'u').test(value)) return false
    } catch {
      return false
    }
  }
  return true
}

const FORMAT_EXAMPLES: Record<string, string> = {
  email: 'alice@example.com', uri: 'https://example.com/', url: 'https://example.com/', 'date-time': '2025-01-01T00:00:00Z',
  date: '2025-01-01', time: '12:00:00', uuid: '123e4567-e89b-42d3-a456-426614174000', ipv4: '192.0.2.1', ipv6: '2001:db8::1', hostname: 'example.com',
}
// Tried in order for a string with a pattern and no example: common shapes first.
const STRING_CANDIDATES = [
  'Alice', 'alice', 'alice@example.com', 'https://example.com/', '2025-01-01', '2025-01-01T00:00:00Z',
  '123e4567-e89b-42d3-a456-426614174000', 'A1', 'a1', 'abc', 'ABC', '1', '12345', 'a', 'example.com', 'abc-123', 'abc_123',
]

const MAX_VALUE_DEPTH = 12

/** The schema's own examples and default, in that order (examples first: a default may be a placeholder). */
function examplesOf(schema: JsonSchema): unknown[] {
  const given = [schema.example, ...(Array.isArray(schema.examples) ? schema.examples : []), schema.default]
  return given.filter((value) => value !== undefined && value !== null)
}

/** The lowest and highest number the schema accepts (OpenAPI 3.0 boolean and 3.1 numeric exclusive bounds alike). */
export function numberRange(schema: JsonSchema): { low?: number; high?: number } {
  const low = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1
    : schema.exclusiveMinimum === true && schema.minimum !== undefined ? schema.minimum + 1 : schema.minimum
  const high = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1
    : schema.exclusiveMaximum === true && schema.maximum !== undefined ? schema.maximum - 1 : schema.maximum
  return { low, high }
}

/** A value the schema accepts: one of its examples, else one built from its type and constraints; `pick` chooses where several fit. */
export function validValue(input: JsonSchema, document: unknown, where: string, pick: Pick = first): unknown {
  // A schema that requires itself (a tree whose every node needs a child) has no finite value.
  if (where.split(/[.[]/).length > MAX_VALUE_DEPTH) throw new SchemaValueError(`${where}: required properties nest more than ${MAX_VALUE_DEPTH} deep`)
  const schema = resolveSchema(input, document)
  const examples = examplesOf(schema)
  if (examples.length) return pick(examples)
  if (schema.const !== undefined) return schema.const
  if (schema.enum?.length) return pick(schema.enum)
  const type = typeOf(schema) ?? (schema.properties ? 'object' : undefined)
  switch (type) {
    case 'string': {
      const candidates = [schema.format && FORMAT_EXAMPLES[schema.format], ...STRING_CANDIDATES].filter((c): c is string => Boolean(c))
      const min = Math.max(schema.minLength ?? 1, 1)
      if (schema.pattern === undefined) candidates.push('a'.repeat(min))
      // A format names the one shape that fits: it goes first, and is the only candidate when it fits.
      const formatted = schema.format && FORMAT_EXAMPLES[schema.format]
      const fitting = formatted && stringAccepted(schema, formatted) ? [formatted] : candidates.filter((c) => stringAccepted(schema, c))
      if (fitting.length === 0) throw new SchemaValueError(`${where}: no value found that matches pattern ${schema.pattern}; give an example in the schema or set validBody by hand`)
      return pick(fitting)
    }
    case 'integer':
    case 'number': {
      const { low, high } = numberRange(schema)
      let value = Math.max(low ?? 1, 1)
      if (high !== undefined && value > high) value = low ?? high
      const fits = (n: number) => (low === undefined || n >= low) && (high === undefined || n <= high)
      // The lowest fitting value first (what a starter profile writes), then others inside the bounds.
      const choices = [value, value + 1, high ?? value + 41].filter((n, i, all) => fits(n) && all.indexOf(n) === i)
      const chosen = choices.length ? pick(choices) : value
      return type === 'integer' ? Math.ceil(chosen) : chosen
    }
    case 'boolean':
      return pick([true, false])
    case 'array':
      return (schema.minItems ?? 0) > 0 && schema.items ? [validValue(schema.items, document, `${where}[]`, pick)] : []
    case 'object':
      return validObject(schema, document, where, pick)
    default:
      throw new SchemaValueError(`${where}: the schema gives no type`)
  }
}

/** The object's required properties, each with a valid value. */
export function validObject(input: JsonSchema, document: unknown, where = 'body', pick: Pick = first): Record<string, unknown> {
  const schema = resolveSchema(input, document)
  const body: Record<string, unknown> = {}
  for (const name of schema.required ?? []) {
    const property = schema.properties?.[name]
    if (!property) throw new SchemaValueError(`${where}.${name}: required but not described`)
    body[name] = validValue(property, document, `${where}.${name}`, pick)
  }
  return body
}

/** A value this property's constraints refuse, or undefined when it has none that can be broken with the right type. */
export function invalidValue(input: JsonSchema, document: unknown): unknown {
  const schema = resolveSchema(input, document)
  if (schema.enum?.length && schema.enum.every((v) => typeof v === 'string')) return 'layercheck-not-in-enum'
  const type = typeOf(schema)
  if (type === 'string') {
    if ((schema.minLength ?? 0) >= 1) return ''
    if (schema.maxLength !== undefined && schema.maxLength < 10_000) return 'x'.repeat(schema.maxLength + 1)
    if (schema.pattern !== undefined) return ['not valid!', '', ' '].find((c) => !stringAccepted(schema, c))
    return undefined
  }
  if (type === 'integer' || type === 'number') {
    if (schema.minimum !== undefined) return schema.minimum - 1
    if (typeof schema.exclusiveMinimum === 'number') return schema.exclusiveMinimum
    if (schema.maximum !== undefined) return schema.maximum + 1
    if (typeof schema.exclusiveMaximum === 'number') return schema.exclusiveMaximum
    return undefined
  }
  return undefined
}

/** 1 MiB: a padding field must take a body past a typical limit without its own maxLength refusing it first. */
export const PADDING_MIN_BYTES = 1_048_576

/** A string property a body-size probe may pad: no maxLength, or one of at least 1 MiB. */
export function paddingField(input: JsonSchema, document: unknown): string | undefined {
  const schema = resolveSchema(input, document)
  return Object.entries(schema.properties ?? {}).find(([, property]) => {
    const resolved = resolveSchema(property, document)
    return typeOf(resolved) === 'string' && resolved.pattern === undefined && resolved.enum === undefined &&
      (resolved.maxLength === undefined || resolved.maxLength > PADDING_MIN_BYTES)
  })?.[0]
}
