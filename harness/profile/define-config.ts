import type { ProfileInput } from './schema.ts'

/** Typed identity for `layercheck.config.ts`, in the style of vitest and playwright. */
export function defineConfig(profile: ProfileInput): ProfileInput {
  return profile
}
