import { STATUS_CODES } from 'node:http'
import { WEIGHT, type Clue, type ClueTier, type ResponseView } from './clue.ts'
import { jsonBody } from './signatures.ts'

/**
 * How one layer of this very target writes its answers, learned at the start of
 * a run from answers that certainly come from it. Plain data: it travels to the
 * suites' workers and into the report.
 */
export interface Fingerprint {
  /** Answers it was learned from. */
  samples: number
  /** Header names (lower case) on every sample, other than the ones every HTTP server sends. */
  always: string[]
  /** The wire casing of each header name, for names whose casing never varied. */
  casing: Record<string, string>
  /** The Server header, when every sample had the same one. */
  server?: string
  /** Top-level key sets of JSON error bodies (`detail`, `error,message`). */
  jsonKeys: string[]
  /** Non-JSON error bodies with their status and reason phrase replaced: `<title>{status} {reason}</title>…`. */
  templates: string[]
  /** Whether every sample said Connection: close. */
  closes: boolean
  /** How its header names are written: all lower case (HTTP/2-style, HAProxy), all capitalised (nginx, Go), or both. */
  style: 'lower' | 'capitalised' | 'mixed'
}

/** A layer's fingerprint, and which layer it is. */
export interface LayerFingerprint extends Fingerprint {
  tier: ClueTier
  product?: string
}

/** Sent by every server whoever answers: they tell layers apart by casing only, never by presence. */
const EVERYONE_SENDS = new Set(['date', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'keep-alive', 'server'])

const keySet = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value).sort().join(',') : undefined

/** The body with its status and reason phrase replaced, so one template covers every status a layer writes. */
export function templateOf(view: ResponseView): string | undefined {
  if (view.status < 400 || view.body.trim() === '' || jsonBody(view) !== undefined) return undefined
  const reason = STATUS_CODES[view.status]
  let text = view.body.split(String(view.status)).join('{status}')
  if (reason) text = text.replace(new RegExp(reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '{reason}')
  // Bodies that echo the request (a path, a host) are not templates.
  return text.length <= 2048 ? text : undefined
}

export function learnFingerprint(views: readonly ResponseView[]): Fingerprint | undefined {
  if (views.length === 0) return undefined
  const names = views.map((v) => new Set(v.headers.map(([n]) => n.toLowerCase())))
  const always = [...names[0]!].filter((n) => !EVERYONE_SENDS.has(n) && names.every((set) => set.has(n))).sort()
  const spellings = new Map<string, Set<string>>()
  for (const view of views) {
    for (const [name] of view.headers) {
      const lower = name.toLowerCase()
      spellings.set(lower, (spellings.get(lower) ?? new Set()).add(name))
    }
  }
  const casing = Object.fromEntries([...spellings].filter(([, set]) => set.size === 1).map(([lower, set]) => [lower, [...set][0]!]))
  const servers = new Set(views.map((v) => v.header('server')))
  const errors = views.filter((v) => v.status >= 400)
  return {
    samples: views.length,
    always,
    casing,
    server: servers.size === 1 ? [...servers][0] : undefined,
    jsonKeys: [...new Set(errors.map((v) => keySet(jsonBody(v))).filter((k): k is string => k !== undefined))],
    templates: [...new Set(errors.map(templateOf).filter((t): t is string => t !== undefined))],
    closes: views.every((v) => /\bclose\b/i.test(v.header('connection') ?? '')),
    style: styleOf([...spellings.values()].flatMap((set) => [...set])),
  }
}

function styleOf(names: readonly string[]): Fingerprint['style'] {
  if (names.every((n) => n === n.toLowerCase())) return 'lower'
  if (names.every((n) => /^[A-Z]/.test(n))) return 'capitalised'
  return 'mixed'
}

/** Whether a layer whose names are all written in one style could have written this one. */
const couldWrite = (style: Fingerprint['style'], name: string) =>
  style === 'mixed' || (style === 'lower' ? name === name.toLowerCase() : /^[A-Z]/.test(name))

const list = (items: readonly string[]) => items.join(', ')

/**
 * Clues from how this answer resembles one calibrated layer and not the other.
 * Only differences count: a header both layers send in the same casing says nothing.
 */
export function fingerprintClues(view: ResponseView, app: LayerFingerprint, hop: LayerFingerprint): Clue[] {
  const clues: Clue[] = []
  const name = (fp: LayerFingerprint) => (fp.tier === 'app' ? "the app's" : fp.tier === 'first-hop' ? "the first hop's" : `the ${fp.tier}'s`)
  const clue = (fp: LayerFingerprint, weight: number, signal: string) => clues.push({ tier: fp.tier, product: fp.product, weight, signal })

  // Casing: a header line is written by one serializer. A name spelled otherwise than a layer always
  // spells it was not written by that layer; spelled as only one layer could, it was written by that one.
  const casedAs = new Map<LayerFingerprint, string[]>([[app, []], [hop, []]])
  // A name a layer wrote in its own casing beside another copy (the app's `vary: Origin`, nginx's gzip `Vary:
  // Accept-Encoding`) is an answer both wrote on: the other copy was added on the way, not proof of who answered.
  const writtenBy = (fp: LayerFingerprint) => new Set(view.headers.filter(([h]) => fp.casing[h.toLowerCase()] === h).map(([h]) => h.toLowerCase()))
  const ownedBy = new Map([[app, writtenBy(app)], [hop, writtenBy(hop)]])
  for (const [header] of view.headers) {
    const lower = header.toLowerCase()
    for (const [fp, other] of [[app, hop], [hop, app]] as const) {
      if (header !== fp.casing[lower] && ownedBy.get(fp)!.has(lower)) continue
      const own = fp.casing[lower]
      if (own === undefined) continue
      const theirs = other.casing[lower]
      // Behind a front that lower-cases every name it passes on (HAProxy, any HTTP/2 hop), lower case proves nothing:
      // that front writes its own pages in lower case too, whatever its built-in refusals look like.
      const lowerProvesNothing = header === header.toLowerCase() && (fp.style === 'lower' || other.style === 'lower')
      if (header !== own && !lowerProvesNothing && (theirs === undefined ? couldWrite(other.style, header) : header === theirs)) casedAs.get(other)!.push(header)
      else if (header === own && !lowerProvesNothing && theirs !== undefined && theirs !== header) casedAs.get(fp)!.push(header)
    }
  }
  for (const [fp, headers] of casedAs) {
    const unique = [...new Set(headers)]
    if (unique.length) clue(fp, Math.min(WEIGHT.casingMax, WEIGHT.casingPerName * unique.length), `header names written as ${name(fp)} answers write them, not as the other layer's: ${list(unique)}`)
  }

  // Headers one layer adds to every answer and the other never does.
  for (const [fp, other] of [[app, hop], [hop, app]] as const) {
    const own = fp.always.filter((n) => !other.always.includes(n))
    if (!own.length) continue
    // A name written in a casing this layer never uses was not written by it: it does not count as carried.
    const carried = (n: string) => view.headers.some(([h]) => h.toLowerCase() === n && (fp.casing[n] === undefined || fp.casing[n] === h))
    const present = own.filter(carried)
    // The more headers a layer always adds, the more telling their presence or absence (up to twice the base weight).
    const weight = Math.min(2 * WEIGHT.alwaysHeaders, WEIGHT.alwaysHeaders + own.length - 1)
    // Most of them is still telling: an answer without a body lacks the headers that describe one (ETag, Vary…).
    if (present.length === own.length) clue(fp, weight, `carries ${list(own)}, as every one of ${name(fp)} answers does`)
    else if (present.length * 2 > own.length) clue(fp, WEIGHT.alwaysHeaders - 1, `carries ${list(present)} of the ${list(own)} every one of ${name(fp)} answers carries`)
    // An app's error path often bypasses the middleware that adds them (Starlette's ServerErrorMiddleware sits outside it): weaker on a 5xx.
    else if (present.length === 0) clue(other, view.status >= 500 && fp === app ? Math.floor(weight / 2) : weight, `lacks ${list(own)}, which every one of ${name(fp)} answers carries`)
  }

  if (app.server !== hop.server) {
    const seen = view.header('server')
    const match = [app, hop].find((fp) => fp.server === seen)
    if (match) clue(match, WEIGHT.serverHeader, seen === undefined ? `no Server header, like ${name(match)} answers` : `Server: ${seen}, as in ${name(match)} answers`)
    // Every app answer came with this Server value (a front may add its own beside it): one without it did not come from the app.
    else if (app.server !== undefined) clue(hop, WEIGHT.serverHeader - 1, `Server: ${seen ?? '(none)'}, where every one of the app's answers says ${app.server}`)
  }

  const keys = keySet(jsonBody(view))
  if (keys !== undefined) {
    const [inApp, inHop] = [app.jsonKeys.includes(keys), hop.jsonKeys.includes(keys)]
    if (inApp !== inHop) clue(inApp ? app : hop, WEIGHT.calibratedJsonKeys, `JSON keys {${keys}}, as in ${name(inApp ? app : hop)} errors`)
  }

  const template = templateOf(view)
  if (template !== undefined) {
    const [inApp, inHop] = [app.templates.includes(template), hop.templates.includes(template)]
    if (inApp !== inHop) clue(inApp ? app : hop, WEIGHT.calibratedTemplate, `body follows ${name(inApp ? app : hop)} error template`)
  }

  if (hop.closes && !app.closes && /\bclose\b/i.test(view.header('connection') ?? '')) {
    clue(hop, WEIGHT.connectionClose, `Connection: close, as ${name(hop)} answers say and the app's do not`)
  }
  return clues
}
