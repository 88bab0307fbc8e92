import type { Reporter, TestCase, TestModule } from 'vitest/node'
import type { SerializedError } from 'vitest'
import type { CheckMeta, CheckResult } from '../../harness/model/check-result.ts'
import '../../harness/check/describe-checks.ts'

/**
 * A vitest reporter that only collects: each check's result arrives in
 * task.meta; a test that died before producing one becomes an `error` result,
 * so nothing that ran is silently lost.
 */
export class CheckCollector implements Reporter {
  readonly results: CheckResult[] = []
  readonly harnessErrors: string[] = []
  readonly #onResult?: (result: CheckResult) => void
  readonly #checks: readonly CheckMeta[]

  /** `checks`: what the run registered, so a check that died still reports its step, layer and severity. */
  constructor(checks: readonly CheckMeta[], onResult?: (result: CheckResult) => void) {
    this.#checks = checks
    this.#onResult = onResult
  }

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.meta().layercheck ?? crashed(testCase, this.#checks)
    this.results.push(result)
    this.#onResult?.(result)
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    for (const module of testModules) {
      for (const error of module.errors()) this.harnessErrors.push(`${module.moduleId}: ${error.message}`)
    }
    for (const error of unhandledErrors) this.harnessErrors.push(error.message)
  }
}

function crashed(testCase: TestCase, checks: readonly CheckMeta[]): CheckResult {
  const [id = testCase.name, title = testCase.name] = testCase.name.split(' · ')
  const message = testCase.result().errors?.map((e) => e.message).join('; ') ?? 'no result recorded'
  const known = checks.find((check) => check.id === id)
  return {
    id, title, step: known?.step ?? 15, layer: known?.layer ?? 'handler', spec: known?.spec ?? '', severity: known?.severity ?? 'error',
    verdict: 'error', expected: '', actual: '', diagnosis: `the harness failed, not the target: ${message}`,
    evidence: [], durationMs: Math.round(testCase.diagnostic()?.duration ?? 0),
  }
}
