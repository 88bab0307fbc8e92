import type { Profile } from '../profile/schema.ts'

/**
 * Keys a gate may read whose missing value is documented through another key:
 * `probes.healthAnswers` is set by the run; what the user documents is a path
 * that answers 2xx.
 */
const DOCUMENTED_THROUGH: Readonly<Record<string, string>> = {
  'probes.healthAnswers': 'probes.healthPath',
}

const missing = (value: unknown) => value === undefined || value === null || value === false

/**
 * The profile key a closed gate needs: it runs the gate on a recording copy of
 * the profile and takes the first key read that holds nothing (`auth`,
 * `limits.maxBodyBytes`), else the last key read. What a guided summary groups
 * not-applicable checks by; derived from the gate's own code, never from its text.
 */
export function neededKey(gate: (profile: Readonly<Profile>) => unknown, profile: Readonly<Profile>): string | undefined {
  const reads: { key: string; value: unknown }[] = []
  // A frozen object's proxy must return its own values: wrap a mutable copy.
  const wrap = (value: object, prefix: string[]): object => new Proxy(value, {
    get(target, key, receiver) {
      const inner = Reflect.get(target, key, receiver)
      if (typeof key !== 'string' || Array.isArray(target)) return inner
      const path = [...prefix, key]
      if (path[0] !== 'checks') reads.push({ key: path.join('.'), value: inner })
      return inner && typeof inner === 'object' && !Array.isArray(inner) ? wrap(inner, path) : inner
    },
  })
  gate(wrap(structuredClone(profile) as Profile, []) as Readonly<Profile>)
  const key = (reads.find((read) => missing(read.value)) ?? reads.at(-1))?.key
  return key === undefined ? undefined : DOCUMENTED_THROUGH[key] ?? key
}
