/** A curl command that replays a request; secrets become environment references. */
export interface ReproInput {
  method: string
  url: string
  headers: [string, string][]
  body?: Uint8Array
  /** Replaces secret values by `$ENV` references; the repro never holds a secret. */
  envReferences: (value: string) => { text: string; replaced: boolean }
  caFile?: string
  insecure?: boolean
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
const INLINE_BODY_LIMIT = 1024

export function curlRepro(input: ReproInput): string {
  const parts = ['curl -sS -i']
  if (input.method !== 'GET') parts.push(`-X ${input.method}`)
  // TLS options only where TLS is spoken: a plain http:// repro stays short.
  const https = input.url.startsWith('https:')
  if (https && input.caFile) parts.push(`--cacert ${shellQuote(input.caFile)}`)
  if (https && input.insecure) parts.push('-k')
  for (const [name, value] of input.headers) {
    if (name.toLowerCase() === 'content-length' || name.toLowerCase() === 'host') continue
    const { text, replaced } = input.envReferences(`${name}: ${value}`)
    // Double quotes so the shell expands the variable, and the value never appears.
    parts.push(replaced ? `-H "${text.replace(/["\\`]/g, '\\$&')}"` : `-H ${shellQuote(text)}`)
  }
  if (input.body && input.body.length > 0) {
    if (input.body.length <= INLINE_BODY_LIMIT) {
      parts.push(`--data-binary ${shellQuote(input.envReferences(new TextDecoder().decode(input.body)).text)}`)
    } else {
      parts.push(largeBody(new TextDecoder().decode(input.body), input.body.length))
    }
  }
  const url = input.envReferences(input.url)
  parts.splice(parts.length - (input.body && input.body.length > INLINE_BODY_LIMIT ? 1 : 0), 0, url.replaced ? `"${url.text}"` : shellQuote(url.text))
  return parts.join(' ')
}

/**
 * A large probe body is almost always a small document padded with one repeated
 * character: rebuild it in the shell (bash process substitution) so the repro
 * stays one pasteable line.
 */
function largeBody(text: string, bytes: number): string {
  const run = /(.)\1{1023,}/s.exec(text)
  if (!run || Buffer.byteLength(run[1]!) !== 1) return `--data-binary @body.bin  # a ${bytes}-byte body, as in the evidence`
  const prefix = text.slice(0, run.index)
  const suffix = text.slice(run.index + run[0].length)
  const fill = run[1] === "'" ? `"'"` : shellQuote(run[1]!)
  return `--data-binary @<(printf %s ${shellQuote(prefix)}; head -c ${run[0].length} /dev/zero | tr '\\0' ${fill}; printf %s ${shellQuote(suffix)})`
}
