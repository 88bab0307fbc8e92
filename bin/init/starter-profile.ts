// From an OpenAPI document to a starter profile: what the document says, and
// nothing it does not. Pure: the document in, the profile and the notes out;
// the probes that complete it (health, request ID, 401s) are made by init-command.
import type { ProfileInput } from '../../harness/profile/schema.ts'
import { invalidValue, paddingField, resolveSchema, SchemaValueError, validObject, type JsonSchema } from '../../harness/openapi/schema-values.ts'

interface Operation {
  requestBody?: { $ref?: string; content?: Record<string, { schema?: JsonSchema }> }
  security?: Record<string, string[]>[]
  parameters?: { in?: string; required?: boolean }[]
}

interface OpenApiDocument {
  openapi?: string
  info?: { title?: string }
  paths?: Record<string, Record<string, Operation>>
  security?: Record<string, string[]>[]
}

export interface RouteFacts {
  method: string
  path: string
  /** Security requirements apply (the operation's, else the document's), and none of them is empty. */
  secured: boolean
  /** The path has {templated} segments or the operation requires a query parameter. */
  needsParameters: boolean
}

export interface Starter {
  profile: ProfileInput
  /** What was taken from the document, one line each. */
  found: string[]
  /** What the user must decide, one line each. */
  left: string[]
  routes: RouteFacts[]
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

export function routeFacts(document: OpenApiDocument): RouteFacts[] {
  const facts: RouteFacts[] = []
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item ?? {})) {
      if (!METHODS.includes(method)) continue
      const security = operation.security ?? document.security ?? []
      facts.push({
        method: method.toUpperCase(), path,
        // `security: [{}]` means anonymous access is one of the options.
        secured: security.length > 0 && security.every((requirement) => Object.keys(requirement).length > 0),
        needsParameters: path.includes('{') || (operation.parameters ?? []).some((p) => p.in === 'query' && p.required),
      })
    }
  }
  return facts
}

function jsonSchemaOf(operation: Operation): JsonSchema | undefined {
  const content = operation.requestBody?.content ?? {}
  const type = Object.keys(content).find((t) => t === 'application/json' || /^application\/[\w.+-]*\+json$/.test(t))
  return type ? content[type]?.schema : undefined
}

const HEALTHY_NAMES = /(^|\/)(health|healthz|livez|readyz|ping|status|ready|live)$/i

/** GET routes anyone may call without parameters, health-like names first: candidates for probes.healthPath. */
export function healthCandidates(routes: RouteFacts[]): string[] {
  const open = routes.filter((r) => r.method === 'GET' && !r.secured && !r.needsParameters).map((r) => r.path)
  return [...open.filter((p) => HEALTHY_NAMES.test(p)), ...open.filter((p) => !HEALTHY_NAMES.test(p))]
}

export function starterFromOpenApi(baseUrl: string, openapiPath: string, input: unknown): Starter {
  const document = input as OpenApiDocument
  if (!document || typeof document !== 'object' || typeof document.paths !== 'object') {
    throw new SchemaValueError(`${openapiPath} is not an OpenAPI document: it has no "paths" object`)
  }
  const routes = routeFacts(document)
  const found: string[] = [`routes.openapi: ${openapiPath} (${routes.length} operations on ${Object.keys(document.paths!).length} paths)`]
  const left: string[] = []
  const profile: ProfileInput = {
    ...(document.info?.title && { name: document.info.title }),
    baseUrl,
    routes: { openapi: openapiPath },
    probes: {},
  }

  // The first POST (else PUT) whose body is JSON with a schema we can fill.
  const candidates = routes.filter((r) => (r.method === 'POST' || r.method === 'PUT') && !r.secured && !r.needsParameters)
  const ordered = [...candidates.filter((r) => r.method === 'POST'), ...candidates.filter((r) => r.method === 'PUT')]
  for (const route of ordered) {
    const operation = document.paths![route.path]![route.method.toLowerCase()]!
    const schema = jsonSchemaOf(operation)
    if (!schema) continue
    try {
      const resolved = resolveSchema(schema, document)
      if (!resolved.properties) continue
      const validBody = validObject(resolved, document)
      const invalidBody: Record<string, unknown> = { ...validBody }
      const invalidFields: string[] = []
      for (const [name, property] of Object.entries(resolved.properties)) {
        if (!(name in validBody)) continue
        const bad = invalidValue(property, document)
        if (bad === undefined) continue
        invalidBody[name] = bad
        invalidFields.push(name)
      }
      const padding = paddingField(resolved, document)
      profile.probes!.jsonEndpoint = {
        method: route.method, path: route.path, validBody,
        ...(invalidFields.length > 0 && { invalidBody, invalidFields }),
        ...(padding && { paddingField: padding }),
      }
      found.push(`probes.jsonEndpoint: ${route.method} ${route.path}, bodies built from its schema` +
        (invalidFields.length ? `; invalid: ${invalidFields.join(', ')}` : '; no constraint to break, so no invalidBody') +
        (padding ? `; padding field ${padding}` : '; no string field to pad, so the body-size checks need paddingField'))
      break
    } catch (error) {
      if (!(error instanceof SchemaValueError)) throw error
      left.push(`probes.jsonEndpoint: ${route.method} ${route.path} skipped: ${error.message}`)
    }
  }
  if (!profile.probes!.jsonEndpoint) left.push('probes.jsonEndpoint: no POST or PUT without parameters takes a JSON body we could fill; name one by hand')

  const secured = routes.filter((r) => r.method === 'GET' && r.secured && !r.needsParameters)
  if (secured[0]) {
    profile.auth = { protectedPath: secured[0].path, tokenEnv: 'LAYERCHECK_TOKEN' }
    found.push(`auth.protectedPath: ${secured[0].path} (GET with a security requirement); put a valid token in $LAYERCHECK_TOKEN`)
  }
  return { profile, found, left, routes }
}

/** A key init never guesses: the user's documentation decides it. `key` is the profile key the line sets. */
export interface Placeholder {
  key: string
  line: string
}

/** What init never guesses, as commented lines of a .ts profile; each is followed there by the checks it enables. */
export const LEFT_FOR_THE_USER: readonly Placeholder[] = [
  { key: 'limits', line: 'limits: { maxBodyBytes: 1_048_576, bodyLimitLayer: \'proxy\' },       // the documented body limit and who enforces it' },
  { key: 'auth', line: 'auth: { protectedPath: \'/me\', tokenEnv: \'LAYERCHECK_TOKEN\', forbidden: { path: \'/admin\', tokenEnv: \'LAYERCHECK_TOKEN\' } }, // a path that needs a token; the token itself stays in the environment' },
  { key: 'rateLimit', line: 'rateLimit: { path: \'/limited\', tokenEnv: \'LAYERCHECK_TOKEN\', requests: 5, windowS: 3 }, // the documented quota per token' },
  { key: 'cors', line: 'cors: { allowedOrigins: [\'https://app.example.com\'] },             // browser origins allowed to call the API' },
  { key: 'trustedHosts', line: 'trustedHosts: { status: 400, layer: \'app\' },                   // who refuses a Host outside the allowlist, and how' },
  { key: 'probes.jsonEndpoint', line: 'probes: { jsonEndpoint: { path: \'/items\', validBody: { … } }, errorPath: \'/boom\' }, // an endpoint taking JSON; a route that raises' },
  { key: 'contentType', line: 'contentType: { mismatchStatus: 422 },                               // or 415: what your API documents' },
  { key: 'layers', line: 'layers: { proxy: \'nginx\', server: \'gunicorn+uvicorn\', app: \'fastapi\' },' },
  { key: 'tls', line: 'tls: { caFile: \'./ca.pem\' },                                        // for a private CA' },
  { key: 'connection.httpsUrl', line: 'connection: { httpsUrl: \'https://…\' },                              // the TLS endpoint, when baseUrl is http://' },
  { key: 'responseHeaders', line: 'responseHeaders: { hstsMinAgeS: 31536000, compressionMinBytes: 1024, nosniff: true }, // what the front documents adding' },
  { key: 'logs', line: 'logs: { app: { file: \'/var/log/app.log\' } },                        // proves the proxy stopped a request' },
  { key: 'upstream', line: 'upstream: { readTimeoutMs: 1000, gatewayTimeoutMs: 2000 },          // the proxy\'s documented read timeout and when its 504 comes' },
  { key: 'routes.crash', line: 'routes: { slow: \'/slow?seconds={s}\', large: \'/large\', crash: { path: \'/crash\' } }, // routes that take as long as asked, send a large body, kill their worker' },
  { key: 'faults', line: 'faults: { toxiproxyApi: \'http://127.0.0.1:8474\', links: [\'…\'] },   // Toxiproxy between the proxy and each app instance' },
]
