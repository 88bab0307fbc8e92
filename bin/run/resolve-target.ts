import { parseProfile, writtenInput } from '../../harness/profile/load-profile.ts'
import type { Profile, ProfileInput } from '../../harness/profile/schema.ts'
import { referenceProfile } from '../../targets/nginx-fastapi/profile.ts'
import { startReferenceStack, TOKEN_ENV, type ReferenceStack } from '../../targets/nginx-fastapi/stack.ts'

export interface ResolvedTarget {
  profile: Readonly<Profile>
  /** The embedded stack when the run started one; the caller stops it. */
  stack?: ReferenceStack
}

export interface TargetOptions {
  /** The profile --config named (or the one found in the working directory), already loaded and vetted. */
  loaded?: Readonly<Profile>
  /** Its file, for messages. */
  config?: string
  target?: string
  onStackStarting?: () => void
}

/**
 * --config names a profile; --target alone checks a URL with a minimal profile
 * (most checks are then not applicable); neither starts the embedded stack.
 */
export async function resolveTarget(options: TargetOptions): Promise<ResolvedTarget> {
  const { loaded } = options
  if (loaded) {
    if (!options.target) return { profile: loaded }
    // From what was written, so keys left to their defaults stay undocumented (a run still looks for a served path).
    const written = (writtenInput(loaded) ?? loaded) as ProfileInput
    return { profile: parseProfile({ ...structuredClone(written), baseUrl: options.target }, `${options.config} with --target`, () => {}) }
  }
  if (options.target) return { profile: parseProfile({ baseUrl: options.target }, '--target') }
  options.onStackStarting?.()
  const stack = await startReferenceStack()
  process.env[TOKEN_ENV.user] = stack.tokens.user
  process.env[TOKEN_ENV.admin] = stack.tokens.admin
  return { profile: parseProfile(referenceProfile(stack), 'the reference stack profile'), stack }
}
