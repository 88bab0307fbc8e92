// The CLI workflows end to end against one reference stack (started once for
// the file): a baseline and a regression, init → run, shards → merge.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { CheckResult, RunReport } from '../../harness/model/check-result.ts'
import { conflictingOverlaps } from '../../harness/model/floor.ts'
import { loadProfileFile } from '../../harness/profile/load-profile.ts'
import type { ProfileInput } from '../../harness/profile/schema.ts'
import { PROJECT_ROOT } from '../../harness/paths.ts'
import { parseJsonReport } from '../../reports/json-report.ts'
import { referenceProfile } from '../../targets/nginx-fastapi/profile.ts'
import { CONFORMANCE_REGIONS } from '../../suites/all-checks.ts'
import type { ReferenceStack } from '../../targets/nginx-fastapi/stack.ts'
import { runCli } from '../support/cli.ts'
import { useStack } from '../support/reference-stack.ts'

// Under the project, so a .ts profile's `import { defineConfig } from 'layercheck'` resolves (the package's self-reference).
mkdirSync(join(PROJECT_ROOT, 'test-artifacts'), { recursive: true })
const dir = mkdtempSync(join(PROJECT_ROOT, 'test-artifacts', 'cli-workflows-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * The reference profile without faults (slow, and not what these runs are
 * about) and without the rate limit (its window is timing-sensitive under a
 * loaded machine): the runs compare verdicts, so they keep to steady checks.
 */
function steadyProfile(stack: ReferenceStack): ProfileInput {
  const { faults: _faults, rateLimit: _rateLimit, ...profile } = referenceProfile(stack)
  return profile
}

const verdicts = (report: RunReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.verdict]))
const read = (reportDir: string) => parseJsonReport(readFileSync(join(reportDir, 'report.json'), 'utf8'))

const target = useStack()

describe('layercheck run --baseline', () => {
  test('a clean baseline, then a profile change that makes a check fail: exit 1, NEW in every output; --json on stdout', { timeout: 300_000 }, async () => {
    const { stack, env } = target()
    const dir = mkdtempSync(join(tmpdir(), 'layercheck-baseline-'))
    const profileFile = join(dir, 'profile.json')
    const profile = steadyProfile(stack)
    writeFileSync(profileFile, JSON.stringify(profile))
    const first = await runCli(['run', '--config', profileFile, '--report-dir', join(dir, 'base')], { env, timeoutMs: 120_000 })
    expect(first.code, first.stdout).toBe(0)
    const baselineFile = join(dir, 'base', 'report.json')

    // The same run against the same baseline has nothing new: exit 0.
    const same = await runCli(['run', '--config', profileFile, '--report-dir', join(dir, 'same'), '--baseline', baselineFile], { env, timeoutMs: 120_000 })
    expect(same.code, same.stdout).toBe(0)
    expect(same.stdout).toContain('— 0 new, 0 existing, 0 fixed')
    expect(same.stdout).toContain('no regression since the baseline')

    // Documenting 415 where the app answers 422 makes validation.content-type.mismatch fail, and the
    // generated cases' wrong-media-type case with it (validation.schema.every-operation reads the same key).
    writeFileSync(profileFile, JSON.stringify({ ...profile, contentType: { mismatchStatus: 415 } }))
    const second = await runCli(
      ['run', '--config', profileFile, '--report-dir', join(dir, 'next'), '--baseline', baselineFile, '--json'], { env, timeoutMs: 120_000 },
    )
    expect(second.code, second.stderr).toBe(1)
    // --json: stdout is exactly the report; the human output went to stderr.
    const report = parseJsonReport(second.stdout)
    expect(report.baseline?.counts).toEqual({ new: 2, existing: 0, fixed: 0, regressions: 2 })
    expect(report.baseline?.findings.map((f) => f.id).sort()).toEqual(['validation.content-type.mismatch', 'validation.schema.every-operation'])
    expect(report.baseline?.findings.find((f) => f.id === 'validation.content-type.mismatch')).toMatchObject({ status: 'new', before: 'pass', after: 'fail', regression: true })
    expect(second.stderr).toMatch(/^ {2}NEW {6}validation\.content-type\.mismatch .*passed → failed \(regression\)$/m)
    expect(second.stderr).toMatch(/2 regressions since the baseline: validation\.(content-type\.mismatch|schema\.every-operation), validation\.(content-type\.mismatch|schema\.every-operation)/)
    expect(readFileSync(join(dir, 'next', 'summary.md'), 'utf8'))
      .toContain('| NEW | `validation.content-type.mismatch` |')
    expect(parseJsonReport(readFileSync(join(dir, 'next', 'report.json'), 'utf8')).baseline).toEqual(report.baseline)
  })
})

describe('layercheck init', () => {
  test('writes a .ts profile with which `layercheck run` passes, with only the token in the environment', { timeout: 180_000 }, async () => {
    const { stack, env } = target()
    const out = join(dir, 'layercheck.config.ts')
    const init = await runCli(['init', stack.httpUrl, '--out', out])
    expect(init.code, init.stdout + init.stderr).toBe(0)
    const text = readFileSync(out, 'utf8')
    expect(text).toMatch(/^import \{ defineConfig \} from 'layercheck'\n/)
    expect(text).toContain('  // limits: {')
    const profile = await loadProfileFile(out)
    expect(profile.probes.jsonEndpoint?.path).toBe('/items')
    expect(profile.probes.healthPath).toBe('/health')
    expect(profile.auth?.protectedPath).toBe('/me')
    expect(profile.requestId).toMatchObject({ header: 'X-Request-ID' })

    const reportDir = join(dir, 'report')
    const run = await runCli(['run', '--config', out, '--report-dir', reportDir], { env: { LAYERCHECK_TOKEN: env.LAYERCHECK_TOKEN }, timeoutMs: 120_000 })
    const report = parseJsonReport(readFileSync(join(reportDir, 'report.json'), 'utf8'))
    expect(report.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error').map((c) => `${c.id}: ${c.actual}${c.diagnosis ?? ''}`)).toEqual([])
    expect(run.code, run.stdout).toBe(0)
    const passed = report.checks.filter((c) => c.verdict === 'pass').map((c) => c.id)
    for (const id of ['validation.invalid-fields.422', 'validation.content-type.mismatch', 'middleware.auth.missing-token.401', 'routing.method-not-allowed.405-allow', 'middleware.request-id.generated']) {
      expect(passed).toContain(id)
    }
  })

  test('JSON by default; refuses to overwrite without --force; exit 2 when there is no OpenAPI document', async () => {
    const { stack } = target()
    const out = join(dir, 'profile.json')
    writeFileSync(out, '{}')
    expect((await runCli(['init', stack.httpUrl, '--out', out])).code).toBe(2)
    const forced = await runCli(['init', stack.httpUrl, '--out', out, '--force'])
    expect(forced.code, forced.stderr).toBe(0)
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ baseUrl: stack.httpUrl, routes: { openapi: '/openapi.json' } })
    const missing = await runCli(['init', stack.httpUrl, '--out', join(dir, 'x.json'), '--openapi', '/nope.json'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('/nope.json answered 404')
  })

})

describe('run --shard and report merge', () => {
  test('two shards merged give the same verdicts as one run; a failing check in one shard fails the merge', { timeout: 300_000 }, async () => {
    const { stack, env } = target()
    const dir = mkdtempSync(join(tmpdir(), 'layercheck-shard-'))
    const profileFile = join(dir, 'profile.json')
    const profile = steadyProfile(stack)
    // One failing check (415 documented, 422 served), so the merge must carry a failure through.
    writeFileSync(profileFile, JSON.stringify({ ...profile, contentType: { mismatchStatus: 415 } }))
    const run = (...args: string[]) => runCli(['run', '--config', profileFile, ...args], { env, timeoutMs: 120_000 })

    // One after another: concurrent runs would share the stack's rate limiter.
    const whole = await run('--report-dir', join(dir, 'whole'))
    const one = await run('--report-dir', join(dir, 'shard-1'), '--shard', '1/2')
    const two = await run('--report-dir', join(dir, 'shard-2'), '--shard', '2/2')
    expect(whole.code, whole.stdout).toBe(1)
    const [a, b] = [read(join(dir, 'shard-1')), read(join(dir, 'shard-2'))]
    expect(a.checks.length).toBeGreaterThan(0)
    expect(b.checks.length).toBeGreaterThan(0)
    expect(a.checks.filter((c) => b.checks.some((d) => d.id === c.id))).toEqual([])
    // The shard holding validation.content-type.mismatch fails on its own.
    expect(one.code === 1 || two.code === 1).toBe(true)

    const merged = await runCli(['report', 'merge', join(dir, 'shard-2', 'report.json'), join(dir, 'shard-1', 'report.json'), '--out', join(dir, 'merged')])
    expect(merged.code, merged.stdout + merged.stderr).toBe(1)
    expect(merged.stdout).toContain('✗ validation.content-type.mismatch')
    const report = read(join(dir, 'merged'))
    expect(verdicts(report)).toEqual(verdicts(read(join(dir, 'whole'))))
    expect(report.checks.map((c) => c.id)).toEqual(read(join(dir, 'whole')).checks.map((c) => c.id))
    expect(report.summary).toEqual(read(join(dir, 'whole')).summary)
  })

})

describe('layercheck run: checks side by side', () => {
  test('with a rate limit and no faults the two rate-limit checks overlap each other and the rest; no conflicting pair overlaps; the floor is reported', { timeout: 180_000 }, async () => {
    const { stack, env } = target()
    const reportDir = mkdtempSync(join(tmpdir(), 'layercheck-side-by-side-'))
    const { faults: _faults, ...profile } = referenceProfile(stack)
    const profileFile = join(reportDir, 'profile.json')
    writeFileSync(profileFile, JSON.stringify(profile))
    // Every region but the faults (which wait on the app's slow routes even without Toxiproxy).
    const only = CONFORMANCE_REGIONS.map((region) => `${region}.*`).join(',')
    const run = await runCli(['run', '--config', profileFile, '--report-dir', reportDir, '--only', only], { env, timeoutMs: 120_000 })
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const report = read(reportDir)
    expect(conflictingOverlaps(report.checks)).toEqual([])
    const byId = new Map(report.checks.map((c) => [c.id, c]))
    const [quota, afterAuth] = ['middleware.rate-limit.429', 'middleware.rate-limit.after-auth'].map((id) => byId.get(id)!)
    const overlap = (a: CheckResult, b: CheckResult) => a.startedMs! < b.endedMs! && b.startedMs! < a.endedMs!
    expect(overlap(quota!, afterAuth!)).toBe(true)
    expect(report.checks.filter((c) => c !== quota && overlap(c, quota!)).length).toBeGreaterThan(10)
    // Its waits are declared: a window, then Retry-After; the floor is at least that.
    expect(quota!.waits?.map((w) => w.for)).toEqual([expect.stringContaining('rate-limit window'), expect.stringContaining('Retry-After')])
    expect(report.floorMs).toBeGreaterThanOrEqual(quota!.waitedMs!)
    expect(run.stdout).toMatch(/floor [\d.]+ s \(waits the checks had to make\), [\d.]+× the floor/)
  })
})

