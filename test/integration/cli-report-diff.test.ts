import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { RunReport } from '../../harness/model/check-result.ts'
import { parseJsonReport, renderJsonReport } from '../../reports/json-report.ts'
import { runCli } from '../support/cli.ts'
import { withVerdicts } from '../reports/fixtures/with-verdicts.ts'

const dir = mkdtempSync(join(tmpdir(), 'layercheck-diff-'))
function reportFile(name: string, report: RunReport): string {
  const file = join(dir, name)
  writeFileSync(file, renderJsonReport(report))
  return file
}

// The sample: proxy.body-size.413 fails, faults.upstream-down.502 errored (made to pass here unless a test is about errors).
const clean = { 'faults.upstream-down.502': 'pass' } as const
const baseline = reportFile('old.json', withVerdicts(clean, '2025-06-01T00:00:00.000Z'))

describe('layercheck report diff', () => {
  test('a check that passed and now fails: exit 1, listed as NEW and as a regression', async () => {
    const current = reportFile('regressed.json', withVerdicts({ ...clean, 'routing.unknown-path.404': 'fail' }))
    const result = await runCli(['report', 'diff', baseline, current])
    expect(result.code, result.stderr).toBe(1)
    expect(result.stdout).toMatch(/^ {2}NEW {6}routing\.unknown-path\.404 .* passed → failed \(regression\)$/m)
    expect(result.stdout).toMatch(/^ {2}EXISTING proxy\.body-size\.413 /m)
    expect(result.stdout).toContain('1 regression since the baseline: routing.unknown-path.404')
  })

  test('only fixes and unchanged failures: exit 0', async () => {
    const fixed = reportFile('fixed.json', withVerdicts({ ...clean, 'proxy.body-size.413': 'pass' }))
    const result = await runCli(['report', 'diff', baseline, fixed])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^ {2}FIXED {4}proxy\.body-size\.413 .* failed → passed$/m)
    expect(result.stdout).toContain('no regression since the baseline')
  })

  test('--json: the new report with a baseline block on stdout', async () => {
    const current = reportFile('regressed2.json', withVerdicts({ ...clean, 'routing.unknown-path.404': 'fail' }))
    const result = await runCli(['report', 'diff', '--json', baseline, current])
    expect(result.code).toBe(1)
    const report = parseJsonReport(result.stdout)
    expect(report.baseline?.counts).toEqual({ new: 1, existing: 1, fixed: 0, regressions: 1 })
    expect(report.baseline?.startedAt).toBe('2025-06-01T00:00:00.000Z')
  })

  test('a harness error in the new report is exit 4, not 1', async () => {
    const errored = reportFile('errored.json', withVerdicts({}))
    expect((await runCli(['report', 'diff', baseline, errored])).code).toBe(4)
  })

  test('a missing or malformed report: exit 2 naming the file', async () => {
    const missing = await runCli(['report', 'diff', baseline, join(dir, 'nope.json')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('nope.json: no such file')
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{"schemaVersion": 2}')
    const malformed = await runCli(['report', 'diff', bad, baseline])
    expect(malformed.code).toBe(2)
    expect(malformed.stderr).toContain('bad.json: report schemaVersion must be 1, got 2')
    expect(malformed.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  })

  test('run --baseline with an unreadable baseline is bad usage before any probe', async () => {
    const result = await runCli(['run', '--target', 'http://127.0.0.1:1', '--baseline', join(dir, 'nope.json')])
    expect(result.code).toBe(2)
    expect(result.stdout).not.toContain('target:')
  })
})
