import { describe, expect, test } from 'vitest'
import { runCheck } from '../../harness/check/run-check.ts'
import { ALL_CHECKS } from '../../suites/all-checks.ts'
import { useStack } from '../support/reference-stack.ts'

// The positive control: on the compliant reference stack every check passes,
// with the same verdict every time.
describe('the compliant reference stack', () => {
  const target = useStack()
  const ROUNDS = 3

  test.each(ALL_CHECKS.map((check) => [check.id, check] as const))('%s passes, %i rounds in a row', async (_id, check) => {
    const { profile, client, env } = target()
    for (let round = 0; round < ROUNDS; round++) {
      const result = await runCheck(check, { profile, client, env })
      expect(result.verdict, `${result.actual}\n${result.diagnosis ?? ''}`).toBe('pass')
      expect(result.evidence.length).toBeGreaterThan(0)
      expect(result.answeredBy?.tier).toMatch(/^(proxy|app)$/)
    }
  })
})
