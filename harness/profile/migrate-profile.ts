// Profiles written before the route facts left `faults` keep loading: each
// moved key is read from its old place, and the user is told where it lives
// now. Only a key set in both places, differently, is an error.

/** Old `faults.<key>` → its home since the slow, large and crash routes stopped needing Toxiproxy. */
const MOVED_FROM_FAULTS = {
  upstreamTimeoutMs: ['upstream', 'readTimeoutMs'],
  gatewayTimeoutMs: ['upstream', 'gatewayTimeoutMs'],
  marginMs: ['upstream', 'marginMs'],
  largePath: ['routes', 'large'],
  slowPath: ['routes', 'slow'],
  crash: ['routes', 'crash'],
} as const

export interface Migration {
  input: unknown
  /** One line per key read from its old place: where to move it. */
  notices: string[]
  /** Keys set in both places with different values. */
  problems: string[]
}

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

export function migrateProfile(input: unknown): Migration {
  if (!isObject(input) || !isObject(input.faults)) return { input, notices: [], problems: [] }
  const profile: Json = { ...input, faults: { ...input.faults } }
  const faults = profile.faults as Json
  const notices: string[] = []
  const problems: string[] = []
  for (const [oldKey, [section, newKey]] of Object.entries(MOVED_FROM_FAULTS)) {
    if (!(oldKey in faults)) continue
    const value = faults[oldKey]
    delete faults[oldKey]
    const target: Json = isObject(profile[section]) ? { ...(profile[section] as Json) } : {}
    if (newKey in target && JSON.stringify(target[newKey]) !== JSON.stringify(value)) {
      problems.push(`faults.${oldKey}: moved to ${section}.${newKey}, which is set to something else: keep only ${section}.${newKey}`)
      continue
    }
    target[newKey] = value
    profile[section] = target
    notices.push(`faults.${oldKey} is now ${section}.${newKey} (read from its old place; move it there)`)
  }
  // Before, the links were the only count of instances.
  if (notices.length && Array.isArray(faults.links) && isObject(profile.upstream) && !('instances' in profile.upstream)) {
    profile.upstream = { ...profile.upstream, instances: faults.links.length }
  }
  return { input: profile, notices, problems }
}
