/** Median and spread of repeated measurements: what every benchmark figure is reported as. */
export interface Spread {
  median: number
  min: number
  max: number
  /** (max − min) / median, as a fraction: under ~0.2 is within this machine's noise. */
  relativeSpread: number
  samples: number[]
}

export function spreadOf(samples: readonly number[]): Spread {
  if (samples.length === 0) throw new Error('no samples')
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  const min = sorted[0]!
  const max = sorted.at(-1)!
  return { median, min, max, relativeSpread: median === 0 ? 0 : (max - min) / median, samples: [...samples] }
}

/** The q-quantile (0..1) of values, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

export const formatSpread = (s: Spread, unit = '', digits = 0) =>
  `${s.median.toFixed(digits)}${unit} [${s.min.toFixed(digits)}–${s.max.toFixed(digits)}]`
