import type { Profile } from '../../harness/profile/schema.ts'

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i

export const isLoopback = (url: string) => LOOPBACK.test(new URL(url).hostname)

/** Faults disturb every user of a deployment: off loopback they need an explicit opt-in (DESIGN §6). */
export function needsFaults(profile: Readonly<Profile>): string | undefined {
  if (!profile.faults) return 'faults is not set: name the Toxiproxy API and the proxy → app links'
  const host = new URL(profile.baseUrl).hostname
  if (!isLoopback(profile.baseUrl) && process.env.LAYERCHECK_ALLOW_DISRUPTIVE !== '1') {
    return `the target ${host} is not loopback: fault injection needs --allow-disruptive`
  }
  return undefined
}

export const needsFaultsAnd = (more: (p: Readonly<Profile>) => string | undefined) =>
  (profile: Readonly<Profile>) => needsFaults(profile) ?? more(profile)

export const needsLargePath = needsFaultsAnd((p) => (p.faults!.largePath ? undefined : 'faults.largePath is not set: name a GET path with a large body'))
