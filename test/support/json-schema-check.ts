// A JSON Schema (2020-12) validator for the keywords z.toJSONSchema writes into
// schemas/*.json, so the tests validate against the published files themselves
// without a validator dependency. A keyword it does not know is an error, not a
// silent pass: a generator that starts writing a new one makes the tests say so.

type Schema = boolean | Record<string, unknown>

// Annotations: they describe, they do not constrain.
const ANNOTATIONS = new Set(['$schema', '$id', '$defs', 'title', 'description', 'default', 'examples', 'format', 'id'])
const KNOWN = new Set([
  ...ANNOTATIONS, 'type', 'properties', 'required', 'additionalProperties', 'propertyNames', 'items', 'prefixItems',
  'minItems', 'maxItems', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', '$ref', 'minimum', 'maximum', 'exclusiveMinimum',
  'exclusiveMaximum', 'minLength', 'maxLength', 'pattern',
])

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value

const isType = (value: unknown, type: string) => typeOf(value) === type || (type === 'number' && typeOf(value) === 'integer')

/** Every place `value` breaks `schema`, as `path: rule`; empty when it validates. */
export function schemaErrors(value: unknown, schema: Schema, root: Schema = schema, path = '$'): string[] {
  if (schema === true) return []
  if (schema === false) return [`${path}: not allowed here`]
  const errors: string[] = []
  const fail = (rule: string) => errors.push(`${path}: ${rule}`)
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`json-schema-check: unsupported keyword "${key}" at ${path}`)
  const s = schema as Record<string, any>

  if (s.$ref !== undefined) {
    const target = String(s.$ref).replace(/^#\//, '').split('/').reduce<any>((node, part) => node?.[part], root)
    if (target === undefined) throw new Error(`json-schema-check: unresolved $ref ${s.$ref}`)
    errors.push(...schemaErrors(value, target, root, path))
  }
  if (s.type !== undefined) {
    const types: string[] = Array.isArray(s.type) ? s.type : [s.type]
    if (!types.some((t) => isType(value, t))) return [...errors, `${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`]
  }
  if (s.const !== undefined && JSON.stringify(value) !== JSON.stringify(s.const)) fail(`must be ${JSON.stringify(s.const)}`)
  if (s.enum && !s.enum.some((option: unknown) => JSON.stringify(option) === JSON.stringify(value))) fail(`must be one of ${JSON.stringify(s.enum)}`)
  if (s.anyOf && !s.anyOf.some((option: Schema) => schemaErrors(value, option, root, path).length === 0)) fail('matches none of anyOf')
  if (s.oneOf && s.oneOf.filter((option: Schema) => schemaErrors(value, option, root, path).length === 0).length !== 1) fail('must match exactly one of oneOf')
  for (const option of s.allOf ?? []) errors.push(...schemaErrors(value, option, root, path))

  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) fail(`must be ≥ ${s.minimum}`)
    if (s.maximum !== undefined && value > s.maximum) fail(`must be ≤ ${s.maximum}`)
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) fail(`must be > ${s.exclusiveMinimum}`)
    if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) fail(`must be < ${s.exclusiveMaximum}`)
  }
  if (typeof value === 'string') {
    const length = [...value].length
    if (s.minLength !== undefined && length < s.minLength) fail(`must be at least ${s.minLength} characters`)
    if (s.maxLength !== undefined && length > s.maxLength) fail(`must be at most ${s.maxLength} characters`)
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) fail(`must match ${s.pattern}`)
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) fail(`must have at least ${s.minItems} items`)
    if (s.maxItems !== undefined && value.length > s.maxItems) fail(`must have at most ${s.maxItems} items`)
    const prefix: Schema[] = s.prefixItems ?? []
    value.forEach((item, i) => {
      const itemSchema = i < prefix.length ? prefix[i] : s.items
      if (itemSchema !== undefined) errors.push(...schemaErrors(item, itemSchema, root, `${path}[${i}]`))
    })
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>
    for (const key of s.required ?? []) if (!(key in object)) fail(`missing required "${key}"`)
    for (const [key, item] of Object.entries(object)) {
      if (s.propertyNames) errors.push(...schemaErrors(key, s.propertyNames, root, `${path} key ${JSON.stringify(key)}`))
      const propertySchema = s.properties?.[key] ?? s.additionalProperties
      if (propertySchema !== undefined) errors.push(...schemaErrors(item, propertySchema, root, `${path}.${key}`))
    }
  }
  return errors
}
