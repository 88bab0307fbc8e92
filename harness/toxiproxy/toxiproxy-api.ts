import { Toxiproxy, ToxiproxyError } from 'toxiproxy-node-client'
import { pollUntil } from '../process/poll.ts'

/** A Toxiproxy API call that failed: says which call and what the server answered. */
export class ToxiproxyApiError extends Error {
  readonly code = 'LAYERCHECK_TOXIPROXY_API'
  readonly call: string
  readonly serverReason: string
  constructor(call: string, cause: unknown) {
    const reason = cause instanceof ToxiproxyError || cause instanceof Error ? cause.message : String(cause)
    super(`Toxiproxy ${call} failed: ${reason}`, { cause })
    this.call = call
    this.serverReason = reason
  }
}

/** A link between two layers that Toxiproxy sits on (e.g. nginx → app). */
export interface ProxiedLink {
  name: string
  listen: string
  upstream: string
}

export function toxiproxyClient(apiUrl: string): Toxiproxy {
  return new Toxiproxy(apiUrl.replace(/\/$/, ''))
}

export async function waitForToxiproxy(apiUrl: string, timeoutMs: number): Promise<string> {
  const client = toxiproxyClient(apiUrl)
  return await pollUntil(`Toxiproxy API at ${apiUrl} to answer`, () => client.getVersion(), { timeoutMs })
}

export async function createLink(apiUrl: string, link: ProxiedLink): Promise<void> {
  try {
    await toxiproxyClient(apiUrl).createProxy({ name: link.name, listen: link.listen, upstream: link.upstream })
  } catch (error) {
    throw new ToxiproxyApiError(`POST /proxies (${link.name}: ${link.listen} → ${link.upstream})`, error)
  }
}
