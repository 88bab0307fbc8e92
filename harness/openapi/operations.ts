import { needsCredentials, type SecurityRequirements } from '../profile/openapi-routes.ts'
import { SchemaValueError, type JsonSchema } from './schema-values.ts'

// The operations of an OpenAPI 3.x document, with what the negative cases need
// of each: its parameters and request body (local $refs followed), the statuses
// it declares, and whether it needs credentials.

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie'

export interface OperationParameter {
  name: string
  in: ParameterLocation
  required: boolean
  schema: JsonSchema
}

export interface OperationBody {
  required: boolean
  /** The media types the document lists under `content`, as written. */
  mediaTypes: string[]
  /** The schema of the JSON media type (application/json or +json), where there is one. */
  jsonSchema?: JsonSchema
}

export interface Operation {
  method: string
  /** The path template, as in the document (`/items/{item_id}`). */
  path: string
  parameters: OperationParameter[]
  body?: OperationBody
  /** The keys of `responses`: statuses (`201`), ranges (`4XX`) and `default`. */
  responses: string[]
  /** OpenAPI 3 §4.8.10: its security (else the document's) requires credentials. */
  secured: boolean
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
const MAX_REF_DEPTH = 10

export const operationKey = (operation: Pick<Operation, 'method' | 'path'>) => `${operation.method} ${operation.path}`

export const isJsonMediaType = (type: string) => /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(type.trim())

/** Follows a local `$ref` (`#/components/parameters/Id`), to a bounded depth. */
function deref<T>(node: T, document: unknown, depth = 0): T {
  const ref = (node as { $ref?: unknown } | undefined)?.$ref
  if (typeof ref !== 'string') return node
  if (depth >= MAX_REF_DEPTH) throw new SchemaValueError(`$ref ${ref} nests more than ${MAX_REF_DEPTH} deep`)
  if (!ref.startsWith('#/')) throw new SchemaValueError(`$ref ${ref} is not local to the document`)
  let target: unknown = document
  for (const part of ref.slice(2).split('/')) target = (target as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')]
  if (!target || typeof target !== 'object') throw new SchemaValueError(`$ref ${ref} does not resolve`)
  return deref(target as T, document, depth + 1)
}

interface RawParameter { name?: unknown; in?: unknown; required?: unknown; schema?: JsonSchema }

function parametersOf(raw: unknown, document: unknown): OperationParameter[] {
  if (!Array.isArray(raw)) return []
  return raw.map((p) => deref(p as RawParameter, document)).filter((p) => typeof p.name === 'string' && typeof p.in === 'string').map((p) => ({
    name: p.name as string,
    in: p.in as ParameterLocation,
    // OpenAPI 3 §4.8.12: a path parameter is always required.
    required: p.in === 'path' || p.required === true,
    schema: p.schema ?? {},
  }))
}

function bodyOf(raw: unknown, document: unknown): OperationBody | undefined {
  if (!raw) return undefined
  const body = deref(raw as { required?: unknown; content?: Record<string, { schema?: JsonSchema }> }, document)
  const content = body.content ?? {}
  const mediaTypes = Object.keys(content)
  const json = mediaTypes.find(isJsonMediaType)
  return { required: body.required === true, mediaTypes, ...(json && { jsonSchema: content[json]?.schema ?? {} }) }
}

/** Every operation of the document, in its order; path-level parameters apply unless the operation redefines them. */
export function operationsFromOpenApi(document: unknown): Operation[] {
  const { paths, security: global } = (document ?? {}) as { paths?: Record<string, Record<string, unknown>>; security?: SecurityRequirements }
  if (!paths || typeof paths !== 'object') throw new Error('the OpenAPI document has no "paths" object')
  return Object.entries(paths).flatMap(([path, rawItem]) => {
    const item = deref(rawItem ?? {}, document)
    const shared = parametersOf(item.parameters, document)
    return Object.entries(item).filter(([key]) => METHODS.includes(key)).map(([key, rawOperation]): Operation => {
      const operation = (rawOperation ?? {}) as { parameters?: unknown; requestBody?: unknown; responses?: Record<string, unknown>; security?: SecurityRequirements }
      const own = parametersOf(operation.parameters, document)
      const parameters = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own]
      const body = bodyOf(operation.requestBody, document)
      return {
        method: key.toUpperCase(), path, parameters, ...(body && { body }),
        responses: Object.keys(operation.responses ?? {}),
        secured: needsCredentials(operation.security ?? global),
      }
    })
  })
}

/** Whether the operation's document declares this status: exactly, by its range (`4XX`), or through `default`. */
export function declaresStatus(operation: Pick<Operation, 'responses'>, status: number): boolean {
  const range = `${Math.floor(status / 100)}XX`
  return operation.responses.some((key) => key === String(status) || key.toUpperCase() === range || key === 'default')
}
