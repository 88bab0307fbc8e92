import type { Spread } from '../model/bench-result.ts'

export type { Spread }

export function spreadOf(samples: readonly number[]): Spread {
  if (samples.length === 0) throw new Error('no samples')
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  const min = sorted[0]!
  const max = sorted.at(-1)!
  return { median, min, max, relativeSpread: median === 0 ? 0 : (max - min) / median, samples: [...samples] }
}

export const formatSpread = (s: Spread, unit = '', digits = 0) =>
  `${s.median.toFixed(digits)}${unit} [${s.min.toFixed(digits)}–${s.max.toFixed(digits)}]`
