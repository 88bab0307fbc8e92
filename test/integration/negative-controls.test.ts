import { describe, expect, test } from 'vitest'
import { runCheck } from '../../harness/check/run-check.ts'
import { ALL_CHECKS, findCheck } from '../../suites/all-checks.ts'
import { BROKEN_VARIANTS } from '../../targets/nginx-fastapi/variants.ts'
import { useStack } from '../support/reference-stack.ts'

// Every check is proven both ways: each broken variant changes one thing, and
// the checks it controls must fail, naming the layer that answered and the cause.
for (const variant of BROKEN_VARIANTS) {
  describe(`broken variant "${variant.name}" (${variant.description})`, () => {
    const target = useStack(variant)
    for (const control of variant.controls) {
      test(`${control.check} fails, answered by the ${control.answeredBy}`, async () => {
        const { profile, client, env } = target()
        const result = await runCheck(findCheck(control.check), { profile, client, env })
        expect(result.verdict, result.actual).toBe('fail')
        expect(result.answeredBy?.tier).toBe(control.answeredBy)
        expect(result.diagnosis).toContain(control.diagnosisMentions)
      })
    }
  })
}

test('every check has at least one broken variant that makes it fail', () => {
  const controlled = new Set(BROKEN_VARIANTS.flatMap((v) => v.controls.map((c) => c.check)))
  expect(ALL_CHECKS.map((c) => c.id).filter((id) => !controlled.has(id))).toEqual([])
})
