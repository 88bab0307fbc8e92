import { afterAll, beforeAll } from 'vitest'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { clientForProfile } from '../../harness/target/client-for-profile.ts'
import type { HttpClient } from '../../harness/http/http-client.ts'
import type { FaultInjector } from '../../harness/toxiproxy/fault-injector.ts'
import { injectorForProfile } from '../../harness/toxiproxy/injector-for-profile.ts'
import { referenceProfile } from '../../targets/nginx-fastapi/profile.ts'
import { startReferenceStack, TOKEN_ENV, type ReferenceStack } from '../../targets/nginx-fastapi/stack.ts'
import type { StackVariant } from '../../targets/nginx-fastapi/variants.ts'

export interface StackUnderTest {
  stack: ReferenceStack
  profile: Readonly<Profile>
  client: HttpClient
  env: NodeJS.ProcessEnv
  faults: FaultInjector
}

export async function openStack(variant?: StackVariant): Promise<StackUnderTest> {
  const stack = await startReferenceStack({ variant })
  const env = { [TOKEN_ENV.user]: stack.tokens.user, [TOKEN_ENV.admin]: stack.tokens.admin }
  const profile = parseProfile(referenceProfile(stack))
  return { stack, profile, env, client: clientForProfile(profile, env), faults: injectorForProfile(profile)! }
}

export async function closeStack(under: StackUnderTest | undefined): Promise<void> {
  if (!under) return
  await under.client.close()
  under.faults.dispose()
  await under.stack.stop()
}

/** A stack for the whole file: started before its tests, stopped after them even when they fail. */
export function useStack(variant?: StackVariant): () => StackUnderTest {
  let under: StackUnderTest | undefined
  beforeAll(async () => {
    under = await openStack(variant)
  })
  afterAll(() => closeStack(under))
  return () => {
    if (!under) throw new Error('the stack did not start (see the beforeAll error)')
    return under
  }
}
