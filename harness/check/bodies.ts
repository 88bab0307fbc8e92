import type { Profile } from '../profile/schema.ts'

/**
 * A JSON document of exactly `totalBytes` bytes: the valid body with one string
 * field padded. Being valid JSON, it is accepted on its merits wherever no size
 * limit stops it, so only the limit decides the answer.
 */
export function paddedJsonBody(validBody: Record<string, unknown>, paddingField: string, totalBytes: number): string {
  const base = JSON.stringify({ ...validBody, [paddingField]: '' })
  const padding = totalBytes - Buffer.byteLength(base)
  if (padding < 0) throw new Error(`the valid body is already ${Buffer.byteLength(base)} bytes, more than ${totalBytes}`)
  return JSON.stringify({ ...validBody, [paddingField]: 'a'.repeat(padding) })
}

/** What the profile says of a body over limits.maxBodyBytes: refused with 413 by limits.bodyLimitLayer. */
export const documentedOversize = (profile: Readonly<Profile>) => ({
  status: 413,
  tier: profile.limits.bodyLimitLayer,
  because: `limits.bodyLimitLayer documents the ${profile.limits.bodyLimitLayer} as refusing bodies over ${profile.limits.maxBodyBytes} bytes with 413`,
})

/** What the profile says of probes.errorPath: a route whose handler raises, so its 500 is the app's. */
export const documentedAppError = (profile: Readonly<Profile>) => ({
  status: 500,
  tier: 'app' as const,
  because: `probes.errorPath (${profile.probes.errorPath}) is documented as a route whose handler raises: its 500 is the app's`,
})
