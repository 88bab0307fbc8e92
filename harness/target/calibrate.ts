import { randomBytes } from 'node:crypto'
import { attributeResponse, type Calibration } from '../attribution/attribute.ts'
import type { ResponseView } from '../attribution/clue.ts'
import { learnFingerprint, type Fingerprint, type LayerFingerprint } from '../attribution/fingerprint.ts'
import { signatureClues } from '../attribution/signatures.ts'
import { viewOf, type HttpClient } from '../http/http-client.ts'
import type { AnsweredBy, InferredLayer, Tier } from '../model/check-result.ts'
import type { Profile } from '../profile/schema.ts'
import { runRawProbe } from '../raw/raw-exchange.ts'
import { attributionFor } from './attribution-for-profile.ts'
import { firstHopOf, hasProxy, rawTargetFor } from './first-hop.ts'

// Calibration: before any probe is judged, learn how this very target's layers
// write their answers — the app's from answers only the app gives (its health
// route, its router's 404), the first hop's from requests no server may pass on
// (a malformed request line, a NUL in a header). Four or five requests, none of
// them a load.

/** The signature clues of one answer that name, outright, a layer other than the one it is sampled for. */
const pagesOfOtherLayers = (view: ResponseView, tier: Tier | 'hop') =>
  signatureClues(view).filter((clue) => clue.weight >= 10 && (tier === 'app'
    ? clue.tier !== 'app'
    // A first hop known to be a proxy that passed the malformed request on: the app server's refusal is not its own.
    : clue.tier === 'app' || (tier === 'proxy' && clue.tier === 'app-server')))

async function appSamples(profile: Readonly<Profile>, client: HttpClient, origin: string): Promise<ResponseView[]> {
  const nonce = randomBytes(4).toString('hex')
  const paths = [profile.probes.healthPath, `${profile.probes.unknownPath}-${nonce}`, `${profile.probes.unknownPath}-${nonce}/x`]
    .map((path) => new URL(path, origin).href)
  const views: ResponseView[] = []
  for (const path of paths) {
    const exchange = await client.send({ path, label: 'calibration: an answer from the app' })
    // No HTTP at all: the target is down or unreachable, and the checks will say so.
    if (!exchange.response) break
    const view = viewOf(exchange.response)
    // An intercepted 404 (the proxy's own page) is not the app's, and neither is a 5xx: a gateway error, or an app
    // in trouble answering from outside its middleware. Only clean answers teach what the app's look like.
    if (view.status < 500 && pagesOfOtherLayers(view, 'app').length === 0) views.push(view)
  }
  return views
}

/** Requests every HTTP/1.1 parser must refuse itself (RFC 9112 §3, RFC 9110 §5.5): only the first hop answers them. */
const HOP_PROBES = [
  (host: string) => `GET /layercheck-calibration HTTP/1.1 extra\r\nHost: ${host}\r\n\r\n`,
  (host: string) => `GET /layercheck-calibration HTTP/1.1\r\nHost: ${host}\r\nX-Layercheck: a\x00b\r\n\r\n`,
]

async function hopSamples(profile: Readonly<Profile>, url: string, known: Tier | 'hop'): Promise<ResponseView[]> {
  const target = { ...rawTargetFor(profile), url, attribution: undefined }
  const host = new URL(url).host
  const views: ResponseView[] = []
  for (const bytes of HOP_PROBES) {
    const outcome = await runRawProbe({ label: 'calibration: an answer from the first hop', requirement: 'MUST', bytes: bytes(host) }, target)
    const response = outcome.exchange.response
    if (!response || response.status < 400 || response.status > 499) continue
    const view = viewOf(response)
    if (pagesOfOtherLayers(view, known).length === 0) views.push(view)
  }
  return views
}

function inferredFrom(by: AnsweredBy, seen: string): InferredLayer {
  return { ...(by.product && { product: by.product }), confidence: by.confidence, signals: [`${seen}: ${by.reason}`] }
}

/** The first hop's tier at an origin, where the profile says it; `hop` where it does not. */
function statedHopTier(profile: Readonly<Profile>, origin: string): Tier | 'hop' {
  const atProtocolUrl = profile.protocol.url !== undefined && new URL(profile.protocol.url).origin === origin
  if (atProtocolUrl) return firstHopOf(profile).tier
  if (profile.layers?.proxy) return hasProxy(profile) ? 'proxy' : 'app-server'
  return profile.protocol.firstHop && profile.protocol.url === undefined ? profile.protocol.firstHop : 'hop'
}

/** The tier of the first hop: the profile's word, else what its own refusals look like. */
function hopTier(stated: Tier | 'hop', hopView: ResponseView, app: LayerFingerprint | undefined, hop: Fingerprint): Tier {
  if (stated !== 'hop') return stated
  const named = signatureClues(hopView).find((c) => c.tier === 'proxy' || c.tier === 'app-server')
  if (named) return named.tier as Tier
  // A refusal written unlike the app's answers comes from a layer of its own in front of it.
  const differs = app && (JSON.stringify(app.casing) !== JSON.stringify(hop.casing) || app.server !== hop.server)
  return differs ? 'proxy' : 'app-server'
}

export async function calibrate(profile: Readonly<Profile>, client: HttpClient): Promise<Calibration> {
  const calibration: Calibration = { apps: {}, hops: {}, inferred: {} }
  const base = new URL(profile.baseUrl).origin
  // The HTTP probes' origin, and the raw probes' when protocol.url aims them elsewhere (an app server directly).
  const origins = [...new Set([base, new URL(profile.protocol.url ?? profile.baseUrl).origin])]
  let baseAppViews: ResponseView[] = []
  for (const origin of origins) {
    const appViews = await appSamples(profile, client, origin)
    if (appViews.length === 0) continue
    if (origin === base) baseAppViews = appViews
    const appPrint = learnFingerprint(appViews)!
    calibration.apps[origin] = { ...appPrint, tier: 'app', product: profile.layers?.app }

    const stated = statedHopTier(profile, origin)
    const views = await hopSamples(profile, origin, stated)
    const print = learnFingerprint(views)
    if (!print) continue
    const tier = hopTier(stated, views[0]!, calibration.apps[origin], print)
    const hint = tier === 'proxy' ? profile.layers?.proxy : tier === 'app-server' ? profile.layers?.server : undefined
    const seen = attributeResponse(views[0]!, { firstHop: { tier } })
    const product = hint && hint !== 'none' ? hint : seen.tier === tier ? seen.product : undefined
    calibration.hops[origin] = { ...print, tier: tier === 'client' || tier === 'unknown' ? 'first-hop' : tier, ...(product && { product }) }
    if (origin === base) {
      const by = seen.tier === tier ? seen : { ...seen, tier, confidence: 'likely' as const, product: undefined }
      if (tier === 'proxy') calibration.inferred.proxy = inferredFrom(by, `its refusal of a malformed request (${views[0]!.status})`)
      if (tier === 'app-server') calibration.inferred.server = inferredFrom(by, `its refusal of a malformed request (${views[0]!.status})`)
    }
  }

  for (const view of baseAppViews) {
    const by = attributeResponse(view)
    if (by.tier === 'app' && (by.product || by.candidates) && !calibration.inferred.app) {
      calibration.inferred.app = { ...inferredFrom(by, `its ${view.status} answer`), ...(by.candidates && { product: undefined }) }
      if (by.candidates) calibration.inferred.app.signals.push(`one of: ${by.candidates.join(', ')}`)
    }
  }
  const server = calibration.apps[base]?.server
  // A front that adds its own Server beside the app's (Caddy) names itself on every answer it passes on.
  const front = server?.split(',').map((s) => s.trim()).find((s) => /^(nginx|caddy|apache|envoy|traefik|varnish)\b/i.test(s))
  const proxy = calibration.inferred.proxy
  if (front && proxy && (!proxy.product || proxy.product === 'go net/http')) {
    calibration.inferred.proxy = { ...proxy, product: front.split('/')[0]!.toLowerCase(), signals: [...proxy.signals, `Server: ${front} on every answer it passes on`] }
  }
  if (server && !calibration.inferred.server) {
    // What is left once the fronts' own names are set aside (nginx replaces the app's Server with its own: nothing is).
    const own = server.split(',').map((s) => s.trim()).filter((s) => !/^(nginx|caddy|apache|haproxy|envoy|traefik|varnish)\b/i.test(s)).pop()
    if (own) calibration.inferred.server = { product: own.split('/')[0]!.toLowerCase(), confidence: 'likely', signals: [`Server: ${own} on every app answer`] }
  }
  return calibration
}

const calibrations = new WeakMap<object, Promise<Calibration>>()

/**
 * Calibrates once per profile and process, and hands the result to every client
 * and raw probe of that profile. A target that cannot be calibrated (down,
 * unreachable) is attributed from signatures alone: calibration never fails a run.
 */
export function ensureCalibrated(profile: Readonly<Profile>, client: HttpClient): Promise<Calibration> {
  let pending = calibrations.get(profile)
  if (!pending) {
    pending = calibrate(profile, client).catch((): Calibration => ({ apps: {}, hops: {}, inferred: {} }))
    calibrations.set(profile, pending.then((calibration) => {
      attributionFor(profile).calibration = calibration
      return calibration
    }))
    pending = calibrations.get(profile)!
  }
  return pending
}
