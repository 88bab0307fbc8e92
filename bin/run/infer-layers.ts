import type { RunReport } from '../../harness/model/check-result.ts'
import { formatLayers } from '../../harness/model/report-view.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import type { Profile, ProfileInput } from '../../harness/profile/schema.ts'
import { calibrate } from '../../harness/target/calibrate.ts'
import { clientForProfile } from '../../harness/target/client-for-profile.ts'

type Layers = NonNullable<RunReport['target']['inferredLayers']>

/** What the target's own answers say of its layers (the calibration every check's attribution uses). */
export async function inferLayers(profile: Readonly<Profile>): Promise<Layers> {
  const client = clientForProfile(profile)
  try {
    return (await calibrate(profile, client)).inferred
  } catch {
    return {}
  } finally {
    await client.close()
  }
}

/** `layers: proxy nginx (profile) · app server uvicorn (seen, likely) · app not seen` */
export function describeLayers(profile: Readonly<Profile>, inferred: Layers): string {
  const layers = Object.fromEntries(Object.entries(profile.layers ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
  return `layers: ${formatLayers({ baseUrl: profile.baseUrl, name: profile.name ?? profile.baseUrl, layers, inferredLayers: inferred })}`
}

/**
 * The profile with the first hop the calibration saw, where the profile says nothing of it (no layers.proxy,
 * protocol.firstHop or protocol.url): the raw probes' refusals are then expected from the layer that really
 * accepts connections, not from an app server assumed to stand there. Only the tier is taken, never a product
 * name: a product brings its stock choices, which only the profile may claim.
 */
export function withSeenFirstHop(profile: Readonly<Profile>, inferred: Layers): { profile: Readonly<Profile>; note?: string } {
  if (profile.layers?.proxy || profile.protocol.firstHop || profile.protocol.url) return { profile }
  const seen = inferred.proxy ? 'proxy' : undefined
  if (!seen || inferred.proxy!.confidence === 'unknown') return { profile }
  const input = structuredClone(profile) as ProfileInput
  input.protocol = { ...input.protocol, firstHop: seen }
  return {
    profile: parseProfile(input, 'the profile with the first hop seen', () => {}),
    note: `first hop: a proxy${inferred.proxy!.product ? ` (${inferred.proxy!.product})` : ''}, as calibration saw it (${inferred.proxy!.confidence}); layers.proxy in a profile says so for good`,
  }
}
