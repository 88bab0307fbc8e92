import { createServer, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { HttpClient } from '../../harness/http/http-client.ts'
import { Redactor } from '../../harness/http/redactor.ts'

// Hostile peers, as small real servers: the client must end every exchange
// within its bounds with a clear failure, never hang and never buffer without limit.
const hostile: Record<string, (socket: import('node:net').Socket) => void> = {
  silent: () => {},
  endlessHeaders: (socket) => {
    socket.write('HTTP/1.1 200 OK\r\n')
    const timer = setInterval(() => socket.write(`X-Filler: ${'a'.repeat(1000)}\r\n`), 5)
    socket.on('close', () => clearInterval(timer))
  },
  endlessBody: (socket) => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n')
    const timer = setInterval(() => socket.write(`4000\r\n${'x'.repeat(0x4000)}\r\n`), 1)
    socket.on('close', () => clearInterval(timer))
    socket.on('error', () => clearInterval(timer))
  },
  garbage: (socket) => socket.end('\x00\x01 not http at all <script>alert(1)</script>\r\n\r\n'),
  scriptInHeadersAndBody: (socket) => socket.end(
    'HTTP/1.1 500 Oops\r\nX-Evil: <script>alert(1)</script>\r\nContent-Type: text/html\r\nContent-Length: 36\r\n\r\n<img src=x onerror=alert(1)>\x1b[2Jxx\x07',
  ),
}

const servers: Server[] = []
const sockets = new Set<import('node:net').Socket>()
const ports: Record<string, number> = {}

beforeAll(async () => {
  for (const [name, handler] of Object.entries(hostile)) {
    const server = createServer((socket) => {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.once('data', () => handler(socket))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    ports[name] = (server.address() as { port: number }).port
    servers.push(server)
  }
})
afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  for (const server of servers) await new Promise((resolve) => server.close(resolve))
})

const client = (name: string, extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) => new HttpClient({
  baseUrl: `http://127.0.0.1:${ports[name]}`, connectMs: 1000, requestMs: 800, maxResponseBytes: 64 * 1024,
  redactor: new Redactor({ LAYERCHECK_TOKEN: 'super-secret-token-123' }), requestIdHeader: 'X-Request-ID', ...extra,
})

describe('the client against hostile targets', () => {
  test('a server that accepts and says nothing: headers timeout, attributed as a stalled hop', async () => {
    const started = performance.now()
    const exchange = await client('silent').send({ path: '/' })
    expect(performance.now() - started).toBeLessThan(3000)
    expect(exchange.response).toBeUndefined()
    expect(exchange.answeredBy.reason).toContain('no response headers arrived in time')
  })

  test('headers that never end: refused, bounded', async () => {
    const started = performance.now()
    const exchange = await client('endlessHeaders').send({ path: '/' })
    expect(performance.now() - started).toBeLessThan(3000)
    expect(exchange.response).toBeUndefined()
    expect(exchange.failure?.code).toMatch(/UND_ERR_HEADERS_OVERFLOW|UND_ERR_HEADERS_TIMEOUT|TimeoutError|ABORT_ERR/)
  })

  test('an endless body: the read stops at the byte cap and says so', async () => {
    const exchange = await client('endlessBody').send({ path: '/' })
    expect(exchange.response?.status).toBe(200)
    expect(exchange.response?.bodyTruncated).toBe(true)
    expect(exchange.response?.bodyBytes).toBe(64 * 1024)
    expect(exchange.response?.bodyExcerpt.length).toBeLessThan(4096)
  })

  test('garbage instead of HTTP: a failure, not a crash', async () => {
    const exchange = await client('garbage').send({ path: '/' })
    expect(exchange.response).toBeUndefined()
    expect(exchange.failure?.code).toBeTruthy()
  })

  test('hostile text is kept as text, control bytes escaped', async () => {
    const exchange = await client('scriptInHeadersAndBody').send({ path: '/' })
    expect(exchange.response?.headers).toContainEqual(['X-Evil', '<script>alert(1)</script>'])
    expect(exchange.response?.bodyExcerpt).toContain('\\x1b[2J')
    expect(exchange.response?.bodyExcerpt).not.toContain('\x1b')
  })

  test('secrets are redacted from evidence and replaced by env references in the repro', async () => {
    const exchange = await client('scriptInHeadersAndBody').send({
      path: '/?q=super-secret-token-123', headers: { authorization: 'Bearer super-secret-token-123', 'x-note': 'super-secret-token-123' },
    })
    const text = JSON.stringify(exchange)
    expect(text).not.toContain('super-secret-token-123')
    expect(exchange.request.headers).toContainEqual(['authorization', 'Bearer [redacted]'])
    expect(exchange.repro).toContain('"authorization: Bearer $LAYERCHECK_TOKEN"')
  })

  test('a refused connection is step 2, TCP', async () => {
    const exchange = await new HttpClient({
      baseUrl: 'http://127.0.0.1:1', connectMs: 1000, requestMs: 1000, maxResponseBytes: 1024,
      redactor: new Redactor({}), requestIdHeader: 'X-Request-ID',
    }).send({ path: '/' })
    expect(exchange.answeredBy).toMatchObject({ tier: 'client', step: 2 })
  })

  test('framing: chunked sends the body in chunks with no Content-Length, and the evidence and repro say so', async () => {
    const { createServer: createHttpServer } = await import('node:http')
    const seen: { headers?: import('node:http').IncomingHttpHeaders; bytes: number } = { bytes: 0 }
    const server = createHttpServer((req, res) => {
      seen.headers = req.headers
      req.on('data', (chunk: Buffer) => { seen.bytes += chunk.length })
      req.on('end', () => res.end('ok'))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const port = (server.address() as { port: number }).port
      const exchange = await new HttpClient({
        baseUrl: `http://127.0.0.1:${port}`, connectMs: 1000, requestMs: 5000, maxResponseBytes: 1024,
        redactor: new Redactor({}), requestIdHeader: 'X-Request-ID',
      }).send({ method: 'POST', path: '/', body: 'x'.repeat(200_000), framing: 'chunked' })
      expect(exchange.response?.status).toBe(200)
      expect(seen.headers?.['transfer-encoding']).toBe('chunked')
      expect(seen.headers?.['content-length']).toBeUndefined()
      expect(seen.bytes).toBe(200_000)
      expect(exchange.request.headers).toContainEqual(['transfer-encoding', 'chunked'])
      expect(exchange.request.headers.map(([name]) => name)).not.toContain('content-length')
      expect(exchange.repro).toContain("-H 'transfer-encoding: chunked'")
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
