import { describe, expect, test } from 'vitest'
import { runCheck } from '../../harness/check/run-check.ts'
import { ALL_CHECKS, DISRUPTIVE_CHECK_IDS } from '../../suites/all-checks.ts'
import { useStack } from '../support/reference-stack.ts'

// The positive control: on the compliant reference stack every check passes,
// with the same verdict every time.
describe('the compliant reference stack', () => {
  const target = useStack()
  const ROUNDS = 3

  const checks = ALL_CHECKS.filter((check) => !DISRUPTIVE_CHECK_IDS.has(check.id))
  test.each(checks.map((check) => [check.id, check] as const))(`%s passes, ${ROUNDS} rounds in a row`, async (_id, check) => {
    const { profile, client, env, faults } = target()
    for (let round = 0; round < ROUNDS; round++) {
      const result = await runCheck(check, { profile, client, env, faults })
      expect(result.verdict, `${result.actual}\n${result.diagnosis ?? ''}`).toBe('pass')
      expect(result.evidence.length).toBeGreaterThan(0)
      // Steps 1–3 are probed below HTTP: the client saw them, at the check's own step.
      if (check.step <= 3) expect(result.answeredBy).toMatchObject({ tier: 'client', step: check.step })
      else expect(result.answeredBy?.tier).toMatch(/^(proxy|app)$/)
    }
  })
})
