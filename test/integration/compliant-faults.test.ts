import { describe, expect, test } from 'vitest'
import { runCheck } from '../../harness/check/run-check.ts'
import { ALL_CHECKS, DISRUPTIVE_CHECK_IDS } from '../../suites/all-checks.ts'
import { useStack } from '../support/reference-stack.ts'

// The positive control for faults: every fault check passes on the compliant
// stack and leaves no toxic behind.
describe('fault checks on the compliant reference stack', () => {
  const target = useStack()
  const checks = ALL_CHECKS.filter((check) => DISRUPTIVE_CHECK_IDS.has(check.id))

  test.each(checks.map((check) => [check.id, check] as const))('%s passes and cleans up', async (_id, check) => {
    const { profile, client, env, faults } = target()
    const result = await runCheck(check, { profile, client, env, faults })
    expect(result.verdict, `${result.actual}\n${result.diagnosis ?? ''}`).toBe('pass')
    expect((await faults.sweep()).removed).toEqual([])
  })
})
