export interface RouteSpec {
  path: string
  methods: string[]
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/** Methods per path from an OpenAPI 3 document (FastAPI serves one at /openapi.json). */
export function routesFromOpenApi(document: unknown): RouteSpec[] {
  const paths = (document as { paths?: Record<string, Record<string, unknown>> } | undefined)?.paths
  if (!paths || typeof paths !== 'object') throw new Error('the OpenAPI document has no "paths" object')
  return Object.entries(paths).map(([path, item]) => ({
    path,
    methods: Object.keys(item ?? {}).filter((k) => HTTP_METHODS.includes(k)).map((k) => k.toUpperCase()).sort(),
  })).filter((route) => route.methods.length > 0)
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
