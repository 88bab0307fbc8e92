// Which field names hold secrets. A body, a query string or a log line names its
// secrets by their fields, so evidence can mask a value the harness never knew
// (a password a login probe made up, an access token a target sent back).

/**
 * Field names whose values are secrets, before the profile's own (`redact.fields`).
 * Matched case-insensitively, with or without `-`/`_` between words (`api_key`,
 * `api-key`, `apiKey`, `APIKEY`), and as the last words of a longer name
 * (`new_password`, `stripe_api_key`); never inside a word (`passage`, `bypass`).
 */
export const DEFAULT_SECRET_FIELDS: readonly string[] = [
  'password', 'passwd', 'pass', 'pwd', 'passphrase',
  'secret', 'client_secret', 'api_secret', 'secret_key', 'private_key',
  'token', 'access_token', 'refresh_token', 'id_token', 'auth_token',
  'api_key', 'apikey', 'access_key', 'authorization', 'cookie', 'session_id',
]

/** The words of a field name, lower-case: `newPassword`, `new-password` and `NEW_PASSWORD` are all new, password. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
}

/** Whether a field's value is a secret: `extra` names are matched like the defaults. */
export type SecretFieldRule = (name: string) => boolean

export function secretFieldRule(extra: readonly string[] = []): SecretFieldRule {
  // Compared without separators, so `api_key` and `apikey` are one name.
  const names = new Set([...DEFAULT_SECRET_FIELDS, ...extra].map((name) => wordsOf(name).join('')).filter(Boolean))
  return (name) => {
    const words = wordsOf(name)
    // Any run of last words: `user_api_key` is secret through `api_key` (and `key` alone is not listed).
    for (let first = words.length - 1; first >= 0; first--) if (names.has(words.slice(first).join(''))) return true
    return false
  }
}
