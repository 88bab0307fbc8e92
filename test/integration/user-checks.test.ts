// A profile's own checks (checks.include), from files outside the repository that import
// 'layercheck' as a user's would: listed, selected, planned and run like ours, and a bad
// file is a usage error naming it. The run is against a variant whose /admin/stats
// enforces nothing, which one of the user's checks is about.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { parseJsonReport } from '../../reports/json-report.ts'
import { referenceProfile } from '../../targets/nginx-fastapi/profile.ts'
import { findVariant } from '../../targets/nginx-fastapi/variants.ts'
import { runCli } from '../support/cli.ts'
import { useStack } from '../support/reference-stack.ts'
import { STATS_CHECKS } from '../support/user-check-files.ts'

const dir = mkdtempSync(join(tmpdir(), 'layercheck-user-checks-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function writeProject(name: string, files: Record<string, string>, profile: object): string {
  const root = join(dir, name)
  mkdirSync(join(root, 'checks'), { recursive: true })
  for (const [file, text] of Object.entries(files)) writeFileSync(join(root, file), text)
  const profileFile = join(root, 'layercheck.config.json')
  writeFileSync(profileFile, JSON.stringify(profile))
  return profileFile
}

const target = useStack(findVariant('stats-auth-ignored'))

describe("a profile's own checks", () => {
  test('list, --only and --dry-run know them; a run reports them like ours, in every output, failing where the stack is broken', { timeout: 180_000 }, async () => {
    const { stack, env } = target()
    const profileFile = writeProject('shop', { 'checks/stats.ts': STATS_CHECKS }, { ...referenceProfile(stack), checks: { include: ['./checks/*.ts'] } })

    const list = await runCli(['list', '--config', profileFile], { env })
    expect(list.code, list.stderr).toBe(0)
    expect(list.stdout).toMatch(/11 {2}shop\.stats\.requires-token +middleware +error +shop API contract §4 \(admin routes\) {2}\(own check\)/)

    const plan = await runCli(['run', '--config', profileFile, '--only', 'shop.*', '--dry-run'], { env })
    expect(plan.code, plan.stderr).toBe(0)
    expect(plan.stderr + plan.stdout).toContain('own checks: 2 from 1 file (checks.include): shop.stats.requires-token, shop.health.json')
    expect(plan.stdout).toContain('--only shop.*: 2 of')
    expect(plan.stdout).toMatch(/• shop\.stats\.requires-token[^\n]*\n {4}GET +\/admin\/stats/)

    const reportDir = join(dir, 'shop-report')
    const run = await runCli(['run', '--config', profileFile, '--only', 'shop.*,routing.unknown-path.404', '--report-dir', reportDir], { env, timeoutMs: 120_000 })
    expect(run.code, run.stdout + run.stderr).toBe(1)
    expect(run.stdout).toContain('✗ shop.stats.requires-token')
    const report = parseJsonReport(readFileSync(join(reportDir, 'report.json'), 'utf8'))
    expect(report.checks.map((c) => [c.id, c.verdict])).toEqual([
      ['shop.stats.requires-token', 'fail'], ['routing.unknown-path.404', 'pass'], ['shop.health.json', 'pass'],
    ])
    const failed = report.checks[0]!
    expect(failed).toMatchObject({ step: 11, layer: 'middleware', severity: 'error', expected: '401 from app', answeredBy: { tier: 'app' } })
    expect(failed.diagnosis).toContain('a bearer scheme that nothing enforces')
    expect(failed.evidence[0]?.request.url).toMatch(/\/admin\/stats$/)
    expect(readFileSync(join(reportDir, 'junit.xml'), 'utf8')).toMatch(/<testcase[^>]*name="shop\.stats\.requires-token[^"]*"[^>]*>\s*<failure/)
    expect(readFileSync(join(reportDir, 'report.html'), 'utf8')).toContain('shop.stats.requires-token')
    expect(readFileSync(join(reportDir, 'summary.md'), 'utf8')).toContain('shop.stats.requires-token')
  })

  test('a bad check file is bad usage naming the file and what to change (exit 2, nothing sent)', async () => {
    const { stack, env } = target()
    const base = referenceProfile(stack)
    const cases: [string, Record<string, string>, string[], RegExp][] = [
      ['no-match', {}, ['./checks/*.ts'], /checks\.include: "\.\/checks\/\*\.ts" matches no check file under /],
      ['no-export', { 'checks/a.ts': 'export const x = 1\n' }, ['./checks/*.ts'], /a\.ts: exports no check; export the result of defineCheck/],
      ['taken-id', { 'checks/a.ts': STATS_CHECKS.replace("'shop.health.json'", "'routing.unknown-path.404'") }, ['./checks/*.ts'], /a\.ts: check "routing\.unknown-path\.404": a built-in check has this id/],
      ['bad-step', { 'checks/a.ts': STATS_CHECKS.replace('step: 11', 'step: 16') }, ['./checks/*.ts'], /check "shop\.stats\.requires-token": step must be a lifecycle step from 1 \(DNS\) to 15/],
      ['throws', { 'checks/a.ts': "throw new Error('boom at load')\n" }, ['./checks/*.ts'], /a\.ts: cannot be loaded: boom at load/],
    ]
    for (const [name, files, include, message] of cases) {
      const profileFile = writeProject(name, files, { ...base, checks: { include } })
      const result = await runCli(['run', '--config', profileFile, '--dry-run'], { env })
      expect(result.code, `${name}: ${result.stdout}${result.stderr}`).toBe(2)
      expect(result.stderr, name).toMatch(message)
      expect(result.stderr, name).not.toMatch(/\n\s+at .+:\d+:\d+/)
    }
  })
})
