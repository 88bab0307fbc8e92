// The faults a check can inject, with units in their names. Toxiproxy's field
// names and units are mapped in this one place (its slicer delay is in µs).
// Behaviour of each toxic: Shopify/toxiproxy toxics/*.go.

export type Direction = 'upstream' | 'downstream'

export type Fault =
  /** The link refuses connections (the proxy is disabled): as if the app were not running. */
  | { kind: 'down' }
  /** Every chunk of data is delayed by latencyMs ± jitterMs. */
  | { kind: 'latency'; latencyMs: number; jitterMs?: number; direction?: Direction }
  /** No data gets through; the connection closes after timeoutMs (0: held open until the fault is removed). */
  | { kind: 'timeout'; timeoutMs: number; direction?: Direction }
  /** The connection is reset (TCP RST) after timeoutMs (0: at once). */
  | { kind: 'reset-peer'; timeoutMs: number; direction?: Direction }
  /** The connection closes after `bytes` bytes have passed. */
  | { kind: 'limit-data'; bytes: number; direction?: Direction }
  /** Data is cut into ~averageSizeBytes pieces sent delayMs apart. */
  | { kind: 'slicer'; averageSizeBytes: number; sizeVariationBytes: number; delayMs: number; direction?: Direction }
  /** Throughput is capped at rateKBps kilobytes per second. */
  | { kind: 'bandwidth'; rateKBps: number; direction?: Direction }
  /** The close of the socket is delayed by delayMs. */
  | { kind: 'slow-close'; delayMs: number; direction?: Direction }

export type ToxicFault = Exclude<Fault, { kind: 'down' }>

export interface ToxicBody {
  name: string
  type: 'latency' | 'timeout' | 'reset_peer' | 'limit_data' | 'slicer' | 'bandwidth' | 'slow_close'
  stream: Direction
  toxicity: number
  attributes: Record<string, number>
}

/** Every toxic layercheck adds carries this prefix, so leftovers can be found and removed. */
export const TOXIC_PREFIX = 'layercheck-'

export function toToxic(fault: ToxicFault, name: string): ToxicBody {
  // Downstream (app → proxy) by default: most faults are about the answer coming back.
  const base = { name, stream: fault.direction ?? 'downstream', toxicity: 1 } as const
  switch (fault.kind) {
    case 'latency': return { ...base, type: 'latency', attributes: { latency: fault.latencyMs, jitter: fault.jitterMs ?? 0 } }
    case 'timeout': return { ...base, type: 'timeout', attributes: { timeout: fault.timeoutMs } }
    case 'reset-peer': return { ...base, type: 'reset_peer', attributes: { timeout: fault.timeoutMs } }
    case 'limit-data': return { ...base, type: 'limit_data', attributes: { bytes: fault.bytes } }
    case 'slicer': return {
      ...base, type: 'slicer',
      attributes: { average_size: fault.averageSizeBytes, size_variation: fault.sizeVariationBytes, delay: fault.delayMs * 1000 },
    }
    case 'bandwidth': return { ...base, type: 'bandwidth', attributes: { rate: fault.rateKBps } }
    case 'slow-close': return { ...base, type: 'slow_close', attributes: { delay: fault.delayMs } }
  }
}

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'down': return 'link down (connections refused)'
    case 'latency': return `latency ${fault.latencyMs} ms${fault.jitterMs ? ` ± ${fault.jitterMs} ms` : ''} (${fault.direction ?? 'downstream'})`
    case 'timeout': return fault.timeoutMs === 0 ? `timeout: data held forever (${fault.direction ?? 'downstream'})` : `timeout after ${fault.timeoutMs} ms`
    case 'reset-peer': return `reset_peer after ${fault.timeoutMs} ms (${fault.direction ?? 'downstream'})`
    case 'limit-data': return `limit_data: close after ${fault.bytes} bytes (${fault.direction ?? 'downstream'})`
    case 'slicer': return `slicer: ~${fault.averageSizeBytes}-byte pieces every ${fault.delayMs} ms (${fault.direction ?? 'downstream'})`
    case 'bandwidth': return `bandwidth ${fault.rateKBps} KB/s (${fault.direction ?? 'downstream'})`
    case 'slow-close': return `slow_close ${fault.delayMs} ms (${fault.direction ?? 'downstream'})`
  }
}
