import { FIELD_ENV_PREFIX, type ShellPiece } from './redactor.ts'

/** A curl command that replays a request; secrets become environment references. */
export interface ReproInput {
  method: string
  url: string
  headers: [string, string][]
  body?: Uint8Array
  /** Cuts secret values out as `$ENV` references; the repro never holds a secret. */
  envReferences: (value: string) => ShellPiece[]
  caFile?: string
  insecure?: boolean
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
const INLINE_BODY_LIMIT = 1024

/**
 * One shell word for text holding secret references: single-quoted when it has none;
 * else double-quoted, so the shell expands `$NAME` and nothing else (`"`, `\\`, `$`, `\`` escaped;
 * `!` quoted apart, as an interactive shell expands it even in double quotes).
 */
function shellWord(pieces: ShellPiece[]): string {
  if (pieces.every((piece) => typeof piece === 'string')) return shellQuote(pieces.join(''))
  const inside = pieces.map((piece, i) => {
    if (typeof piece === 'string') return piece.replace(/["\\$`]/g, '\\$&').replace(/!/g, `"'!'"`)
    const next = pieces[i + 1]
    return typeof next === 'string' && /^\w/.test(next) ? `\${${piece.env}}` : `$${piece.env}`
  })
  return `"${inside.join('')}"`
}

/** The variables of secret fields a repro refers to: the reader sets them, having no other copy of the value. */
function fieldEnvNote(words: ShellPiece[][]): string | undefined {
  const names = new Set(words.flat().flatMap((piece) => (typeof piece !== 'string' && piece.env.startsWith(FIELD_ENV_PREFIX) ? [piece.env] : [])))
  return names.size ? `  # set ${[...names].join(', ')}: the secret field values sent, masked in this report` : undefined
}

export function curlRepro(input: ReproInput): string {
  const parts = ['curl -sS -i']
  if (input.method !== 'GET') parts.push(`-X ${input.method}`)
  // TLS options only where TLS is spoken: a plain http:// repro stays short.
  const https = input.url.startsWith('https:')
  if (https && input.caFile) parts.push(`--cacert ${shellQuote(input.caFile)}`)
  if (https && input.insecure) parts.push('-k')
  // Every word that may hold a secret, for the note on the variables to set.
  const referring: ShellPiece[][] = []
  const word = (text: string) => {
    const pieces = input.envReferences(text)
    referring.push(pieces)
    return shellWord(pieces)
  }
  for (const [name, value] of input.headers) {
    if (name.toLowerCase() === 'content-length' || name.toLowerCase() === 'host') continue
    parts.push(`-H ${word(`${name}: ${value}`)}`)
  }
  if (input.body && input.body.length > 0) {
    if (input.body.length <= INLINE_BODY_LIMIT) {
      parts.push(`--data-binary ${word(new TextDecoder().decode(input.body))}`)
    } else {
      parts.push(largeBody(new TextDecoder().decode(input.body), input.body.length, word))
    }
  }
  parts.splice(parts.length - (input.body && input.body.length > INLINE_BODY_LIMIT ? 1 : 0), 0, word(input.url))
  const note = fieldEnvNote(referring)
  return parts.join(' ') + (note ?? '')
}

/**
 * A large probe body is almost always a small document padded with one repeated
 * character: rebuild it in the shell (bash process substitution) so the repro
 * stays one pasteable line.
 */
function largeBody(text: string, bytes: number, word: (text: string) => string): string {
  const run = /(.)\1{1023,}/s.exec(text)
  if (!run || Buffer.byteLength(run[1]!) !== 1) return `--data-binary @body.bin  # a ${bytes}-byte body, as in the evidence`
  const prefix = text.slice(0, run.index)
  const suffix = text.slice(run.index + run[0].length)
  const fill = run[1] === "'" ? `"'"` : shellQuote(run[1]!)
  return `--data-binary @<(printf %s ${word(prefix)}; head -c ${run[0].length} /dev/zero | tr '\\0' ${fill}; printf %s ${word(suffix)})`
}
