// What layercheck knows of the frameworks people run: the fix for each
// behaviour a check judges, in the framework's own terms, so a diagnosis on
// Flask never tells its reader to change a FastAPI setting. A framework not
// listed here is still accepted in `layers.app`; its diagnoses describe the
// behaviour instead.

/** Behaviours a diagnosis may ask the app to change. */
export type AppSetting =
  | 'strictContentType' | 'debugOff' | 'allowHeader' | 'requestIdOnErrors' | 'bearerChallenge'
  | 'corsOrigins' | 'preflight' | 'hostAllowlist' | 'headWithGet'

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
