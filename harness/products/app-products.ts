// What layercheck knows of the frameworks people run: the fix for each
// behaviour a check judges, in the framework's own terms, so a diagnosis on
// Flask never tells its reader to change a FastAPI setting. A framework not
// listed here is still accepted in `layers.app`; its diagnoses describe the
// behaviour instead.

/** Behaviours a diagnosis may ask the app to change. */
export type AppSetting =
  | 'strictContentType' | 'debugOff' | 'allowHeader' | 'requestIdOnErrors' | 'bearerChallenge'
  | 'corsOrigins' | 'preflight' | 'hostAllowlist' | 'headWithGet'
  | 'schemaConstraints' | 'typedParams' | 'declaredStatuses'

export interface AppProduct {
  name: string
  aliases: readonly string[]
  fixes: Readonly<Record<AppSetting, string>>
}

export const APP_PRODUCTS: readonly AppProduct[] = [
  {
    name: 'fastapi', aliases: ['starlette'],
    fixes: {
      strictContentType: 'keep strict_content_type=True (FastAPI\'s default since 0.132)',
      debugOff: 'turn debug off (FastAPI(debug=False), no --reload) and return a generic body with the request ID',
      allowHeader: 'stock Starlette builds Allow from the first route that matches the path only: compute it from every route matching the path in a 405 exception handler, or declare the methods on one route',
      requestIdOnErrors: 'Starlette\'s ServerErrorMiddleware answers outside every user middleware: set the header in the 500 exception handler from request.state',
      bearerChallenge: 'raise HTTPException(401, headers={"WWW-Authenticate": "Bearer"}) (HTTPBearer does so since FastAPI 0.122)',
      corsOrigins: 'give CORSMiddleware an explicit allow_origins list: with allow_origins=["*"] and allow_credentials=True Starlette reflects every Origin',
      preflight: 'add CORSMiddleware, which answers OPTIONS preflights before routing (FastAPI routes do not answer OPTIONS themselves)',
      hostAllowlist: 'add TrustedHostMiddleware(allowed_hosts=[…])',
      headWithGet: 'declare HEAD beside GET (@app.api_route(path, methods=["GET", "HEAD"])): FastAPI\'s @app.get answers HEAD with 405',
      schemaConstraints: 'declare the constraint on the model itself (Field(max_length=…), ge=/le=, pattern=), not only in json_schema_extra or a hand-written document, so Pydantic enforces what /openapi.json publishes',
      typedParams: 'annotate the parameter with its type in the handler\'s signature (item_id: int) and let FastAPI validate it, instead of reading request.path_params and converting it by hand',
      declaredStatuses: 'declare every status a route answers in its responses= (e.g. responses={401: {…}, 404: {…}}), or answer validation errors with the 422 FastAPI documents',
    },
  },
  {
    name: 'flask', aliases: ['werkzeug', 'quart'],
    fixes: {
      strictContentType: 'read the body with request.get_json() (not force=True or silent=True): it refuses other media types with 415',
      debugOff: 'turn debug off (no FLASK_DEBUG, never app.run(debug=True) or the Werkzeug debugger in production) and return a generic body from the 500 errorhandler',
      allowHeader: 'Flask builds Allow from the URL map: a custom 405 handler must keep the headers of e.get_response() (e.valid_methods)',
      requestIdOnErrors: 'set the header in a WSGI middleware around the app (after_request does not run for unhandled errors) or in the 500 errorhandler',
      bearerChallenge: 'answer 401 with WWW-Authenticate: Bearer (werkzeug.exceptions.Unauthorized(www_authenticate=…))',
      corsOrigins: 'list the origins (flask-cors origins=[…]); never "*" with supports_credentials',
      preflight: 'let the CORS layer (flask-cors) answer OPTIONS preflights',
      hostAllowlist: 'set TRUSTED_HOSTS (Flask ≥ 3.1)',
      headWithGet: 'keep GET in the rule\'s methods (Werkzeug then answers HEAD itself); nothing in before_request may refuse HEAD',
      schemaConstraints: 'validate the body against the schema the document publishes (a marshmallow, pydantic or jsonschema validator built from the same model) before the handler uses it, answering 422 or 400 with the failing fields',
      typedParams: 'use a typed URL converter (<int:item_id>): a segment of the wrong type then gets 404 instead of reaching a handler that converts it',
      declaredStatuses: 'list every status a view answers in the document (the spec plugin\'s responses), or answer only the ones it lists',
    },
  },
  {
    name: 'django', aliases: ['django-rest-framework', 'drf'],
    fixes: {
      strictContentType: 'check request.content_type before json.loads(request.body) (DRF\'s parsers answer 415)',
      debugOff: 'set DEBUG = False',
      allowHeader: 'use require_http_methods or View.http_method_not_allowed, which set Allow',
      requestIdOnErrors: 'set the header in a middleware placed first in MIDDLEWARE, and in handler500',
      bearerChallenge: 'answer 401 with WWW-Authenticate (DRF: the authentication class\'s authenticate_header)',
      corsOrigins: 'list the origins in django-cors-headers\' CORS_ALLOWED_ORIGINS',
      preflight: 'add django-cors-headers\' CorsMiddleware above CommonMiddleware',
      hostAllowlist: 'set ALLOWED_HOSTS',
      headWithGet: 'list "HEAD" beside "GET" in require_http_methods (require_GET allows both)',
      schemaConstraints: 'declare the constraint on the DRF serializer field (max_length=, min_value=, validators=) that the schema is generated from',
      typedParams: 'use a typed path converter (<int:pk>) or validate the parameter in the serializer before using it',
      declaredStatuses: 'declare every status a view answers in the schema (drf-spectacular\'s @extend_schema(responses=…)), or answer only the ones it lists',
    },
  },
  {
    name: 'express', aliases: [],
    fixes: {
      strictContentType: 'answer 415 when !req.is(\'application/json\'): express.json() skips other types and leaves an empty body to validate',
      debugOff: 'run with NODE_ENV=production (finalhandler then hides the stack) and give the app an error handler that returns a generic body',
      allowHeader: 'Express has no 405: add an app.all() per route that answers 405 with Allow listing every method the route serves',
      requestIdOnErrors: 'set the header in the first middleware, before any route, and in the error handler',
      bearerChallenge: 'res.set(\'WWW-Authenticate\', \'Bearer …\') on every 401',
      corsOrigins: 'cors({ origin: [...], credentials: true }); never origin: true or "*" with credentials',
      preflight: 'let cors() answer OPTIONS preflights (app.options(\'*\', cors()))',
      hostAllowlist: 'refuse a req.hostname outside an allowlist in the first middleware',
      headWithGet: 'let app.get() answer HEAD (Express does so itself): no middleware may refuse HEAD before the route',
      schemaConstraints: 'validate req.body against the published schema before the handler (express-openapi-validator, or Ajv with the document\'s schemas), answering 400 or 422 with the failing fields',
      typedParams: 'validate req.params before converting (a route pattern such as /items/:id(\\d+), or express-openapi-validator), so a wrong-typed segment gets a 4xx, not a thrown error',
      declaredStatuses: 'list every status a route answers in the document, or answer only the ones it lists',
    },
  },
  {
    name: 'fastify', aliases: [],
    fixes: {
      strictContentType: 'keep Fastify\'s content-type parser strict (it answers 415 for types it has no parser for); do not add a catch-all parser',
      debugOff: 'return a generic message from setErrorHandler: the default 500 body carries error.message',
      allowHeader: 'Fastify has no 405: register the other methods of each route to answer 405 with Allow',
      requestIdOnErrors: 'set the header in an onRequest hook and in setErrorHandler',
      bearerChallenge: 'reply.header(\'WWW-Authenticate\', \'Bearer …\') on every 401',
      corsOrigins: 'list the origins in @fastify/cors origin: [...]',
      preflight: 'let @fastify/cors answer OPTIONS preflights',
      hostAllowlist: 'refuse a request.hostname outside an allowlist in an onRequest hook',
      headWithGet: 'keep exposeHeadRoutes (on by default since Fastify 4)',
      schemaConstraints: 'attach the published JSON schema to the route (schema: { body }) so Fastify validates it with Ajv and answers 400',
      typedParams: 'declare schema.params with the parameter\'s type: Fastify then answers 400 for a wrong type',
      declaredStatuses: 'list every status a route answers in schema.response (the document is generated from it), or answer only the ones it lists',
    },
  },
]

export function appProduct(name: string | undefined): AppProduct | undefined {
  if (!name) return undefined
  const wanted = name.trim().toLowerCase()
  return APP_PRODUCTS.find((p) => p.name === wanted || p.aliases.includes(wanted))
}

/** The fix in the framework's own terms (`keep strict_content_type=True …`), or the behaviour in words for one we do not know. */
export function appFix(name: string | undefined, setting: AppSetting, behaviour: string): string {
  return appProduct(name)?.fixes[setting] ?? `${behaviour}${name ? ` (in ${name})` : ''}`
}
