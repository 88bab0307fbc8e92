import type { Tier } from '../../harness/model/check-result.ts'
import type { NginxOptions } from './nginx-conf.ts'

type NginxOverrides = Partial<Omit<NginxOptions, 'prefix' | 'httpPort' | 'httpsPort' | 'upstreams' | 'runAsRoot'>>

/** A check this variant must make fail, and who should be named as answering. */
export interface Control {
  check: string
  answeredBy: Tier
  /** A phrase the diagnosis must contain. */
  diagnosisMentions: string
}

/** One change to the compliant stack: an nginx setting or an app switch. */
export interface StackVariant {
  name: string
  description: string
  nginx?: NginxOverrides
  /** LAYERCHECK_BROKEN switches of the reference app (targets/nginx-fastapi/app/main.py). */
  appBreaks?: string[]
  /** The app server: gunicorn supervising uvicorn workers (default), or a bare uvicorn that nothing respawns. */
  appServer?: 'gunicorn' | 'uvicorn'
  controls: Control[]
}

export const COMPLIANT: StackVariant = {
  name: 'compliant',
  description: 'The reference stack as documented: every check passes.',
  controls: [],
}

export const BROKEN_VARIANTS: readonly StackVariant[] = [
  {
    name: 'proxy-intercepts-errors',
    description: 'nginx proxy_intercept_errors on: the app\'s JSON 404 is replaced by nginx\'s HTML page',
    nginx: { interceptErrors: true },
    controls: [{ check: 'routing.unknown-path.404', answeredBy: 'proxy', diagnosisMentions: 'proxy_intercept_errors' }],
  },
  {
    name: 'allow-incomplete',
    description: 'Stock Starlette 405: Allow lists only the first partially matching route\'s methods',
    appBreaks: ['allow-incomplete'],
    controls: [{ check: 'routing.method-not-allowed.405-allow', answeredBy: 'app', diagnosisMentions: 'Allow' }],
  },
  {
    name: 'lenient-content-type',
    description: 'FastAPI strict_content_type=False: a JSON body labelled text/plain is accepted',
    appBreaks: ['lenient-content-type'],
    controls: [{ check: 'validation.content-type.mismatch', answeredBy: 'app', diagnosisMentions: 'strict_content_type' }],
  },
  {
    name: 'optional-body',
    description: 'The create endpoint\'s body is optional: an empty POST succeeds',
    appBreaks: ['optional-body'],
    controls: [{ check: 'validation.missing-body.422', answeredBy: 'app', diagnosisMentions: 'required' }],
  },
  {
    name: 'body-limit-raised',
    description: 'client_max_body_size raised to 10m: oversize bodies cross the proxy',
    nginx: { clientMaxBodySize: '10m' },
    controls: [{ check: 'proxy.body-size.413', answeredBy: 'app', diagnosisMentions: 'client_max_body_size' }],
  },
  {
    name: 'body-limit-too-low',
    description: 'client_max_body_size 64k: bodies under the documented limit are refused',
    nginx: { clientMaxBodySize: '64k' },
    controls: [{ check: 'proxy.body-size.under-limit', answeredBy: 'proxy', diagnosisMentions: 'client_max_body_size' }],
  },
  {
    name: 'www-authenticate-missing',
    description: '401 without a WWW-Authenticate challenge',
    appBreaks: ['www-authenticate-missing'],
    controls: [
      { check: 'auth.missing-token.401', answeredBy: 'app', diagnosisMentions: 'WWW-Authenticate' },
      { check: 'auth.bad-token.401', answeredBy: 'app', diagnosisMentions: 'WWW-Authenticate' },
    ],
  },
  {
    name: 'auth-403',
    description: 'FastAPI < 0.122 behaviour: 403 for missing or bad credentials',
    appBreaks: ['auth-403'],
    controls: [
      { check: 'auth.missing-token.401', answeredBy: 'app', diagnosisMentions: '403' },
      { check: 'auth.bad-token.401', answeredBy: 'app', diagnosisMentions: '403' },
    ],
  },
  {
    name: 'scope-unchecked',
    description: 'Any valid token reaches admin routes',
    appBreaks: ['scope-unchecked'],
    controls: [{ check: 'auth.insufficient-scope.403', answeredBy: 'app', diagnosisMentions: 'scope' }],
  },
  {
    name: 'first-error-only',
    description: 'A custom validation handler that reports only the first failing field',
    appBreaks: ['first-error-only'],
    controls: [{ check: 'validation.invalid-fields.422', answeredBy: 'app', diagnosisMentions: 'every failing field' }],
  },
  {
    name: 'traceback',
    description: 'FastAPI debug=True: the 500 body carries the Python traceback',
    appBreaks: ['traceback'],
    controls: [{ check: 'handler.unhandled-exception.500', answeredBy: 'app', diagnosisMentions: 'debug' }],
  },
  {
    name: 'request-id-missing-on-errors',
    description: 'Stock 500 path: ServerErrorMiddleware answers outside the request-ID middleware',
    appBreaks: ['request-id-missing-on-errors'],
    controls: [{ check: 'request-id.on-errors', answeredBy: 'app', diagnosisMentions: '500' }],
  },
  {
    name: 'request-id-not-added-by-proxy',
    description: 'nginx error pages without X-Request-ID',
    nginx: { requestIdOnProxyErrors: false },
    controls: [{ check: 'request-id.on-errors', answeredBy: 'proxy', diagnosisMentions: '413' }],
  },
  {
    name: 'request-id-not-generated',
    description: 'Neither nginx nor the app makes an ID when the client sends none',
    nginx: { requestId: 'pass-through' },
    appBreaks: ['request-id-not-generated'],
    controls: [{ check: 'request-id.generated', answeredBy: 'app', diagnosisMentions: 'generate' }],
  },
  {
    name: 'request-id-replaced',
    description: 'The app replaces every client ID with a new one',
    appBreaks: ['request-id-replaced'],
    controls: [{ check: 'request-id.echoed', answeredBy: 'app', diagnosisMentions: 'replaced' }],
  },
  {
    name: 'request-id-unvalidated',
    description: 'The seed\'s naive middleware: any client ID is passed on and echoed verbatim',
    nginx: { requestId: 'pass-through' },
    appBreaks: ['request-id-unvalidated'],
    controls: [{ check: 'request-id.sanitised', answeredBy: 'app', diagnosisMentions: 'verbatim' }],
  },
]

export function findVariant(name: string): StackVariant {
  if (name === COMPLIANT.name) return COMPLIANT
  const variant = BROKEN_VARIANTS.find((v) => v.name === name)
  if (!variant) throw new Error(`unknown stack variant "${name}"; known: ${[COMPLIANT, ...BROKEN_VARIANTS].map((v) => v.name).join(', ')}`)
  return variant
}
