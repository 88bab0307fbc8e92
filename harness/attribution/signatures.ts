import { STATUS_CODES } from 'node:http'
import { WEIGHT, type Clue, type ClueTier, type ResponseView } from './clue.ts'

export type { ResponseView } from './clue.ts'

/**
 * One product's own answer, recognised by what only it sends. Each is checked
 * against answers recorded from the real server (test/fixtures/answers/).
 */
export interface Signature {
  product: string
  tier: ClueTier
  describe: string
  weight: number
  /** The signals that matched, or undefined. */
  match(view: ResponseView): string[] | undefined
}

const server = (view: ResponseView) => view.header('server') ?? ''
const contentType = (view: ResponseView) => (view.header('content-type') ?? '').toLowerCase()
const found = (...signals: (string | false | undefined)[]) => signals.filter((s): s is string => Boolean(s))
const closes = (view: ResponseView) => /\bclose\b/i.test(view.header('connection') ?? '')

export function jsonBody(view: ResponseView): unknown {
  if (!contentType(view).includes('json')) return undefined
  try {
    return JSON.parse(view.body)
  } catch {
    return undefined
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Envoy's own texts, as recorded from envoy 1.40 (test/fixtures/answers/envoy/). */
const ENVOY_TEXT = /^(upstream connect error or disconnect\/reset before headers\b|no healthy upstream$|upstream request timeout$)/
/** `server: envoy` is Envoy's default server_name; Istio's sidecars say istio-envoy. */
const isEnvoyServer = (view: ResponseView) => /^(istio-)?envoy$/i.test(server(view))

/** Go's http.StatusText for the error statuses (net/http/status.go), plus Traefik's 499 for a client gone away. */
const GO_STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout',
  413: 'Request Entity Too Large', 414: 'Request URI Too Long', 421: 'Misdirected Request', 429: 'Too Many Requests',
  431: 'Request Header Fields Too Large', 499: 'Client Closed Request', 500: 'Internal Server Error', 501: 'Not Implemented',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
}

/** Fronts: pages that only the proxy product writes. */
const PROXY_SIGNATURES: Signature[] = [
  {
    product: 'nginx', tier: 'proxy', weight: WEIGHT.productPage, describe: "nginx's built-in error page",
    match: (v) => {
      const footer = /<hr><center>(nginx(?:\/[\d.]+)?)<\/center>/.exec(v.body)
      return footer ? found(`body footer <center>${footer[1]}</center>`, /nginx/i.test(server(v)) && `Server: ${server(v)}`) : undefined
    },
  },
  {
    product: 'haproxy', tier: 'proxy', weight: WEIGHT.productPage, describe: "HAProxy's built-in error page",
    match: (v) => /^<html><body><h1>\d{3} [^<]+<\/h1>\n[^<]*\n<\/body><\/html>/.test(v.body.trimStart())
      ? found("body is HAProxy's <html><body><h1>NNN …</h1> template") : undefined,
  },
  {
    product: 'apache', tier: 'proxy', weight: WEIGHT.productPage, describe: "Apache httpd's built-in error page",
    match: (v) => {
      const address = /<address>(Apache(?:\/[\d.]+)?[^<]*)<\/address>/.exec(v.body)
      if (address) return found(`body <address>${address[1]!.slice(0, 60)}</address>`)
      return /^<!DOCTYPE HTML PUBLIC "-\/\/IETF\/\/DTD HTML 2\.0\/\/EN">\n<html><head>\n<title>\d{3} [^<]+<\/title>/.test(v.body)
        ? found("body is Apache's HTML 2.0 error template") : undefined
    },
  },
  {
    product: 'varnish', tier: 'proxy', weight: WEIGHT.productPage, describe: "Varnish's synthetic error page",
    match: (v) => /Guru Meditation/.test(v.body) || /<p>Varnish cache server<\/p>/.test(v.body)
      ? found('body "Guru Meditation" / "Varnish cache server"', v.header('x-varnish') !== undefined && `X-Varnish: ${v.header('x-varnish')}`) : undefined,
  },
  {
    product: 'envoy', tier: 'proxy', weight: WEIGHT.productPage, describe: "Envoy's local reply",
    // Recorded (envoy 1.40): 503 "upstream connect error or disconnect/reset before headers. reset reason: …" for a
    // refused or closing upstream, 503 "no healthy upstream" for a cluster without endpoints, 504 "upstream request timeout".
    match: (v) => ENVOY_TEXT.test(v.body)
      ? found(`body "${v.body.slice(0, 60)}"`, isEnvoyServer(v) && `server: ${server(v)}`) : undefined,
  },
  {
    product: 'envoy', tier: 'proxy', weight: WEIGHT.productShape, describe: "Envoy's plain local reply",
    // Envoy's own refusals (400, 413 "Payload Too Large", 426, 431, 501) are text/plain — no charset — whose body is
    // the reason phrase, or empty (a 404 with no route or a bodiless direct_response); every header name lower case.
    // Its server header is on proxied answers too, but they all carry x-envoy-upstream-service-time; its own never do.
    match: (v) => {
      if (v.status < 400 || !isEnvoyServer(v) || v.header('x-envoy-upstream-service-time') !== undefined) return undefined
      if (!v.headers.every(([name]) => name === name.toLowerCase())) return undefined
      const plain = v.body === STATUS_CODES[v.status] && v.header('content-type') === 'text/plain'
      const empty = v.body === '' && v.header('content-type') === undefined
      return plain || empty
        ? found(plain ? `text/plain body "${v.body}" (the reason phrase)` : `empty ${v.status}`, `server: ${server(v)}`, 'no x-envoy-upstream-service-time (not from the upstream)')
        : undefined
    },
  },
  {
    product: 'caddy', tier: 'proxy', weight: WEIGHT.productShape, describe: "Caddy's empty error reply",
    match: (v) => /^caddy/i.test(server(v)) && v.status >= 500 && v.body === ''
      ? found(`Server: ${server(v)}`, `empty body with ${v.status}`) : undefined,
  },
  {
    product: 'traefik', tier: 'proxy', weight: WEIGHT.productPage, describe: "Traefik's load balancer with no server",
    // http.Error(rw, errNoAvailableServer.Error(), 503) in its load balancers: a text only Traefik writes.
    match: (v) => v.status === 503 && v.body === 'no available server\n' ? found('body "no available server"') : undefined,
  },
  {
    product: 'traefik', tier: 'proxy', weight: WEIGHT.productShape, describe: "Traefik's bare status-text answer",
    // Traefik turns off Go's content sniffing, so its proxy errors (502 "Bad Gateway", 504 "Gateway Timeout") and
    // middleware refusals (413 "Request Entity Too Large" from buffering) come with Go's status text as the body and
    // NO Content-Type: only Date, Content-Length and maybe Connection: close, in Go's casing, and no Server.
    // A Go app would have had text/plain sniffed in; Go's own ReverseProxy answers with an empty body.
    match: (v) => v.status >= 400 && v.body === GO_STATUS_TEXT[v.status] && v.header('content-type') === undefined && v.header('server') === undefined
      && v.headers.every(([name]) => name === 'Date' || name === 'Content-Length' || name === 'Connection')
      ? found(`body "${v.body}" with no Content-Type`, `only ${v.headers.map(([name]) => name).join(', ')}`) : undefined,
  },
]

/** Servers' HTTP parsers: what they answer when a request does not parse, before any app sees it. */
const SERVER_SIGNATURES: Signature[] = [
  {
    product: 'gunicorn', tier: 'app-server', weight: WEIGHT.productPage, describe: "gunicorn's parser error page",
    // Only the page: gunicorn's sync workers put `Server: gunicorn` on the app's own answers too.
    match: (v) => /<h1><p>[^<]+<\/p><\/h1>/.test(v.body) ? found('body <h1><p>…</p></h1> (gunicorn handle_error)', server(v) && `Server: ${server(v)}`) : undefined,
  },
  {
    product: 'uvicorn', tier: 'app-server', weight: WEIGHT.productPage, describe: "uvicorn's parser error",
    match: (v) => v.body.startsWith('Invalid HTTP request received.')
      ? found('body "Invalid HTTP request received."', server(v) && `Server: ${server(v)}`) : undefined,
  },
  {
    product: 'hypercorn', tier: 'app-server', weight: WEIGHT.productShape, describe: "hypercorn's empty parser error",
    match: (v) => /^hypercorn/i.test(server(v)) && v.status === 400 && v.body === '' ? found(`Server: ${server(v)}`, 'empty 400') : undefined,
  },
  {
    product: 'go net/http', tier: 'first-hop', weight: WEIGHT.productShape, describe: "Go net/http's plain-text refusal",
    // server.go writes "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request[: reason]",
    // and for an unknown transfer coding "501 Not Implemented" with the body "Unsupported transfer encoding".
    match: (v) => v.status >= 400 && contentType(v) === 'text/plain; charset=utf-8' && closes(v)
      && (new RegExp(`^${v.status} [A-Za-z -]+(: .*)?$`).test(v.body.trim()) || (v.status === 501 && v.body === 'Unsupported transfer encoding'))
      ? found(`text/plain body "${v.body.trim().slice(0, 60)}"`, 'Connection: close') : undefined,
  },
  {
    product: 'node', tier: 'first-hop', weight: WEIGHT.productPage, describe: "Fastify's reply to a request node:http could not parse",
    match: (v) => {
      const body = jsonBody(v)
      return isObject(body) && body.statusCode === v.status && v.header('date') === undefined && /^(Client Error|Exceeded maximum allowed HTTP header size)$/.test(String(body.message))
        ? found(`JSON {"message": "${String(body.message)}"} with no Date (Fastify clientError)`) : undefined
    },
  },
  {
    product: 'node', tier: 'first-hop', weight: WEIGHT.productShape, describe: "Node's http parser refusal",
    // node:http's clientError default (lib/_http_server.js): the status line, `Connection: close` in that casing, nothing else.
    match: (v) => v.status >= 400 && v.body === '' && v.headers.length === 1 && v.headers[0]![0] === 'Connection' && closes(v)
      ? found('only "Connection: close", no body (node:http clientError)') : undefined,
  },
  {
    product: 'node', tier: 'app-server', weight: WEIGHT.productShape, describe: "Node's http parser refusal, passed on by a front",
    // The same refusal with its one name lower-cased: node never writes it so, a front that lower-cases every name it
    // passes on (HAProxy's HTX) relayed it from the server behind it (test/fixtures/answers/haproxy/relayed-node-*).
    match: (v) => v.status >= 400 && v.body === '' && v.headers.length === 1 && v.headers[0]![0] === 'connection' && closes(v)
      ? found('only "connection: close", lower-cased on the way, no body (node:http clientError, relayed)') : undefined,
  },
]

/** No body, and none declared: not an answer to HEAD, whose Content-Length describes a body it does not send. */
export const isBodiless = (view: ResponseView) => view.body === '' && (view.header('content-length') ?? '0').trim() === '0'

/**
 * Fronts whose own 4xx and 5xx answers always carry a body: their built-in pages (recorded in
 * test/fixtures/answers) or the pages configured in their place. Caddy's, Go's ReverseProxy's and Envoy's
 * own errors can be empty, and Varnish refuses a request it cannot parse with a bare status line.
 */
const FRONTS_WITH_ERROR_BODIES = /^(nginx|openresty|haproxy|apache|httpd|traefik)\b/i

/**
 * Evidence that a proxy at the first hop passed an error answer on rather than writing it: it has no body,
 * and either it was streamed (fronts write their own error answers in one piece, never chunked) or the
 * front is one whose own error answers always carry a body.
 */
export function relayedByProxy(view: ResponseView, proxy: string | undefined): Clue | undefined {
  if (view.status < 400 || !isBodiless(view)) return undefined
  if (/\bchunked\b/i.test(view.header('transfer-encoding') ?? '')) {
    return { tier: 'proxy', weight: 0, rulesOut: true, signal: `an empty ${view.status} framed as chunked: streamed on from upstream (a front writes its own error answers in one piece)` }
  }
  return proxy && FRONTS_WITH_ERROR_BODIES.test(proxy)
    ? { tier: 'proxy', weight: 0, rulesOut: true, signal: `an empty ${view.status}, where ${proxy} puts a body on every error answer of its own (its page, or the one configured)` }
    : undefined
}

/**
 * App servers whose parsers refuse a request with no body at all, and the statuses they give: passed on by
 * a front, such a refusal keeps nothing of the server's but its status, and can be named by no fingerprint.
 */
const BODILESS_REFUSALS: readonly { server: RegExp; name: string; statuses: readonly number[] }[] = [
  // lib/_http_server.js: 400, 408 (requestTimeout), 413 (chunk extensions too large), 431, each the status line and Connection: close.
  { server: /^node/i, name: 'node:http', statuses: [400, 408, 413, 431] },
  // test/fixtures/answers/hypercorn-fastapi: empty 400, 431 and 501 with content-length: 0.
  { server: /^hypercorn/i, name: 'hypercorn', statuses: [400, 431, 501] },
]

/**
 * A clue that this bodiless answer may be the refusal of the app server behind the first hop: the server the
 * profile names, or, when it names none, any server known to refuse so. Weightless: it says who else could
 * have written the answer, so that "not the app" is not read as "the proxy".
 */
export function bodilessRefusal(view: ResponseView, server: string | undefined): Clue | undefined {
  if (!isBodiless(view)) return undefined
  const known = BODILESS_REFUSALS.filter((r) => (server ? r.server.test(server) : true) && r.statuses.includes(view.status))
  if (known.length === 0) return undefined
  return {
    tier: 'app-server', weight: 0, ...(server ? { product: server } : { candidates: known.map((r) => r.name) }),
    signal: `an empty ${view.status}, as ${known.map((r) => r.name).join(' or ')} refuses a request it cannot parse, and as a front passes such a refusal on`,
  }
}

/** Frameworks' own pages and shapes. */
const APP_SIGNATURES: Signature[] = [
  {
    product: 'python', tier: 'app', weight: WEIGHT.productPage, describe: 'a Python traceback from the app (debug mode)',
    match: (v) => /Traceback \(most recent call last\)|File "[^"]+\.py", line \d+/.test(v.body) ? found('body contains a Python traceback') : undefined,
  },
  {
    product: 'node', tier: 'app', weight: WEIGHT.productPage, describe: 'a Node.js stack trace from the app (development mode)',
    match: (v) => /\n\s+at [^\n]+\((?:node:|\/)[^)]*:\d+:\d+\)/.test(v.body) ? found('body contains a Node.js stack trace') : undefined,
  },
  {
    product: 'express', tier: 'app', weight: WEIGHT.productPage, describe: "Express's own error page",
    match: (v) => /<pre>(Cannot [A-Z]+ [^<]*|[A-Za-z ]+Error:[^<]*|[A-Z][a-z]+(?: [A-Za-z]+)*)<\/pre>/.test(v.body) && /<title>Error<\/title>/.test(v.body)
      ? found(`body <pre>${/<pre>([^<]{0,40})/.exec(v.body)![1]}…</pre> (Express finalhandler)`) : undefined,
  },
  {
    product: 'express', tier: 'app', weight: WEIGHT.productHeader, describe: 'an Express answer',
    match: (v) => /^express$/i.test(v.header('x-powered-by') ?? '') ? found(`X-Powered-By: ${v.header('x-powered-by')}`) : undefined,
  },
  {
    product: 'flask', tier: 'app', weight: WEIGHT.productPage, describe: "Werkzeug's (Flask's) HTML error page",
    match: (v) => /^<!doctype html>\n<html lang=en>\n<title>\d{3} [^<]+<\/title>\n<h1>/.test(v.body) ? found('body is Werkzeug\'s "<!doctype html>\\n<html lang=en>\\n<title>NNN …" page') : undefined,
  },
  {
    product: 'django', tier: 'app', weight: WEIGHT.productPage, describe: "Django's HTML error page",
    match: (v) => /<h1>(Not Found|Bad Request \(400\)|Server Error \(500\)|Forbidden \(403\))<\/h1>/.test(v.body) && /<!doctype html>/i.test(v.body)
      ? found(`body <h1>${/<h1>([^<]+)/.exec(v.body)![1]}</h1> (Django's default page)`) : undefined,
  },
  {
    product: 'fastify', tier: 'app', weight: WEIGHT.productShape, describe: "Fastify's JSON error shape",
    match: (v) => {
      const body = jsonBody(v)
      // node:http adds Date to what the app sends; Fastify's clientError reply to an unparsable request has none.
      return isObject(body) && body.statusCode === v.status && typeof body.error === 'string' && typeof body.message === 'string' && v.header('date') !== undefined
        ? found('JSON {statusCode, error, message} with statusCode equal to the status') : undefined
    },
  },
  {
    product: 'starlette', tier: 'app', weight: WEIGHT.productPage, describe: "Starlette's plain-text error (or uvicorn's fallback 500)",
    // Exact bytes: Go's http.Error writes the same words with a trailing newline ("Method Not Allowed\n").
    match: (v) => v.status >= 400 && contentType(v).startsWith('text/plain') && /^(Internal Server Error|Not Found|Method Not Allowed|Invalid host header|Disallowed CORS (origin|method|headers)(, (origin|method|headers))*)$/.test(v.body)
      ? found(`text/plain body "${v.body}"`) : undefined,
  },
  {
    product: 'starlette', tier: 'app', weight: WEIGHT.productPage, describe: "Starlette's CORS preflight answer",
    match: (v) => (v.body === 'OK' && v.header('access-control-allow-methods') !== undefined
      ? found('body "OK" with Access-Control-Allow-Methods (CORSMiddleware preflight)') : undefined),
  },
]

export const SIGNATURES: readonly Signature[] = [...PROXY_SIGNATURES, ...SERVER_SIGNATURES, ...APP_SIGNATURES]

/** Every product signature the answer matches, as clues. */
export function signatureClues(view: ResponseView): Clue[] {
  const clues: Clue[] = []
  for (const signature of SIGNATURES) {
    const signals = signature.match(view)
    if (signals) clues.push({ tier: signature.tier, product: signature.product, weight: signature.weight, signal: `${signature.describe} (${signals.join('; ')})` })
  }
  return clues
}

/**
 * Shapes that say "an app" without saying which: a JSON body, FastAPI's
 * `{"detail": …}`. Proxies are often configured to serve exactly these shapes,
 * so they weigh little, and less once calibration knows better.
 */
export function shapeClues(view: ResponseView, calibrated: boolean): Clue[] {
  const gateway: Clue[] = view.status === 502 || view.status === 504
    // RFC 9110 §15.6.3, §15.6.5: what a gateway says of its upstream; an app rarely says it of itself.
    ? [{ tier: 'proxy', weight: WEIGHT.gatewayStatus, signal: `status ${view.status}, which a gateway gives for its upstream (RFC 9110 §15.6)` }] : []
  return [...gateway, ...bodyShapeClues(view, calibrated)]
}

function bodyShapeClues(view: ResponseView, calibrated: boolean): Clue[] {
  const weight = calibrated ? WEIGHT.genericJsonCalibrated : WEIGHT.genericJson
  const body = jsonBody(view)
  if (body !== undefined) {
    if (isObject(body) && 'detail' in body) {
      const perField = Array.isArray(body.detail) && body.detail.every((d) => isObject(d) && 'loc' in d && 'msg' in d)
      return perField
        ? [{ tier: 'app', candidates: ['fastapi'], weight: WEIGHT.productShape, signal: `${contentType(view)} body whose "detail" is a per-field list of {loc, msg, type} (FastAPI/pydantic)` }]
        : [{ tier: 'app', candidates: ['fastapi', 'starlette', 'django-rest-framework'], weight, signal: `${contentType(view)} body {"detail": …}, a shape FastAPI, Starlette and DRF share (and proxies imitate)` }]
    }
    return [{ tier: 'app', weight, signal: `${contentType(view)} body that parses as JSON` }]
  }
  const type = contentType(view)
  // The body is gzip on the wire, or a large document cut short: its type and start still say JSON.
  if (type.includes('json') && /\b(gzip|br|deflate|zstd)\b/.test(view.header('content-encoding') ?? '')) {
    return [{ tier: 'app', weight, signal: `${type} body, Content-Encoding: ${view.header('content-encoding')}` }]
  }
  if (type.includes('json') && /^\s*[[{]/.test(view.body) && /… \[\d+ more bytes\]$/.test(view.body)) {
    return [{ tier: 'app', weight, signal: `${type} body starting as JSON (excerpt of a larger document)` }]
  }
  return []
}
