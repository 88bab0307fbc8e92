import { describe, expect, test } from 'vitest'
import type { CheckResult, RunReport } from '../../harness/model/check-result.ts'
import { summarize } from '../../harness/model/report-view.ts'
import { guideGroups, renderProfileGuide } from '../../reports/profile-guide.ts'
import { renderTerminalSummary } from '../../reports/terminal-summary.ts'
import { sampleReport } from './fixtures/sample-report.ts'
import { expectGolden } from './golden.ts'

const notApplicable = (id: string, needs: string | undefined, reason: string): CheckResult => ({
  id, title: `${id} title`, step: 6, layer: 'proxy', spec: 'RFC 9110', severity: 'error',
  verdict: 'not-applicable', expected: '', actual: '', reason, ...(needs && { needs }), evidence: [], durationMs: 0,
})

/** A bare run's report: the sample's checks, plus not-applicable ones by the key each needs, and one warning. */
function bareRunReport(): RunReport {
  const report = sampleReport()
  const nosniffWarning: CheckResult = {
    id: 'proxy.headers.nosniff', title: 'Every response, error pages included, carries X-Content-Type-Options: nosniff',
    step: 6, layer: 'proxy', spec: 'WHATWG Fetch §3.5 (X-Content-Type-Options)', severity: 'info', advisory: 'responseHeaders.nosniff',
    verdict: 'fail', expected: '404, X-Content-Type-Options: nosniff', actual: '404 from app: X-Content-Type-Options: absent',
    diagnosis: '404: no nosniff, so a browser may sniff a JSON or error body as HTML.', evidence: [], durationMs: 3,
  }
  report.checks = [
    ...report.checks.filter((c) => c.verdict !== 'fail' && c.verdict !== 'error'),
    nosniffWarning,
    notApplicable('faults.upstream-down.502', 'faults', 'faults is not set'),
    notApplicable('faults.upstream-slow.504', 'faults', 'faults is not set'),
    notApplicable('faults.reset.502', 'faults', 'faults is not set'),
    notApplicable('middleware.auth.missing-token.401', 'auth', 'auth is not set'),
    notApplicable('middleware.auth.bad-token.401', 'auth', 'auth is not set'),
    notApplicable('proxy.body-size.413', 'limits.maxBodyBytes', 'limits.maxBodyBytes is not set'),
    notApplicable('protocol.smuggling.cl-te', 'probes.healthPath', 'no open path answered 2xx'),
    // Skipped by the profile: it needs no key, so no group names it.
    notApplicable('handler.secrets-not-logged', undefined, 'skipped by the profile: no login route'),
  ]
  report.summary = summarize(report.checks)
  return report
}

describe('the guided end of a bare run', () => {
  test('groups not-applicable checks by the key each needs, largest first, and prints the init command', async () => {
    const text = renderProfileGuide(bareRunReport(), { color: false, initCommand: 'npx layercheck init https://staging.example.com --out layercheck.config.ts' })
    await expectGolden('profile-guide.txt', text)
    expect(guideGroups(bareRunReport()).map((g) => g.key)).toEqual(['faults', 'auth', 'limits.maxBodyBytes', 'probes.healthPath'])
  })

  test('a warning is counted apart from failures, shown after them, and leaves the verdict a pass', async () => {
    const report = bareRunReport()
    expect(report.summary).toMatchObject({ fail: 0, warnings: 1 })
    const text = renderTerminalSummary(report, { color: false })
    await expectGolden('terminal-warnings.txt', text)
    expect(text).toContain('⚠ proxy.headers.nosniff')
    expect(text.trimEnd().split('\n').slice(-2)).toEqual([
      expect.stringMatching(/^checks: \d+ passed, 0 failed, 1 warning, \d+ not applicable, 0 errors/),
      'verdict: PASS',
    ])
  })
})
