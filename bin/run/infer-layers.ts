import type { RunReport } from '../../harness/model/check-result.ts'
import { formatLayers } from '../../harness/model/report-view.ts'
import type { Profile } from '../../harness/profile/schema.ts'
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
