// What a run of generated cases covered, in words, from the counts a check
// reports as measurements: the check's own text and the CLI's progress line
// both read it from there, so they never disagree.

export interface CaseCoverage {
  cases: number
  operations: number
  /** Operations in the document, before exclusions. */
  documentedOperations: number
  seed: number
  sampledOut?: number
  leftOut?: number
  notApplicableOperations?: number
  excludedOperations?: number
  writesLeftOut?: number
  stoppedByAuth?: number
  /** Answers from another layer than the app (a proxy's 413): not the operation's, not judged. */
  otherLayers?: number
}

/** `2 operations excluded`, `1 operation excluded`: the noun is the first word, pluralised by count. */
const part = (n: number | undefined, words: string) => {
  if (!n) return []
  const [noun = '', ...rest] = words.split(' ')
  return [`${n} ${n === 1 ? noun.replace(/s$/, '') : noun}${rest.length ? ` ${rest.join(' ')}` : ''}`]
}

/** `31 cases on 11 of 28 operations (seed 1; 1 left out: body over the case limit)`. */
export function describeCaseCoverage(c: CaseCoverage): string {
  const notes = [
    `seed ${c.seed}`,
    ...part(c.sampledOut, 'cases sampled out'),
    ...part(c.leftOut, 'cases left out (body over the case limit)'),
    ...part(c.notApplicableOperations, 'operations with no case that can be built'),
    ...part(c.excludedOperations, 'operations excluded'),
    ...part(c.writesLeftOut, 'writes left out off loopback (--allow-disruptive)'),
    ...part(c.stoppedByAuth, 'cases refused by authentication before validation'),
    ...part(c.otherLayers, 'answers from another layer (not judged)'),
  ]
  return `${c.cases} case${c.cases === 1 ? '' : 's'} on ${c.operations} of ${c.documentedOperations} operation${c.documentedOperations === 1 ? '' : 's'} (${notes.join('; ')})`
}

/** The coverage a check's measurements describe, or undefined for a check that generates no cases. */
export function caseCoverageOf(measurements: Readonly<Record<string, number>> | undefined): CaseCoverage | undefined {
  if (!measurements || measurements.cases === undefined || measurements.documentedOperations === undefined) return undefined
  return measurements as unknown as CaseCoverage
}
