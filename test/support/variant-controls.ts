import { describe, expect, test } from 'vitest'
import { runCheck } from '../../harness/check/run-check.ts'
import { findCheck } from '../../suites/all-checks.ts'
import type { Control, StackVariant } from '../../targets/nginx-fastapi/variants.ts'
import { useStack } from './reference-stack.ts'
import { parseProfile } from '../../harness/profile/load-profile.ts'
import type { ProfileInput } from '../../harness/profile/schema.ts'
import { referenceProfile, referenceProfileWithoutToxiproxy } from '../../targets/nginx-fastapi/profile.ts'

/** The profile with one recommendation left undocumented. */
function withUndocumented(profile: ProfileInput, key: NonNullable<Control['undocumented']>): ProfileInput {
  const { [key]: _left, ...responseHeaders } = profile.responseHeaders ?? {}
  return { ...profile, responseHeaders }
}

/**
 * Each broken variant changes one thing; the checks it controls must fail,
 * naming the layer that answered and the cause.
 */
export function describeVariantControls(variants: readonly StackVariant[]): void {
  for (const variant of variants) {
    describe(`broken variant "${variant.name}" (${variant.description})`, () => {
      const target = useStack(variant)
      for (const control of variant.controls) {
        const judgedWith = control.withoutToxiproxy ? ' (a profile without Toxiproxy)' : control.undocumented ? ` (responseHeaders.${control.undocumented} undocumented: a warning)` : ''
        test(`${control.check} fails, answered by ${control.answeredBy}${judgedWith}`, async () => {
          const { stack, profile, client, env, faults } = target()
          const result = await runCheck(findCheck(control.check), control.withoutToxiproxy
            ? { profile: parseProfile(referenceProfileWithoutToxiproxy(stack)), client, env }
            : control.undocumented ? { profile: parseProfile(withUndocumented(referenceProfile(stack), control.undocumented)), client, env }
            : { profile, client, env, faults })
          expect(result.verdict, `${result.actual}\n${result.diagnosis ?? ''}`).toBe('fail')
          if (control.undocumented) expect([result.severity, result.advisory]).toEqual(['info', `responseHeaders.${control.undocumented}`])
          expect(result.answeredBy?.tier, result.actual).toBe(control.answeredBy)
          if (control.step !== undefined) expect(result.answeredBy?.step, result.actual).toBe(control.step)
          expect(result.diagnosis).toContain(control.diagnosisMentions)
          // A failing fault check still leaves no fault behind.
          expect(await faults.inForce()).toEqual([])
        })
      }
    })
  }
}
