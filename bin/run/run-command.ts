import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startVitest } from 'vitest/node'
import pc from 'picocolors'
import type { CheckResult, Severity } from '../../harness/model/check-result.ts'
import { SEVERITIES } from '../../harness/model/check-result.ts'
import { formatAnsweredBy, isWarning, plural, VERDICT_MARKS, WARNING_MARK } from '../../harness/model/report-view.ts'
import { CODE_ROOT, codeModule } from '../../harness/paths.ts'
import { renderTerminalSummary, writeReports } from '../../reports/index.ts'
import { compareWithBaseline, gatingRegressions } from '../../reports/baseline-diff.ts'
import { renderJsonReport } from '../../reports/json-report.ts'
import { renderProfileGuide } from '../../reports/profile-guide.ts'
import { baselineExitCode, readReportFile } from '../report-command.ts'
import { dryRunCommand } from './dry-run.ts'
import { discoverConfig } from './discover-config.ts'
import { EXIT } from '../exit-codes.ts'
import { buildReport } from './build-report.ts'
import { CheckCollector } from './check-collector.ts'
import { preflight } from './preflight.ts'
import { unreachableResults } from './unreachable-report.ts'
import { selectChecks } from './select-checks.ts'
import { RUN_STARTED_ENV, SELECTION_ENV } from '../../harness/check/describe-checks.ts'
import { suiteFilterOf } from '../../suites/all-checks.ts'
import { loadProfileFile } from '../../harness/profile/load-profile.ts'
import { USER_CHECKS_ENV } from '../../harness/check/describe-checks.ts'
import { checkUniverse } from './check-universe.ts'
import { withCaseFlags } from '../../harness/openapi/case-selection.ts'
import { caseCoverageOf, describeCaseCoverage } from '../../harness/openapi/case-coverage.ts'
import { describeLayers, inferLayers, withSeenFirstHop } from './infer-layers.ts'
import { withServedPath } from './served-path.ts'
import { resolveTarget } from './resolve-target.ts'
import { interruptedBy, onInterrupt } from '../../harness/process/shutdown.ts'
import { killChildProcesses } from '../../harness/process/process-group.ts'
import { injectorForProfile } from '../../harness/toxiproxy/injector-for-profile.ts'
import { needsFaults } from '../../suites/faults/fault-requirements.ts'

export interface RunOptions {
  config?: string
  target?: string
  /** Faults (and later floods and benchmarks) against a target that is not loopback. */
  allowDisruptive?: boolean
  reportDir: string
  failOn: Severity
  color: boolean
  /** A report.json to compare with: findings are marked new, existing or fixed, and only regressions fail the run. */
  baseline?: string
  /** The JSON report on stdout (`out`); everything `log` prints goes to stderr. */
  json?: boolean
  /** List the probes without sending any request. */
  dryRun?: boolean
  /** `i/n`: run only that shard of the suite files (vitest --shard). */
  shard?: string
  /** Comma-separated patterns (id glob, step:N, layer:NAME): run only the checks they select. */
  only?: string
  /** The same patterns: leave out the checks they select (after --only). */
  exclude?: string
  /** --seed: the generated cases' seed (schemaCases.seed). */
  seed?: number
  /** --case: replay only these generated cases (schemaCases.replay). */
  case?: string[]
}

// From the run's own colours, never picocolors' defaults (which read the environment their own way).
const marks = (c: ReturnType<typeof pc.createColors>): Record<CheckResult['verdict'], (s: string) => string> => ({
  pass: c.green, fail: c.red, 'not-applicable': c.dim, error: c.yellow,
})

export async function runCommand(given: RunOptions, log: (line: string) => void, out: (text: string) => void = log): Promise<number> {
  const colors = pc.createColors(given.color)
  // No --config and no --target: a layercheck.config.* in the working directory, else the embedded stack.
  const discovered = given.config || given.target ? undefined : discoverConfig()
  const options = discovered ? { ...given, config: discovered.file } : given
  if (discovered) {
    log(`profile: ${discovered.file} (found in the working directory; --config or --target to use another)`)
    if (discovered.ignored.length) log(colors.yellow(`  also here, not used: ${discovered.ignored.join(', ')}`))
  }
  // Read the baseline first: a bad file is bad usage, found before any probe.
  const baseline = options.baseline === undefined ? undefined : await readReportFile(options.baseline)
  // The profile, read once: its own checks (checks.include) join ours before anything is selected or started.
  const loaded = options.config ? await loadProfileFile(options.config) : undefined
  const universe = await checkUniverse(loaded, options.config)
  if (universe.user.length) log(colors.dim(`own checks: ${universe.user.length} from ${plural(universe.userFiles.length, 'file')} (checks.include): ${universe.checks.filter((c) => universe.user.includes(c)).map((c) => c.id).join(', ')}`))
  // A selection that matches nothing is bad usage, found before anything starts.
  const selection = selectChecks(options, universe)
  if (selection) log(colors.dim(`${selection.describe}: ${selection.checks.length} of ${universe.checks.length} checks (${selection.regions.join(', ')})`))
  if (options.dryRun) return dryRunCommand({ ...options, loaded, checks: selection?.checks ?? universe.checks }, log, out)
  const paint = marks(colors)
  const resolved = await resolveTarget({
    loaded, config: options.config, target: options.target,
    onStackStarting: () => log(colors.dim('no --config, --target or layercheck.config.* here: starting the embedded reference stack (nginx → toxiproxy → gunicorn/uvicorn → FastAPI)…')),
  })
  const { stack } = resolved
  let profile = resolved.profile
  const scratch = mkdtempSync(join(tmpdir(), 'layercheck-run-'))
  if (options.allowDisruptive) process.env.LAYERCHECK_ALLOW_DISRUPTIVE = '1'
  // Faults are cleared by whoever added them; this sweep is the backstop for a
  // worker killed mid-fault, and for leftovers of an earlier interrupted run.
  const injector = needsFaults(profile) === undefined ? injectorForProfile(profile) : undefined
  const sweep = async (when: string) => {
    const { removed } = await injector!.sweep()
    if (removed.length) log(colors.yellow(`${when}: removed faults left on Toxiproxy: ${removed.join(', ')}`))
  }
  const unhookWorkers = onInterrupt(async () => {
    killChildProcesses()
  }, 0)
  const unhookSweep = injector && onInterrupt(() => sweep('interrupted'), 1)
  // The embedded stack stops, folder and all, before the process exits: an interrupted run never reaches `finally`.
  const unhookStack = stack && onInterrupt(() => stack.stop(), 2)
  try {
    log(`target: ${profile.name ?? profile.baseUrl}  ${colors.dim(profile.baseUrl)}`)
    if (injector) await sweep('before the run')
    const preflightAt = new Date()
    const preflightStarted = performance.now()
    const unreachable = await preflight(profile)
    if (unreachable) {
      const by = unreachable.answeredBy
      log(colors.red(`✗ target unreachable: ${formatAnsweredBy(by)} — ${by.reason}`))
      log(`    sent:   GET ${unreachable.exchange.request.url}`)
      log(`    error:  ${unreachable.exchange.failure?.message ?? unreachable.exchange.failure?.code}`)
      log('    no HTTP answer came back, so no check can run; check the address, that the service listens, and its certificate.')
      // Every report still, for the CI steps that read them: the connection checks say which step failed, the rest were not run.
      const results = await unreachableResults(profile, unreachable, selection?.checks ?? universe.checks)
      const built = buildReport(profile, results, preflightAt, performance.now() - preflightStarted)
      const report = baseline ? { ...built, baseline: compareWithBaseline(baseline, built) } : built
      const written = await writeReports(report, resolve(options.reportDir))
      log(colors.dim(`reports: ${written.html}  ${written.json}  ${written.junit}  ${written.markdown}`))
      if (options.json) out(renderJsonReport(report))
      return EXIT.unreachable
    }

    // A path that is served, found rather than assumed when the profile names none.
    const served = await withServedPath(profile)
    profile = served.profile
    if (served.note) log(colors.dim(served.note))

    // Calibration: what the target's own answers say of its layers (each suite worker learns the same for its attribution).
    const inferredLayers = await inferLayers(profile)
    log(colors.dim(describeLayers(profile, inferredLayers)))
    const hop = withSeenFirstHop(profile, inferredLayers)
    profile = hop.profile
    if (hop.note) log(colors.dim(hop.note))
    // --seed and --case reach the workers through the profile they read (schemaCases).
    profile = withCaseFlags(profile, options)

    // The workers read the resolved profile from this file; secrets stay in env.
    const profileFile = join(scratch, 'profile.json')
    writeFileSync(profileFile, JSON.stringify(profile))
    process.env.LAYERCHECK_PROFILE_FILE = profileFile
    // --only: the workers register the selected checks alone, and only the suite files that hold them are loaded.
    if (selection) {
      const selectionFile = join(scratch, 'selection.json')
      writeFileSync(selectionFile, JSON.stringify(selection.checks.map((c) => c.id)))
      process.env[SELECTION_ENV] = selectionFile
    }
    // The profile's own checks: the suite worker imports the same files again.
    if (universe.userFiles.length) {
      const userChecksFile = join(scratch, 'user-checks.json')
      writeFileSync(userChecksFile, JSON.stringify(universe.userFiles))
      process.env[USER_CHECKS_ENV] = userChecksFile
    }

    const startedAt = new Date()
    const started = performance.now()
    const collector = new CheckCollector(universe.checks, (result) => {
      const mark = isWarning(result) ? colors.yellow(`${WARNING_MARK} ${result.id}`) : paint[result.verdict](`${VERDICT_MARKS[result.verdict]} ${result.id}`)
      log(`  ${mark}  ${colors.dim(result.title)}`)
      // The generated cases say what they covered: operations, cases, the seed, what was sampled or left out.
      const coverage = caseCoverageOf(result.measurements)
      if (coverage) log(colors.dim(`      ${describeCaseCoverage(coverage)}`))
    })
    process.env[RUN_STARTED_ENV] = String(startedAt.getTime())
    const vitest = await startVitest('test', selection ? [...new Set(selection.regions.map(suiteFilterOf))] : [], {
      root: CODE_ROOT, config: codeModule('vitest.config'), watch: false, reporters: [collector],
      ...(options.shard && { shard: options.shard }),
    })
    await vitest.close()
    const signal = interruptedBy()
    if (signal) {
      // The checks cut short have no verdict, and a report of the rest would
      // read as the whole run's. The process exits 128 + n once the interrupt phases are done.
      log(colors.yellow(`interrupted (${signal}): no report written`))
      return EXIT.harness
    }

    const built = buildReport(profile, collector.results, startedAt, performance.now() - started, inferredLayers)
    const report = baseline ? { ...built, baseline: compareWithBaseline(baseline, built) } : built
    const written = await writeReports(report, resolve(options.reportDir))
    log('')
    log(renderTerminalSummary(report, { color: options.color }))
    log(colors.dim(`reports: ${written.html}  ${written.json}  ${written.junit}  ${written.markdown}`))
    // A bare run (a URL, no profile): what a profile would add, and the command that writes one.
    if (!options.config && options.target) {
      log('')
      log(renderProfileGuide(report, { color: options.color, initCommand: `npx layercheck init ${options.target} --out layercheck.config.ts` }).trimEnd())
    }
    for (const error of collector.harnessErrors) log(colors.yellow(`harness error: ${error}`))
    if (options.json) out(renderJsonReport(report))

    if (report.baseline) {
      const regressions = gatingRegressions(report.baseline, options.failOn)
      log(regressions.length
        ? colors.red(`${regressions.length} regression${regressions.length === 1 ? '' : 's'} since the baseline: ${regressions.map((r) => r.id).join(', ')}`)
        : colors.green('no regression since the baseline'))
      return baselineExitCode(report, options.failOn, collector.harnessErrors.length + (report.summary.total === 0 ? 1 : 0))
    }

    // --case naming an id no case has is bad usage, known only once the document was read: never a quiet pass.
    const unknownCase = options.case?.length ? report.checks.find((c) => c.verdict === 'not-applicable' && c.reason?.startsWith('schemaCases.replay (--case)')) : undefined
    if (unknownCase) {
      log(colors.red(unknownCase.reason!))
      return EXIT.usage
    }
    const threshold = SEVERITIES.indexOf(options.failOn)
    const failing = report.checks.filter((c) => c.verdict === 'fail' && SEVERITIES.indexOf(c.severity) >= threshold)
    if (failing.length) return EXIT.failing
    if (report.summary.error > 0 || collector.harnessErrors.length > 0 || report.summary.total === 0) return EXIT.harness
    return EXIT.conformant
  } finally {
    unhookSweep?.()
    unhookStack?.()
    unhookWorkers()
    if (injector) await sweep('after the run').catch((error) => log(colors.yellow(`could not sweep Toxiproxy: ${(error as Error).message}`)))
    delete process.env.LAYERCHECK_PROFILE_FILE
    delete process.env[SELECTION_ENV]
    delete process.env[RUN_STARTED_ENV]
    delete process.env[USER_CHECKS_ENV]
    rmSync(scratch, { recursive: true, force: true })
    if (stack) await stack.stop()
  }
}
