// Threshold expressions, k6-style: `p(99)<250`, `rps>1000`, `keepAliveGain>1.5`.
// Parsed when the profile loads, so a misspelt threshold is a profile error,
// never a threshold that silently passes.

export type ThresholdOperator = '<' | '<=' | '>' | '>='

export interface ParsedThreshold {
  metric: string
  operator: ThresholdOperator
  limit: number
}

/** Every metric a threshold may name, with its unit and what it reads. */
export const THRESHOLD_METRICS: Readonly<Record<string, { unit: string; meaning: string }>> = {
  rps: { unit: 'req/s', meaning: 'median throughput (the keep-alive side of a gain)' },
  'p(50)': { unit: 'ms', meaning: 'median p50 latency, corrected for coordinated omission' },
  'p(90)': { unit: 'ms', meaning: 'median p90 latency' },
  'p(99)': { unit: 'ms', meaning: 'median p99 latency' },
  errorRate: { unit: '', meaning: '(errors + non-2xx) ÷ requests, over every run' },
  keepAliveGain: { unit: '×', meaning: 'throughput with keep-alive ÷ without (a gain measurement)' },
  latencyGain: { unit: '×', meaning: 'p50 without keep-alive ÷ with (a gain measurement)' },
  speedup: { unit: '×', meaning: 'req/s at this (or the largest) worker count ÷ at the fewest (worker scaling)' },
  efficiency: { unit: '', meaning: 'speedup ÷ worker ratio, 1 = perfect (worker scaling)' },
}

const EXPRESSION = /^\s*([A-Za-z][A-Za-z0-9]*(?:\(\d{1,2}(?:\.\d+)?\))?)\s*(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/

/** The parsed threshold, or a sentence saying what is wrong with it. */
export function parseThreshold(expression: string): ParsedThreshold | string {
  const match = EXPRESSION.exec(expression)
  if (!match) return `"${expression}" is not a threshold: write <metric><op><number>, e.g. p(99)<250 or rps>1000`
  const [, metric, operator, limit] = match as unknown as [string, string, ThresholdOperator, string]
  if (!(metric in THRESHOLD_METRICS)) return `"${expression}": unknown metric ${metric}; known: ${Object.keys(THRESHOLD_METRICS).join(', ')}`
  return { metric, operator, limit: Number(limit) }
}

export function holds(observed: number, t: ParsedThreshold): boolean {
  switch (t.operator) {
    case '<': return observed < t.limit
    case '<=': return observed <= t.limit
    case '>': return observed > t.limit
    case '>=': return observed >= t.limit
  }
}
