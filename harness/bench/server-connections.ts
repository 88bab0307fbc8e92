import { get } from 'node:http'

/** nginx stub_status: `server accepts handled requests` followed by the three counters. */
function parseAccepts(text: string): number {
  const match = /accepts handled requests\s+(\d+)\s+(\d+)\s+(\d+)/.exec(text)
  if (!match) throw new Error(`not an nginx stub_status page: ${JSON.stringify(text.slice(0, 120))}`)
  return Number(match[1])
}

function readAccepts(statusUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // A connection of its own (no agent): this read is then exactly one accept.
    const request = get(statusUrl, { agent: false, timeout: 5000 }, (response) => {
      let body = ''
      response.setEncoding('latin1')
      response.on('data', (chunk: string) => { body += chunk.slice(0, 4096) })
      response.on('end', () => {
        try {
          resolve(parseAccepts(body))
        } catch (error) {
          reject(error)
        }
      })
    })
    request.on('timeout', () => request.destroy(new Error(`${statusUrl} did not answer within 5 s`)))
    request.on('error', reject)
  })
}

/**
 * How many connections the server itself accepted while `fn` ran — the
 * server-side count a client's own count is checked against (a close mode
 * must show one per request, a keep-alive run one per client connection).
 * The second read's own connection is counted by the server too: minus one.
 */
export async function serverAcceptsDuring<T>(statusUrl: string | undefined, fn: () => Promise<T>): Promise<{ result: T; accepted?: number }> {
  if (!statusUrl) return { result: await fn() }
  const before = await readAccepts(statusUrl)
  const result = await fn()
  const after = await readAccepts(statusUrl)
  return { result, accepted: after - before - 1 }
}
