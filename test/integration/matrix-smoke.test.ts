import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { AppKind } from '../../targets/matrix/apps/app-kinds.ts'
import type { ErrorPages, FrontProduct } from '../../targets/matrix/fronts/front-definition.ts'
import { matrixStackName, startMatrixStack, type MatrixStack } from '../../targets/matrix/matrix-stack.ts'

// Every front × app of the target matrix comes up, and each front gives its own
// answers — 413 for an oversize body in both framings, 502/503 with the app
// gone — never the app's. JSON error pages everywhere, plus one stock-pages cell
// per front. All stacks start at once (two processes each) and are stopped
// after the tests, even when some fail.

interface Cell { front: FrontProduct; app: AppKind; errorPages: ErrorPages }

const FRONT_PRODUCTS: FrontProduct[] = ['nginx', 'haproxy', 'caddy']
const APP_KINDS: AppKind[] = ['fastapi', 'flask', 'express']
const CELLS: Cell[] = [
  ...FRONT_PRODUCTS.flatMap((front) => APP_KINDS.map((app) => ({ front, app, errorPages: 'json' as const }))),
  { front: 'nginx', app: 'flask', errorPages: 'stock' },
  { front: 'haproxy', app: 'express', errorPages: 'stock' },
  { front: 'caddy', app: 'fastapi', errorPages: 'stock' },
]
const nameOf = (cell: Cell) => matrixStackName(cell.front, cell.app, cell.errorPages)

const LIMIT = 1_048_576

/** What each product's own answers carry (with its defaults): the app's never do. */
const FRONT_SERVER_HEADER: Record<FrontProduct, (server: string | undefined) => boolean> = {
  nginx: (server) => /^nginx\/\d/.test(server ?? ''),
  // HAProxy adds no Server header; an app's answer through it would carry the app server's.
  haproxy: (server) => server === undefined,
  caddy: (server) => server === 'Caddy',
}

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string; requestId: string }

async function send(stack: MatrixStack, method: string, path: string, body?: { bytes: Buffer; framing: 'content-length' | 'chunked' }): Promise<Answer> {
  const requestId = randomUUID()
  const headers: Record<string, string> = { 'x-request-id': requestId }
  if (body) headers['content-type'] = 'application/json'
  const payload = body && (body.framing === 'chunked'
    // No length known up front: undici sends it chunked, in 64 KiB chunks.
    ? Readable.from((function* () { for (let at = 0; at < body.bytes.length; at += 65_536) yield body.bytes.subarray(at, at + 65_536) })())
    : body.bytes)
  const res = await request(`${stack.baseUrl}${path}`, { method, headers, body: payload, headersTimeout: 10_000, bodyTimeout: 10_000 })
  return { status: res.statusCode, headers: res.headers, body: await res.body.text(), requestId }
}

/** A JSON body with a padded field, `bytes` long. */
function oversizeBody(bytes: number): Buffer {
  const head = '{"name":"Alice","email":"alice@example.com","quantity":2,"note":"'
  return Buffer.from(`${head}${'a'.repeat(bytes - head.length - 2)}"}`)
}

/**
 * Caddy streams a chunked body to the app while counting it: past the limit it
 * aborts the upstream request and answers 413 itself, but the app has seen the
 * request start (and may log it). nginx and HAProxy hold the body back.
 */
const STREAMS_CHUNKED_BODY_TO_APP: Record<FrontProduct, boolean> = { nginx: false, haproxy: false, caddy: true }

/** The answer is the front's own: its Server header sign, no request ID echoed (every app echoes it), and unless `appSawIt` the ID absent from the app's log. */
function expectFromFront(stack: MatrixStack, cell: Cell, answer: Answer, appSawIt = false): void {
  const server = answer.headers.server as string | undefined
  expect(FRONT_SERVER_HEADER[cell.front](server), `Server: ${server}`).toBe(true)
  expect(answer.headers['x-request-id'], 'the app echoes X-Request-ID; the fronts add none').toBeUndefined()
  if (!appSawIt) expect(readFileSync(stack.logs.app, 'utf8'), 'the app never saw the request').not.toContain(answer.requestId)
}

function expectErrorPage(cell: Cell, answer: Answer, detail: string): void {
  const contentType = String(answer.headers['content-type'] ?? '')
  if (cell.errorPages === 'json') {
    expect(contentType).toBe('application/json')
    expect(JSON.parse(answer.body)).toEqual({ detail })
  } else {
    // Stock pages: nginx's and HAProxy's HTML, Caddy's empty reply.
    expect(contentType).not.toContain('json')
    if (cell.front === 'caddy') expect(answer.body).toBe('')
    else expect(answer.body).toMatch(/<html>/)
  }
}

describe('target matrix smoke', () => {
  const stacks = new Map<string, MatrixStack>()
  const failures = new Map<string, unknown>()

  beforeAll(async () => {
    const started = await Promise.allSettled(CELLS.map((cell) => startMatrixStack(cell)))
    started.forEach((result, i) => {
      if (result.status === 'fulfilled') stacks.set(nameOf(CELLS[i]!), result.value)
      else failures.set(nameOf(CELLS[i]!), result.reason)
    })
  }, 90_000)

  afterAll(async () => {
    await Promise.all([...stacks.values()].map((stack) => stack.stop()))
  })

  const stackFor = (cell: Cell): MatrixStack => {
    const stack = stacks.get(nameOf(cell))
    if (!stack) throw new Error(`${nameOf(cell)} did not start: ${String(failures.get(nameOf(cell)))}`)
    return stack
  }

  describe.each(CELLS.map((cell) => [nameOf(cell), cell] as const))('%s', (_name, cell) => {
    test('GET /health → 200 from the app, through the front', async () => {
      const answer = await send(stackFor(cell), 'GET', '/health')
      expect(answer.status).toBe(200)
      expect(answer.headers['x-request-id'], 'the client ID passes through and the app echoes it').toBe(answer.requestId)
    })

    test.each(['content-length', 'chunked'] as const)('POST 1 MiB + 1 (%s) → 413 from the front', async (framing) => {
      const stack = stackFor(cell)
      const answer = await send(stack, 'POST', '/items', { bytes: oversizeBody(LIMIT + 1), framing })
      expect(answer.status, answer.body.slice(0, 200)).toBe(413)
      expectErrorPage(cell, answer, 'Request Entity Too Large')
      expectFromFront(stack, cell, answer, framing === 'chunked' && STREAMS_CHUNKED_BODY_TO_APP[cell.front])
    })
  })

  // Last: each stops its cell's app. Concurrent, as each waits for an app server to exit.
  describe.concurrent('with the app stopped', () => {
    test.each(CELLS.map((cell) => [nameOf(cell), cell] as const))('%s: GET → 502 or 503 from the front', async (_name, cell) => {
      const stack = stackFor(cell)
      await stack.stopApp()
      const answer = await send(stack, 'GET', '/health')
      // nginx and Caddy: 502 (connection refused); HAProxy: 503 (no server could take it).
      expect(answer.status).toBe(cell.front === 'haproxy' ? 503 : 502)
      expectErrorPage(cell, answer, cell.front === 'haproxy' ? 'Service Unavailable' : 'Bad Gateway')
      expectFromFront(stack, cell, answer)
    })
  })
})
