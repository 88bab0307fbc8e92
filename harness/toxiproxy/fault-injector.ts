import { randomBytes } from 'node:crypto'
import type { Toxiproxy } from 'toxiproxy-node-client'
import { onInterrupt } from '../process/shutdown.ts'
import { describeFault, toToxic, TOXIC_PREFIX, type Fault } from './faults.ts'
import { ToxiproxyApiError, toxiproxyClient } from './toxiproxy-api.ts'

/** A fault in force on some links; `clear()` removes it and is safe to call twice. */
export interface ActiveFault {
  readonly description: string
  readonly links: readonly string[]
  clear(): Promise<void>
}

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    throw new ToxiproxyApiError(what, error)
  }
}

async function setEnabled(client: Toxiproxy, link: string, enabled: boolean): Promise<void> {
  const proxy = await call(`GET /proxies/${link}`, () => client.get(link))
  if (proxy.enabled === enabled) return
  await call(`POST /proxies/${link} enabled=${enabled}`, () => proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream }))
}

/**
 * Adds faults to named Toxiproxy links and guarantees their removal: on
 * clear(), at the end of withFault() whatever happens inside, and on SIGINT or
 * SIGTERM of this process.
 */
export class FaultInjector {
  readonly apiUrl: string
  readonly links: readonly string[]
  readonly #client: Toxiproxy
  readonly #active = new Set<ActiveFault>()
  #unhook?: () => void

  constructor(apiUrl: string, links: readonly string[]) {
    this.apiUrl = apiUrl
    this.links = links
    this.#client = toxiproxyClient(apiUrl)
  }

  async apply(fault: Fault, links: readonly string[] = this.links): Promise<ActiveFault> {
    this.#unhook ??= onInterrupt(() => this.clearActive())
    const name = `${TOXIC_PREFIX}${fault.kind}-${randomBytes(4).toString('hex')}`
    const applied: string[] = []
    let cleared = false
    const active: ActiveFault = {
      description: describeFault(fault),
      links,
      clear: async () => {
        if (cleared) return
        cleared = true
        this.#active.delete(active)
        for (const link of applied) {
          if (fault.kind === 'down') await setEnabled(this.#client, link, true)
          else await call(`DELETE /proxies/${link}/toxics/${name}`, async () => (await (await this.#client.get(link)).getToxic(name)).remove())
        }
      },
    }
    this.#active.add(active)
    try {
      for (const link of links) {
        if (fault.kind === 'down') await setEnabled(this.#client, link, false)
        else {
          const proxy = await call(`GET /proxies/${link}`, () => this.#client.get(link))
          await call(`POST /proxies/${link}/toxics (${active.description})`, () => proxy.addToxic(toToxic(fault, name) as never))
        }
        applied.push(link)
      }
    } catch (error) {
      await active.clear()
      throw error
    }
    return active
  }

  /** Runs `fn` with the fault in force; the fault is removed however `fn` ends. */
  async withFault<T>(fault: Fault, fn: (active: ActiveFault) => Promise<T>, links?: readonly string[]): Promise<T> {
    const active = await this.apply(fault, links)
    try {
      return await fn(active)
    } finally {
      await active.clear()
    }
  }

  async clearActive(): Promise<void> {
    for (const active of [...this.#active]) await active.clear()
  }

  /** Faults in force on the links: layercheck toxics (`link/name`) and disabled links (`link/down`). */
  async inForce(): Promise<string[]> {
    const found: string[] = []
    for (const link of this.links) {
      const proxy = await call(`GET /proxies/${link}`, () => this.#client.get(link))
      // The client has no "list toxics" call; its HTTP client does the GET.
      const listed = await call(`GET /proxies/${link}/toxics`, () => proxy.api.get<{ name: string }[]>(`${proxy.getPath()}/toxics`))
      for (const { name } of listed.data) if (name.startsWith(TOXIC_PREFIX)) found.push(`${link}/${name}`)
      if (!proxy.enabled) found.push(`${link}/down`)
    }
    return found
  }

  /**
   * Removes every layercheck toxic on the links and re-enables them, including
   * leftovers of a run that was killed before it could clean up.
   */
  async sweep(): Promise<{ removed: string[] }> {
    const removed = await this.inForce()
    for (const entry of removed) {
      const [link, name] = entry.split('/') as [string, string]
      if (name === 'down') await setEnabled(this.#client, link, true)
      else await call(`DELETE /proxies/${link}/toxics/${name}`, async () => (await (await this.#client.get(link)).getToxic(name)).remove())
    }
    return { removed }
  }

  dispose(): void {
    this.#unhook?.()
  }
}
