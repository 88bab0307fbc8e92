import { describe, expect, test } from 'vitest'
import { recoveryProblem, type Recovery } from '../../harness/check/recovery.ts'

const recovery = (over: Partial<Recovery>) => ({ recoveryMs: 3, failedRequests: 0, recovered: true, ...over }) as Recovery

describe('recoveryProblem', () => {
  test('documented 0: any failed request after the fault is a problem, a quick 2xx is not', () => {
    expect(recoveryProblem(recovery({}), 0)).toBeUndefined()
    expect(recoveryProblem(recovery({ failedRequests: 1, recoveryMs: 60 }), 0)?.text).toContain('documented: none')
  })

  test('a bound: a 2xx that arrives late is a problem even when it waited rather than failed (a queued request behind a slow respawn)', () => {
    expect(recoveryProblem(recovery({ recoveryMs: 900 }), 5000)).toBeUndefined()
    expect(recoveryProblem(recovery({ recoveryMs: 7000 }), 5000)?.text).toContain('≤ 5000 ms')
  })

  test('never recovered', () => {
    expect(recoveryProblem(recovery({ recovered: false, recoveryMs: 6000, failedRequests: 80 }), 5000)?.text).toContain('still failing')
  })
})
