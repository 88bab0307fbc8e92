import { connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect, type SecureContextOptions, type TLSSocket } from 'node:tls'

export interface CloseLoopOptions {
  url: string
  connections: number
  durationMs: number
  /** Hard cap on requests, whatever the duration: every loop is bounded in count and time. */
  maxRequests: number
  ca?: SecureContextOptions['ca']
  /** Offer the previous TLS session back (resumption), as browsers and most clients do. */
  resumeTls?: boolean
}

export interface CloseLoopResult {
  requests: number
  connectionsOpened: number
  errors: number
  non2xx: number
  durationMs: number
  /** Per-request latency in ms, connect + TLS + request + response, microsecond resolution. */
  latenciesMs: number[]
  tlsResumed: number
}

/**
 * A new connection per request (`Connection: close`), timed by us: autocannon's
 * own latency is wrong whenever the server closes connections, and `-D`
 * reports 0 req/s (benchmarking.md, pitfalls 1–2). Counts the connections it
 * opens, so "one connection per request" is proven rather than assumed.
 */
export async function runCloseLoop(options: CloseLoopOptions): Promise<CloseLoopResult> {
  const url = new URL(options.url)
  const tls = url.protocol === 'https:'
  const port = Number(url.port || (tls ? 443 : 80))
  const request = Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: layercheck-bench\r\nConnection: close\r\n\r\n`)
  const result: CloseLoopResult = { requests: 0, connectionsOpened: 0, errors: 0, non2xx: 0, durationMs: 0, latenciesMs: [], tlsResumed: 0 }
  const deadline = performance.now() + options.durationMs
  let session: Buffer | undefined
  let issued = 0

  const one = () => new Promise<void>((resolve) => {
    const started = performance.now()
    const chunks: Buffer[] = []
    const socket: Socket | TLSSocket = tls
      ? tlsConnect({ host: url.hostname, port, servername: url.hostname, ca: options.ca, session: options.resumeTls ? session : undefined })
      : netConnect(port, url.hostname)
    // TCP_NODELAY, as wrk and browsers set it: with Nagle the request written after the
    // handshake can wait for the ACK of the client's Finished — a delayed ACK, up to 40 ms.
    socket.setNoDelay(true)
    result.connectionsOpened += 1
    const timer = setTimeout(() => socket.destroy(new Error('timeout')), 5000)
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      if (tls) {
        const secure = socket as TLSSocket
        if (secure.isSessionReused()) result.tlsResumed += 1
        secure.once('session', (s: Buffer) => { session = s })
      }
      socket.write(request)
    })
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.once('close', () => {
      clearTimeout(timer)
      const head = Buffer.concat(chunks).subarray(0, 16).toString('latin1')
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1])
      if (!status) result.errors += 1
      else {
        result.requests += 1
        result.latenciesMs.push(performance.now() - started)
        if (status < 200 || status >= 300) result.non2xx += 1
      }
      resolve()
    })
    socket.once('error', () => {})
  })

  const started = performance.now()
  await Promise.all(Array.from({ length: options.connections }, async () => {
    while (performance.now() < deadline && issued < options.maxRequests) {
      issued += 1
      await one()
    }
  }))
  result.durationMs = performance.now() - started
  return result
}
