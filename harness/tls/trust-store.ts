import { readFileSync } from 'node:fs'
import { getCACertificates } from 'node:tls'

export class TrustStoreError extends Error {
  readonly code = 'LAYERCHECK_CA_FILE'
  constructor(caFile: string, cause: unknown) {
    super(`tls.caFile: cannot read ${caFile}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause })
  }
}

const cache = new Map<string, string[]>()

/**
 * The CAs a handshake is verified against: Node's default store, the
 * operating system's store, and the profile's tls.caFile (PEM, one or more
 * certificates). Read once per file.
 */
export function trustedCas(caFile?: string): string[] {
  const key = caFile ?? ''
  let cas = cache.get(key)
  if (!cas) {
    let extra: string[] = []
    if (caFile) {
      try {
        extra = [readFileSync(caFile, 'utf8')]
      } catch (error) {
        throw new TrustStoreError(caFile, error)
      }
    }
    cas = [...new Set([...getCACertificates('default'), ...getCACertificates('system'), ...extra])]
    cache.set(key, cas)
  }
  return cas
}
