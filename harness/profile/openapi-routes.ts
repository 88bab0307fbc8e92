export interface RouteSpec {
  path: string
  methods: string[]
  /** Methods whose operation the OpenAPI document says needs credentials (its own `security`, or the document's). */
  secured?: string[]
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

export type SecurityRequirements = Record<string, unknown>[] | undefined

/**
 * OpenAPI 3 §4.8.10: an operation needs credentials when its `security` (else the document's) lists
 * requirements and none of them is the empty object, which makes authentication optional.
 */
export const needsCredentials = (security: SecurityRequirements) =>
  Array.isArray(security) && security.length > 0 && security.every((requirement) => Object.keys(requirement ?? {}).length > 0)

/** Methods per path from an OpenAPI 3 document (FastAPI serves one at /openapi.json), and which of them need credentials. */
export function routesFromOpenApi(document: unknown): RouteSpec[] {
  const { paths, security: global } = (document ?? {}) as { paths?: Record<string, Record<string, unknown>>; security?: SecurityRequirements }
  if (!paths || typeof paths !== 'object') throw new Error('the OpenAPI document has no "paths" object')
  return Object.entries(paths).map(([path, item]) => {
    const operations = Object.entries(item ?? {}).filter(([k]) => HTTP_METHODS.includes(k))
    const secured = operations
      .filter(([, operation]) => needsCredentials((operation as { security?: SecurityRequirements } | undefined)?.security ?? global))
      .map(([k]) => k.toUpperCase()).sort()
    return { path, methods: operations.map(([k]) => k.toUpperCase()).sort(), ...(secured.length && { secured }) }
  }).filter((route) => route.methods.length > 0)
}

/** A concrete path for a templated one: `{id}` becomes `1`, which routers accept for ints and strings alike. */
export function concretePath(template: string): string {
  return template.replace(/\{[^}]+\}/g, '1')
}

/** Merges routes listed in the profile with those from OpenAPI; the profile wins for a path it lists. */
export function mergeRoutes(listed: readonly RouteSpec[], fromOpenApi: readonly RouteSpec[]): RouteSpec[] {
  const byPath = new Map(fromOpenApi.map((r) => [r.path, r]))
  for (const route of listed) byPath.set(route.path, { path: route.path, methods: [...route.methods].sort() })
  return [...byPath.values()]
}
