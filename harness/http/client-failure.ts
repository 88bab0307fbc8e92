import type { ClientFailure } from '../model/check-result.ts'

// Node and undici bury the code that matters: an AggregateError from happy
// eyeballs, a cause chain, or a TLS code on the socket error. Dig it out.
export function toClientFailure(error: unknown): ClientFailure {
  const chain: unknown[] = []
  const visit = (e: unknown, depth: number) => {
    if (!e || typeof e !== 'object' || depth > 5) return
    chain.push(e)
    visit((e as { cause?: unknown }).cause, depth + 1)
    for (const inner of (e as { errors?: unknown[] }).errors ?? []) visit(inner, depth + 1)
  }
  visit(error, 0)
  // DOMExceptions (AbortSignal.timeout) carry a numeric code; their name says it.
  const codes = chain.map((e) => {
    const { code, name } = e as { code?: unknown; name?: unknown }
    return typeof code === 'string' ? code : name === 'TimeoutError' || name === 'AbortError' ? String(name) : undefined
  }).filter((c): c is string => typeof c === 'string')
  // Prefer the most specific code: a system/TLS code over undici's wrapper codes.
  const specific = codes.find((c) => !c.startsWith('UND_ERR_') && !/^(TimeoutError|AbortError)$/.test(c)) ?? codes[0] ?? 'UNKNOWN'
  const messages = chain.map((e) => (e as Error).message).filter(Boolean)
  return { code: specific, message: [...new Set(messages)].join(': ') || String(error) }
}
