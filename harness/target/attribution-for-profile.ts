import type { AttributionContext } from '../attribution/attribute.ts'
import type { Profile } from '../profile/schema.ts'

// One attribution context per profile, shared by the HTTP client and the raw
// probes of a process: calibration fills it in once, and every answer after
// that is weighed against this target's own fingerprints.
const contexts = new WeakMap<object, AttributionContext>()

export function attributionFor(profile: Readonly<Profile>): AttributionContext {
  let context = contexts.get(profile)
  if (!context) {
    const layers = profile.layers
    const firstHop = profile.protocol.firstHop ?? (layers?.proxy ? (layers.proxy === 'none' ? 'app-server' : 'proxy') : undefined)
    context = { hints: { proxy: layers?.proxy, server: layers?.server, app: layers?.app }, ...(firstHop && { firstHop: { tier: firstHop } }) }
    contexts.set(profile, context)
  }
  return context
}
