// Secrets never reach a report or a log: every header and excerpt the harness
// records passes through one Redactor that knows the run's secret values, the
// values of secret fields in the bodies it sent, and which field names hold secrets.
import { secretSpans, secretValues } from './secret-field-values.ts'
import { secretFieldRule, type SecretFieldRule } from './secret-fields.ts'

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'])
export const REDACTED = '[redacted]'
/** Repros take a secret field's value from `$LAYERCHECK_SECRET_<FIELD>`, as they take a token from the variable that holds it. */
export const FIELD_ENV_PREFIX = 'LAYERCHECK_SECRET_'
// A known value shorter than this is too likely to be ordinary text to be masked
// wherever it appears; next to its field's name it always is.
const MIN_SECRET_CHARS = 6

/** Text with its secrets taken out: literal pieces, and the environment variable that holds each secret. */
export type ShellPiece = string | { env: string }

interface Span { start: number; end: number; env: string; bare?: boolean }

export class Redactor {
  readonly #isSecretField: SecretFieldRule
  /** Each known secret value → the environment variable a repro takes it from. */
  readonly #envOf = new Map<string, string>()
  /** Longest first, so a secret that contains another is replaced whole. */
  #secrets: string[] = []

  /** `secrets`: environment variable name → its secret value; `isSecretField`: the field names whose values are masked. */
  constructor(secrets: Record<string, string | undefined>, isSecretField: SecretFieldRule = secretFieldRule()) {
    this.#isSecretField = isSecretField
    for (const [env, value] of Object.entries(secrets)) if (value) this.#remember(value, env)
  }

  /** Remembers the secret fields' values of a body about to be sent: an echo of them, or a log line, is masked too. */
  learnSecretsFrom(body: string): void {
    for (const { field, value } of secretValues(body, this.#isSecretField)) this.#remember(value, fieldEnv(field))
  }

  #remember(value: string, env: string): void {
    if (value.length < MIN_SECRET_CHARS || this.#envOf.has(value)) return
    this.#envOf.set(value, env)
    this.#secrets = [...this.#envOf.keys()].sort((a, b) => b.length - a.length)
  }

  /** The value with each secret replaced by a reference to its variable, for repro commands. */
  asEnvReferences(value: string): ShellPiece[] {
    return this.#pieces(value).map((piece) => (typeof piece === 'string' ? piece : { env: piece.env }))
  }

  text(value: string): string {
    // A bare JSON number gives way to a string: the excerpt stays JSON a check can read.
    return this.#pieces(value).map((piece) => (typeof piece === 'string' ? piece : piece.bare ? `"${REDACTED}"` : REDACTED)).join('')
  }

  header(name: string, value: string): string {
    if (!SECRET_HEADERS.has(name.toLowerCase())) return this.text(value)
    // Keep the scheme: "Bearer [redacted]" still tells the reader what was sent.
    const scheme = /^([A-Za-z][\w-]*)\s+\S/.exec(value)?.[1]
    return scheme && name.toLowerCase().endsWith('authorization') ? `${scheme} ${REDACTED}` : REDACTED
  }

  headers(pairs: [string, string][]): [string, string][] {
    return pairs.map(([name, value]) => [name, this.header(name, value)])
  }

  /** The text cut at every secret: known values anywhere, and secret fields' values in place. */
  #pieces(value: string): (string | Span)[] {
    // Known values first: where a field holds one, the repro names the variable the reader already has.
    const spans: Span[] = []
    for (const secret of this.#secrets) {
      for (let at = value.indexOf(secret); at >= 0; at = value.indexOf(secret, at + secret.length)) {
        spans.push({ start: at, end: at + secret.length, env: this.#envOf.get(secret)! })
      }
    }
    for (const { field, start, end, bare } of secretSpans(value, this.#isSecretField)) spans.push({ start, end, env: fieldEnv(field), bare })
    const pieces: (string | Span)[] = []
    let done = 0
    // Overlapping secrets are masked as one: no part of either shows.
    for (const span of mergeOverlaps(spans)) {
      if (span.start > done) pieces.push(value.slice(done, span.start))
      pieces.push(span)
      done = span.end
    }
    if (done < value.length) pieces.push(value.slice(done))
    return pieces
  }
}

/** Overlapping spans joined; of two that start together, the longer (then the first listed) names the whole. */
function mergeOverlaps(spans: Span[]): Span[] {
  const merged: Span[] = []
  for (const span of [...spans].sort((a, b) => a.start - b.start || b.end - a.end)) {
    const last = merged.at(-1)
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end)
      last.bare ||= span.bare
    } else merged.push({ ...span })
  }
  return merged
}

const fieldEnv = (field: string) => FIELD_ENV_PREFIX + field.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase()
