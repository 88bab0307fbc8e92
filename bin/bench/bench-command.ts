import { readFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { resolve } from 'node:path'
import { planCores, pinGenerator, type CorePlan } from '../../harness/bench/cpu-pinning.ts'
import type { BenchReport, GainMeasurement, ScalingMeasurement } from '../../harness/model/bench-result.ts'
import type { Profile } from '../../harness/profile/schema.ts'
import { loadProfileFile, parseProfile } from '../../harness/profile/load-profile.ts'
import { compareWithBaseline, gatingRegressions } from '../../reports/baseline-diff.ts'
import { BENCH_TOLERANCE } from '../../reports/bench-regressions.ts'
import { renderJsonReport } from '../../reports/json-report.ts'
import { writeReports } from '../../reports/write-reports.ts'
import { measureClientKeepAlive, measureScaling, measureUpstreamKeepAlive, type BenchTarget, type Progress } from '../../suites/bench/bench-plan.ts'
import { judgeThresholds, thresholdChecks } from '../../suites/bench/thresholds.ts'
import { startKeepAliveStacks, startScalingStacks, SCALING_ROUTES, SCALING_WORKER_COUNTS } from '../../targets/nginx-fastapi/bench-stacks.ts'
import { referenceProfile } from '../../targets/nginx-fastapi/profile.ts'
import { interruptedBy } from '../../harness/process/shutdown.ts'
import { renderBenchText } from './bench-text.ts'
import { buildReport } from '../run/build-report.ts'
import { EXIT } from '../exit-codes.ts'
import { baselineExitCode, readReportFile } from '../report-command.ts'
import { assertKnownMeasurements, mergeThresholds, parseThresholdOption, settingsOf, type BenchOptions } from './bench-options.ts'

export type { BenchOptions }

/** What the embedded reference bench measures, known before any stack starts. */
const REFERENCE_MEASUREMENTS = [
  'keepalive-http', 'keepalive-tls', 'upstream-keepalive',
  ...SCALING_ROUTES.flatMap((r) => [r.id, ...SCALING_WORKER_COUNTS.map((w) => `${r.id}/${w}`)]),
]

function progressTo(log: (line: string) => void, totalRuns: number, started: number): Progress {
  let done = 0
  return {
    section: (title) => log(title),
    run: (line) => {
      done += 1
      log(`  [${done}/${totalRuns}, ${Math.round((performance.now() - started) / 1000)} s] ${line}`)
    },
  }
}

interface Measured {
  profile: Readonly<Profile>
  /** How the keep-alive measurements were pinned. */
  plan: CorePlan
  gains: GainMeasurement[]
  scaling: ScalingMeasurement[]
}

/**
 * The embedded reference: the keep-alive pair of stacks, then the
 * worker-scaling stacks, each stopped before the next. The keep-alive phase is
 * pinned (its close loop can take a whole core, and a generator competing with
 * the server measures the scheduler); worker scaling is not, so the server can
 * use every core: its routes cost the generator a few per cent of one.
 */
async function benchReference(options: BenchOptions, log: (line: string) => void, started: number): Promise<Measured> {
  // Bad --threshold options and limits are usage errors, found before anything starts.
  settingsOf(parseProfile({ baseUrl: 'http://127.0.0.1' }), options)
  assertKnownMeasurements(Object.fromEntries((options.thresholds ?? []).map(parseThresholdOption)), REFERENCE_MEASUREMENTS)
  const plan = planCores(options.pin)
  log('starting the reference stack and its twin without upstream keep-alive…')
  const keepAlive = await startKeepAliveStacks('/health', plan)
  const unpin = pinGenerator(plan)
  try {
    const profile = parseProfile(referenceProfile(keepAlive.reference), 'the reference stack profile')
    const settings = settingsOf(profile, options)
    const thresholds = mergeThresholds(profile, options)
    assertKnownMeasurements(thresholds, REFERENCE_MEASUREMENTS)
    const progress = progressTo(log, settings.repeats * (2 * 2 + 2 + SCALING_ROUTES.length * SCALING_WORKER_COUNTS.length), started)
    const gains: GainMeasurement[] = []
    for (const target of keepAlive.target.clientKeepAlive) gains.push(await measureClientKeepAlive(target, settings, progress))
    gains.push(await measureUpstreamKeepAlive(keepAlive.target.upstreamKeepAlive!, settings, progress))
    await keepAlive.stop()
    unpin()
    log(`starting one app instance with ${SCALING_WORKER_COUNTS.join(', ')} workers (not pinned: the server may use all ${plan.cores} cores)…`)
    const scalingStacks = await startScalingStacks(planCores(false))
    try {
      const scaling: ScalingMeasurement[] = []
      for (const target of scalingStacks.target) scaling.push(await measureScaling(target, settings, progress))
      return { profile: { ...profile, bench: { ...profile.bench, thresholds } }, gains, scaling, plan }
    } finally {
      await scalingStacks.stop()
    }
  } finally {
    unpin()
    await keepAlive.stop()
  }
}

/** A deployment: client keep-alive on baseUrl (and connection.httpsUrl), the rest where the profile names URLs. */
async function benchDeployment(options: BenchOptions, profile: Readonly<Profile>, log: (line: string) => void, started: number): Promise<Measured> {
  const settings = settingsOf(profile, options)
  const thresholds = mergeThresholds(profile, options)
  // Not started by us: no server CPU, no worker spread; the profile's CA for its TLS endpoint.
  const ca = profile.tls?.caFile ? await readFile(profile.tls.caFile) : undefined
  const unknownServer = { serverGroups: [], serverCores: cpus().length, ca }
  const target: BenchTarget = {
    clientKeepAlive: [
      { id: 'keepalive-http', url: new URL(profile.bench.path, profile.baseUrl).href, ...unknownServer },
      ...(profile.connection.httpsUrl ? [{ id: 'keepalive-tls' as const, url: new URL(profile.bench.path, profile.connection.httpsUrl).href, ...unknownServer }] : []),
    ],
    ...(profile.bench.upstreamKeepAlive && {
      upstreamKeepAlive: { with: { url: profile.bench.upstreamKeepAlive.with, ...unknownServer }, without: { url: profile.bench.upstreamKeepAlive.without, ...unknownServer } },
    }),
    scaling: profile.bench.scaling.map((s) => ({ id: s.id, name: s.name ?? `worker scaling (${s.id})`, points: s.points.map((p) => ({ ...p, ...unknownServer })) })),
  }
  assertKnownMeasurements(thresholds, [
    ...target.clientKeepAlive.map((t) => t.id), ...(target.upstreamKeepAlive ? ['upstream-keepalive'] : []),
    ...target.scaling.flatMap((s) => [s.id, ...s.points.map((p) => `${s.id}/${p.workers}`)]),
  ])
  const progress = progressTo(log, settings.repeats * (2 * target.clientKeepAlive.length + (target.upstreamKeepAlive ? 2 : 0) + target.scaling.reduce((n, s) => n + s.points.length, 0)), started)
  const gains: GainMeasurement[] = []
  for (const t of target.clientKeepAlive) gains.push(await measureClientKeepAlive(t, settings, progress))
  if (target.upstreamKeepAlive) gains.push(await measureUpstreamKeepAlive(target.upstreamKeepAlive, settings, progress))
  const scaling: ScalingMeasurement[] = []
  for (const t of target.scaling) scaling.push(await measureScaling(t, settings, progress))
  return { profile: { ...profile, bench: { ...profile.bench, thresholds } }, gains, scaling, plan: planCores(false) }
}

/**
 * `layercheck bench`: keep-alive gains (client HTTP and TLS, proxy→app) and
 * worker scaling, each mode run side by side and repeated, judged against the
 * profile's thresholds. Writes the usual report set with a `bench` block.
 */
export async function benchCommand(options: BenchOptions, log: (line: string) => void, out: (text: string) => void = log): Promise<number> {
  const startedAt = new Date()
  const started = performance.now()
  // Read the baseline first: a bad file is bad usage, found before any load.
  const baseline = options.baseline === undefined ? undefined : await readReportFile(options.baseline)
  // Only stacks we start are pinned: a deployment's server is not ours to move.
  const profile = options.config ? await loadProfileFile(options.config) : undefined
  const measured = profile ? await benchDeployment(options, profile, log, started) : await benchReference(options, log, started)
  // Measurements taken while the stacks were being stopped say nothing: no report (the process exits 128 + n).
  const signal = interruptedBy()
  if (signal) {
    log(`interrupted (${signal}): no report written`)
    return EXIT.harness
  }
  const { plan } = measured
  const settings = settingsOf(measured.profile, options)
  const thresholds = judgeThresholds(measured.profile.bench.thresholds, measured)
  const bench: BenchReport = {
    machine: {
      cores: plan.cores, serverCores: plan.server, generatorCores: plan.generator, pinned: plan.pinned,
      note: plan.pinned
        ? `keep-alive gains: server pinned to core${plan.server.length === 1 ? '' : 's'} ${plan.server.join(',')}, the load generator to ${plan.generator.join(',')} (the server had ${plan.server.length} core${plan.server.length === 1 ? '' : 's'}); worker scaling: not pinned, generator and server share every core`
        : 'not pinned: the generator and the server share every core, so figures measure this box rather than the server alone',
    },
    settings, gains: measured.gains, scaling: measured.scaling, thresholds,
    durationMs: Math.round(performance.now() - started),
  }
  const checks = thresholdChecks(thresholds, bench)
  const built = { ...buildReport(measured.profile, checks, startedAt, performance.now() - started), bench }
  const report = baseline ? { ...built, baseline: compareWithBaseline(baseline, built, options.tolerance) } : built
  const written = await writeReports(report, resolve(options.reportDir))
  log('')
  log(renderBenchText(bench))
  log(`\nreport: ${written.html}\n        ${written.json}`)
  if (options.json) out(renderJsonReport(report))
  if (report.baseline) {
    const regressions = gatingRegressions(report.baseline)
    log(regressions.length
      ? `${regressions.length} regression${regressions.length === 1 ? '' : 's'} since the baseline: ${regressions.map((r) => r.id).join(', ')}`
      : `no regression since the baseline (slower only within the runs' spread or under ${Math.round((options.tolerance ?? BENCH_TOLERANCE) * 100)} %)`)
    return baselineExitCode(report, 'info')
  }
  return thresholds.some((t) => t.verdict !== 'pass') ? EXIT.failing : EXIT.conformant
}
