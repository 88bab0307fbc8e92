import type { AnsweredBy, ClientFailure, Confidence, InferredLayer, LifecycleStep, Tier } from '../model/check-result.ts'
import { CERTAIN_LEAD, LIKELY_LEAD, WEIGHT, type Clue, type ClueTier, type ResponseView } from './clue.ts'
import { fingerprintClues, type LayerFingerprint } from './fingerprint.ts'
import { bodilessRefusal, relayedByProxy, shapeClues, signatureClues } from './signatures.ts'

export type { ResponseView } from './clue.ts'

/** The deployment's own words about its layers: names never contradict them. */
export interface LayerHints {
  proxy?: string
  server?: string
  app?: string
}

/** What the run learned about this target's layers before probing it (harness/target/calibrate.ts). */
export interface Calibration {
  /** How the app's answers look from outside, per origin they came through (a proxy rewrites what it passes on). */
  apps: Record<string, LayerFingerprint>
  /** How the first hop's own answers look, per origin (scheme://host:port) it accepts connections on. */
  hops: Record<string, LayerFingerprint>
  /** Layers named from what was seen, for a profile that names none. */
  inferred: Partial<Record<'proxy' | 'server' | 'app', InferredLayer>>
}

export interface AttributionContext {
  hints?: LayerHints
  /** Who accepts connections where the answer came from (the profile's word, else the calibration's). */
  firstHop?: { tier: Tier; product?: string }
  calibration?: Calibration
  /** scheme://host:port the answer came from: picks the first hop's fingerprint. */
  origin?: string
}

/** RFC 9209: `Proxy-Status: <proxy name>; error=<type>` is an intermediary speaking for itself. */
function proxyStatusClue(view: ResponseView): Clue | undefined {
  const value = view.header('proxy-status')
  if (!value) return undefined
  const first = value.split(',')[0]!.trim()
  const name = first.split(';')[0]!.trim().replace(/^"|"$/g, '')
  const error = /;\s*error=("?)([\w-]+)\1/.exec(first)?.[2]
  return {
    tier: 'proxy', product: name, weight: WEIGHT.decisive,
    signal: `Proxy-Status from ${name}${error ? ` (error=${error})` : ''}: an intermediary speaking for itself (RFC 9209)`,
  }
}

/** The profile's key (and the calibration's) for each layer that can answer. */
const LAYER_KEY = { proxy: 'proxy', 'app-server': 'server', app: 'app' } as const satisfies Record<Exclude<Tier, 'client' | 'unknown'>, keyof LayerHints>

function hintFor(tier: Tier, context: AttributionContext): string | undefined {
  if (tier === 'client' || tier === 'unknown') return undefined
  const hint = context.hints?.[LAYER_KEY[tier]]
  return hint && hint !== 'none' ? hint : undefined
}

function resolveTier(tier: ClueTier, context: AttributionContext): Exclude<Tier, 'client' | 'unknown'> {
  if (tier !== 'first-hop') return tier
  const hop = context.firstHop?.tier ?? (context.origin ? context.calibration?.hops[context.origin]?.tier : undefined)
  return hop === 'proxy' || hop === 'app-server' || hop === 'app' ? hop : 'app-server'
}

/**
 * Weighs every clue and names the layer with the clearest lead. Names come from
 * the profile when it gives one for that layer, then from what calibration
 * inferred, then from the signatures that matched; a shape several products
 * share names its candidates, not one guess.
 */
export function weighClues(clues: readonly Clue[], context: AttributionContext = {}): AnsweredBy {
  const all = clues.map((c) => ({ ...c, tier: resolveTier(c.tier, context) }))
  // A layer the answer itself rules out is left out of the weighing: what looks like its answers only shows
  // what it adds to everything it passes on. A decisive clue (a log, Proxy-Status) still settles it.
  const ruledOut = all.filter((c) => c.rulesOut)
  const counts = (c: (typeof all)[number]) => !c.rulesOut && (c.weight >= WEIGHT.decisive || !ruledOut.some((r) => r.tier === c.tier))
  const resolved = all.filter(counts)
  const scores = new Map<Tier, number>()
  for (const clue of resolved) scores.set(clue.tier, (scores.get(clue.tier) ?? 0) + clue.weight)
  const ranked = [...scores].sort((a, b) => b[1] - a[1])
  const [top, second] = [ranked[0], ranked[1]]
  const signals = all.map((c) => (c.rulesOut ? `[not ${c.tier}] ${c.signal}` : `[${c.tier} +${c.weight}${counts(c) ? '' : ', ruled out'}] ${c.signal}`))
  const notes = ruledOut.map((c) => `not the ${c.tier}: ${c.signal}`)
  const lead = top ? top[1] - (second?.[1] ?? 0) : 0
  const decisive = resolved.find((c) => c.weight >= WEIGHT.decisive)
  const confidence: Confidence = decisive ? 'certain' : lead >= CERTAIN_LEAD ? 'certain' : lead >= LIKELY_LEAD ? 'likely' : 'unknown'

  if (!top || confidence === 'unknown') {
    const candidates = ranked.filter(([, score]) => score > 0).map(([tier]) => tier)
    return {
      tier: 'unknown', confidence: 'unknown', signals,
      ...(candidates.length > 1 && { candidates }),
      reason: resolved.length
        ? `the evidence does not settle it: ${ranked.map(([tier, score]) => `${tier} ${score}`).join(' vs ')} (${[...resolved.map((c) => c.signal), ...notes].join('; ')})`
        : notes.length ? `nothing else names a layer; ${notes.join('; ')}` : 'no signature, shape or calibrated fingerprint matched',
    }
  }
  const tier = decisive?.tier ?? top[0]
  const forTier = resolved.filter((c) => c.tier === tier)
  const against = resolved.filter((c) => c.tier !== tier)
  const named = [...new Set(forTier.map((c) => c.product).filter((p): p is string => Boolean(p)))]
  const shared = [...new Set(forTier.flatMap((c) => c.candidates ?? []))]
  const hint = hintFor(tier, context)
  const inferred = tier === 'client' || tier === 'unknown' ? undefined : context.calibration?.inferred[LAYER_KEY[tier]]?.product
  const product = decisive?.product ?? hint ?? inferred ?? (named.length === 1 ? named[0] : undefined)
  const candidates = product ? undefined : named.length > 1 ? named : shared.length ? shared : undefined
  const why = [...forTier.sort((a, b) => b.weight - a.weight).map((c) => c.signal), ...notes].join('; ')
  return {
    tier,
    ...(product && { product }),
    confidence,
    ...(candidates && { candidates }),
    reason: against.length ? `${why}; outweighing ${against.map((c) => `${c.signal} (${c.tier})`).join('; ')}` : why,
    signals,
  }
}

/** Every clue an answer gives: its own statement, product signatures, calibrated fingerprints and shapes. */
export function cluesFor(view: ResponseView, context: AttributionContext = {}): Clue[] {
  const stated = proxyStatusClue(view)
  if (stated) return [stated]
  const app = context.origin ? context.calibration?.apps[context.origin] : undefined
  const hop = context.origin ? context.calibration?.hops[context.origin] : undefined
  const calibrated = Boolean(app && hop)
  const signatures = signatureClues(view)
  const behindProxy = resolveTier('first-hop', context) === 'proxy'
  const relayed = behindProxy ? relayedByProxy(view, context.firstHop?.product ?? hintFor('proxy', context) ?? context.calibration?.inferred.proxy?.product ?? hop?.product) : undefined
  // Behind a proxy, an empty refusal the app server could have written looks the same whoever wrote it.
  const serverRefusal = behindProxy ? bodilessRefusal(view, hintFor('app-server', context) ?? context.calibration?.inferred.server?.product) : undefined
  // Fingerprints compare the app with the first hop; an unmistakable page of a third layer (the app server
  // behind a proxy) is neither, so their either-or says nothing about it — nor about an answer it could have written.
  const thirdLayer = hop && (serverRefusal !== undefined
    || signatures.some((c) => c.weight >= WEIGHT.productPage && c.tier !== 'first-hop' && c.tier !== 'app' && c.tier !== hop.tier))
  return [
    ...signatures,
    ...(app && hop && !thirdLayer ? fingerprintClues(view, app, hop) : []),
    ...shapeClues(view, calibrated),
    ...(relayed ? [relayed] : []),
    ...(serverRefusal ? [serverRefusal] : []),
  ]
}

/** Which layer the profile documents as giving `status` to this probe: a weak prior, never decisive. */
export interface DocumentedAnswer {
  status: number
  tier: 'proxy' | 'app-server' | 'app'
  because: string
}

export function attributeResponse(view: ResponseView, context: AttributionContext = {}, documented?: DocumentedAnswer): AnsweredBy {
  const prior: Clue[] = documented && documented.status === view.status ? [{ tier: documented.tier, weight: WEIGHT.documented, signal: documented.because }] : []
  return weighClues([...cluesFor(view, context), ...prior], context)
}

/** The same answer, re-weighed with a decisive piece of evidence a check found (a log, the connection itself). */
export function withDecisiveClue(view: ResponseView, context: AttributionContext, clue: Omit<Clue, 'weight'>): AnsweredBy {
  return weighClues([...cluesFor(view, context), { ...clue, weight: WEIGHT.decisive }], context)
}

const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA'])
const TCP_REFUSED = new Set(['ECONNREFUSED'])
const TCP_TIMEOUT = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])
const isTls = (code: string) =>
  /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/.test(code) || code === 'EPROTO'

/** A failure with no HTTP answer at all: which of steps 1–3 it was, or a dropped connection. */
export function attributeFailure(failure: ClientFailure): AnsweredBy {
  const at = (step: LifecycleStep | undefined, reason: string): AnsweredBy => ({
    tier: step ? 'client' : 'unknown', step, confidence: step ? 'certain' : 'unknown', reason, signals: [`error code ${failure.code}`],
  })
  const { code } = failure
  if (DNS.has(code)) return at(1, 'DNS: the host name does not resolve; no packet reached the target')
  if (TCP_REFUSED.has(code)) return at(2, 'TCP: connection refused; nothing listens on that address and port')
  if (TCP_TIMEOUT.has(code)) return at(2, 'TCP: the connection was not established in time (filtered port, wrong address, or a host that is down)')
  if (isTls(code)) return at(3, `TLS: the handshake failed (${code}): the certificate is not trusted, has expired, or does not match the host`)
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED' || code === 'TimeoutError' || code === 'AbortError')
    return at(undefined, 'the connection opened but no response headers arrived in time: a stalled hop (proxy or app)')
  if (code === 'UND_ERR_BODY_TIMEOUT') return at(undefined, 'the response started but its body stalled')
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE')
    return at(undefined, 'the connection was closed or reset without a complete HTTP response')
  return at(undefined, `the request failed without an HTTP answer (${code})`)
}

const STEP_FAILURES: Record<1 | 2 | 3, (code: string) => string> = {
  1: (code) => `DNS: the host name could not be resolved (${code}); no packet reached the target`,
  2: (code) => `TCP: the connection could not be opened (${code})`,
  3: (code) => `TLS: the handshake failed (${code}) after the TCP connection opened`,
}

/**
 * A failure whose step is known for certain, because the probe watched lookup,
 * connect and handshake happen: the step decides, the code explains. (A reset
 * during a TLS handshake is step 3, though ECONNRESET alone could be anything.)
 */
export function attributeFailureAt(failure: ClientFailure, step: 1 | 2 | 3): AnsweredBy {
  const byCode = attributeFailure(failure)
  if (byCode.step === step) return byCode
  return { tier: 'client', step, confidence: 'certain', reason: STEP_FAILURES[step](failure.code), signals: [`error code ${failure.code}`] }
}
