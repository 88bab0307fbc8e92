import type { Profile } from '../../harness/profile/schema.ts'
import { isLoopback } from '../../harness/net/loopback.ts'

export { isLoopback }

type Requirement = (profile: Readonly<Profile>) => string | undefined

/** Checks that disturb every user of a deployment (faults, crashed workers): off loopback they need an explicit opt-in (DESIGN §6). */
export const needsDisruptiveOptIn: Requirement = (profile) => (!isLoopback(profile.baseUrl) && process.env.LAYERCHECK_ALLOW_DISRUPTIVE !== '1'
  ? `the target ${new URL(profile.baseUrl).hostname} is not loopback: disturbing it needs --allow-disruptive`
  : undefined)

/** The documented upstream timings every timed answer is judged by. */
export const needsUpstream: Requirement = (profile) => (profile.upstream ? undefined
  : "upstream is not set: document the proxy's upstream read timeout and when its 504 comes")

/** Toxiproxy between the proxy and the app, and the timings the injected faults are judged by. */
export const needsFaults: Requirement = (profile) => (profile.faults ? undefined : 'faults is not set: name the Toxiproxy API and the proxy → app links')
  ?? needsUpstream(profile) ?? needsDisruptiveOptIn(profile)

export const needsFaultsAnd = (more: Requirement): Requirement => (profile) => needsFaults(profile) ?? more(profile)

export const needsLargeRoute = needsFaultsAnd((p) => (p.routes.large ? undefined : 'routes.large is not set: name a GET route with a large body'))
