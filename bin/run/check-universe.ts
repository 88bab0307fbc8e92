// The checks a run can choose from: the built-in ones and the profile's own (`checks.include`).
import { dirname } from 'node:path'
import type { CheckDefinition } from '../../harness/check/define-check.ts'
import { findUserCheckFiles, importUserChecks } from '../../harness/check/user-checks.ts'
import { ProfileError } from '../../harness/profile/profile-error.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { ALL_CHECKS, checkIdProblems, regionOf, type Region } from '../../suites/all-checks.ts'

/** The suite directory (suites/custom/) whose one file runs the profile's own checks. */
export const USER_REGION = 'custom'
export type RunRegion = Region | typeof USER_REGION

export interface CheckUniverse {
  /** Every check, built-in and the profile's own, in lifecycle order (by step; built-in first within a step). */
  checks: readonly CheckDefinition[]
  /** The profile's own checks. */
  user: readonly CheckDefinition[]
  /** Their files, absolute: the suite worker imports them again. */
  userFiles: string[]
  /** The suite directory a check runs from. */
  regionOf(check: CheckDefinition): RunRegion
}

export const BUILT_IN_UNIVERSE: CheckUniverse = { checks: ALL_CHECKS, user: [], userFiles: [], regionOf }

/**
 * Loads the profile's own checks (globs relative to the profile's file) and vets the ids the profile
 * names under `checks`, which may be built-in or its own. Throws ProfileError (exit 2) naming each problem.
 */
export async function checkUniverse(profile: Readonly<Profile> | undefined, profileFile: string | undefined): Promise<CheckUniverse> {
  const include = profile?.checks.include
  const userFiles = include?.length ? await findUserCheckFiles(include, dirname(profileFile ?? '.')) : []
  const user = userFiles.length ? await importUserChecks(userFiles, new Set(ALL_CHECKS.map((c) => c.id))) : []
  if (profile) {
    const named = Object.keys(profile.checks).filter((key) => key !== 'include')
    const userIds = new Set(user.map((c) => c.id))
    const unknown = checkIdProblems(named.filter((id) => !userIds.has(id)))
    if (unknown.length) throw new ProfileError(profileFile ?? 'profile', unknown)
  }
  if (!user.length) return BUILT_IN_UNIVERSE
  const userIds = new Set(user.map((c) => c.id))
  const checks = [...ALL_CHECKS, ...user].map((check, index) => ({ check, index }))
    .sort((a, b) => a.check.step - b.check.step || a.index - b.index).map(({ check }) => check)
  return { checks, user, userFiles, regionOf: (check) => (userIds.has(check.id) ? USER_REGION : regionOf(check)) }
}
