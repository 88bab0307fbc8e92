import type { Profile } from '../profile/schema.ts'

/** What `layercheck run --seed <n> --case <id>` asks of the generated cases. */
export interface CaseFlags {
  /** --seed: replaces schemaCases.seed. */
  seed?: number
  /** --case (repeatable): replaces schemaCases.replay. */
  case?: readonly string[]
}

/** The checks a replay needs, when --only names none: the two that send the generated cases. */
export const CASE_CHECKS = 'validation.schema.*'

/**
 * The profile with the command line's seed and replayed ids in schemaCases: the workers read the
 * profile from the run's file, so the flags reach every check the way the profile's own keys do.
 */
export function withCaseFlags<P extends Readonly<Profile>>(profile: P, flags: CaseFlags): P {
  if (flags.seed === undefined && !flags.case?.length) return profile
  return {
    ...profile,
    schemaCases: {
      ...profile.schemaCases,
      ...(flags.seed !== undefined && { seed: flags.seed }),
      ...(flags.case?.length && { replay: [...flags.case] }),
    },
  }
}
