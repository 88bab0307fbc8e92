// Validates against the published schemas/*.json themselves with Ajv (JSON Schema
// 2020-12, the draft z.toJSONSchema writes), and words each error as a path and a
// rule the tests can read: `$.limits.maxBodyBytes: expected integer, got string`.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'

type Schema = boolean | Record<string, unknown>

// Formats (uri, email…) are annotations here, as in most validators' defaults: the loader checks them.
// Unknown keywords are errors (strict); strictTypes is off: a pattern inside allOf without its own
// type, as z.toJSONSchema writes it, is valid JSON Schema.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, validateFormats: false, verbose: true })
const compiled = new WeakMap<object, ReturnType<typeof ajv.compile>>()

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value

/** `/checks/0/verdict` → `$.checks[0].verdict` */
const pathOf = (pointer: string) => '$' + pointer.split('/').slice(1)
  .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
  .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('')

function describe(error: ErrorObject): string {
  const path = pathOf(error.instancePath)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties': return `${path}.${String(params.additionalProperty)}: not allowed here`
    case 'required': return `${path}: missing required "${String(params.missingProperty)}"`
    case 'type': return `${path}: expected ${String(params.type)}, got ${typeOf(error.data)}`
    case 'const': return `${path}: must be ${JSON.stringify(params.allowedValue)}`
    case 'enum': return `${path}: must be one of ${JSON.stringify(params.allowedValues)}`
    case 'pattern': return `${path}: must match ${String(params.pattern)}`
    default: return `${path}: ${error.message ?? error.keyword}`
  }
}

/** Every place `value` breaks `schema`, as `path: rule`; empty when it validates. */
export function schemaErrors(value: unknown, schema: Schema): string[] {
  if (typeof schema === 'boolean') return schema ? [] : ['$: not allowed here']
  let validate = compiled.get(schema)
  if (!validate) compiled.set(schema, validate = ajv.compile(schema))
  return validate(value) ? [] : [...new Set((validate.errors ?? []).map(describe))]
}
