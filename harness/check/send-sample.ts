import type { SendOptions } from '../http/http-client.ts'
import type { Exchange } from '../model/check-result.ts'
import type { CheckContext } from './define-check.ts'

/** Failure codes of a connection reset under a client still sending its body: an answer already received can be lost with it. */
const LOST_TO_RESET = new Set(['EPIPE', 'ECONNRESET', 'UND_ERR_SOCKET'])

/**
 * Sends one sample. A front that refuses an oversize body and closes at once can reset the connection
 * under a client still sending, and the kernel then drops the answer it had already received. Whether
 * clients get the 413 is proxy.body-size.413's to judge; a check that only needs the page (its headers,
 * its request ID) retries once, and keeps both exchanges as evidence.
 */
export async function sendSample(send: CheckContext['send'], sample: SendOptions): Promise<Exchange> {
  const first = await send(sample)
  if (first.response || sample.body === undefined || !LOST_TO_RESET.has(first.failure?.code ?? '')) return first
  return send({ ...sample, label: `${sample.label ?? 'sample'}, again: the first answer was lost to a reset` })
}
