import type { Tier } from '../model/check-result.ts'

/** What attribution looks at: the status, the headers as they came (names in their wire casing, in order) and a body excerpt. */
export interface ResponseView {
  status: number
  header(name: string): string | undefined
  /** Every header line as received: casing and order are evidence too. */
  headers: readonly (readonly [string, string])[]
  body: string
}

/**
 * The layer a clue speaks for. `first-hop` is whoever accepts the connection:
 * the weighing names it from the profile (the proxy, or the app server).
 */
export type ClueTier = Exclude<Tier, 'client' | 'unknown'> | 'first-hop'

/** One piece of evidence for one layer, and how much it weighs. */
export interface Clue {
  tier: ClueTier
  /** The product this clue names, when it names one. */
  product?: string
  /** Products whose shape this is, when several share it. */
  candidates?: readonly string[]
  weight: number
  /** What was seen, in words: `body footer <center>nginx</center>`. */
  signal: string
  /**
   * Evidence that this tier did NOT write the answer (a bodiless error from a proxy whose own error answers
   * always carry a body): the weighing leaves the tier out, whatever else speaks for it short of a decisive clue.
   */
  rulesOut?: true
}

/**
 * How much kinds of evidence weigh. A decisive clue settles the question on its
 * own; an unmistakable product page is certain unless something speaks against
 * it; calibrated differences between this target's own layers come next; a body
 * shape several products share counts for little.
 */
export const WEIGHT = {
  decisive: 100,
  productPage: 10,
  productHeader: 8,
  calibratedTemplate: 6,
  productShape: 6,
  casingPerName: 4,
  casingMax: 12,
  alwaysHeaders: 4,
  serverHeader: 3,
  calibratedJsonKeys: 3,
  /** A JSON body with no product shape: the app, most often, when nothing better is known. */
  genericJson: 3,
  /** The same, once this target's own fingerprints are known and can speak louder. */
  genericJsonCalibrated: 1,
  connectionClose: 1,
  /** The profile documents which layer gives this status for this probe (limits.bodyLimitLayer for a 413). */
  documented: 4,
  /** 502 and 504: a gateway speaking of its upstream. */
  gatewayStatus: 2,
} as const

/** Lead over the runner-up that makes an attribution certain, or likely; below, it is unknown. */
export const CERTAIN_LEAD = 10
export const LIKELY_LEAD = 3
