import type { Socket } from 'node:net'
import type { Tier } from '../../harness/model/check-result.ts'

/**
 * Negative controls for protocol checks that nothing in the reference stack can
 * make fail: a small server on loopback that misbehaves in exactly one way,
 * standing where the first hop would. Proven by test/integration/protocol-controls.test.ts.
 */
export interface ProtocolServerControl {
  check: string
  description: string
  /** Answers every connection's first bytes. */
  serve: (socket: Socket) => void
  /** The layers the profile names for it (it stands in for the first hop). */
  layers: { proxy?: 'nginx'; server?: string; app?: string }
  answeredBy: Tier
  diagnosisMentions: string
}

const json = (body: string) => `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`

export const PROTOCOL_SERVER_CONTROLS: readonly ProtocolServerControl[] = [
  {
    // nginx and h11 both drop a body an app writes for HEAD, so no variant of the stack can send one.
    check: 'protocol.head-no-body',
    description: 'a first hop that answers HEAD with the GET body',
    serve: (socket) => socket.write(json('{"status":"ok"}') + json('{"status":"ok"}')),
    layers: { proxy: 'nginx', app: 'fastapi' },
    answeredBy: 'proxy',
    diagnosisMentions: 'HEAD answer with a body',
  },
  {
    // nginx and uvicorn both honour "close": a first hop that ignores it must be built.
    check: 'protocol.keep-alive.connection-close',
    description: 'a first hop that ignores Connection: close and answers whatever follows',
    serve: (socket) => {
      socket.write(json('{"status":"ok"}'))
      socket.on('data', () => socket.write(json('{"status":"ok"}')))
    },
    layers: { proxy: 'nginx', app: 'fastapi' },
    answeredBy: 'proxy',
    diagnosisMentions: 'ignores "close"',
  },
]
