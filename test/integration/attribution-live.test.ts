import { connect } from 'node:net'
import { describe, expect, test } from 'vitest'
import { attributeResponse } from '../../harness/attribution/attribute.ts'
import { toxiproxyClient } from '../../harness/toxiproxy/toxiproxy-api.ts'
import { useStack } from '../support/reference-stack.ts'

/** Sends raw bytes and returns whatever comes back before the server closes (bounded). */
async function raw(host: string, port: number, bytes: string, timeoutMs = 3000): Promise<string> {
  return await new Promise((resolve, reject) => {
    const socket = connect(port, host)
    const chunks: Buffer[] = []
    const timer = setTimeout(() => { socket.destroy(); resolve(Buffer.concat(chunks).toString('latin1')) }, timeoutMs)
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('end', () => { clearTimeout(timer); resolve(Buffer.concat(chunks).toString('latin1')) })
    socket.on('error', (error) => { clearTimeout(timer); reject(error) })
    socket.write(bytes)
  })
}

function parseRaw(text: string) {
  const [head = '', ...rest] = text.split('\r\n\r\n')
  const [statusLine = '', ...lines] = head.split('\r\n')
  const pairs = lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()] as [string, string])
  const headers = new Map(pairs.map(([n, v]) => [n.toLowerCase(), v]))
  return { status: Number(statusLine.split(' ')[1]), header: (n: string) => headers.get(n.toLowerCase()), headers: pairs, body: rest.join('\r\n\r\n') }
}

// Attribution verified against the real servers of the reference stack, not
// against copies of their pages.
describe('who answered, on the real reference stack', () => {
  const target = useStack()

  test('nginx 502 when every app link is down names nginx, and the links come back', async () => {
    const { stack, client } = target()
    const proxies = await Promise.all(stack.apps.map((app) => toxiproxyClient(stack.toxiproxyApi).get(app.link.name)))
    for (const proxy of proxies) await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream })
    try {
      const exchange = await client.send({ path: '/health' })
      expect(exchange.response?.status).toBe(502)
      expect(exchange.answeredBy).toMatchObject({ tier: 'proxy', product: 'nginx' })
    } finally {
      for (const proxy of proxies) await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream })
    }
  })

  test("uvicorn's own parser error (garbage sent straight to gunicorn) names the app server", async () => {
    const { stack } = target()
    const url = new URL(stack.apps[0]!.url)
    const view = parseRaw(await raw(url.hostname, Number(url.port), 'GARBAGE\x00 / HTTP/1.1\r\n\r\n'))
    expect(view.status).toBe(400)
    expect(attributeResponse(view)).toMatchObject({ tier: 'app-server', product: 'uvicorn' })
  })

  test('a FastAPI 422 is the app, with the per-field shape noted', async () => {
    const { client } = target()
    const exchange = await client.send({ method: 'POST', path: '/items', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(exchange.answeredBy.tier).toBe('app')
    expect(exchange.answeredBy.signals.join(' ')).toContain('per-field')
  })

  test("nginx's 400 for a malformed request line names nginx", async () => {
    const { stack } = target()
    const url = new URL(stack.httpUrl)
    const view = parseRaw(await raw(url.hostname, Number(url.port), 'G@T / HTTP/1.1\r\nHost: x\r\n\r\n'))
    expect(view.status).toBe(400)
    expect(attributeResponse(view)).toMatchObject({ tier: 'proxy', product: 'nginx' })
  })
})
