import { describe, expect, test } from 'vitest'
import { attributeFailure, attributeResponse } from '../../harness/attribution/attribute.ts'

const view = (status: number, headers: Record<string, string>, body: string) => ({
  status, body, header: (name: string) => headers[name.toLowerCase()],
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
    expect(attributeResponse(view(200, { 'content-type': 'application/json' }, '{"ok":true}'), { app: 'express' }))
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
    expect(by.tier).toBe('unknown')
    expect(by.signals).toContain('Server: teapot/1')
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
