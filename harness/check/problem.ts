import type { Got, Outcome } from './define-check.ts'

/**
 * One way an answer differed from the expectation: a code a diagnosis switches
 * on, and the words a report shows. Codes are the check's own vocabulary
 * (`retry-after-missing`), plus the three every expectation shares.
 */
export interface Problem {
  readonly code: string
  readonly text: string
}

/** The codes `expectResponse` itself returns. */
export const COMMON = {
  noResponse: 'no-response',
  status: 'status',
  wrongLayer: 'wrong-layer',
} as const

export const problem = (code: string, text: string): Problem => ({ code, text })

/** Whether the failure includes a problem of this code. */
export const hasProblem = (got: Got, code: string): boolean => got.problems.some((p) => p.code === code)

/** The problems in words, as a report joins them. */
export const problemText = (problems: readonly Problem[]): string => problems.map((p) => p.text).join('; ')

export interface FailureBase {
  expected: string
  /** What came back, before this problem; the problem's text alone when absent. */
  actual?: string
  measurements?: Record<string, number>
}

/**
 * The one way a check builds a failing outcome by hand: the problem is added to
 * what the diagnosis sees and to the actual text, so neither is patched later.
 */
export function failWith(found: Problem, got: Got, base: FailureBase): Outcome {
  return {
    pass: false,
    expected: base.expected,
    actual: base.actual ? `${base.actual}; ${found.text}` : found.text,
    got: { ...got, problems: got.problems.some((p) => p.code === found.code && p.text === found.text) ? got.problems : [...got.problems, found] },
    ...(base.measurements && { measurements: base.measurements }),
  }
}
