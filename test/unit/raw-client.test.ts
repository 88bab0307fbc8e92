import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { escapeBytes } from '../../harness/raw/escape-bytes.ts'
import { parseResponses } from '../../harness/raw/parse-responses.ts'
import { sendRaw } from '../../harness/raw/raw-connection.ts'
import { runRawProbe, type RawTarget } from '../../harness/raw/raw-exchange.ts'

// Hostile and odd peers as small real servers: the raw client must end every
// exchange within its bounds (idle timeout, total deadline, byte cap) and turn
// whatever came back into plain evidence.
const NGINX_400 = '<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n'
const UVICORN_400 = 'Invalid HTTP request received.'
const ok = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`

const behaviours: Record<string, (socket: Socket) => void> = {
  silent: () => {},
  endlessHeaders: (socket) => {
    socket.write('HTTP/1.1 200 OK\r\n')
    const timer = setInterval(() => socket.write(`X-Filler: ${'a'.repeat(1000)}\r\n`), 2)
    socket.on('close', () => clearInterval(timer))
  },
  endlessBody: (socket) => {
    socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n')
    const timer = setInterval(() => socket.write(`4000\r\n${'x'.repeat(0x4000)}\r\n`), 1)
    socket.on('close', () => clearInterval(timer))
  },
  // One byte every 50 ms: never idle long enough for the idle timeout, so only the deadline stops it.
  dribble: (socket) => {
    const timer = setInterval(() => socket.write('H'), 50)
    socket.on('close', () => clearInterval(timer))
  },
  garbage: (socket) => socket.end('\x00\x01 not http <script>alert(1)</script>\r\n\r\n'),
  reset: (socket) => socket.resetAndDestroy(),
  closeSilently: (socket) => socket.end(),
  nginx400: (socket) => socket.end(`HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\nContent-Length: ${NGINX_400.length}\r\nConnection: close\r\n\r\n${NGINX_400}`),
  uvicorn400: (socket) => socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\r\n${UVICORN_400.length.toString(16)}\r\n${UVICORN_400}\r\n0\r\n\r\n`),
  // Two pipelined answers, the second chunked, then keep-alive silence.
  pipelined: (socket) => socket.write(`${ok('{"a":1}')}HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n16\r\n{"detail":"Not Found"}\r\n0\r\n\r\n`),
  continue100: (socket) => socket.write('HTTP/1.1 100 Continue\r\n\r\n'),
  // A HEAD answer that carries a body anyway.
  headWithBody: (socket) => socket.write(`${ok('{"status":"ok"}')}${ok('{"status":"ok"}')}`),
}

const servers: Server[] = []
const sockets = new Set<Socket>()
const url: Record<string, string> = {}
/** What the `echoTiming` server saw: when each chunk arrived, from the first. */
let arrivals: number[] = []

beforeAll(async () => {
  const listen = async (name: string, onSocket: (socket: Socket) => void) => {
    const server = createServer((socket) => {
      sockets.add(socket)
      socket.on('error', () => {})
      onSocket(socket)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url[name] = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    servers.push(server)
  }
  for (const [name, behaviour] of Object.entries(behaviours)) await listen(name, (socket) => socket.once('data', () => behaviour(socket)))
  await listen('echoTiming', (socket) => {
    const t0 = performance.now()
    arrivals = []
    socket.on('data', () => arrivals.push(Math.round(performance.now() - t0)))
  })
  // Resets a client that sent only part of a request, as a server with a read timeout would (at 200 ms).
  await listen('timesOut', (socket) => { setTimeout(() => socket.end(), 200) })
})
afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  for (const server of servers) await new Promise((resolve) => server.close(resolve))
})

const GET = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
const target = (name: string, extra: Partial<RawTarget> = {}): RawTarget => ({
  url: url[name]!, connectMs: 1000, idleMs: 300, settleMs: 100, totalMs: 2000, maxBytes: 64 * 1024,
  attribution: { hints: { proxy: 'nginx', server: 'uvicorn', app: 'fastapi' } }, firstHop: { tier: 'proxy', product: 'nginx' }, ...extra,
})
const probe = (bytes: string, extra = {}) => ({ label: 'probe', requirement: 'MUST' as const, bytes, ...extra })

describe('the raw client never hangs', () => {
  test('a server that accepts and says nothing: stopped by the idle timeout, no answer', async () => {
    const started = performance.now()
    const outcome = await runRawProbe(probe(GET), target('silent'))
    expect(performance.now() - started).toBeLessThan(1000)
    expect(outcome.raw).toMatchObject({ end: 'open', stoppedBy: 'idle' })
    expect(outcome.exchange.failure?.code).toBe('RAW_NO_ANSWER')
    // No HTTP at all: put down to the first hop the profile names, and said so.
    expect(outcome.exchange.answeredBy).toMatchObject({ tier: 'proxy', product: 'nginx' })
    expect(outcome.exchange.answeredBy.reason).toContain('no HTTP answer')
  })

  test('headers that never end: stopped at the byte cap', async () => {
    const started = performance.now()
    const outcome = await runRawProbe(probe(GET), target('endlessHeaders'))
    expect(performance.now() - started).toBeLessThan(2500)
    expect(outcome.raw.end).toBe('byte-cap')
    expect(outcome.raw.received.length).toBe(64 * 1024)
    expect(outcome.finals).toEqual([])
    expect(outcome.exchange.response).toBeUndefined()
  })

  test('an endless body: stopped at the byte cap, the response kept as incomplete', async () => {
    const outcome = await runRawProbe(probe(GET), target('endlessBody'))
    expect(outcome.raw.end).toBe('byte-cap')
    expect(outcome.exchange.response).toMatchObject({ status: 200, bodyTruncated: true })
    expect(outcome.exchange.response!.bodyExcerpt.length).toBeLessThan(4096)
  })

  test('a byte every 50 ms defeats the idle timeout, not the total deadline', async () => {
    const started = performance.now()
    const result = await sendRaw({ url: url.dribble!, bytes: GET, connectMs: 1000, idleMs: 300, totalMs: 800, maxBytes: 1024 })
    const took = performance.now() - started
    expect(took).toBeGreaterThanOrEqual(750)
    expect(took).toBeLessThan(1300)
    expect(result).toMatchObject({ end: 'open', stoppedBy: 'deadline' })
  })

  test('a refused port: a connect failure at step 2, fast', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    await new Promise((resolve) => server.close(resolve))
    const outcome = await runRawProbe(probe(GET), { ...target('silent'), url: `http://127.0.0.1:${port}` })
    expect(outcome.raw.end).toBe('connect-failed')
    expect(outcome.exchange.answeredBy).toMatchObject({ tier: 'client', step: 2 })
  })
})

describe('whatever comes back becomes evidence', () => {
  test('garbage: no response, the bytes kept escaped', async () => {
    const outcome = await runRawProbe(probe(GET), target('garbage'))
    expect(outcome.raw.end).toBe('closed')
    expect(outcome.exchange.failure?.code).toBe('RAW_NOT_HTTP')
    expect(outcome.exchange.raw?.trailing).toContain('\\x00\\x01 not http')
  })

  test('a reset: ECONNRESET, attributed to the first hop', async () => {
    const outcome = await runRawProbe(probe(GET), target('reset'))
    expect(outcome.raw.end).toBe('reset')
    expect(outcome.exchange.failure?.code).toBe('ECONNRESET')
    expect(outcome.exchange.answeredBy.tier).toBe('proxy')
  })

  test('a close without a word: RAW_CLOSED', async () => {
    const outcome = await runRawProbe(probe(GET), target('closeSilently'))
    expect(outcome.raw.end).toBe('closed')
    expect(outcome.exchange.failure?.code).toBe('RAW_CLOSED')
  })

  test("nginx's 400 page is named nginx; uvicorn's parser error is named uvicorn", async () => {
    const nginx = await runRawProbe(probe('GET /\x01 HTTP/1.1\r\n\r\n'), target('nginx400'))
    expect(nginx.exchange.response?.status).toBe(400)
    expect(nginx.exchange.answeredBy).toMatchObject({ tier: 'proxy', product: 'nginx' })
    expect(nginx.raw.end).toBe('closed')
    const uvicorn = await runRawProbe(probe('GET /\x01 HTTP/1.1\r\n\r\n'), target('uvicorn400'))
    expect(uvicorn.exchange.response).toMatchObject({ status: 400, bodyExcerpt: UVICORN_400 })
    expect(uvicorn.exchange.answeredBy).toMatchObject({ tier: 'app-server', product: 'uvicorn' })
  })

  test('pipelined answers are parsed in order; the client stops once they are in and the server is quiet', async () => {
    const started = performance.now()
    const outcome = await runRawProbe(probe(GET + GET, { requests: 2 }), target('pipelined', { idleMs: 1500 }))
    expect(performance.now() - started).toBeLessThan(1000)
    expect(outcome.raw).toMatchObject({ end: 'open', stoppedBy: 'settled' })
    expect(outcome.finals.map((r) => r.status)).toEqual([200, 404])
    expect(outcome.exchangeOf(1, 'second').response?.bodyExcerpt).toBe('{"detail":"Not Found"}')
    expect(outcome.exchangeOf(1, 'second').answeredBy.product).toBe('fastapi')
    expect(outcome.exchangeOf(2, 'third').failure?.code).toBe('RAW_NO_ANSWER')
  })

  test('an interim 100 Continue alone is shown as the answer', async () => {
    const outcome = await runRawProbe(probe('POST / HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n', { requests: 0 }), target('continue100'))
    expect(outcome.all.map((r) => r.status)).toEqual([100])
    expect(outcome.exchange.response?.status).toBe(100)
    expect(outcome.exchange.answeredBy.tier).toBe('proxy')
  })

  test('a HEAD answer with a body leaves bytes where the next status line should be', async () => {
    const outcome = await runRawProbe(probe('HEAD / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n', { requests: 2, head: [true, false] }), target('headWithBody'))
    expect(outcome.finals.map((r) => r.status)).toEqual([200])
    expect(outcome.exchange.raw?.trailing).toContain('{"status":"ok"}HTTP/1.1 200 OK')
  })

  test('the evidence shows the exact bytes escaped, and a repro that sends them', async () => {
    const outcome = await runRawProbe(probe('GET /%41 HTTP/1.1\r\nX: a\x00b\r\n\r\n'), target('nginx400'))
    expect(outcome.exchange.raw).toMatchObject({ sent: 'GET /%41 HTTP/1.1\\r\\nX: a\\x00b\\r\\n\\r\\n', requirement: 'MUST', statuses: [400], end: 'closed' })
    expect(outcome.exchange.request).toMatchObject({ method: 'GET', url: `${url.nginx400}/%41` })
    expect(outcome.exchange.repro).toBe(`printf 'GET /%%41 HTTP/1.1\\r\\nX: a\\x00b\\r\\n\\r\\n' | nc -q 3 127.0.0.1 ${new URL(url.nginx400!).port}`)
  })
})

describe('slow-client pieces', () => {
  test('pieces are written at their delays', async () => {
    const pieces = ['GET / HTTP/1.1\r\n', 'Host: x\r\n', 'X-A: 1\r\n'].map((text) => ({ bytes: Buffer.from(text), delayMs: 150 }))
    const result = await sendRaw({ url: url.echoTiming!, bytes: pieces, connectMs: 1000, idleMs: 100, totalMs: 2000, maxBytes: 1024 })
    expect(result.sentAll).toBe(true)
    expect(arrivals).toHaveLength(3)
    // Each piece ~150 ms after the one before it (timers fire no earlier than asked).
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(120)
    expect(arrivals[2]! - arrivals[1]!).toBeGreaterThanOrEqual(120)
  })

  test('a server that closes on a slow client: closed before all pieces were sent, at its timeout', async () => {
    const pieces = Array.from({ length: 10 }, (_, i) => ({ bytes: Buffer.from(`X-${i}: a\r\n`), delayMs: 100 }))
    const result = await sendRaw({ url: url.timesOut!, bytes: pieces, connectMs: 1000, idleMs: 2000, totalMs: 3000, maxBytes: 1024 })
    expect(result.end).toBe('closed')
    expect(result.sentAll).toBe(false)
    expect(result.endMs).toBeGreaterThanOrEqual(190)
    expect(result.endMs).toBeLessThan(700)
  })
})

describe('parsing and escaping', () => {
  test('Content-Length, chunked with trailers, no-body statuses and a read-to-close body', () => {
    const bytes = Buffer.from(
      'HTTP/1.1 204 No Content\r\n\r\n' +
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n' +
      'HTTP/1.0 200 OK\r\n\r\nuntil close',
    )
    const parsed = parseResponses(bytes, { closed: true })
    expect(parsed.responses.map((r) => [r.status, r.framing, r.body.toString(), r.incomplete])).toEqual([
      [204, 'none', '', false], [200, 'chunked', 'abc', false], [200, 'close', 'until close', false],
    ])
    expect(parsed.trailing.length).toBe(0)
  })

  test('a short Content-Length body is incomplete; a broken head is trailing bytes', () => {
    expect(parseResponses(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'), { closed: true }).responses[0]).toMatchObject({ incomplete: true })
    const broken = parseResponses(Buffer.from('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n'), { closed: true })
    expect(broken.responses).toEqual([])
    expect(broken.trailing.toString()).toContain('no colon here')
  })

  test('escapes control bytes, non-ASCII and backslashes; long input is cut with a count', () => {
    expect(escapeBytes(Buffer.from('a\r\n\t\\\x00\xff', 'latin1'))).toBe('a\\r\\n\\t\\\\\\x00\\xff')
    expect(escapeBytes(Buffer.from('x'.repeat(20)), 5)).toBe('xxxxx… [15 more bytes]')
  })
})
