import { describe, expect, test } from 'vitest'
import { attributeFailure, attributeResponse, withDecisiveClue } from '../../harness/attribution/attribute.ts'
import { learnFingerprint } from '../../harness/attribution/fingerprint.ts'
import { expectResponse } from '../../harness/check/expect-response.ts'

const view = (status: number, headers: Record<string, string>, body: string) => ({
  status, body, header: (name: string) => headers[name.toLowerCase()], headers: Object.entries(headers),
})
/** Headers as a list, in wire order and casing. */
const answerOf = (status: number, headers: [string, string][], body: string) => ({
  status, body, headers, header: (name: string) => headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1],
})

// Bodies as these servers document or emit them (HAProxy http_err_msgs, Envoy
// local replies, Caddy's empty 502). nginx, uvicorn and FastAPI are verified
// live in test/integration/attribution-live.test.ts.
describe('attributeResponse', () => {
  test('a Proxy-Status header (RFC 9209) wins over everything else', () => {
    const by = attributeResponse(view(504, { 'proxy-status': 'edge-lb; error=connection_timeout', 'content-type': 'application/json' }, '{"detail":"x"}'))
    expect(by).toMatchObject({ tier: 'proxy', product: 'edge-lb' })
    expect(by.reason).toContain('error=connection_timeout')
  })

  test('HAProxy error page', () => {
    const body = '<html><body><h1>504 Gateway Time-out</h1>\nThe server didn\'t respond in time.\n</body></html>\n'
    expect(attributeResponse(view(504, { 'content-type': 'text/html' }, body))).toMatchObject({ tier: 'proxy', product: 'haproxy' })
  })

  test('Envoy local reply', () => {
    expect(attributeResponse(view(503, { server: 'envoy' }, 'no healthy upstream'))).toMatchObject({ tier: 'proxy', product: 'envoy' })
  })

  test("Envoy's plain local reply is Envoy's; the same text from the upstream (x-envoy-upstream-service-time) is not", () => {
    const own = view(413, { 'content-length': '17', 'content-type': 'text/plain', date: 'x', server: 'envoy', connection: 'close' }, 'Payload Too Large')
    expect(attributeResponse(own, { firstHop: { tier: 'proxy' } })).toMatchObject({ tier: 'proxy', product: 'envoy' })
    const upstream = view(413, { 'content-type': 'text/plain', 'x-envoy-upstream-service-time': '3', date: 'x', server: 'envoy' }, 'Payload Too Large')
    expect(attributeResponse(upstream).product).toBeUndefined()
  })

  test("Traefik's 502 has Go's status text and no Content-Type; a Go app's sniffed text/plain one is not Traefik's", () => {
    const traefik = answerOf(502, [['Date', 'x'], ['Content-Length', '11']], 'Bad Gateway')
    expect(attributeResponse(traefik, { firstHop: { tier: 'proxy' } })).toMatchObject({ tier: 'proxy', product: 'traefik' })
    const app = answerOf(502, [['Content-Type', 'text/plain; charset=utf-8'], ['Date', 'x'], ['Content-Length', '11']], 'Bad Gateway')
    expect(attributeResponse(app).product).not.toBe('traefik')
  })

  test("Go's http.Error text (trailing newline) is not Starlette's plain answer", () => {
    expect(attributeResponse(view(405, { 'content-type': 'text/plain; charset=utf-8' }, 'Method Not Allowed\n')).product).not.toBe('starlette')
  })

  test("Caddy's empty 502", () => {
    expect(attributeResponse(view(502, { server: 'Caddy' }, ''))).toMatchObject({ tier: 'proxy', product: 'caddy' })
  })

  test('gunicorn parser error page', () => {
    const body = '<html>\n  <head>\n    <title>Bad Request</title>\n  </head>\n  <body>\n    <h1><p>Bad Request</p></h1>\n    Invalid HTTP Version\n  </body>\n</html>\n'
    expect(attributeResponse(view(400, { server: 'gunicorn' }, body))).toMatchObject({ tier: 'app-server', product: 'gunicorn' })
  })

  test('a Python traceback is the app in debug mode, even as text/plain', () => {
    const body = 'Traceback (most recent call last):\n  File "/srv/app/main.py", line 3, in boom\nRuntimeError: x'
    expect(attributeResponse(view(500, { 'content-type': 'text/plain' }, body))).toMatchObject({ tier: 'app', product: 'python' })
  })

  test('a JSON body with no known shape is the app, named by the profile when it says', () => {
    expect(attributeResponse(view(200, { 'content-type': 'application/json' }, '{"ok":true}'), { hints: { app: 'express' } }))
      .toMatchObject({ tier: 'app', product: 'express' })
  })

  test("Starlette's own plain answers: trusted-host 400 and CORS preflight OK", () => {
    expect(attributeResponse(view(400, { 'content-type': 'text/plain; charset=utf-8' }, 'Invalid host header'))).toMatchObject({ tier: 'app', product: 'starlette' })
    expect(attributeResponse(view(200, { 'content-type': 'text/plain; charset=utf-8', 'access-control-allow-methods': 'GET, POST' }, 'OK')))
      .toMatchObject({ tier: 'app', product: 'starlette' })
  })

  test('a gzip-encoded JSON body is still the app', () => {
    expect(attributeResponse(view(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, '\\x1f\\x8b\\x08…'))).toMatchObject({ tier: 'app' })
  })

  test('nothing recognisable is unknown, and says what it saw', () => {
    const by = attributeResponse(view(418, { server: 'teapot/1' }, ''))
    expect(by).toMatchObject({ tier: 'unknown', confidence: 'unknown' })
    expect(by.reason).toContain('no signature')
  })

  test('an HTML page that merely mentions nginx is not an nginx error page', () => {
    expect(attributeResponse(view(200, { 'content-type': 'text/html' }, '<p>we run nginx</p>')).tier).toBe('unknown')
  })
})

describe('attributeFailure: failures with no HTTP at all', () => {
  test.each([
    ['ENOTFOUND', 1], ['EAI_AGAIN', 1],
    ['ECONNREFUSED', 2], ['UND_ERR_CONNECT_TIMEOUT', 2], ['EHOSTUNREACH', 2],
    ['CERT_HAS_EXPIRED', 3], ['ERR_TLS_CERT_ALTNAME_INVALID', 3], ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 3],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 3], ['SELF_SIGNED_CERT_IN_CHAIN', 3],
  ] as const)('%s is step %i, on the client side', (code, step) => {
    expect(attributeFailure({ code, message: code })).toMatchObject({ tier: 'client', step })
  })

  test('a reset after connecting is not blamed on DNS, TCP or TLS', () => {
    expect(attributeFailure({ code: 'ECONNRESET', message: 'socket hang up' })).toMatchObject({ tier: 'unknown', step: undefined })
  })
})

describe('weighed attribution: calibrated fingerprints outrank body shapes; names follow the profile', () => {
  const pairs = (headers: Record<string, string>) => Object.entries(headers)
  const answer = (status: number, headers: Record<string, string>, body: string) => ({
    status, body, headers: pairs(headers),
    header: (name: string) => Object.entries(headers).find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1],
  })
  // nginx → uvicorn → FastAPI as seen from outside: nginx writes Content-Type itself, the app's own names stay lower case.
  const appViews = [
    answer(200, { Server: 'nginx', 'Content-Type': 'application/json', 'x-request-id': 'a1', vary: 'Origin' }, '{"status":"ok"}'),
    answer(404, { Server: 'nginx', 'Content-Type': 'application/json', 'x-request-id': 'a2', vary: 'Origin' }, '{"detail":"Not Found"}'),
  ]
  const hopViews = [answer(400, { Server: 'nginx', 'Content-Type': 'text/html', Connection: 'close' }, '<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n')]
  const origin = 'http://127.0.0.1:8080'
  const context = {
    hints: { proxy: 'nginx', app: 'fastapi' },
    origin,
    calibration: {
      apps: { [origin]: { ...learnFingerprint(appViews)!, tier: 'app' as const, product: 'fastapi' } },
      hops: { [origin]: { ...learnFingerprint(hopViews)!, tier: 'proxy' as const, product: 'nginx' } },
      inferred: {},
    },
  }

  test("nginx's own 413 served as JSON shaped like the app's is the proxy's: its header casing and the app's missing headers outweigh the shape", () => {
    const by = attributeResponse(answer(413, { Server: 'nginx', 'Content-Type': 'application/json', Connection: 'close', 'X-Request-ID': 'p1' }, '{"detail":"Request Entity Too Large"}'), context)
    expect(by, by.signals.join('\n')).toMatchObject({ tier: 'proxy', product: 'nginx' })
    expect(by.confidence).not.toBe('unknown')
    expect(by.signals.join('\n')).toContain('X-Request-ID')
    expect(by.reason).toContain('outweighing')
  })

  test('the same answer, with the app log showing the control request and not the probe, is certain', () => {
    const view = answer(413, { Server: 'nginx', 'Content-Type': 'application/json', 'X-Request-ID': 'p1' }, '{"detail":"Request Entity Too Large"}')
    expect(withDecisiveClue(view, context, { tier: 'proxy', signal: 'the app log shows the control request and not this one' }))
      .toMatchObject({ tier: 'proxy', confidence: 'certain' })
  })

  test("the app's own answers stay the app's, named by the profile", () => {
    expect(attributeResponse(answer(422, { Server: 'nginx', 'Content-Type': 'application/json', 'x-request-id': 'a3', vary: 'Origin' }, '{"detail":[{"loc":["body","name"],"msg":"x","type":"y"}]}'), context))
      .toMatchObject({ tier: 'app', product: 'fastapi' })
  })

  test('behind layers.app flask, a {"detail": …} body is "app (flask)"; with no profile, it names its candidates', () => {
    const body = answer(400, { 'Content-Type': 'application/json' }, '{"detail":"bad"}')
    expect(attributeResponse(body, { hints: { app: 'flask' } })).toMatchObject({ tier: 'app', product: 'flask' })
    expect(attributeResponse(body).candidates).toEqual(['fastapi', 'starlette', 'django-rest-framework'])
  })

  test("gunicorn's Server header on a Flask answer does not make it gunicorn's: only its parser page does", () => {
    expect(attributeResponse(answer(400, { Server: 'gunicorn', 'Content-Type': 'application/json' }, '{"error":"bad"}'), { hints: { app: 'flask' } }))
      .toMatchObject({ tier: 'app', product: 'flask' })
  })

  test('Caddy (Go net/http) refusing a malformed request in plain text is the first hop, not unknown', () => {
    const by = attributeResponse(answer(431, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }, '431 Request Header Fields Too Large'), { firstHop: { tier: 'proxy' }, hints: { proxy: 'caddy' } })
    expect(by).toMatchObject({ tier: 'proxy', product: 'caddy' })
  })
})

// node:http refuses a method outside http.METHODS with a bare 400 before the app runs; a front passes it on
// (test/fixtures/answers/*/relayed-node-unknown-method-400.json). It lacks every header the app adds, so the
// calibrated either-or (the app, or the first hop) used to put it down to the front, with certainty behind HAProxy.
describe("an empty refusal from the app server behind a front is not the front's", () => {
  const answer = (status: number, headers: [string, string][], body = '') => ({
    status, body, headers, header: (name: string) => headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1],
  })
  const origin = 'http://127.0.0.1:8080'
  const calibrated = (proxy: string, server: string, appHeaders: [string, string][], hop: ReturnType<typeof answer>) => ({
    hints: { proxy, server, app: 'express' }, firstHop: { tier: 'proxy' as const }, origin,
    calibration: {
      apps: { [origin]: { ...learnFingerprint([answer(200, appHeaders, '{"status":"ok"}'), answer(404, appHeaders, '{"detail":"Not Found"}')])!, tier: 'app' as const, product: 'express' } },
      hops: { [origin]: { ...learnFingerprint([hop])!, tier: 'proxy' as const, product: proxy } },
      inferred: {},
    },
  })
  const haproxy = calibrated('haproxy', 'node', [['x-powered-by', 'Express'], ['x-request-id', 'a1'], ['vary', 'Origin'], ['content-type', 'application/json']],
    answer(400, [['content-length', '90'], ['cache-control', 'no-cache'], ['content-type', 'text/html'], ['connection', 'close']], '<html><body><h1>400 Bad request</h1>\nYour browser sent an invalid request.\n</body></html>\n'))
  const caddy = (server: string) => calibrated('caddy', server, [['Content-Type', 'application/json'], ['Server', 'Caddy'], ['X-Request-Id', 'a1'], ['Vary', 'Origin'], ['Date', 'x']],
    answer(400, [['Content-Type', 'text/plain; charset=utf-8'], ['Connection', 'close']], '400 Bad Request'))

  test("behind HAProxy, node's bare refusal (lower-cased on the way) is node's, not HAProxy's", () => {
    const by = attributeResponse(answer(400, [['connection', 'close']]), haproxy)
    expect(by, by.signals.join('\n')).toMatchObject({ tier: 'app-server', product: 'node' })
    expect(by.signals.join('\n')).toContain('[not proxy]')
  })

  test('behind nginx, the same refusal re-framed as an empty chunked 400 is nobody\'s for certain, and never nginx\'s', () => {
    const relayed = answer(400, [['Server', 'nginx/1.22.1'], ['Date', 'x'], ['Transfer-Encoding', 'chunked'], ['Connection', 'keep-alive']])
    expect(attributeResponse(relayed, { hints: { proxy: 'nginx', server: 'node' }, firstHop: { tier: 'proxy' } })).toMatchObject({ tier: 'unknown' })
    // nginx writes a body on every error answer of its own: an empty one with Content-Length: 0 was passed on too.
    expect(attributeResponse(answer(502, [['Server', 'nginx'], ['Date', 'x'], ['Content-Length', '0']]), { hints: { proxy: 'nginx' }, firstHop: { tier: 'proxy' } }).tier).not.toBe('proxy')
  })

  test("behind Caddy, an empty 400 with Content-Length: 0 is Caddy's own shape and node's refusal alike: unknown", () => {
    const by = attributeResponse(answer(400, [['Server', 'Caddy'], ['Date', 'x'], ['Content-Length', '0']]), caddy('node'))
    expect(by, by.signals.join('\n')).toMatchObject({ tier: 'unknown' })
    expect(attributeResponse(answer(400, [['Server', 'Caddy'], ['Date', 'x'], ['Transfer-Encoding', 'chunked']]), caddy('node')).tier).toBe('unknown')
  })

  test("Caddy's own empty 413 in front of a server whose refusals have a body is still Caddy's", () => {
    const by = attributeResponse(answer(413, [['Connection', 'close'], ['Server', 'Caddy'], ['Date', 'x'], ['Content-Length', '0']]), caddy('uvicorn'))
    expect(by, by.signals.join('\n')).toMatchObject({ tier: 'proxy', product: 'caddy' })
  })
})

describe('an unknown attribution never fails a check by itself', () => {
  const exchange = (tier: 'unknown' | 'app', status: number) => ({
    request: { method: 'GET', url: 'http://x/', headers: [], bodyBytes: 0 },
    response: { status, headers: [], bodyBytes: 0, bodyTruncated: false, bodyExcerpt: '' },
    timing: { startedAt: '', totalMs: 1 },
    answeredBy: { tier, confidence: tier === 'unknown' ? 'unknown' as const : 'likely' as const, reason: '', signals: [] },
    repro: '',
  })

  test('the right status from an unknown layer passes; from a named other layer, it fails on the layer', () => {
    expect(expectResponse(exchange('unknown', 413), { status: 413, from: 'proxy' }).pass).toBe(true)
    expect(expectResponse(exchange('app', 413), { status: 413, from: 'proxy' }).got.problems).toEqual([{ code: 'wrong-layer', text: 'answered by app, likely, expected the proxy' }])
  })
})
