// A target that gave the preflight no HTTP answer still gets every report
// (a CI summary step must not fail exactly when the gate fires): the
// connection checks (steps 1–3) run as they would in the suites, so the
// report names the step that failed and why; every other check is listed as
// not run. Nothing above TCP is sent.
import type { CheckDefinition } from '../../harness/check/define-check.ts'
import { runCheck } from '../../harness/check/run-check.ts'
import type { CheckResult } from '../../harness/model/check-result.ts'
import { formatAnsweredBy } from '../../harness/model/report-view.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { clientForProfile } from '../../harness/target/client-for-profile.ts'
import { ALL_CHECKS, isBelowHttp } from '../../suites/all-checks.ts'
import type { Unreachable } from './preflight.ts'

/** The preflight's own result, when the connection checks all passed (the connection opened, then no answer came). */
export const PREFLIGHT_ID = 'preflight.http-answer'

const meta = (check: CheckDefinition) => ({ id: check.id, title: check.title, step: check.step, layer: check.layer, spec: check.spec, severity: check.severity })

export async function unreachableResults(
  profile: Readonly<Profile>, unreachable: Unreachable, checks: readonly CheckDefinition[] = ALL_CHECKS,
): Promise<CheckResult[]> {
  const { exchange, answeredBy } = unreachable
  const failure = exchange.failure?.message ?? exchange.failure?.code ?? 'no answer'
  const client = clientForProfile(profile)
  const connection: CheckResult[] = []
  try {
    for (const check of checks.filter(isBelowHttp)) connection.push(await runCheck(check, { profile, client }))
  } finally {
    await client.close()
  }
  const why = `${formatAnsweredBy(answeredBy)}: ${answeredBy.reason} (${failure})`
  // The connection opened (or its checks were deselected), yet no HTTP answer came: the preflight says so itself.
  const preflight: CheckResult[] = connection.some((c) => c.verdict === 'fail') ? [] : [{
    id: PREFLIGHT_ID, title: 'The target gives an HTTP answer before the suites run', step: answeredBy.step ?? 4, layer: 'connection',
    spec: 'deployment documentation (baseUrl, probes.healthPath)', severity: 'error', verdict: 'fail',
    expected: `an HTTP response to ${exchange.request.method} ${exchange.request.url}`, actual: failure,
    answeredBy, diagnosis: `No HTTP answer: ${answeredBy.reason}. Check that the target is up and reachable from here.`,
    evidence: [exchange], decisive: 0, durationMs: exchange.timing.totalMs,
  }]
  const notRun = checks.filter((check) => !isBelowHttp(check)).map((check): CheckResult => ({
    ...meta(check), verdict: 'not-applicable', expected: '', actual: '',
    reason: `not run: the target gave no HTTP answer (${why})`, evidence: [], durationMs: 0,
  }))
  return [...connection, ...preflight, ...notRun]
}
