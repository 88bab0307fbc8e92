import { join } from 'node:path'
import type { LifecycleStep, Tier } from '../../harness/model/check-result.ts'
import { CERTS_DIR } from '../../harness/paths.ts'
import type { NginxOptions } from './nginx-conf.ts'

type NginxOverrides = Partial<Omit<NginxOptions, 'prefix' | 'httpPort' | 'httpsPort' | 'statusPort' | 'upstreams' | 'runAsRoot'>>

/** A check this variant must make fail, and who should be named as answering. */
export interface Control {
  check: string
  answeredBy: Tier
  /** A phrase the diagnosis must contain. */
  diagnosisMentions: string
  /** The lifecycle step the failure must be placed at, where it matters (1 DNS, 2 TCP, 3 TLS). */
  step?: LifecycleStep
  /** Judged with the profile of a user who has no Toxiproxy (`faults` unset): the deployment's own slow, large and crash routes. */
  withoutToxiproxy?: true
  /** Judged with this `responseHeaders` key left out: the recommendation is undocumented, so the failure must be a warning. */
  undocumented?: 'hstsMinAgeS' | 'nosniff' | 'hideServerVersion'
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
  /**
   * Aim the raw protocol probes (profile protocol.url) straight at app instance a,
   * bypassing nginx: the stack is unchanged, the first hop becomes gunicorn/uvicorn (h11).
   */
  protocolAtApp?: boolean
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
    controls: [
      { check: 'routing.method-not-allowed.405-allow', answeredBy: 'app', diagnosisMentions: 'Allow' },
      { check: 'routing.options.allow', answeredBy: 'app', diagnosisMentions: 'Allow' },
    ],
  },
  {
    name: 'nginx-refuses-trace',
    description: "nginx's stock TRACE and CONNECT handling: its own 405, with no Allow, on every path",
    nginx: { refusedMethodsToApp: false },
    controls: [{ check: 'routing.methods.every-route', answeredBy: 'proxy', diagnosisMentions: 'error_page 405 = @to_app' }],
  },
  {
    name: 'allow-stale-on-large',
    description: 'One route of many (/large, past the first twelve) answers 405 with a hand-written Allow: GET, without HEAD',
    appBreaks: ['allow-stale-on-large'],
    controls: [{ check: 'routing.methods.every-route', answeredBy: 'app', diagnosisMentions: 'does not match the documented methods' }],
  },
  {
    name: 'unknown-method-400',
    description: 'The app refuses a method outside a fixed list with 400, as node:http does, where RFC 9110 §9.1 asks for 501',
    appBreaks: ['unknown-method-400'],
    controls: [{ check: 'routing.methods.not-implemented', answeredBy: 'app', diagnosisMentions: '501 (Not Implemented)' }],
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
      { check: 'middleware.auth.missing-token.401', answeredBy: 'app', diagnosisMentions: 'WWW-Authenticate' },
      { check: 'middleware.auth.bad-token.401', answeredBy: 'app', diagnosisMentions: 'WWW-Authenticate' },
      { check: 'middleware.auth.every-operation', answeredBy: 'app', diagnosisMentions: 'WWW-Authenticate' },
    ],
  },
  {
    name: 'auth-403',
    description: 'FastAPI < 0.122 behaviour: 403 for missing or bad credentials',
    appBreaks: ['auth-403'],
    controls: [
      { check: 'middleware.auth.missing-token.401', answeredBy: 'app', diagnosisMentions: '403' },
      { check: 'middleware.auth.bad-token.401', answeredBy: 'app', diagnosisMentions: '403' },
      { check: 'middleware.auth.every-operation', answeredBy: 'app', diagnosisMentions: '403' },
    ],
  },
  {
    name: 'stats-auth-ignored',
    description: '/admin/stats declares the bearer scheme in the OpenAPI document and never checks it (the profile\'s protected path, /me, is fine)',
    appBreaks: ['stats-auth-ignored'],
    controls: [{ check: 'middleware.auth.every-operation', answeredBy: 'app', diagnosisMentions: 'nothing enforces it' }],
  },
  {
    name: 'scope-unchecked',
    description: 'Any valid token reaches admin routes',
    appBreaks: ['scope-unchecked'],
    controls: [{ check: 'middleware.auth.insufficient-scope.403', answeredBy: 'app', diagnosisMentions: 'scope' }],
  },
  {
    name: 'first-error-only',
    description: 'A custom validation handler that reports only the first failing field',
    appBreaks: ['first-error-only'],
    controls: [{ check: 'validation.invalid-fields.422', answeredBy: 'app', diagnosisMentions: 'every failing field' }],
  },
  {
    name: 'name-length-unchecked',
    description: 'Item.name\'s maxLength (100) is published in /openapi.json but not enforced: a 101-character name is created',
    appBreaks: ['name-length-unchecked'],
    controls: [{ check: 'validation.schema.every-operation', answeredBy: 'app', diagnosisMentions: 'POST /items body.name maxLength+1' }],
  },
  {
    name: 'item-id-untyped',
    description: 'GET /items/{item_id} documents an integer but converts the segment by hand: a wrong-typed id raises, 500',
    appBreaks: ['item-id-untyped'],
    controls: [{ check: 'validation.schema.every-operation', answeredBy: 'app', diagnosisMentions: 'annotate the parameter with its type' }],
  },
  {
    name: 'large-unbounded',
    description: '/large publishes no maximum for kb and passes it to itertools.islice: the largest value raises, 500',
    appBreaks: ['large-unbounded'],
    controls: [{ check: 'validation.schema.every-operation', answeredBy: 'app', diagnosisMentions: 'query.kb has no maximum' }],
  },
  {
    name: 'unparseable-undeclared',
    description: 'POST /items and /login answer 400 to a body that is not UTF-8 (Starlette) without declaring 400 in the document',
    appBreaks: ['unparseable-undeclared'],
    controls: [{ check: 'validation.schema.documented-statuses', answeredBy: 'app', diagnosisMentions: 'body not-utf8' }],
  },
  {
    name: 'validation-400',
    description: 'Validation errors answered 400, where the document (FastAPI\'s own) declares 422 for every validated operation',
    appBreaks: ['validation-400'],
    controls: [{ check: 'validation.schema.documented-statuses', answeredBy: 'app', diagnosisMentions: 'does not declare' }],
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
    controls: [{ check: 'middleware.request-id.on-errors', answeredBy: 'app', diagnosisMentions: '500' }],
  },
  {
    name: 'request-id-not-added-by-proxy',
    description: 'nginx error pages without X-Request-ID',
    nginx: { requestIdOnProxyErrors: false },
    controls: [
      { check: 'middleware.request-id.on-errors', answeredBy: 'proxy', diagnosisMentions: '413' },
      { check: 'faults.proxy-errors.request-id', answeredBy: 'proxy', diagnosisMentions: 'always' },
    ],
  },
  {
    name: 'request-id-not-generated',
    description: 'Neither nginx nor the app makes an ID when the client sends none',
    nginx: { requestId: 'pass-through' },
    appBreaks: ['request-id-not-generated'],
    controls: [{ check: 'middleware.request-id.generated', answeredBy: 'app', diagnosisMentions: 'generate' }],
  },
  {
    name: 'request-id-replaced',
    description: 'The app replaces every client ID with a new one',
    appBreaks: ['request-id-replaced'],
    controls: [{ check: 'middleware.request-id.echoed', answeredBy: 'app', diagnosisMentions: 'replaced' }],
  },
  {
    name: 'request-id-unvalidated',
    description: 'The seed\'s naive middleware: any client ID is passed on and echoed verbatim',
    nginx: { requestId: 'pass-through' },
    appBreaks: ['request-id-unvalidated'],
    controls: [{ check: 'middleware.request-id.sanitised', answeredBy: 'app', diagnosisMentions: 'verbatim' }],
  },
  // The TLS listener's certificates come from scripts/make-certs.sh; a handshake a
  // verifying client refuses is attributed to the client tier at step 3.
  {
    name: 'tls-expired-cert',
    description: 'nginx serves a certificate, signed by the trusted CA, that expired in January 2020',
    nginx: { certFile: join(CERTS_DIR, 'expired.crt'), keyFile: join(CERTS_DIR, 'expired.key') },
    controls: [{ check: 'connection.tls.certificate-valid', answeredBy: 'client', step: 3, diagnosisMentions: 'expired on 2020-01-31' }],
  },
  {
    name: 'tls-wrong-host',
    description: 'nginx serves a certificate, signed by the trusted CA, for wrong-host.example instead of localhost',
    nginx: { certFile: join(CERTS_DIR, 'wrong-host.crt'), keyFile: join(CERTS_DIR, 'wrong-host.key') },
    controls: [{ check: 'connection.tls.certificate-valid', answeredBy: 'client', step: 3, diagnosisMentions: 'Wrong host name' }],
  },
  {
    name: 'tls-untrusted-ca',
    description: 'nginx serves a certificate for localhost signed by a second CA that the profile does not trust',
    nginx: { certFile: join(CERTS_DIR, 'untrusted.crt'), keyFile: join(CERTS_DIR, 'untrusted.key') },
    controls: [{ check: 'connection.tls.certificate-valid', answeredBy: 'client', step: 3, diagnosisMentions: 'Untrusted CA' }],
  },
  {
    name: 'tls-expiring-soon',
    description: 'nginx serves a valid certificate with 2–5 days left, inside the 30-day warning window',
    nginx: { certFile: join(CERTS_DIR, 'expiring-soon.crt'), keyFile: join(CERTS_DIR, 'expiring-soon.key') },
    controls: [{ check: 'connection.tls.expiry-window', answeredBy: 'client', step: 3, diagnosisMentions: 'Renew it now' }],
  },
  {
    name: 'tls-legacy-versions',
    // With OpenSSL 3 (Debian's nginx 1.22), TLS 1.0/1.1 also need security level 0,
    // or nginx answers a legacy ClientHello with an internal_error alert.
    description: 'nginx ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3 with ssl_ciphers DEFAULT:@SECLEVEL=0: TLS 1.0 and 1.1 are accepted',
    nginx: { sslProtocols: 'TLSv1 TLSv1.1 TLSv1.2 TLSv1.3', sslCiphers: 'DEFAULT:@SECLEVEL=0' },
    controls: [{ check: 'connection.tls.min-version', answeredBy: 'client', step: 3, diagnosisMentions: 'ssl_protocols TLSv1.2 TLSv1.3' }],
  },
  {
    name: 'upstream-http10',
    description: "nginx's default proxy_http_version 1.0 towards the app: no upstream connection outlives a request",
    nginx: { upstreamHttpVersion: '1.0' },
    controls: [{ check: 'proxy.upstream.http11-keep-alive', answeredBy: 'proxy', diagnosisMentions: 'proxy_http_version 1.1' }],
  },
  {
    name: 'upstream-keepalive-off',
    description: 'No keepalive in the upstream block: HTTP/1.1 to the app, but a new connection for every request',
    nginx: { upstreamKeepalive: 0 },
    controls: [{ check: 'proxy.upstream.http11-keep-alive', answeredBy: 'proxy', diagnosisMentions: 'keepalive N in the upstream block' }],
  },
]

/** Middleware and response-header variants (issue 4): one setting each. */
export const HEADER_VARIANTS: readonly StackVariant[] = [
  {
    name: 'no-cors', description: 'No CORS middleware at all', appBreaks: ['no-cors'],
    controls: [
      { check: 'middleware.cors.allowed-origin', answeredBy: 'app', diagnosisMentions: 'allowed origins' },
      { check: 'middleware.cors.preflight', answeredBy: 'app', diagnosisMentions: 'OPTIONS' },
    ],
  },
  {
    name: 'cors-wildcard-credentials', description: 'allow_origins=["*"] with allow_credentials=True: Starlette reflects any Origin',
    appBreaks: ['cors-wildcard-credentials'],
    controls: [{ check: 'middleware.cors.foreign-origin', answeredBy: 'app', diagnosisMentions: 'allow_origins' }],
  },
  {
    name: 'no-trusted-host', description: 'No host allowlist: any Host header is served', appBreaks: ['no-trusted-host'],
    controls: [{ check: 'middleware.trusted-host.400', answeredBy: 'app', diagnosisMentions: 'TrustedHostMiddleware' }],
  },
  {
    name: 'xff-appended', description: "nginx appends to the client's X-Forwarded-For ($proxy_add_x_forwarded_for) at the edge",
    nginx: { forwardedFor: 'append' },
    controls: [{ check: 'proxy.forwarded-for.not-trusted', answeredBy: 'app', diagnosisMentions: '$remote_addr' }],
  },
  {
    name: 'forwarded-proto-from-client', description: "nginx passes the client's X-Forwarded-Proto on",
    nginx: { forwardedProto: 'client' },
    controls: [{ check: 'proxy.forwarded-proto.https', answeredBy: 'app', diagnosisMentions: '$scheme' }],
  },
  {
    name: 'server-tokens-on', description: "nginx's default server_tokens on", nginx: { serverTokens: true },
    controls: [{ check: 'proxy.headers.server-version-hidden', answeredBy: 'app', diagnosisMentions: 'server_tokens off' }],
  },
  {
    name: 'no-nosniff', description: 'No X-Content-Type-Options', nginx: { nosniff: false },
    controls: [{ check: 'proxy.headers.nosniff', answeredBy: 'app', diagnosisMentions: 'X-Content-Type-Options: nosniff to every answer, the proxy\'s own pages included: add_header … always (nginx)' }],
  },
  {
    name: 'no-hsts', description: 'No Strict-Transport-Security on the TLS listener', nginx: { hstsMaxAgeS: 0 },
    controls: [
      { check: 'proxy.headers.hsts', answeredBy: 'app', diagnosisMentions: 'Strict-Transport-Security' },
      { check: 'proxy.headers.hsts', answeredBy: 'app', diagnosisMentions: 'Strict-Transport-Security', undocumented: 'hstsMinAgeS' },
    ],
  },
  {
    name: 'logs-login-body', description: 'The login handler logs its request body, password included', appBreaks: ['logs-login-body'],
    controls: [{ check: 'handler.secrets-not-logged', answeredBy: 'app', diagnosisMentions: 'never bodies' }],
  },
  {
    name: 'rate-limit-before-auth', description: 'The limiter runs before authentication, keyed by client address', appBreaks: ['rate-limit-before-auth'],
    controls: [{ check: 'middleware.rate-limit.after-auth', answeredBy: 'app', diagnosisMentions: 'before authentication' }],
  },
  {
    name: 'rate-limit-no-retry-after', description: '429 without Retry-After', appBreaks: ['rate-limit-no-retry-after'],
    controls: [{ check: 'middleware.rate-limit.429', answeredBy: 'app', diagnosisMentions: 'Retry-After' }],
  },
  {
    name: 'downstream-drops-request-id', description: 'The app calls its downstream service without the request ID', appBreaks: ['downstream-drops-request-id'],
    controls: [{ check: 'middleware.request-id.propagated', answeredBy: 'app', diagnosisMentions: 'downstream' }],
  },
  {
    name: 'keepalive-off', description: 'nginx keepalive_timeout 0: every response closes its connection', nginx: { keepaliveTimeoutMs: 0 },
    controls: [{ check: 'protocol.keep-alive.reuse', answeredBy: 'proxy', diagnosisMentions: 'keepalive_timeout' }],
  },
  {
    name: 'keepalive-idle-too-long', description: 'nginx keepalive_timeout 30 s where 3 s is documented', nginx: { keepaliveTimeoutMs: 30_000 },
    controls: [{ check: 'protocol.keep-alive.idle-timeout', answeredBy: 'proxy', diagnosisMentions: 'keepalive_timeout' }],
  },
  {
    name: 'no-gzip', description: "nginx's default gzip off", nginx: { gzip: false },
    controls: [
      { check: 'proxy.compression.gzip', answeredBy: 'app', diagnosisMentions: 'gzip on' },
      { check: 'proxy.compression.gzip', answeredBy: 'app', diagnosisMentions: 'gzip on', withoutToxiproxy: true },
    ],
  },
  {
    name: 'gzip-no-vary', description: 'gzip without Vary: Accept-Encoding', nginx: { gzipVary: false },
    controls: [{ check: 'proxy.compression.gzip', answeredBy: 'app', diagnosisMentions: 'gzip_vary on' }],
  },
]

/**
 * Raw HTTP/1.1 probes (suites/protocol). nginx is the compliant first hop; aimed past it,
 * uvicorn's h11 shows what nginx protects the app from. Every row was seen on the real servers.
 * protocol.head-no-body has no control here: nginx and h11 both strip a HEAD body, so it is
 * proven against a small server that sends one (test/support/protocol-controls.ts).
 */
export const PROTOCOL_VARIANTS: readonly StackVariant[] = [
  {
    name: 'protocol-app-direct',
    description: 'The raw protocol probes aimed at app instance a (gunicorn → uvicorn, h11), bypassing nginx',
    protocolAtApp: true,
    controls: [
      // h11 passes "GET health" on as a path: the app's 404.
      { check: 'protocol.request-line.400', answeredBy: 'app', diagnosisMentions: 'passed bytes it should have refused' },
      // uvicorn hands the absolute-form to the app as the path; an empty line before the request-line is a 400.
      { check: 'protocol.request-target.forms', answeredBy: 'app', diagnosisMentions: 'absolute-form' },
      // h11 accepts any d.d version: HTTP/2.0 is served 200.
      { check: 'protocol.http-version.505', answeredBy: 'app', diagnosisMentions: 'HTTP/2.0' },
      // "Host: a b" reaches Starlette's TrustedHostMiddleware, which answers 400 itself.
      { check: 'protocol.host-header.400', answeredBy: 'app', diagnosisMentions: 'Host' },
      // No request-target or header limit: 9 KiB and 64 KiB are served.
      { check: 'protocol.uri-too-long.414', answeredBy: 'app', diagnosisMentions: 'protocol.maxUriBytes' },
      { check: 'protocol.header-section-too-large', answeredBy: 'app', diagnosisMentions: 'protocol.maxHeaderFieldBytes' },
      // h11 unfolds obs-fold where the profile documents a 400.
      { check: 'protocol.header-syntax.400', answeredBy: 'app', diagnosisMentions: 'protocol.obsFold' },
      // h11 takes a Content-Length past 2^64 and the app answers 405.
      { check: 'protocol.framing.content-length.400', answeredBy: 'app', diagnosisMentions: 'Content-Length past 2^64' },
      // h11 answers 400 "Invalid HTTP request received." where 501 is documented.
      { check: 'protocol.framing.unknown-te.501', answeredBy: 'app-server', diagnosisMentions: 'unknownTransferCodingStatus' },
      { check: 'protocol.framing.bad-chunk.400', answeredBy: 'app', diagnosisMentions: 'chunk size past 2^64' },
      // h11 lets Transfer-Encoding win and keeps the connection open: the canary is read after the smuggled line.
      { check: 'protocol.smuggling.cl-te', answeredBy: 'app', diagnosisMentions: 'canary' },
      { check: 'protocol.smuggling.te-cl', answeredBy: 'app-server', diagnosisMentions: 'stayed open' },
      // h11 unfolds "Transfer-Encoding:" + " chunked", then it is CL.TE again.
      { check: 'protocol.smuggling.te-te', answeredBy: 'app', diagnosisMentions: 'folded' },
      // uvicorn sends 100 Continue for a body over the documented limit.
      { check: 'protocol.expect-100-continue', answeredBy: 'app-server', diagnosisMentions: '100 Continue' },
      // uvicorn has no header or body read timeout.
      { check: 'protocol.slow-client', answeredBy: 'app-server', diagnosisMentions: 'uvicorn has no header or body read timeout' },
    ],
  },
  {
    name: 'client-timeouts-default',
    description: "nginx's default client_header_timeout / client_body_timeout (60 s) where 2 s is documented",
    nginx: { clientHeaderTimeoutMs: 60_000, clientBodyTimeoutMs: 60_000 },
    controls: [{ check: 'protocol.slow-client', answeredBy: 'proxy', diagnosisMentions: 'client_header_timeout' }],
  },
]

export const FAULT_VARIANTS: readonly StackVariant[] = [
  {
    name: 'lingering-upstream-failures',
    description: "nginx's default passive health check (max_fails=1 fail_timeout=10s): both instances stay marked failed after they come back",
    nginx: { upstreamServerParams: 'max_fails=1 fail_timeout=10s' },
    controls: [
      { check: 'faults.upstream-down.502', answeredBy: 'proxy', diagnosisMentions: 'fail_timeout' },
      { check: 'faults.reset.502', answeredBy: 'proxy', diagnosisMentions: 'max_fails' },
    ],
  },
  {
    name: 'proxy-read-timeout-too-high',
    description: 'proxy_read_timeout 30 s where 2 s is documented: a stalled app holds clients far past the documented 504',
    nginx: { proxyReadTimeoutMs: 30_000 },
    controls: [
      { check: 'faults.upstream-slow.504', answeredBy: 'unknown', diagnosisMentions: 'proxy_read_timeout' },
      { check: 'faults.never-answers.504', answeredBy: 'unknown', diagnosisMentions: 'proxy_read_timeout' },
      { check: 'faults.slow-handler.504', answeredBy: 'unknown', diagnosisMentions: 'proxy_read_timeout', withoutToxiproxy: true },
    ],
  },
  {
    name: 'proxy-read-timeout-too-low',
    description: 'proxy_read_timeout 200 ms where 2 s is documented: slow but legitimate answers are cut off',
    nginx: { proxyReadTimeoutMs: 200 },
    controls: [
      { check: 'faults.latency-within-timeout.200', answeredBy: 'proxy', diagnosisMentions: 'proxy_read_timeout' },
      { check: 'faults.upstream-slow.504', answeredBy: 'proxy', diagnosisMentions: 'early' },
      { check: 'faults.slow-trickle.200', answeredBy: 'proxy', diagnosisMentions: 'proxy_read_timeout' },
      { check: 'faults.latency-within-timeout.200', answeredBy: 'proxy', diagnosisMentions: 'proxy_read_timeout', withoutToxiproxy: true },
      { check: 'faults.slow-handler.504', answeredBy: 'proxy', diagnosisMentions: 'early', withoutToxiproxy: true },
    ],
  },
  {
    name: 'app-timeout-500',
    description: 'The app times out slow handlers itself (0.5 s) and answers 500 before the proxy\'s 504',
    appBreaks: ['handler-timeout-500'],
    controls: [{ check: 'faults.slow-handler.504', answeredBy: 'app', diagnosisMentions: '500' }],
  },
  {
    name: 'upstream-http10-streaming',
    description: "nginx's default proxy_http_version 1.0 with a streamed body: a cut-off response looks complete",
    nginx: { upstreamHttpVersion: '1.0' },
    appBreaks: ['stream-large'],
    controls: [{ check: 'faults.truncated-response.no-silent-200', answeredBy: 'app', diagnosisMentions: 'HTTP/1.0' }],
  },
  {
    name: 'no-respawn',
    description: 'A bare uvicorn per instance: nothing restarts it when it dies',
    appServer: 'uvicorn',
    controls: [{ check: 'faults.worker-crash.recovery', answeredBy: 'proxy', diagnosisMentions: 'supervisor' }],
  },
  {
    // A stack of its own: a crash on the one above leaves its instance dead for good.
    name: 'no-respawn-without-toxiproxy',
    description: 'A bare uvicorn per instance, judged without Toxiproxy: every instance is crashed, none comes back',
    appServer: 'uvicorn',
    controls: [{ check: 'faults.worker-crash.recovery', answeredBy: 'proxy', diagnosisMentions: 'supervisor', withoutToxiproxy: true }],
  },
  {
    name: 'no-next-upstream',
    description: 'proxy_next_upstream off: a request that hits a dead or slow instance is not retried on the healthy one',
    nginx: { nextUpstream: 'off' },
    controls: [
      { check: 'faults.lb.one-down.no-errors', answeredBy: 'proxy', diagnosisMentions: 'proxy_next_upstream' },
      { check: 'faults.lb.one-slow', answeredBy: 'proxy', diagnosisMentions: 'proxy_next_upstream' },
    ],
  },
]

/**
 * Compliant stacks shaped unlike the reference (issue 16): nothing is broken, so they control no check, and
 * a bare `run --target` on them must find no failure. The reference app itself serves nothing at `/`.
 */
export const COMPLIANT_ALTERNATIVES: readonly StackVariant[] = [
  {
    name: 'no-openapi',
    description: 'The app serves no OpenAPI document (no /openapi.json, no /docs) and nothing at /, like most APIs not built on FastAPI',
    appBreaks: ['no-openapi'],
    controls: [],
  },
]

export function findVariant(name: string): StackVariant {
  if (name === COMPLIANT.name) return COMPLIANT
  const all = [...BROKEN_VARIANTS, ...HEADER_VARIANTS, ...PROTOCOL_VARIANTS, ...FAULT_VARIANTS, ...COMPLIANT_ALTERNATIVES]
  const variant = all.find((v) => v.name === name)
  if (!variant) throw new Error(`unknown stack variant "${name}"; known: ${[COMPLIANT, ...all].map((v) => v.name).join(', ')}`)
  return variant
}
