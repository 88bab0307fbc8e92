// Secrets never reach a report or a log: every header and excerpt the harness
// records passes through one Redactor that knows the run's secret values.

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key'])
export const REDACTED = '[redacted]'

export class Redactor {
  readonly #secrets: string[]
  readonly #envOf: Map<string, string>

  /** `secrets`: environment variable name → its secret value. */
  constructor(secrets: Record<string, string | undefined>) {
    this.#envOf = new Map()
    for (const [env, value] of Object.entries(secrets)) if (value && value.length >= 6) this.#envOf.set(value, env)
    // Longest first, so a secret that contains another is replaced whole.
    this.#secrets = [...this.#envOf.keys()].sort((a, b) => b.length - a.length)
  }

  /** The value with each secret replaced by a shell reference to its variable, for repro commands. */
  asEnvReferences(value: string): { text: string; replaced: boolean } {
    let text = value
    for (const secret of this.#secrets) text = text.split(secret).join(`$${this.#envOf.get(secret)}`)
    return { text, replaced: text !== value }
  }

  text(value: string): string {
    let out = value
    for (const secret of this.#secrets) out = out.split(secret).join(REDACTED)
    return out
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
}
