import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

/**
 * Ports for our listeners come from outside the kernel's ephemeral range. A
 * port the kernel handed out for `listen(0)` and we released is back in the
 * pool every outgoing connection draws from; under a benchmark's thousands of
 * new connections a second, one of them can take it before nginx binds it
 * (seen: `bind() … failed (98: Address already in use)`). Outside that range
 * no client socket is ever given it.
 */
// Above every port the Fetch standard's "bad port" list blocks (its highest is
// 10080): fetch() — Toxiproxy's client among others — refuses to connect to those.
const LOWEST = 10_100

function listenerRange(): { from: number; to: number } | undefined {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number) as [number, number]
    if (low - 1 - LOWEST >= 2000) return { from: LOWEST, to: low - 1 }
    if (65_535 - (high + 1) >= 2000) return { from: high + 1, to: 65_535 }
  } catch { /* not Linux: let the kernel choose */ }
  return undefined
}

const RANGE = listenerRange()
// Each process walks the range from its own starting point, so parallel test
// processes rarely try the same port at the same moment.
let next = RANGE ? RANGE.from + ((process.pid * 7919) % (RANGE.to - RANGE.from + 1)) : 0
const handedOut = new Set<number>()

function listenOnce(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(undefined))
    server.listen(port, '127.0.0.1', () => {
      const address = server.address()
      const bound = typeof address === 'object' && address ? address.port : undefined
      server.close(() => resolve(bound))
    })
  })
}

/** A TCP port that was free on 127.0.0.1 a moment ago, outside the ephemeral range where it can be. */
export async function freePort(): Promise<number> {
  if (RANGE) {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const port = next
      next = next >= RANGE.to ? RANGE.from : next + 1
      if (handedOut.has(port)) continue
      if ((await listenOnce(port)) !== undefined) {
        handedOut.add(port)
        return port
      }
    }
  }
  const port = await listenOnce(0)
  if (port === undefined) throw new Error('no free TCP port on 127.0.0.1')
  return port
}

export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>()
  while (ports.size < count) ports.add(await freePort())
  return [...ports]
}
