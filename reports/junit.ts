// JUnit XML for CI test panels: one <testsuite> per lifecycle step, one
// <testcase> per check. xmlbuilder2 escapes markup; `invalidCharReplacement`
// drops characters XML 1.0 cannot carry at all, which a target can put in a
// body or header, and which would otherwise make CI reject the whole file.
import { create } from 'xmlbuilder2'
import type { CheckResult, RunReport } from '../harness/model/check-result.ts'
import { renderFailureBlock } from '../harness/model/failure-text.ts'
import { countVerdicts, groupByStep, isWarning } from '../harness/model/report-view.ts'
import { oneLine } from '../harness/model/sanitize.ts'

// The builder type, without a deep import into the package's internals.
type XMLBuilder = ReturnType<typeof create>

// JUnit times are seconds; millisecond precision is all we measure.
const seconds = (ms: number) => (ms / 1000).toFixed(3)

function totals(checks: readonly CheckResult[]) {
  const counts = countVerdicts(checks)
  return {
    tests: checks.length,
    failures: counts.fail,
    errors: counts.error,
    skipped: counts['not-applicable'],
    time: seconds(checks.reduce((sum, check) => sum + check.durationMs, 0)),
  }
}

function addTestcase(suite: XMLBuilder, check: CheckResult): void {
  const testcase = suite.ele('testcase', {
    classname: `layercheck.${check.layer}`,
    name: `${check.id} — ${check.title}`,
    time: seconds(check.durationMs),
  })
  if (isWarning(check)) {
    // A warning does not fail the run (unless --fail-on info): a passing testcase that says so in its output.
    testcase.ele('system-out').txt(renderFailureBlock(check))
  } else if (check.verdict === 'fail') {
    testcase
      .ele('failure', { message: oneLine(`expected ${check.expected}, got ${check.actual}`), type: check.severity })
      .txt(renderFailureBlock(check))
  } else if (check.verdict === 'error') {
    const code = check.evidence.find((exchange) => exchange.failure)?.failure?.code
    testcase
      .ele('error', { message: oneLine(check.diagnosis ?? check.actual), type: code ?? 'error' })
      .txt(renderFailureBlock(check))
  } else if (check.verdict === 'not-applicable') {
    testcase.ele('skipped', { message: oneLine(check.reason ?? '') })
  }
}

export function renderJunit(report: RunReport): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' })
  const root = doc.ele('testsuites', {
    name: `layercheck · ${report.target.name}`,
    ...totals(report.checks),
    // The run's wall time, which includes setup and faults between checks.
    time: seconds(report.durationMs),
    timestamp: report.startedAt,
  })
  for (const group of groupByStep(report.checks)) {
    const suite = root.ele('testsuite', {
      name: `step ${group.step} · ${group.name}`,
      ...totals(group.checks),
      timestamp: report.startedAt,
    })
    for (const check of group.checks) addTestcase(suite, check)
  }
  return doc.end({ prettyPrint: true }) + '\n'
}
