import type { Tier } from '../../harness/model/check-result.ts'
import type { AppKind } from './apps/app-kinds.ts'
import type { FrontProduct } from './fronts/front-definition.ts'

/** A check a stock front fails, on the version the matrix runs, and why: a real finding, not a false one. */
export interface KnownDeviation {
  check: string
  /** The layer the failing answer is put down to (for a deviation that shows only sometimes, also `unknown`: see `sometimes`). */
  answeredBy: Tier
  why: string
  /** Other layers the failing answer may come from, when which one answers is a race (and why, in `why`). */
  orAnsweredBy?: readonly Tier[]
  /** Set when the deviation shows only in some runs, and why: the check may then pass or fail (with this layer). */
  sometimes?: string
  /** Only in the cells with this app behind the front (the app's own server is part of the deviation). */
  app?: AppKind
}

/** The protocol deviations of this front with this app behind it: the front's own, and those it shows only with this app. */
export const knownProtocolDeviations = (front: FrontProduct, app: AppKind): readonly KnownDeviation[] =>
  KNOWN_DEVIATIONS[front].filter((d) => d.app === undefined || d.app === app)

/** The deviations a cell must show: the front's own, and those of this front with this app. */
export const knownForCell = (front: FrontProduct, app: AppKind): readonly KnownDeviation[] =>
  KNOWN_CELL_DEVIATIONS[front].filter((d) => d.app === undefined || d.app === app)

// node:http (the Express cells' server) refuses a method outside its fixed list (http.METHODS) with its bare 400
// (the status line and Connection: close, no body) before Express runs; every front passes it on, none as its own
// (their own 400s carry a page, or are Go's text). What survives of node's shape decides what can be named
// (test/fixtures/answers/<front>/relayed-node-unknown-method-400.json).
const NODE_REFUSAL_RELAYED: Readonly<Record<FrontProduct, { answeredBy: Tier; how: string }>> = {
  haproxy: {
    answeredBy: 'app-server',
    how: 'HAProxy passes it on as it came, its one header lower-cased: node\'s refusal, and not HAProxy\'s own (its 400s always carry a page).',
  },
  nginx: {
    answeredBy: 'unknown',
    how: 'nginx drops the Connection: close and re-frames it as an empty chunked 400 under its own Server and Date: not nginx\'s own (its 400s carry a page), ' +
      'but nothing of node\'s is left to name the server behind it, so the layer is honestly unknown.',
  },
  caddy: {
    answeredBy: 'unknown',
    how: 'Caddy drops the Connection: close and re-frames it as an empty 400 under Server: Caddy, chunked or (when it has read node\'s close first) ' +
      'with Content-Length: 0, which is Caddy\'s own empty error reply to the byte: the layer is honestly unknown.',
  },
}

const nodeUnknownMethod = (front: FrontProduct): KnownDeviation => ({
  check: 'routing.methods.not-implemented', answeredBy: NODE_REFUSAL_RELAYED[front].answeredBy, app: 'express',
  why: `node:http answers an unknown method (LAYERCHECK) with 400 before Express runs, and ${front} relays it (RFC 9110 §9.1: 501 SHOULD). ` +
    NODE_REFUSAL_RELAYED[front].how,
})

// gunicorn's own parser (the Flask cells' sync workers; the FastAPI cells' uvicorn workers parse for themselves)
// refuses a request-line over limit_request_line, 4094 bytes by default (gunicorn 27), with its 414 page. Every
// front passes a 7.9 KB line on (nginx's large_client_header_buffers hold 8 KiB), so it is gunicorn's answer.
const gunicornRequestLine: KnownDeviation = {
  check: 'protocol.uri-too-long.414', answeredBy: 'app-server', app: 'flask',
  why: 'gunicorn refuses a request-line over limit_request_line (default 4094 bytes) with 414, so a 7.9 KB target is never served ' +
    '(RFC 9112 §3: recipients SHOULD support request-lines of at least 8000 octets). The matrix keeps gunicorn\'s default; --limit-request-line 8190 mends it.',
}

/**
 * Where the matrix's stock fronts (Debian 12: nginx 1.22.1, HAProxy 2.6.12, Caddy 2.6.2 built with Go 1.19)
 * depart from RFC 9110/9112, as the protocol checks find. An entry without `app` shows behind every app; one
 * with `app` only behind that app, where the app's own server is part of it (knownProtocolDeviations).
 * The matrix test requires exactly these to fail in front of the FastAPI app, and the bare-run test
 * (first-contact-matrix) behind Flask and Express, with these layers: a deviation that disappears (an upgrade)
 * or appears shows up.
 */
export const KNOWN_DEVIATIONS: Readonly<Record<FrontProduct, readonly KnownDeviation[]>> = {
  nginx: [gunicornRequestLine],
  haproxy: [
    {
      check: 'protocol.request-target.forms', answeredBy: 'app', app: 'fastapi',
      why: 'HAProxy 2.6 forwards an absolute-form target unchanged; the FastAPI app routes on "http://…" and answers 404 (RFC 9112 §3.2.2: a server MUST accept absolute-form). ' +
        'Werkzeug (Flask) and Express take the path out of an absolute-form target and serve it.',
    },
    {
      check: 'protocol.host-header.400', answeredBy: 'app-server', app: 'fastapi',
      why: 'HAProxy 2.6 forwards an HTTP/1.1 request without Host, and "Host: a b", leaving uvicorn and the app to refuse them (RFC 9112 §3.2: MUST 400).',
    },
    {
      check: 'protocol.host-header.400', answeredBy: 'app', app: 'flask',
      why: 'HAProxy 2.6 forwards an HTTP/1.1 request without Host, and "Host: a b" (RFC 9112 §3.2: MUST 400). ' +
        'Behind gunicorn the app serves the first (gunicorn fills in its own bind address as the host) and refuses the second with its trusted-host 400.',
    },
    {
      check: 'protocol.host-header.400', answeredBy: 'app', app: 'express',
      why: 'HAProxy 2.6 forwards an HTTP/1.1 request without Host, and "Host: a b" (RFC 9112 §3.2: MUST 400). ' +
        'node:http refuses the first itself; the app refuses the second with its trusted-host 400.',
    },
    {
      check: 'protocol.header-syntax.400', answeredBy: 'app-server',
      why: 'HAProxy 2.6 forwards a NUL inside a field value; the app server (uvicorn, gunicorn, node:http) refuses it (RFC 9110 §5.5: a recipient MUST reject or replace NUL before forwarding).',
    },
    {
      check: 'protocol.framing.unknown-te.501', answeredBy: 'proxy',
      why: 'HAProxy 2.6 answers "Transfer-Encoding: gzip, chunked" with its own 422 (RFC 9112 §6.1: 501 SHOULD).',
    },
    gunicornRequestLine,
  ],
  caddy: [
    {
      check: 'protocol.request-target.forms', answeredBy: 'proxy',
      why: 'Go net/http refuses an empty line before the request-line with 400 (RFC 9112 §2.2: SHOULD ignore at least one).',
    },
    {
      check: 'protocol.header-syntax.400', answeredBy: 'app',
      why: 'Go net/http 1.19 accepts an empty field name and Caddy forwards the request (RFC 9112 §5.1, RFC 9110 §5.1).',
    },
    {
      check: 'protocol.uri-too-long.414', answeredBy: 'app-server', app: 'fastapi',
      why: 'Caddy passes a 64 KiB request-target on, and uvicorn (h11) refuses it with 400 where RFC 9112 §3 asks for 414 (node:http answers 431, as RFC 6585 §5 allows).',
      sometimes: 'h11 refuses only a request line that arrives in more than one read (max_incomplete_event_size, 16 KiB); one that arrives whole is served. ' +
        'When uvicorn closes while Caddy is still relaying, its body can be lost on the way and the bare 400 is honestly unknown',
    },
    {
      check: 'protocol.framing.content-length.400', answeredBy: 'app',
      why: 'Go net/http 1.19 reads an empty Content-Length as no body (RFC 9112 §6.3: an invalid Content-Length MUST get 400 and a close).',
    },
    {
      check: 'protocol.framing.bad-chunk.400', answeredBy: 'proxy',
      why: 'Caddy forwards a malformed chunked body and answers 502 when reading it fails, blaming the upstream for the client\'s bytes (RFC 9112 §7.1). ' +
        'When the app answers before Caddy has read as far as the bad chunk, the app\'s answer comes back instead.',
      orAnsweredBy: ['app'],
    },
    {
      check: 'protocol.smuggling.cl-te', answeredBy: 'app',
      why: 'Go net/http keeps the connection open after a request with both Content-Length and Transfer-Encoding (RFC 9112 §6.1: MUST close).',
    },
    {
      check: 'protocol.smuggling.te-cl', answeredBy: 'proxy',
      why: 'The same: the connection stays open after a request with both framings (RFC 9112 §6.1: MUST close).',
    },
    {
      check: 'protocol.smuggling.te-te', answeredBy: 'app',
      why: 'Go net/http unfolds a Transfer-Encoding continued on a second line and keeps the connection open (RFC 9112 §5.2, §6.1).',
    },
    gunicornRequestLine,
  ],
}

/**
 * Where a stock front cannot keep what the matrix profile documents for the checks outside the protocol
 * region, on the version the matrix runs: each cell with that front must fail exactly these, with this layer.
 */
export const KNOWN_CELL_DEVIATIONS: Readonly<Record<FrontProduct, readonly KnownDeviation[]>> = {
  nginx: [
    {
      check: 'routing.methods.every-route', answeredBy: 'proxy',
      why: 'nginx 1.22 refuses TRACE and CONNECT itself, while reading the header (before any location or if runs), with a 405 that has no Allow ' +
        '(RFC 9110 §15.5.6: MUST). The reference stack hands them to the app with error_page 405 = @method_to_app; the matrix keeps nginx\'s defaults.',
    },
    nodeUnknownMethod('nginx'),
  ],
  haproxy: [nodeUnknownMethod('haproxy')],
  caddy: [
    {
      ...nodeUnknownMethod('caddy'),
      why: `${nodeUnknownMethod('caddy').why} Caddy also passes CONNECT to an origin path on, and node:http, with no 'connect' listener, ` +
        'closes the connection without an answer: Caddy then answers 502 itself.',
    },
    {
      check: 'proxy.body-size.413', answeredBy: 'proxy',
      why: 'Caddy 2.6.2 streams a chunked body to the app, counting as it goes: past the limit it aborts the upstream request and answers 413 itself, ' +
        'but the app has read part of the body and logged the request. buffer_requests would send the app the first 1 MiB as if it were whole, ' +
        'and 2.6.2 has no request_buffers, so no Caddyfile keeps a chunked body from the app. A declared Content-Length over the limit is refused before the app.',
      // Behind gunicorn's sync workers (Flask), under load, the app's own answer to the cut-off body can reach the client before Caddy's 413.
      orAnsweredBy: ['app'],
      sometimes: 'whether the app has logged the request before Caddy aborts it is a race between the two: when it has not, nothing shows the body reached the app; ' +
        'when the app answers the cut-off body first, that answer is what the client gets',
    },
  ],
}

