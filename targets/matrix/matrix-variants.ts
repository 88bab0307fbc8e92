import type { Tier } from '../../harness/model/check-result.ts'
import type { AppKind } from './apps/app-kinds.ts'
import type { FrontProduct, FrontTuning } from './fronts/front-definition.ts'

/** A check a matrix variant must make fail, the layer to blame, and words the diagnosis must use (the product's own terms). */
export interface MatrixControl {
  check: string
  answeredBy: Tier
  diagnosisMentions: string
}

/**
 * One change to a compliant matrix cell: a front setting or an app switch. The
 * profile still documents the compliant stack (1 MiB body limit, …), so each
 * change is a deviation from what the deployment documents.
 */
export interface MatrixVariant {
  name: string
  front: FrontProduct
  app: AppKind
  frontOverrides?: Partial<FrontTuning>
  broken?: string[]
  controls: MatrixControl[]
}

const TEN_MIB = 10 * 1_048_576

export const MATRIX_VARIANTS: readonly MatrixVariant[] = [
  // The front's body limit raised: the oversize body reaches the app, and the fix is named in the front's terms.
  // Behind Caddy the app is one that reads a body whole: Flask's own 1 MiB limit refuses it early and closes, and
  // Caddy, still streaming the body on, then answers 502 itself in some runs (the answer is honestly the proxy's).
  {
    name: 'nginx-body-limit-raised', front: 'nginx', app: 'express', frontOverrides: { maxBodyBytes: TEN_MIB },
    controls: [{ check: 'proxy.body-size.413', answeredBy: 'app', diagnosisMentions: 'client_max_body_size (nginx)' }],
  },
  {
    name: 'haproxy-body-limit-raised', front: 'haproxy', app: 'fastapi', frontOverrides: { maxBodyBytes: TEN_MIB },
    controls: [{ check: 'proxy.body-size.413', answeredBy: 'app', diagnosisMentions: 'req.body_size' }],
  },
  // The limit reads only the announced Content-Length: a chunked body of any size gets through, and the diagnosis names the framing.
  {
    name: 'haproxy-limit-reads-content-length', front: 'haproxy', app: 'flask', frontOverrides: { bodyLimitReads: 'content-length' },
    controls: [{ check: 'proxy.body-size.413', answeredBy: 'app', diagnosisMentions: 'lets a chunked body of any size through' }],
  },
  // A new connection to the app for every request: the hop check fails, the fix named in HAProxy's terms.
  {
    name: 'haproxy-upstream-not-reused', front: 'haproxy', app: 'fastapi', frontOverrides: { upstreamReuse: false },
    controls: [{ check: 'proxy.upstream.http11-keep-alive', answeredBy: 'proxy', diagnosisMentions: 'http-reuse safe' }],
  },
  {
    name: 'caddy-body-limit-raised', front: 'caddy', app: 'fastapi', frontOverrides: { maxBodyBytes: TEN_MIB },
    controls: [{ check: 'proxy.body-size.413', answeredBy: 'app', diagnosisMentions: 'request_body { max_size … } (caddy)' }],
  },
  // Flask and Express apps, each broken in one way, behind a front that is not nginx: the fix is named in the framework's terms.
  {
    name: 'flask-broken', front: 'haproxy', app: 'flask',
    broken: ['allow-incomplete', 'lenient-content-type', 'traceback', 'www-authenticate-missing'],
    controls: [
      { check: 'routing.method-not-allowed.405-allow', answeredBy: 'app', diagnosisMentions: 'valid_methods' },
      { check: 'validation.content-type.mismatch', answeredBy: 'app', diagnosisMentions: 'request.get_json()' },
      { check: 'handler.unhandled-exception.500', answeredBy: 'app', diagnosisMentions: 'FLASK_DEBUG' },
      { check: 'middleware.auth.missing-token.401', answeredBy: 'app', diagnosisMentions: 'www_authenticate' },
    ],
  },
  {
    name: 'express-broken', front: 'caddy', app: 'express',
    broken: ['allow-incomplete', 'lenient-content-type', 'traceback', 'www-authenticate-missing'],
    controls: [
      { check: 'routing.method-not-allowed.405-allow', answeredBy: 'app', diagnosisMentions: 'app.all()' },
      { check: 'validation.content-type.mismatch', answeredBy: 'app', diagnosisMentions: "req.is('application/json')" },
      { check: 'handler.unhandled-exception.500', answeredBy: 'app', diagnosisMentions: 'NODE_ENV=production' },
      { check: 'middleware.auth.missing-token.401', answeredBy: 'app', diagnosisMentions: "res.set('WWW-Authenticate'" },
    ],
  },
]
