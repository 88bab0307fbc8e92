import { afterAll, describe, inject, test } from 'vitest'
import type { CheckResult } from '../model/check-result.ts'
import { renderFailureBlock } from '../model/failure-text.ts'
import { parseProfile } from '../profile/load-profile.ts'
import { clientForProfile } from '../target/client-for-profile.ts'
import { injectorForProfile } from '../toxiproxy/injector-for-profile.ts'
import type { CheckDefinition } from './define-check.ts'
import type { Profile } from '../profile/schema.ts'
import { CheckScheduler } from './check-scheduler.ts'
import { concurrencyOf, usesOf } from './resources.ts'
import { gateOf, runCheck } from './run-check.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The target profile as the run resolved it (no secrets: those stay in env). */
    layercheckProfile: unknown
    /** `run --only`: the ids of the checks to register; unset, every check. */
    layercheckSelection?: string[]
    /** When the run started (epoch ms): each check's startedMs and endedMs count from it. */
    layercheckRunStartedAt: number
    /** The files of the profile's own checks (`checks.include`), absolute; empty when it has none. */
    layercheckUserChecks: string[]
  }
  interface TaskMeta {
    layercheck?: CheckResult
  }
}

/** When the run started (epoch ms), for the global setup to provide: `layercheck run` sets it, plain vitest leaves it to the setup. */
export const RUN_STARTED_ENV = 'LAYERCHECK_RUN_STARTED_AT'

/** Names the file with the check ids `run --only` selected, for the global setup to provide. */
export const SELECTION_ENV = 'LAYERCHECK_SELECTION_FILE'

/** Names the file listing the profile's own check files, for the global setup to provide (and the runner's config to load). */
export const USER_CHECKS_ENV = 'LAYERCHECK_USER_CHECKS_FILE'

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

/** How long one check may run once it has started (ms); the time it waited for its turn does not count. */
const CHECK_TIMEOUT_MS = 60_000

function withinDeadline<T>(work: Promise<T>, ms: number, id: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${id} did not finish within ${ms} ms of starting`)), ms)
  })
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer))
}

// One scheduler per suite file (vitest runs each file in a fresh module graph, one file at a
// time: fileParallelism is off in vitest.config.ts), so it sees every check the file registers.
let registered = 0
let scheduler: CheckScheduler | undefined
const schedulerFor = (profile: Readonly<Profile>) => (scheduler ??= new CheckScheduler({ limit: concurrencyOf(profile), expected: registered }))

/**
 * Registers checks as vitest tests, run concurrently: each waits for the file's scheduler
 * (check-scheduler.ts), which overlaps checks whose resources do not conflict, at most
 * `run.concurrency` at once. The result travels to reporters in task.meta; the test fails
 * only on fail or error, and not-applicable is a skip that carries its reason.
 */
export function describeChecks(region: string, checks: readonly CheckDefinition[]): void {
  const selected = inject('layercheckSelection')
  const chosen = selected ? checks.filter((c) => selected.includes(c.id)) : checks
  // A region with nothing selected registers nothing (an empty describe would fail the file).
  if (!chosen.length) return
  describe.concurrent(region, () => {
    const profile = parseProfile(inject('layercheckProfile'), 'the provided profile')
    const client = clientForProfile(profile)
    const faults = injectorForProfile(profile)
    const runStartedAtMs = inject('layercheckRunStartedAt')
    afterAll(async () => {
      await client.close()
      await faults?.clearActive()
      faults?.dispose()
    })

    for (const check of chosen) {
      registered += 1
      // No vitest timeout (0): it would count the time spent waiting for a turn; CHECK_TIMEOUT_MS starts when the check does.
      test(`${check.id} · ${check.title}`, async (context) => {
        // A check whose gate is closed sends nothing and holds nothing.
        const runs = gateOf(check, profile) === undefined
        const task = { id: check.id, uses: runs ? usesOf(check, profile) : {}, plannedWaitMs: runs ? check.plannedWaitMs?.(profile) : 0, slots: runs ? check.slots?.(profile) : 1 }
        const release = await schedulerFor(profile).acquire(task)
        // Held until the check really ends, even past its deadline: nothing that conflicts starts beside it.
        const running = runCheck(check, { profile, client, faults, runStartedAtMs }).finally(release)
        const result = await withinDeadline(running, CHECK_TIMEOUT_MS, check.id)
        context.task.meta.layercheck = result
        if (result.verdict === 'not-applicable') context.skip(result.reason)
        if (result.verdict === 'fail' || result.verdict === 'error') throw new CheckFailedError(result)
      }, 0)
    }
  })
}
