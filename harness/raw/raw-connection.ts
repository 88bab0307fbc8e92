import { connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { endpointOf } from '../net/endpoint.ts'

/** One piece of a request, sent after `delayMs` (slow-client probes trickle their bytes). */
export interface RawPiece {
  bytes: Uint8Array
  delayMs?: number
}

export interface RawSendOptions {
  /** http:// or https:// URL: only its host and port are used. */
  url: string
  /** The exact bytes to send, or timed pieces of them. */
  bytes: Uint8Array | string | readonly RawPiece[]
  connectMs: number
  /** Reading stops when nothing arrives for this long (the server keeps the connection open and silent). */
  idleMs: number
  /** Hard bound on the whole exchange, connect included: nothing outlives it. */
  totalMs: number
  /** Reading stops here: a hostile server cannot make us buffer without limit. */
  maxBytes: number
  /**
   * Stop early once the bytes received hold this many complete responses and the
   * server has been quiet for `settleMs` (it did not close): saves waiting the idle timeout on keep-alive.
   */
  settle?: { responses: number; settleMs: number; complete: (received: Buffer) => number }
  tls?: { ca?: Buffer | string; insecure?: boolean }
}

/** How the connection ended, as seen from the client. */
export type RawEnd =
  | 'closed' // the server sent FIN
  | 'reset' // ECONNRESET / EPIPE: the server reset the connection
  | 'open' // still open when we stopped reading: idle timeout, settled, or total deadline
  | 'byte-cap' // we stopped at maxBytes
  | 'connect-failed'

export interface RawResult {
  received: Buffer
  end: RawEnd
  /** Why we stopped reading when the connection was still open. */
  stoppedBy?: 'idle' | 'settled' | 'deadline'
  failure?: { code: string; message: string }
  startedAt: string
  connectMs?: number
  firstByteMs?: number
  /** When the server closed or reset, from the start. */
  endMs: number
  /** Bytes actually written before the connection ended. */
  bytesSent: number
  /** Whether every piece was written (a server may close before a slow client finishes). */
  sentAll: boolean
}

const toBuffer = (b: Uint8Array | string) => (typeof b === 'string' ? Buffer.from(b, 'latin1') : Buffer.from(b))

export function piecesOf(bytes: RawSendOptions['bytes']): RawPiece[] {
  if (typeof bytes === 'string' || bytes instanceof Uint8Array) return [{ bytes: toBuffer(bytes) }]
  return bytes.map((p) => ({ bytes: toBuffer(p.bytes), delayMs: p.delayMs }))
}

/**
 * Sends exact bytes over a fresh TCP (or TLS) connection and reads whatever
 * comes back, bounded by an idle timeout, a total deadline and a byte cap.
 * It never throws for what the server does and never outlives `totalMs`.
 */
export function sendRaw(options: RawSendOptions): Promise<RawResult> {
  const endpoint = endpointOf(options.url)
  const startedAt = new Date().toISOString()
  const t0 = performance.now()
  const since = () => Math.round(performance.now() - t0)
  const pieces = piecesOf(options.bytes)

  return new Promise<RawResult>((resolve) => {
    const chunks: Buffer[] = []
    let received = 0
    let bytesSent = 0
    let piecesSent = 0
    let connectMs: number | undefined
    let firstByteMs: number | undefined
    let done = false
    const timers = new Set<NodeJS.Timeout>()
    const later = (ms: number, fn: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        fn()
      }, ms)
      timers.add(timer)
      return timer
    }
    let idleTimer: NodeJS.Timeout | undefined
    let settleTimer: NodeJS.Timeout | undefined

    const socket: Socket = endpoint.tls
      ? tlsConnect({
        host: endpoint.host, port: endpoint.port, servername: endpoint.isIpLiteral ? undefined : endpoint.host,
        ca: options.tls?.ca, rejectUnauthorized: !options.tls?.insecure, ALPNProtocols: ['http/1.1'],
      })
      : netConnect({ host: endpoint.host, port: endpoint.port })
    // Each piece leaves when it is written: no Nagle coalescing of a slow client's trickle.
    socket.setNoDelay(true)

    const finish = (end: RawEnd, extra: Partial<RawResult> = {}) => {
      if (done) return
      done = true
      for (const timer of timers) clearTimeout(timer)
      socket.destroy()
      resolve({
        received: Buffer.concat(chunks), end, startedAt, connectMs, firstByteMs, endMs: since(),
        bytesSent, sentAll: piecesSent === pieces.length, ...extra,
      })
    }

    later(options.totalMs, () => finish(connectMs === undefined ? 'connect-failed' : 'open', connectMs === undefined
      ? { failure: { code: 'ETIMEDOUT', message: `no connection within ${options.totalMs} ms` } }
      : { stoppedBy: 'deadline' }))
    const connectTimer = later(options.connectMs, () => finish('connect-failed', {
      failure: { code: 'ETIMEDOUT', message: `TCP connect to ${endpoint.host}:${endpoint.port} timed out after ${options.connectMs} ms` },
    }))

    const armIdle = () => {
      if (idleTimer) { clearTimeout(idleTimer); timers.delete(idleTimer) }
      idleTimer = later(options.idleMs, () => finish('open', { stoppedBy: 'idle' }))
    }
    const armSettle = () => {
      const settle = options.settle
      if (!settle) return
      if (settleTimer) { clearTimeout(settleTimer); timers.delete(settleTimer) }
      if (settle.complete(Buffer.concat(chunks)) >= settle.responses) {
        settleTimer = later(settle.settleMs, () => finish('open', { stoppedBy: 'settled' }))
      }
    }

    const writeNext = () => {
      if (done || piecesSent === pieces.length) return
      const piece = pieces[piecesSent]!
      const write = () => {
        if (done || socket.destroyed || !socket.writable) return
        socket.write(piece.bytes, (error) => {
          if (error || done) return
          bytesSent += piece.bytes.length
          piecesSent++
          // The idle timer measures the server's silence after the client is done talking.
          if (piecesSent === pieces.length) armIdle()
          writeNext()
        })
      }
      if (piece.delayMs) later(piece.delayMs, write)
      else write()
    }

    socket.once(endpoint.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(connectTimer)
      timers.delete(connectTimer)
      connectMs = since()
      writeNext()
    })
    socket.on('data', (chunk: Buffer) => {
      if (done) return
      firstByteMs ??= since()
      const room = options.maxBytes - received
      chunks.push(chunk.subarray(0, Math.max(0, room)))
      received += Math.min(chunk.length, Math.max(0, room))
      if (received >= options.maxBytes) return finish('byte-cap')
      if (piecesSent === pieces.length) armIdle()
      armSettle()
    })
    socket.on('end', () => finish('closed'))
    socket.on('close', () => finish('closed'))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'ERR'
      if (connectMs === undefined) return finish('connect-failed', { failure: { code, message: error.message } })
      if (code === 'ECONNRESET' || code === 'EPIPE') return finish('reset', { failure: { code, message: error.message } })
      finish('closed', { failure: { code, message: error.message } })
    })
  })
}
