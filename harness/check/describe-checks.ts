import { afterAll, describe, inject, test } from 'vitest'
import type { CheckResult } from '../model/check-result.ts'
import { renderFailureBlock } from '../model/failure-text.ts'
import { parseProfile } from '../profile/load-profile.ts'
import { clientForProfile } from '../target/client-for-profile.ts'
import { injectorForProfile } from '../toxiproxy/injector-for-profile.ts'
import type { CheckDefinition } from './define-check.ts'
import { runCheck } from './run-check.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The target profile as the run resolved it (no secrets: those stay in env). */
    layercheckProfile: unknown
    /** `run --only`: the ids of the checks to register; unset, every check. */
    layercheckSelection?: string[]
  }
  interface TaskMeta {
    layercheck?: CheckResult
  }
}

/** Names the file with the check ids `run --only` selected, for the global setup to provide. */
export const SELECTION_ENV = 'LAYERCHECK_SELECTION_FILE'

/** A check that did not pass, thrown so vitest marks the test failed; the message is the failure block. */
export class CheckFailedError extends Error {
  readonly code = 'LAYERCHECK_CHECK_FAILED'
  constructor(result: CheckResult) {
    super(`\n${renderFailureBlock(result)}`)
    this.name = result.verdict === 'error' ? 'HarnessError' : 'CheckFailed'
    // The block is the whole story: a stack trace into the harness would only add noise.
    this.stack = `${this.name}: ${this.message}`
  }
}

/**
 * Registers checks as vitest tests. The result travels to reporters in
 * task.meta; the test fails only on fail or error, and not-applicable is a
 * skip that carries its reason.
 */
export function describeChecks(region: string, checks: readonly CheckDefinition[]): void {
  describe(region, () => {
    const profile = parseProfile(inject('layercheckProfile'), 'the provided profile')
    const client = clientForProfile(profile)
    const faults = injectorForProfile(profile)
    afterAll(async () => {
      await client.close()
      await faults?.clearActive()
      faults?.dispose()
    })

    const selected = inject('layercheckSelection')
    for (const check of selected ? checks.filter((c) => selected.includes(c.id)) : checks) {
      test(`${check.id} · ${check.title}`, async (context) => {
        const result = await runCheck(check, { profile, client, faults })
        context.task.meta.layercheck = result
        if (result.verdict === 'not-applicable') context.skip(result.reason)
        if (result.verdict === 'fail' || result.verdict === 'error') throw new CheckFailedError(result)
      })
    }
  })
}
