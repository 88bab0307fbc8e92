import type { Profile } from '../profile/schema.ts'
import { FaultInjector } from './fault-injector.ts'

/** The profile's fault control, or undefined when it names no Toxiproxy. */
export function injectorForProfile(profile: Readonly<Profile>): FaultInjector | undefined {
  return profile.faults ? new FaultInjector(profile.faults.toxiproxyApi, profile.faults.links) : undefined
}
