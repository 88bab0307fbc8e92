import { describe, expect, test } from 'vitest'
import { runCheck } from '../../harness/check/run-check.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import { ALL_CHECKS, DISRUPTIVE_CHECK_IDS, findCheck } from '../../suites/all-checks.ts'
import { referenceProfileWithoutToxiproxy } from '../../targets/nginx-fastapi/profile.ts'
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

  // A user with no Toxiproxy: the slow, large and crash routes alone make these
  // checks run (the broken variants with `withoutToxiproxy` controls fail them).
  const WITHOUT_TOXIPROXY = ['faults.slow-handler.504', 'faults.latency-within-timeout.200', 'proxy.compression.gzip', 'faults.worker-crash.recovery']
  test.each(WITHOUT_TOXIPROXY)('%s passes with a profile that names no Toxiproxy', async (id) => {
    const { stack, client, env, faults } = target()
    const profile = parseProfile(referenceProfileWithoutToxiproxy(stack))
    const result = await runCheck(findCheck(id), { profile, client, env })
    expect(result.verdict, `${result.actual}\n${result.diagnosis ?? ''}`).toBe('pass')
    expect(result.evidence.some((e) => e.label?.includes('latency')), 'no latency injected').toBe(false)
    expect(await faults.inForce()).toEqual([])
  })
})
